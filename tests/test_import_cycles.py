"""No import cycles, between packages or files (tools/import_cycles.py): none now, and the check can fail."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import import_cycles  # noqa: E402


def test_the_project_has_no_import_cycles():
    assert import_cycles.main() == 0


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for name in (importer, imported):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                graph.add_module(".".join(parts[:i]))
        graph.add_import(importer=importer, imported=imported)
    return graph


def test_a_loop_between_packages_is_found_even_when_no_file_loops():
    graph = _graph(("app.a.x", "app.b.y"), ("app.b.z", "app.a.w"))
    assert import_cycles.file_cycles(graph) == []
    assert import_cycles.package_cycles(graph) == [["app.a", "app.b"]]


def test_a_loop_through_three_files_is_found():
    graph = _graph(
        ("app.one", "app.two"), ("app.two", "app.three"), ("app.three", "app.one"), ("app.three", "app.four")
    )
    assert import_cycles.file_cycles(graph) == [["app.one", "app.three", "app.two"]]


def test_the_graphql_object_types_may_not_refer_to_each_other_either():
    types = ("graphql_schema.types.users", "graphql_schema.types.entries")
    graph = _graph((types[0], types[1]), (types[1], types[0]))
    assert import_cycles.file_cycles(graph) == [sorted(types)]
    assert import_cycles.package_cycles(graph) == [sorted(types)]


def test_an_import_under_type_checking_counts(tmp_path, monkeypatch):
    package = tmp_path / "typed_loop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from typed_loop import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from typed_loop import a\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = import_cycles.import_graph("typed_loop")
    assert import_cycles.file_cycles(graph) == [["typed_loop.a", "typed_loop.b"]]

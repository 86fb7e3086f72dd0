"""Import cycles, found with grimp (the graph import-linter builds): none may exist.

Two kinds are checked. Package cycles: inside every package, its subpackages and
modules, each taken as a whole, must import one another without a loop. File cycles:
no module may reach itself through imports, those inside functions and those under
`TYPE_CHECKING` included.

Run `python tools/import_cycles.py`; it prints each cycle and exits 1 if there is one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

import grimp

ROOT_PACKAGES = ("backend", "graphql_schema", "workers", "migrations", "questline")


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The loops of a directed graph: its strongly connected parts of two or more nodes
    (Tarjan's algorithm, iterative), each sorted, in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return sorted(found)


def package_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Loops between the children of any one package, each child taken with everything under it."""
    cycles: list[list[str]] = []
    for package in sorted(m for m in graph.modules if graph.find_children(m)):
        children = sorted(graph.find_children(package))
        edges = {
            a: [b for b in children if b != a and graph.direct_import_exists(importer=a, imported=b, as_packages=True)]
            for a in children
        }
        cycles += strongly_connected(edges)
    return cycles


def file_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Loops between modules."""
    edges = {m: graph.find_modules_directly_imported_by(m) & graph.modules for m in graph.modules}
    return strongly_connected(edges)


def import_graph(*packages: str) -> grimp.ImportGraph:
    """The imports of `packages`, those inside functions and under `TYPE_CHECKING` among them."""
    return grimp.build_graph(*packages, exclude_type_checking_imports=False)


def main() -> int:
    graph = import_graph(*ROOT_PACKAGES)
    problems = [("package", c) for c in package_cycles(graph)] + [("file", c) for c in file_cycles(graph)]
    for kind, cycle in problems:
        print(f"{kind} cycle: {' -> '.join(cycle)}")
    if not problems:
        print("no import cycles")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

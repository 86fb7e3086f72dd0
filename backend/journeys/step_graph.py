"""The steps of a journey as a graph: where each step can go, and the loops that
could run for ever inside one pass (those that pass no wait)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A tuple, not a set: a kind read from a document may be unhashable junk.
WAIT_KINDS = ("wait", "wait_for_event")
# The fields of each kind that name the step to go to next.
LINK_FIELDS: Mapping[str, tuple[str, ...]] = {
    "condition": ("yes", "no"),
    "wait_for_event": ("next", "timeoutNext"),
    "goto": ("to",),
    "exit": (),
}


def successors(step: Mapping[str, Any]) -> list[str]:
    kind = step.get("kind")
    if kind == "split":
        branches = step.get("branches")
        targets = [b.get("next") for b in branches if isinstance(b, dict)] if isinstance(branches, list) else []
    else:
        targets = [step.get(name) for name in LINK_FIELDS.get(str(kind), ("next",))]
    return [t for t in targets if isinstance(t, str)]


def unguarded_loops(steps: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """One cycle (as a path back to its first step) for every group of steps that can
    run in a circle without a wait: strongly connected components of the graph
    without wait steps, found iteratively so a long journey cannot overflow the stack."""
    graph = {
        sid: [t for t in successors(step) if t in steps and steps[t].get("kind") not in WAIT_KINDS]
        for sid, step in steps.items()
        if step.get("kind") not in WAIT_KINDS
    }
    loops = []
    for component in _components(graph):
        members = set(component)
        if len(members) == 1 and component[0] not in graph[component[0]]:
            continue
        loops.append(_cycle_in(graph, members, min(members)))
    return sorted(loops)


def _cycle_in(graph: Mapping[str, list[str]], members: set[str], first: str) -> list[str]:
    # Every step of a strongly connected component has a successor inside it, so the
    # walk must come back to a step it saw: the path from there is a cycle.
    path: list[str] = []
    seen: dict[str, int] = {}
    node = first
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(t for t in graph[node] if t in members)
    return [*path[seen[node] :], node]


def _components(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Kosaraju: finishing order on the graph, then components on the reversed graph."""
    order: list[str] = []
    visited: set[str] = set()
    for root in graph:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(graph[root]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in visited), None)
            if child is None:
                stack.pop()
                order.append(node)
            else:
                visited.add(child)
                stack.append((child, iter(graph[child])))
    reverse: dict[str, list[str]] = {node: [] for node in graph}
    for node, targets in graph.items():
        for target in targets:
            reverse[target].append(node)
    components: list[list[str]] = []
    assigned: set[str] = set()
    for root in reversed(order):
        if root in assigned:
            continue
        assigned.add(root)
        component, todo = [], [root]
        while todo:
            node = todo.pop()
            component.append(node)
            for prev in reverse[node]:
                if prev not in assigned:
                    assigned.add(prev)
                    todo.append(prev)
        components.append(component)
    return components

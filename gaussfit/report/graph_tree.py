"""A graph as a rich tree: name scopes are branches, ops are leaves with their type, inputs and
static shape — the terminal's version of the lab's Figure 2."""

from __future__ import annotations

from typing import Any

from rich.tree import Tree

from gaussfit.engine import Graph
from gaussfit.engine.export import format_shape


def graph_tree(graph: Graph, title: str) -> Tree:
    root = Tree(f"[bold]{title}[/]  ({len(graph)} ops)")
    branches: dict[str, Tree] = {"": root}
    for node in graph.as_graph_def()["node"]:
        *scopes, short = node["name"].split("/")
        parent = _branch(branches, scopes)
        shape_text = format_shape(node.get("shape"))
        inputs = ", ".join(node["input"]) if node["input"] else ""
        label = f"[cyan]{short}[/] [dim]{node['op']}[/]"
        if node["op"] != "NoOp":
            label += f" {shape_text} {node.get('dtype', '')}"
        if inputs:
            label += f" [dim]← {inputs}[/]"
        parent.add(label)
    return root


def _branch(branches: dict[str, Any], scopes: list[str]) -> Tree:
    path = ""
    for scope in scopes:
        parent = branches[path]
        path = f"{path}/{scope}" if path else scope
        if path not in branches:
            branches[path] = parent.add(f"[bold]{scope}/[/]")
    return branches[path]

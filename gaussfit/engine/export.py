"""Graphs as data: a GraphDef-like dict (JSON) and Graphviz DOT with name scopes as clusters.

Both list nodes as TF's ``GraphDef`` does: ``name``, ``op``, ``input`` (``name`` for output 0,
``^name`` for a control input), the dtype and the static output shape, so the same description
feeds a JSON file, a DOT drawing or a TensorBoard event file.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gaussfit.engine.shapes import TensorShape

if TYPE_CHECKING:
    from gaussfit.engine.graph import Graph


def as_graph_def(graph: Graph) -> dict[str, Any]:
    """The graph as a plain dict ``{"node": [...]}`` in GraphDef's vocabulary."""
    nodes = []
    for op in graph.get_operations():
        node: dict[str, Any] = {
            "name": op.name,
            "op": op.type,
            "input": [t.name if t.value_index else t.op.name for t in op.inputs]
            + [f"^{c.name}" for c in op.control_inputs],
        }
        if op.outputs:
            out = op.outputs[0]
            node["dtype"] = out.dtype.name
            node["shape"] = None if out.shape.dims is None else list(out.shape.dims)
        if op.type == "Const":
            value = op.attrs["value"]
            if value.size <= 16:
                node["value"] = value.tolist()
        nodes.append(node)
    return {"node": nodes}


def to_json(graph: Graph) -> str:
    return json.dumps(as_graph_def(graph), indent=2)


def format_shape(dims: list | None) -> str:
    """A GraphDef shape as TF1 prints it: ``(3,)``, ``(?, 3)``; ``?`` for unknown rank."""
    return "?" if dims is None else str(TensorShape(dims))


def _escape(text: str) -> str:
    """``text`` inside a DOT quoted string: backslashes and quotes escaped, so that it reads
    back as itself."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _quote(text: str) -> str:
    return '"' + _escape(text) + '"'


DOT_LINE_BREAK = "\\n"
"""DOT's escape for a centred line break inside a label (written as is, never escaped)."""


def to_dot(graph: Graph, title: str | None = None) -> str:
    """Graphviz DOT: one box per op labelled with its name and type, scopes drawn as clusters,
    edges labelled with the static shape that flows along them."""
    graph_def = as_graph_def(graph)
    tree: dict[str, Any] = {"nodes": [], "children": {}}
    for node in graph_def["node"]:
        parts = node["name"].split("/")
        branch = tree
        for part in parts[:-1]:
            branch = branch["children"].setdefault(part, {"nodes": [], "children": {}})
        branch["nodes"].append(node)
    lines = [
        "digraph G {",
        "  rankdir=BT;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
    ]
    if title:
        lines.append(f"  label={_quote(title)}; labelloc=t;")
    counter = [0]

    def emit(branch: dict[str, Any], prefix: str, indent: str) -> None:
        for node in branch["nodes"]:
            short = node["name"].rsplit("/", 1)[-1]
            colour = {"Placeholder": "#fde8c8", "VariableV2": "#d9f2d9", "Const": "#f0f0f0"}.get(
                node["op"], "#eef3fb"
            )
            label = f'"{_escape(short)}{DOT_LINE_BREAK}{_escape(node["op"])}"'
            lines.append(
                f"{indent}{_quote(node['name'])} [label={label}, fillcolor={_quote(colour)}];"
            )
        for name, child in branch["children"].items():
            counter[0] += 1
            lines.append(f"{indent}subgraph cluster_{counter[0]} {{")
            lines.append(
                f'{indent}  label={_quote(prefix + name)}; style=rounded; color="#9aa7b8";'
            )
            emit(child, prefix + name + "/", indent + "  ")
            lines.append(f"{indent}}}")

    emit(tree, "", "  ")
    shapes = {n["name"]: n.get("shape") for n in graph_def["node"]}
    for node in graph_def["node"]:
        for source in node["input"]:
            if source.startswith("^"):
                lines.append(f"  {_quote(source[1:])} -> {_quote(node['name'])} [style=dashed];")
                continue
            base = source.split(":")[0]
            label = format_shape(shapes.get(base))
            lines.append(
                f"  {_quote(base)} -> {_quote(node['name'])} [label={_quote(label)}, fontsize=9];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"

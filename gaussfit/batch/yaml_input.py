"""Parse a batch file's YAML with bounded time and memory, whatever the file holds.

``yaml.safe_load`` refuses tags that run code, but not "billion laughs": nine anchors, each a
list of nine aliases to the previous one, are a 1 kB file standing for 9**9 values. PyYAML
shares the aliased objects, so parsing is cheap; the cost comes later, when anything walks the
values (validation, a sweep's expansion, an error message's repr). So the document is refused
before it is turned into Python objects when

* the file is larger than :data:`MAX_DOCUMENT_BYTES`, or
* its nodes, counted as if every alias were written out in full, exceed :data:`MAX_NODES`
  (counted once per distinct node, so the count costs time linear in the file).
"""

from __future__ import annotations

from typing import Any

from gaussfit.errors import ConfigError

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
MAX_NODES = 5_000_000


def parse_yaml(text: str, name: str) -> Any:
    """The document in ``text`` (``name`` places errors); ConfigError if it breaks a limit."""
    import yaml

    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DOCUMENT_BYTES:
        raise ConfigError(
            f"{name}: the file is {size:,} bytes, more than the limit of "
            f"{MAX_DOCUMENT_BYTES:,} for a batch file"
        )
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            expanded = _expanded_size(node)
            if expanded > MAX_NODES:
                raise ConfigError(
                    f"{name}: its aliases expand the document to more than the limit of "
                    f"{MAX_NODES:,} values (is it an alias bomb?)"
                )
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError(f"{name}{where}: {problem}") from None
        except _Cycle:
            raise ConfigError(f"{name}: an alias refers to a value that contains it") from None
        except RecursionError:
            raise ConfigError(f"{name}: values are nested too deeply") from None
    finally:
        loader.dispose()


class _Cycle(Exception):
    """An anchor whose own value uses its alias: the document is infinite."""


def _expanded_size(root: Any) -> int:
    """How many nodes ``root`` stands for with every alias expanded, saturating past the limit.

    Each distinct collection is sized once (aliases share node objects), children before
    parents, on an explicit stack so that deep nesting cannot overflow Python's recursion;
    scalars count one each without being visited.
    """
    import yaml

    scalar = yaml.ScalarNode
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        node = stack[-1]
        if id(node) in sizes:
            stack.pop()
            continue
        children = _children(node, yaml)
        pending = [c for c in children if type(c) is not scalar and id(c) not in sizes]
        if pending and id(node) not in open_nodes:
            open_nodes.add(id(node))
            if any(id(c) in open_nodes for c in pending):
                raise _Cycle
            stack.extend(pending)
            continue
        if pending:  # back at a node whose children are still unsized: a cycle
            raise _Cycle
        stack.pop()
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        sizes[id(node)] = min(total, MAX_NODES + 1)
    return sizes.get(id(root), 1)


def _children(node: Any, yaml: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []

"""Named collections of a graph (TF1's ``tf.GraphKeys`` and ``tf.get_collection``).

A collection is a list kept by the graph under a string key: the variables, the trainable
ones, the summaries, the update ops a training step must also run, and any key a program
invents.
"""

from __future__ import annotations

import re
from typing import Any

from gaussfit.engine.graph import Graph, get_default_graph


class GraphKeys:
    """The standard collection names, spelt as in TF1."""

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"


def add_to_collection(name: str, value: Any, graph: Graph | None = None) -> None:
    """Append ``value`` to the collection ``name`` of the default graph."""
    (graph or get_default_graph()).add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    for name in [names] if isinstance(names, str) else names:
        add_to_collection(name, value)


def get_collection(key: str, scope: str | None = None, graph: Graph | None = None) -> list[Any]:
    """A copy of the collection ``key``; with ``scope``, only items whose name matches it from
    the start (a regular expression, as TF1)."""
    items = (graph or get_default_graph()).get_collection(key)
    if scope is None:
        return items
    pattern = re.compile(scope)
    return [item for item in items if pattern.match(getattr(item, "name", ""))]


def get_collection_ref(key: str, graph: Graph | None = None) -> list[Any]:
    """The collection ``key`` itself: appending to it changes the graph's collection."""
    return (graph or get_default_graph())._collections.setdefault(key, [])

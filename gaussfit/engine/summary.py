"""``tf.summary``: watch a graph and its training in TensorBoard (or Graphviz).

``scalar`` and ``histogram`` add summary ops whose values ``FileWriter.add_summary`` records at a
step; ``merge_all`` gathers every summary op into one fetch, as in TF1. ``FileWriter`` always
writes ``graph.dot`` (Graphviz) and ``graph.json`` into its log directory; when the
``tensorboard`` package is installed (``pip install 'gaussfit[tensorboard]'``) it also writes
real TensorBoard event files through that package's own protocol buffers and event writer, so
``tensorboard --logdir DIR`` shows the graph and the series. Without it, scalar series go to
``scalars.jsonl`` and a note says how to get the event files.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.export import to_dot, to_json
from gaussfit.engine.graph import Graph, Tensor, get_default_graph
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.shapes import SCALAR

__all__ = ["FileWriter", "Summary", "histogram", "merge", "merge_all", "scalar"]

SUMMARIES = "summaries"
INSTALL_HINT = (
    "TensorBoard event files need the tensorboard package: pip install 'gaussfit[tensorboard]'"
)


@dataclass
class Summary:
    """The value of a summary op: tagged scalars and histograms (TF1 returns these serialized)."""

    scalars: list[tuple[str, float]] = field(default_factory=list)
    histograms: list[tuple[str, np.ndarray]] = field(default_factory=list)

    def merged_with(self, other: Summary) -> Summary:
        return Summary(self.scalars + other.scalars, self.histograms + other.histograms)


def _np_scalar_summary(value: np.ndarray, tag: str) -> Summary:
    return Summary(scalars=[(tag, float(np.asarray(value).reshape(())))])


def _np_histogram_summary(values: np.ndarray, tag: str) -> Summary:
    return Summary(histograms=[(tag, np.array(values, dtype=np.float64).ravel())])


def _np_merge(*parts: Summary) -> Summary:
    merged = Summary()
    for part in parts:
        merged = merged.merged_with(part)
    return merged


def _string(op_type, inputs, attrs):
    return dtypes.string


SCALAR_SUMMARY = register(
    OpDef("ScalarSummary", _np_scalar_summary, lambda s, a: SCALAR, None, dtype=_string)
)
HISTOGRAM_SUMMARY = register(
    OpDef("HistogramSummary", _np_histogram_summary, lambda s, a: SCALAR, None, dtype=_string)
)
MERGE_SUMMARY = register(OpDef("MergeSummary", _np_merge, lambda s, a: SCALAR, None, dtype=_string))


def _summary_op(op_def: OpDef, name: str, tensor: Any, collections: Sequence[str] | None):
    value = convert_to_tensor(tensor)
    graph = value.graph
    with graph.as_default(), graph.name_scope(name) as scope:
        out = make_op(op_def, [value], scope, tag=name)
    for key in collections if collections is not None else [SUMMARIES]:
        graph.add_to_collection(key, out)
    return out


def scalar(name: str, tensor: Any, collections: Sequence[str] | None = None) -> Tensor:
    """A summary op recording a scalar tensor's value under ``name``."""
    return _summary_op(SCALAR_SUMMARY, name, tensor, collections)


def histogram(name: str, values: Any, collections: Sequence[str] | None = None) -> Tensor:
    """A summary op recording the distribution of a tensor's values under ``name``."""
    return _summary_op(HISTOGRAM_SUMMARY, name, values, collections)


def merge(inputs: Sequence[Tensor], name: str | None = None) -> Tensor:
    """One op whose value combines the given summary ops."""
    graph = inputs[0].graph
    with graph.as_default():
        return make_op(MERGE_SUMMARY, list(inputs), name or "Merge/MergeSummary")


def merge_all(key: str = SUMMARIES, graph: Graph | None = None) -> Tensor | None:
    """Every summary op of the graph as one fetch (None when there are none, as in TF1)."""
    graph = graph or get_default_graph()
    ops = graph.get_collection(key)
    if not ops:
        return None
    with graph.as_default():
        return merge(ops, name="Merge/MergeSummary")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _tensorboard_available() -> bool:
    try:
        import tensorboard.summary.writer.event_file_writer  # noqa: F401
    except ImportError:
        return False
    return True


class FileWriter:
    """Writes a graph and summaries to ``logdir`` (TF1's ``tf.summary.FileWriter``)."""

    def __init__(
        self,
        logdir: str | os.PathLike,
        graph: Graph | None = None,
        flush_secs: float = 120.0,
        filename_suffix: str = "",
    ) -> None:
        self.logdir = Path(logdir)
        self.logdir.mkdir(parents=True, exist_ok=True)
        self._events = None
        if _tensorboard_available():
            from tensorboard.summary.writer.event_file_writer import EventFileWriter

            self._events = EventFileWriter(
                str(self.logdir), flush_secs=flush_secs, filename_suffix=filename_suffix
            )
        else:
            warnings.warn(INSTALL_HINT, stacklevel=2)
        if graph is not None:
            self.add_graph(graph)

    @property
    def writes_events(self) -> bool:
        """Whether TensorBoard event files are being written."""
        return self._events is not None

    def add_graph(self, graph: Graph, global_step: int | None = None) -> None:
        """Record the graph: DOT and JSON files, and a graph event for TensorBoard."""
        _write_atomic(self.logdir / "graph.dot", to_dot(graph))
        _write_atomic(self.logdir / "graph.json", to_json(graph))
        if self._events is not None:
            from gaussfit.engine.tensorboard_proto import graph_def_proto, new_event

            event = new_event(step=global_step)
            event.graph_def = graph_def_proto(graph).SerializeToString()
            self._events.add_event(event)

    def add_summary(self, summary: Summary, global_step: int | None = None) -> None:
        """Record the value of a summary fetch at ``global_step``."""
        if not isinstance(summary, Summary):
            raise TypeError(f"add_summary takes the value of a summary op, not {summary!r}")
        if self._events is not None:
            from gaussfit.engine.tensorboard_proto import new_event, summary_proto

            event = new_event(step=global_step)
            event.summary.CopyFrom(summary_proto(summary))
            self._events.add_event(event)
            return
        with open(self.logdir / "scalars.jsonl", "a", encoding="utf-8") as handle:
            for tag, value in summary.scalars:
                handle.write(
                    json.dumps(
                        {"step": global_step, "tag": tag, "value": value, "wall_time": time.time()}
                    )
                    + "\n"
                )

    def add_scalar(self, tag: str, value: float, global_step: int | None = None) -> None:
        """Record one number directly (no summary op needed)."""
        self.add_summary(Summary(scalars=[(tag, float(value))]), global_step)

    def flush(self) -> None:
        if self._events is not None:
            self._events.flush()

    def close(self) -> None:
        if self._events is not None:
            self._events.close()
            self._events = None

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

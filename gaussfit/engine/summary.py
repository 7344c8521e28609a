"""``summary.FileWriter``: write a graph where a person can look at it.

Always writes ``graph.dot`` (Graphviz) and ``graph.json`` (the GraphDef-like description) into
the log directory, atomically. TensorBoard event files are written by the ``tensorboard``
package when it is installed (``pip install 'gaussfit[tensorboard]'``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from gaussfit.engine.export import to_dot, to_json
from gaussfit.engine.graph import Graph


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


class FileWriter:
    """Writes a graph to ``logdir`` (TF1's ``tf.summary.FileWriter``)."""

    def __init__(self, logdir: str | os.PathLike, graph: Graph | None = None) -> None:
        self.logdir = Path(logdir)
        self.logdir.mkdir(parents=True, exist_ok=True)
        self._closed = False
        if graph is not None:
            self.add_graph(graph)

    def add_graph(self, graph: Graph) -> None:
        """Write the graph as ``graph.dot`` and ``graph.json``."""
        _write_atomic(self.logdir / "graph.dot", to_dot(graph))
        _write_atomic(self.logdir / "graph.json", to_json(graph))

    def flush(self) -> None:
        """Files are written whole when added; nothing is buffered."""

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

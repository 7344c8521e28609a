"""``tf.train.Saver``: variables to disk and back, in a small documented format of our own.

A checkpoint with prefix ``DIR/model.ckpt-7`` is one file, ``DIR/model.ckpt-7.npz``: a numpy
``.npz`` archive holding one array per saved variable, keyed by the variable's name without
``:0`` (``layer/w``), in the variable's dtype and shape. Beside the checkpoints, a text file
``DIR/checkpoint`` (TF's own format for it) lists them, newest last::

    model_checkpoint_path: "model.ckpt-7"
    all_model_checkpoint_paths: "model.ckpt"
    all_model_checkpoint_paths: "model.ckpt-7"

so ``latest_checkpoint(DIR)`` and ``get_checkpoint_state(DIR)`` find the newest. Paths inside
the directory are written relative to it. Both files are written to a temporary name and
renamed, so a crash never leaves half a checkpoint. TensorFlow's own checkpoints
(``.index`` / ``.data-*``) are not read.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gaussfit.engine import errors
from gaussfit.engine.variables import Variable, global_variables

SUFFIX = ".npz"
INDEX = "checkpoint"


@dataclass
class CheckpointState:
    """What the ``checkpoint`` index file says: the newest checkpoint and all kept ones."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str] = field(default_factory=list)


def _saved_name(variable: Variable) -> str:
    return variable.op.name


class Saver:
    """Saves and restores variables (all global variables unless ``var_list`` says which:
    a list of variables, or a dict from saved name to variable)."""

    def __init__(
        self,
        var_list: Any = None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: int = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: str | None = None,
        **unused: Any,
    ) -> None:
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._variables = dict(var_list)
        else:
            self._variables = {_saved_name(v): v for v in var_list}
        if not self._variables:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._kept: list[str] = []

    def save(
        self,
        sess: Any,
        save_path: str,
        global_step: Any = None,
        latest_filename: str | None = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        **unused: Any,
    ) -> str:
        """Write the variables' values in ``sess``; returns the checkpoint's prefix
        (``save_path``, or ``save_path-<step>`` with a global step)."""
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) else None
            if step is None:
                step = sess.run(global_step)
            save_path = f"{save_path}-{int(step)}"
        names = list(self._variables)
        values = sess.run([self._variables[n] for n in names])
        directory = os.path.dirname(os.path.abspath(save_path))
        if not os.path.isdir(directory):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        arrays = {n: np.asarray(v) for n, v in zip(names, values, strict=True)}
        _write_atomically(save_path + SUFFIX, lambda f: np.savez(f, **arrays), binary=True)
        if write_state:
            self._remember(save_path)
            update_checkpoint_state(directory, save_path, self._kept, latest_filename)
        return save_path

    def _remember(self, path: str) -> None:
        if path in self._kept:
            self._kept.remove(path)
        self._kept.append(path)
        while self._max_to_keep and len(self._kept) > self._max_to_keep:
            old = self._kept.pop(0)
            if os.path.exists(old + SUFFIX):
                os.remove(old + SUFFIX)

    def restore(self, sess: Any, save_path: str | None) -> None:
        """Load every variable of this saver from the checkpoint ``save_path`` into ``sess``."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        file = save_path + SUFFIX
        if not os.path.exists(file):
            raise errors.NotFoundError(
                f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files "
                f"for {save_path}"
            )
        with np.load(file) as archive:
            for name, variable in self._variables.items():
                if name not in archive.files:
                    raise errors.NotFoundError(f"Key {name} not found in checkpoint")
                value = archive[name]
                if not variable.shape.is_compatible_with(value.shape):
                    raise errors.InvalidArgumentError(
                        f"Assign requires shapes of both tensors to match. lhs shape= "
                        f"{variable.shape} rhs shape= {tuple(value.shape)} (variable {name})"
                    )
                sess._load_variable(variable, value)


def _write_atomically(path: str, write: Any, binary: bool) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb" if binary else "w") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _relative(path: str, directory: str) -> str:
    absolute = os.path.abspath(path)
    if os.path.dirname(absolute) == os.path.abspath(directory):
        return os.path.basename(absolute)
    return absolute


def update_checkpoint_state(
    directory: str, newest: str, kept: list[str], latest_filename: str | None = None
) -> None:
    """Rewrite the index file of ``directory`` (see the module's docstring)."""
    lines = [f'model_checkpoint_path: "{_relative(newest, directory)}"']
    lines += [f'all_model_checkpoint_paths: "{_relative(p, directory)}"' for p in kept]
    text = "\n".join(lines) + "\n"
    path = os.path.join(directory, latest_filename or INDEX)
    _write_atomically(path, lambda f: f.write(text), binary=False)


def get_checkpoint_state(checkpoint_dir: str, latest_filename: str | None = None):
    """The index of ``checkpoint_dir`` with paths joined to it, or None if it has none."""
    path = os.path.join(checkpoint_dir, latest_filename or INDEX)
    if not os.path.exists(path):
        return None
    newest, kept = None, []
    with open(path) as stream:
        for number, line in enumerate(stream, 1):
            key, _, value = line.partition(":")
            value = value.strip()
            if not (value.startswith('"') and value.endswith('"')) or key not in (
                "model_checkpoint_path",
                "all_model_checkpoint_paths",
            ):
                raise ValueError(f"{path}:{number}: not a checkpoint index line: {line.strip()!r}")
            value = os.path.join(checkpoint_dir, value[1:-1])
            if key == "model_checkpoint_path":
                newest = value
            else:
                kept.append(value)
    if newest is None:
        raise ValueError(f"{path}: no model_checkpoint_path line")
    return CheckpointState(newest, kept)


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """The prefix of the newest checkpoint in ``checkpoint_dir``, or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not os.path.exists(state.model_checkpoint_path + SUFFIX):
        return None
    return state.model_checkpoint_path


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    return os.path.exists(checkpoint_prefix + SUFFIX)

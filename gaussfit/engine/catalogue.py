"""What the engine offers, listed from the code itself, for the README.

``listing(namespaces)`` writes one line per TF1 namespace (``tf``, ``tf.nn``, ...) with the public
names it exports, then the op types of the registry with what they can do. The README's list is
this function's output (``gaussfit.engine.describe()``) and a test keeps the two equal, so the
list never claims more, or less, than exists.
"""

from __future__ import annotations

from types import ModuleType

from gaussfit.engine.ops.op_def import REGISTRY


def _public(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return sorted(names, key=str.lower)


def listing(namespaces: dict[str, ModuleType]) -> str:
    """Markdown: the names of each namespace, then the registered op types by kind."""
    lines = []
    for label, module in namespaces.items():
        names = _public(module)
        lines.append(f"- `{label}` ({len(names)}): " + ", ".join(f"`{n}`" for n in names))
    with_gradient = sorted(t for t, d in REGISTRY.items() if d.grad is not None)
    without = sorted(t for t, d in REGISTRY.items() if d.grad is None)
    lines.append(
        f"- op types with a gradient rule ({len(with_gradient)}): "
        + ", ".join(f"`{t}`" for t in with_gradient)
    )
    lines.append(
        f"- op types without one (sources, state, comparisons, integer results; "
        f"{len(without)}): " + ", ".join(f"`{t}`" for t in without)
    )
    return "\n".join(lines) + "\n"

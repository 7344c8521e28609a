"""Static shapes: what is known about a tensor's shape before the graph runs.

A shape is either of unknown rank (``dims is None``) or a tuple whose entries are ints or None
for an unknown size. Broadcasting follows numpy's suffix rule, which is also TF's.
"""

from __future__ import annotations

from collections.abc import Iterable


class TensorShape:
    """A possibly partial shape, printed as TF1 prints it: ``(3,)``, ``(?, 3)``, ``<unknown>``."""

    __slots__ = ("dims",)

    def __init__(self, dims: Iterable[int | None] | None) -> None:
        self.dims: tuple[int | None, ...] | None = (
            None if dims is None else tuple(None if d is None else int(d) for d in dims)
        )

    @property
    def ndims(self) -> int | None:
        return None if self.dims is None else len(self.dims)

    rank = ndims

    @property
    def is_fully_defined(self) -> bool:
        return self.dims is not None and all(d is not None for d in self.dims)

    def as_list(self) -> list[int | None]:
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self.dims)

    def num_elements(self) -> int | None:
        if not self.is_fully_defined:
            return None
        count = 1
        for d in self.dims:  # type: ignore[union-attr]
            count *= d  # type: ignore[operator]
        return count

    def is_compatible_with(self, actual: tuple[int, ...]) -> bool:
        """Whether a concrete shape fits this partial one."""
        if self.dims is None:
            return True
        return len(self.dims) == len(actual) and all(
            d is None or d == a for d, a in zip(self.dims, actual, strict=True)
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (tuple, list)):
            return self.dims == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.dims)

    def __len__(self) -> int:
        if self.dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self.dims)

    def __iter__(self):
        if self.dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self.dims)

    def __getitem__(self, index: int) -> int | None:
        if self.dims is None:
            return None
        return self.dims[index]

    def __str__(self) -> str:
        if self.dims is None:
            return "<unknown>"
        inner = ", ".join("?" if d is None else str(d) for d in self.dims)
        return f"({inner},)" if len(self.dims) == 1 else f"({inner})"

    def __repr__(self) -> str:
        return f"TensorShape({None if self.dims is None else list(self.dims)})"


UNKNOWN = TensorShape(None)
SCALAR = TensorShape(())


def broadcast(a: TensorShape, b: TensorShape) -> TensorShape:
    """The static shape of an elementwise op on ``a`` and ``b`` (numpy's rule).

    Raises ValueError at graph-building time when two known sizes can never broadcast, which is
    when TF1 reports it too.
    """
    if a.dims is None or b.dims is None:
        return UNKNOWN
    n = max(len(a.dims), len(b.dims))
    left = (1,) * (n - len(a.dims)) + a.dims
    right = (1,) * (n - len(b.dims)) + b.dims
    out: list[int | None] = []
    for x, y in zip(left, right, strict=True):
        if x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        else:
            raise ValueError(
                f"Dimensions must be equal, but are {x} and {y} for shapes {a} and {b}"
            )
    return TensorShape(out)


def reduced(shape: TensorShape, axis: tuple[int, ...] | None, keepdims: bool) -> TensorShape:
    """The static shape after reducing ``axis`` (all axes when None)."""
    if axis is None:
        if keepdims:
            return UNKNOWN if shape.dims is None else TensorShape([1] * len(shape.dims))
        return SCALAR
    if shape.dims is None:
        return UNKNOWN
    rank = len(shape.dims)
    axes = {normalize_axis(a, rank) for a in axis}
    if keepdims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(shape.dims)])
    return TensorShape([d for i, d in enumerate(shape.dims) if i not in axes])


def normalize_axis(axis: int, rank: int) -> int:
    """A non-negative axis; ValueError naming the rank when out of range."""
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank}")
    return axis % rank


def merge_shapes(a: TensorShape, b: TensorShape | None) -> TensorShape:
    """The shape that both ``a`` and ``b`` describe; ValueError when they contradict."""
    if b is None or b.dims is None:
        return a
    if a.dims is None:
        return b
    if len(a.dims) != len(b.dims) or any(
        x is not None and y is not None and x != y for x, y in zip(a.dims, b.dims, strict=True)
    ):
        raise ValueError(f"Shapes {a} and {b} are not compatible")
    return TensorShape([x if x is not None else y for x, y in zip(a.dims, b.dims, strict=True)])

"""'Did you mean ...?' for mistyped options and commands.

difflib's ratio favours candidates that share scattered letters, so click suggested
``--dask`` before ``--dist`` for ``--distt``. Here candidates are ranked by edit distance (a
swap of two neighbours counts once), and only the closest are offered; a typed prefix of a
longer name (``--out``) counts as close too.
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (ca != cb),
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def closest(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates nearest to ``word`` (best first; empty when none is near)."""
    bare = word.lstrip("-").lower()
    if not bare:
        return []
    limit = max(1, min(3, len(bare) // 3))
    scored: dict[str, int] = {}
    for candidate in candidates:
        name = candidate.lstrip("-").lower()
        distance = edit_distance(bare, name)
        if len(bare) >= 3 and name.startswith(bare):
            distance = min(distance, 1)
        if distance <= limit:
            scored[candidate] = min(distance, scored.get(candidate, distance))
    if not scored:
        return []
    best = min(scored.values())
    return sorted((c for c, d in scored.items() if d == best), key=lambda c: (len(c), c))

"""Regenerate the synthetic example datasets in this directory (not seed_lab.csv, which is given).

Each file is drawn once from a known distribution with its own fixed seed, so anyone can check
that a fit recovers the true parameters listed in README.md. numpy's `default_rng` (PCG64) streams
are stable across numpy releases for these methods, so rerunning reproduces the files byte for
byte; ``--out DIR`` writes them elsewhere for that comparison.

    python data/make_datasets.py [--out DIR]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

Columns = dict[str, np.ndarray]


def skewed(rng: np.random.Generator) -> Columns:
    """Gamma(shape 2, scale 3): right-skewed, positive."""
    return {"x": rng.gamma(shape=2.0, scale=3.0, size=500)}


def heavy_tailed(rng: np.random.Generator) -> Columns:
    """Student t with 3 degrees of freedom, location 10, scale 2."""
    return {"x": 10.0 + 2.0 * rng.standard_t(df=3.0, size=500)}


def counts(rng: np.random.Generator) -> Columns:
    """Negative binomial (n=5 successes, p=0.3): failures before the 5th success."""
    return {"x": rng.negative_binomial(n=5, p=0.3, size=400)}


def bimodal(rng: np.random.Generator) -> Columns:
    """Mixture 0.4 N(-2, 0.7^2) + 0.6 N(3, 1^2); each draw picks its component first."""
    first = rng.random(600) < 0.4
    draws = np.where(first, rng.normal(-2.0, 0.7, 600), rng.normal(3.0, 1.0, 600))
    return {"x": draws}


def durations(rng: np.random.Generator) -> Columns:
    """Weibull(shape 1.5, scale 20), with integer frequency weights 1..5 drawn independently."""
    return {
        "x": 20.0 * rng.weibull(1.5, size=300),
        "weight": rng.integers(1, 5, size=300, endpoint=True),
    }


def proportions(rng: np.random.Generator) -> Columns:
    """Beta(2, 5): values strictly between 0 and 1."""
    return {"x": rng.beta(2.0, 5.0, size=300)}


def inspections(rng: np.random.Generator) -> Columns:
    """Weibull(shape 2, scale 3) lifetimes of 200 units, censored as inspections see them.

    A quarter are watched continuously (exact); the others are inspected every 0.5 up to 5: a
    failure before the first inspection is left-censored at 0.5, one between inspections is the
    interval between them, a unit still running at 5 is right-censored there. Columns ``left``
    and ``right`` (fitdistrplus's layout: an empty cell is an open side).
    """
    life = 3.0 * rng.weibull(2.0, size=200)
    watched = rng.random(200) < 0.25
    start = np.floor(life / 0.5) * 0.5
    left = np.where(watched, life, np.where(start == 0, np.nan, start))
    right = np.where(watched, life, start + 0.5)
    late = ~watched & (life > 5.0)
    left[late], right[late] = 5.0, np.nan
    return {"left": left, "right": right}


def long_rivers(rng: np.random.Generator) -> Columns:
    """Exponential lengths with mean 400, listed only above 300 (a truncated sample)."""
    lengths = rng.exponential(400.0, size=600)
    return {"x": lengths[lengths > 300.0]}


def readings(rng: np.random.Generator) -> Columns:
    """Lognormal readings (log x ~ N(0, 0.8^2)) recorded to 2 decimals, and three readings a
    logger wrote as 0: positive data with a lower bound just below 0."""
    return {"x": np.concatenate([np.round(rng.lognormal(0.0, 0.8, size=200), 2), np.zeros(3)])}
def germination(rng: np.random.Generator) -> Columns:
    """Seeds germinated out of 20 on each of 80 trays; each tray's germination probability
    is its own Beta(6, 3) draw (a beta-binomial: more spread than one binomial)."""
    chance = rng.beta(6.0, 3.0, size=80)
    return {"x": rng.binomial(20, chance)}


def visits(rng: np.random.Generator) -> Columns:
    """Doctor visits of 600 people in a year: 30% never go (structural zeros), the others'
    visits are negative binomial (n=2, p=0.3). Zero-inflated, over-dispersed counts."""
    never = rng.random(600) < 0.3
    return {"x": np.where(never, 0, rng.negative_binomial(2.0, 0.3, size=600))}


DATASETS: dict[str, tuple[int, Callable[[np.random.Generator], Columns]]] = {
    "skewed.csv": (101, skewed),
    "heavy_tailed.csv": (102, heavy_tailed),
    "counts.csv": (103, counts),
    "bimodal.csv": (104, bimodal),
    "durations.csv": (105, durations),
    "proportions.csv": (106, proportions),
    "inspections.csv": (107, inspections),
    "long_rivers.csv": (108, long_rivers),
    "readings.csv": (109, readings),
    "germination.csv": (151, germination),
    "visits.csv": (152, visits),
}


def render(columns: Columns) -> str:
    """CSV text: integers as integers, other numbers to 6 significant digits."""
    names = list(columns)
    cells = [[_format(value) for value in columns[name]] for name in names]
    lines = [",".join(names)] + [",".join(row) for row in zip(*cells, strict=True)]
    return "\n".join(lines) + "\n"


def _format(value: np.generic) -> str:
    if np.issubdtype(type(value), np.integer):
        return str(int(value))
    if np.isnan(value):  # an open side of a censored observation: an empty cell
        return ""
    return f"{float(value):.6g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, (seed, draw) in DATASETS.items():
        (out / name).write_text(render(draw(np.random.default_rng(seed))), encoding="utf-8")


if __name__ == "__main__":
    main()

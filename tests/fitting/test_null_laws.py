"""The KS and CvM null laws computed without scipy.stats equal scipy's, in every region of
the algorithms' choice; and the default fit of the lab's data imports no scipy at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from gaussfit.fitting.goodness import bessel_k_scaled
from gaussfit.fitting.kolmogorov import ks_sf, smirnov_sf

ROOT = Path(__file__).resolve().parents[2]
SIZES = [1, 2, 3, 5, 9, 10, 11, 20, 50, 140, 141, 500, 5000]
LARGE = [100_000, 150_000]


def _statistics(n: int) -> np.ndarray:
    """Values of D in each region: the ends, n·d² around the switch points, d >= 1/2."""
    root = np.sqrt(n)
    spread = np.array([0.3, 0.7, 0.754, 0.8, 1.5, 2.1, 2.3, 3.9, 4.1, 10.0, 30.0, 100.0])
    d = np.concatenate(
        [spread / root, [0.5 / n + 1e-9, 1.0 / n, 2.0 / n], np.linspace(0.01, 0.99, 25)]
    )
    return d[(d > 0) & (d < 1)]


@pytest.mark.parametrize("n", SIZES)
def test_two_sided_ks_law_equals_scipys_kstwo(n):
    for d in _statistics(n):
        expected = stats.kstwo.sf(d, n)
        assert ks_sf(d, n) == pytest.approx(expected, rel=2e-9, abs=1e-300), (n, d)


@pytest.mark.parametrize("n", SIZES)
def test_one_sided_smirnov_law_equals_scipy_special(n):
    for d in _statistics(n):
        expected = special.smirnov(n, d)
        assert smirnov_sf(d, n) == pytest.approx(expected, rel=2e-9, abs=1e-300), (n, d)


@pytest.mark.parametrize("n", LARGE)
def test_both_laws_for_large_samples(n):
    """Durbin's matrix below n·d**1.5 = 1.4, Pelz-Good above, Smirnov's sum in the tail."""
    for spread in (0.3, 1.5, 2.3, 10.0):
        d = spread / np.sqrt(n)
        assert ks_sf(d, n) == pytest.approx(stats.kstwo.sf(d, n), rel=2e-9), (n, d)
    d = 2.3 / np.sqrt(n)
    assert smirnov_sf(d, n) == pytest.approx(special.smirnov(n, d), rel=2e-9)


def test_ks_law_ends():
    assert ks_sf(0.0, 10) == 1.0
    assert ks_sf(1.0, 10) == 0.0
    assert ks_sf(0.04, 10) == 1.0  # n·d <= 1/2: D_n is never that small


@pytest.mark.parametrize("nu", [0.25, 0.75, 1.25])
def test_scaled_bessel_k_equals_scipys_kve(nu):
    z = np.geomspace(1e-8, 5000.0, 120)
    got = np.array([bessel_k_scaled(nu, v) for v in z])
    np.testing.assert_allclose(got, special.kve(nu, z), rtol=1e-12)


def test_the_default_fit_of_the_lab_imports_no_scipy():
    code = (
        "import sys; from gaussfit.cli.main import main\n"
        "try:\n    main(['fit', 'data/seed_lab.csv'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('scipy')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"

"""What the censored-data tests share (a uniquely named module, importable from any test file
in this folder)."""

from __future__ import annotations

import pytest

from gaussfit.distributions import Family, get_family


def needs_tail_graphs(name: str) -> None:
    """Skip until the family's log_cdf/log_sf graphs exist (they are built family by family)."""
    family = get_family(name)
    if type(family).log_cdf is Family.log_cdf or type(family).log_sf is Family.log_sf:
        pytest.skip(f"{name} has no log_cdf/log_sf graph yet")

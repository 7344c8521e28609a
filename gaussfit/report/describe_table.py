"""``gaussfit describe``'s table: the summary statistics, as fitdistrplus's descdist prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from gaussfit.fitting.describe import Description


def print_description(console: Console, d: Description, source: str, column: str) -> None:
    console.print(f"data  {source}, column {column}", markup=False, highlight=False)
    table = Table(title="Summary statistics", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("statistic")
    table.add_column("value", justify="right")
    rows = [
        ("n", f"{d.n:,}"),
        ("min", d.min),
        ("max", d.max),
        ("median", d.median),
        ("mean", d.mean),
        ("sd", d.sd),
        ("skewness", d.skewness),
        ("kurtosis", d.kurtosis),
    ]
    for name, value in rows:
        table.add_row(name, value if isinstance(value, str) else f"{value:.6g}")
    console.print(table)
    console.print(
        "sd with divisor n - 1; skewness and kurtosis unbiased, as fitdistrplus's descdist "
        "(a normal's kurtosis is 3)",
        style="dim",
    )
    if d.bootstrap:
        console.print(f"{len(d.bootstrap)} bootstrap resamples drawn on the graph", style="dim")

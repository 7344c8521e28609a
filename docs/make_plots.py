"""Regenerate the README's pictures in docs/img/ by running the commands the README shows.

Each picture is drawn by the ``gaussfit`` command listed below, run from the repository's
root, exactly as a user would type it; the full-size file it writes is then reduced for the
README (840 pixels wide, 128 colours) so that each PNG stays small in the repository.

    python docs/make_plots.py
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "img"
WIDTH = 840
PLOTS = {
    "fit_skewed.png": "gaussfit fit data/skewed.csv -d gamma -q --plot {out}",
    "fit_cauchy.png": "gaussfit simulate -d cauchy --n 500 --seed 7 --fit -q --plot {out}",
    "fit_counts.png": "gaussfit fit data/counts.csv -d negative_binomial -q --plot {out}",
    "fit_lognormal_log.png": (
        "gaussfit simulate -d lognormal -p mu=0,sigma=2 --n 500 --seed 3 --fit -q --plot {out}"
    ),
    "fit_censored.png": (
        "gaussfit fit data/inspections.csv --left left --right right -d weibull -q --plot {out}"
    ),
    "compare_skewed.png": "gaussfit compare data/skewed.csv -q --plot {out}",
    "compare_bimodal.png": (
        "gaussfit compare data/bimodal.csv -d normal,normal_mixture,logistic,student_t -q "
        "--plot {out}"
    ),
    "compare_proportions.png": "gaussfit compare data/proportions.csv -q --plot {out}",
    "describe_skewed.png": (
        "gaussfit describe data/skewed.csv --bootstrap 200 --seed 1 --plot {out}"
    ),
    "profile_skewed.png": "gaussfit fit data/skewed.csv -d gamma -q --plot-profile {out}",
    "trace_adam.png": (
        "gaussfit fit data/skewed.csv -d gamma --optimizer adam --iters 300 -q --plot-trace {out}"
    ),
}


def draw(name: str, command: str, scratch: Path) -> Path:
    """Run ``command`` with the picture going to ``scratch``; the README's copy of it."""
    full = scratch / name
    words = shlex.split(command.format(out=full))
    subprocess.run([sys.executable, "-m", "gaussfit", *words[1:]], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    image = Image.open(full).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    small = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    target = IMAGES / name
    small.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, command in PLOTS.items():
            target = draw(name, command, Path(scratch))
            print(f"{target.relative_to(REPO)}  {target.stat().st_size // 1024} KB  "
                  f"{command.format(out='out.png')}")  # fmt: skip


if __name__ == "__main__":
    main()

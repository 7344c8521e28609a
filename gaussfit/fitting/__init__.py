"""Maximum-likelihood fitting on the engine: ``fit`` one family, ``compare`` several."""

from gaussfit.fitting.compare import CompareResult, compare
from gaussfit.fitting.fit import fit
from gaussfit.fitting.optimizers import OPTIMIZERS, Step
from gaussfit.fitting.result import FitResult, Reference

__all__ = ["OPTIMIZERS", "CompareResult", "FitResult", "Reference", "Step", "compare", "fit"]

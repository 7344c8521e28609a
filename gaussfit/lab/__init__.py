"""The lab this project grew from, as a walk-through that runs on gaussfit's engine."""

from gaussfit.lab.steps import STEPS, LabStep
from gaussfit.lab.walkthrough import run_lab

__all__ = ["STEPS", "LabStep", "run_lab"]

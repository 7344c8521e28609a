"""``gaussfit batch``: many fits from one YAML file, validated first, run in parallel, each job
isolated from the others' failures, summarised in one table and one file."""

from gaussfit.batch.config import BatchConfig, Job, load_config
from gaussfit.batch.runner import JobOutcome, run_jobs

__all__ = ["BatchConfig", "Job", "JobOutcome", "load_config", "run_jobs"]

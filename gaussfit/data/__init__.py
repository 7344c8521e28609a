"""Data layer: load observations from files or stdin, and write output files atomically.

Importing this package stays cheap (numpy only); pandas and pyarrow are imported by the readers
that need them, at the moment they need them.
"""

from gaussfit.data.atomic import atomic_write_bytes, atomic_write_text
from gaussfit.data.dataset import Dataset
from gaussfit.data.loading import load_data

__all__ = ["Dataset", "atomic_write_bytes", "atomic_write_text", "load_data"]

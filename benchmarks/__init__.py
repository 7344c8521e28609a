"""gaussfit's benchmark suite: ``python -m benchmarks`` (``--quick`` for a CI-sized run).

Every figure is a ratio against a baseline measured in the same run (absolute times drift from
run to run and machine to machine): the engine's step against a hand-written numpy step and a
single read of the data, ``fit`` against scipy's own ``fit``, CSV loading against numpy and
pandas, start-up against ``import numpy``. Benchmarks are not tests: nothing here asserts a time.
"""

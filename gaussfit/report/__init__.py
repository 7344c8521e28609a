"""Turning results into what people and scripts read: rich tables, JSON, CSV and plots.

Nothing here fits or loads anything; it receives ``FitResult``/``CompareResult`` objects and
renders them. Each module imports its heavy dependencies (rich, matplotlib) only when used.
"""

"""The ``gaussfit`` command line: thin click commands over ``gaussfit.fitting`` and
``gaussfit.report``. ``main`` (in ``main.py``) is the console script."""

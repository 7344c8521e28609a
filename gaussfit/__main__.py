"""``python -m gaussfit``: the same command as the ``gaussfit`` console script."""

from gaussfit.cli.main import main

if __name__ == "__main__":
    main(prog_name="gaussfit")

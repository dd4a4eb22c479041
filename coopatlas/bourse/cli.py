"""``coopatlas comptes``: accounts of the professionals (see :mod:`coopatlas.bourse.accounts`).

``python -m coopatlas.bourse.cli ARGS`` is the same as ``coopatlas comptes ARGS``.
"""

from __future__ import annotations

import argparse
import sys

from .accounts import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coopatlas comptes", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv)) or 0


if __name__ == "__main__":
    sys.exit(main())

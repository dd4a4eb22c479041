"""The ``coopatlas`` command line: one entry point, one module per sub-command.

Each sub-command lives in the module that owns its concept and exposes ``add_arguments(parser)`` and
``run(args) -> int``; this file only lists them, and gives ``build`` and ``postgis`` the hook that
persists the statistics of the standard searches into the new atlas (:mod:`coopatlas.stats_warm`, a layer
above theirs; ``--no-stats-cache`` leaves it out).
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: sub-command -> (module, one-line help)
COMMANDS = {
    "build": ("coopatlas.data.build", "build the atlas GeoPackage (demo data or imported files)"),
    "comptes": ("coopatlas.bourse.accounts", "accounts of the professionals (embassies, collectivities, admins)"),
    "export": ("coopatlas.data.export", "export a built atlas to the interchange format (CSV folder)"),
    "import": (
        "coopatlas.data.importers",
        "import real data (Atlas open-data CSV/XLSX, APD) into an interchange folder",
    ),
    "import-iati": (
        "coopatlas.opendata.iati_import",
        "import IATI activity files of French local authorities into an interchange folder",
    ),
    "jobs": ("coopatlas.server.jobs_policy", "the jobs of the processes: purge those past their retention"),
    "mail": ("coopatlas.bourse.mail_command", "send the Bourse's due mails and retries (once, or --loop)"),
    "postgis": ("coopatlas.store.postgis", "load a built atlas into PostgreSQL/PostGIS from a URL"),
    "serve": ("coopatlas.server.serve", "serve the atlas over OGC API (gunicorn)"),
    "statistiques-cache": (
        "coopatlas.stats_warm",
        "compute and store the statistics of the standard searches into an existing atlas",
    ),
    "styles": ("coopatlas.styles.export", "write the style files (QML, SLD, MapLibre) into styles/"),
}

#: sub-command -> the function of coopatlas.stats_warm that completes the atlas it writes
WARMED = {"build": "finish_build", "postgis": "finish_load"}


def _add_warm(name: str, parser) -> None:
    from . import stats_warm

    parser.add_argument(
        "--no-stats-cache",
        dest="finish",
        action="store_const",
        const=None,
        help="do not store the statistics of the standard searches (world, France, continents, countries, "
        "regions, departments) into the atlas (coopatlas statistiques-cache does it later)",
    )
    parser.set_defaults(finish=getattr(stats_warm, WARMED[name]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coopatlas", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_)
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a sub-command whose module is not installed in this checkout
            if exc.name and module.startswith(exc.name):
                p.set_defaults(_missing=module)
                continue
            raise
        mod.add_arguments(p)
        if name in WARMED:
            _add_warm(name, p)
        modules[name] = mod
    args = parser.parse_args(argv)
    if getattr(args, "_missing", None):
        parser.error(f"{args.command}: module {args._missing} is not available")
    return modules[args.command].run(args) or 0


if __name__ == "__main__":
    sys.exit(main())

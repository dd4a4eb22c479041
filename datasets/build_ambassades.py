"""Write ``datasets/ambassades.csv``: the directory of the French embassies the Bourse projets routes to.

ILLUSTRATIVE DATA. One row per country of ``datasets/reference/reference.gpkg`` (layer ``pays``), France
and Antarctica excepted: the country code (ISO 3166-1 alpha-2), its French name, the name of the embassy
("Ambassade de France (<pays>)", the name the atlas build gives the ``ambassade`` field of the requests)
and an e-mail address on the reserved domain ``ambafrance.example`` (RFC 2606: it cannot receive mail).
These are NOT the real addresses of the embassies: an operator replaces this file (same columns) with
the real directory before opening the Bourse to the public.

    python datasets/build_ambassades.py            # rewrite datasets/ambassades.csv
    python datasets/build_ambassades.py --check    # exit 1 if the committed file is out of date

Columns: ``pays_code``, ``pays_nom``, ``ambassade``, ``email``. Rows sorted by ``pays_code``. UTF-8, ``,``
separated, ``\\n`` line ends.
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from coopatlas.paths import write_or_check  # noqa: E402

REFERENCE = HERE / "reference" / "reference.gpkg"
OUTPUT = HERE / "ambassades.csv"
COLUMNS = ("pays_code", "pays_nom", "ambassade", "email")
#: Countries without a French embassy entry: France itself, Antarctica.
EXCLUDED = ("FR", "AQ")
DOMAIN = "ambafrance.example"


def rows(reference: Path = REFERENCE) -> list[dict]:
    con = sqlite3.connect(f"file:{reference}?mode=ro", uri=True)
    try:
        data = con.execute("SELECT pays_code, nom_fr FROM pays ORDER BY pays_code").fetchall()
    finally:
        con.close()
    return [
        {
            "pays_code": code,
            "pays_nom": nom,
            "ambassade": f"Ambassade de France ({nom})",
            "email": f"bourse-projets.{code.lower()}@{DOMAIN}",
        }
        for code, nom in data
        if code not in EXCLUDED
    ]


def render(data: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return buf.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    text = render(rows())
    return write_or_check(
        args.output,
        text,
        check=args.check,
        remake="python datasets/build_ambassades.py",
        wrote=f" ({text.count(chr(10)) - 1} embassies)",
    )


if __name__ == "__main__":
    sys.exit(main())

"""Import of declared official development aid (APD): CSV/XLSX files with one row per French collectivity,
country and year, and the amount in euros.

Columns (accepted headers in the mapping file's ``apd`` section): ``collectivite`` (name), ``pays``,
``annee``, ``montant`` (required); ``type_collectivite``, ``code_collectivite``, ``departement``, ``region``
(optional, to find the collectivity). A row is joined to the collectivities of the imported projects:

* with a type (or a code), the collectivity is found in the reference like the projects' ones, and joined to
  the imported collectivity of the same territory; a collectivity with APD but no project is created;
* without a type, by its name among the imported collectivities (it must be there, and only once).

Amounts accept French notation (``12 500,50 €``). One collectivity, country and year appear once.
Every problem names the file, the line and the column.
"""

from __future__ import annotations

from pathlib import Path

from .common import RowContext
from .places import NotFound
from .sources import file_info, iter_records


def read_apd(imp, path: Path, encoding: str | None = None) -> list[dict]:
    """The APD rows of one file, joined to ``imp``'s collectivities (``collectivite_key``); problems go to
    ``imp.problems``. ``imp`` is a :class:`coopatlas.data.importers.atlas_cncd.AtlasImporter`."""
    spec = imp.mapping.apd
    rows = []
    seen: dict[tuple, str] = {}
    n = 0
    for sheet, header_line, headers, colmap, unused in imp.sheets_of(path, spec, encoding):
        if unused:
            imp.notes.append(f"{path.name} : colonnes non utilisées : {', '.join(unused)}")
        for line, cells in iter_records(sheet, header_line, headers):
            n += 1
            ctx = RowContext(sheet, line, spec, colmap, cells, imp.problems, imp.mapping)
            for f in spec.required:
                ctx.required(f)
            key = _collectivity(imp, ctx)
            pays = ctx.text("pays")
            cc = imp.gazetteer.country(pays) if pays else None
            if pays and cc is None:
                ctx.problem("pays", f"unknown country {pays!r}: add it to values.pays of {imp.mapping.path.name}")
            annee = ctx.year("annee")
            montant = ctx.amount("montant")
            if None in (key, cc, annee, montant):
                continue
            k = (key, cc, annee)
            if k in seen:
                ctx.problem(
                    "annee",
                    f"second declaration of {imp.collectivities.items[key].nom!r} for {cc} in "
                    f"{annee} (first at {seen[k]})",
                )
                continue
            seen[k] = ctx.where()
            rows.append(
                dict(
                    id=f"{imp.file_tag(path)}-{line}", collectivite_key=key, pays_code=cc, annee=annee, montant=montant
                )
            )
    imp.files.append({**file_info(path), "role": "apd", "lignes": n})
    imp.say(f"import : {path.name} : {len(rows)} déclarations d'APD")
    return rows


def _collectivity(imp, ctx: RowContext):
    """The key of the row's collectivity in ``imp.collectivities``, or ``None`` with a problem recorded."""
    nom = ctx.text("collectivite")
    if nom is None:
        return None
    colls = imp.collectivities
    type_ = ctx.code("type_collectivite", imp.mapping.values["type_collectivite"])
    if ctx.text("type_collectivite") and type_ is None:
        return None
    if type_ is None and ctx.text("code_collectivite") is None:
        keys = colls.find(nom, None)
        if len(keys) == 1:
            return keys[0]
        if not keys:
            ctx.problem(
                "collectivite",
                f"{nom!r} is none of the imported projects' collectivities: give its type "
                f"(column {ctx.column('type_collectivite')!r}) to find it in the reference",
            )
        else:
            ctx.problem("collectivite", f"{nom!r} names {len(keys)} collectivities of different types: give its type")
        return None
    if type_ is None:
        ctx.problem("type_collectivite", "empty value (required with a code)")
        return None
    try:
        seat = colls.authorities.resolve(
            nom, type_, ctx.text("code_collectivite"), ctx.text("departement"), ctx.text("region")
        )
    except NotFound as exc:
        ctx.problem(exc.column, str(exc))
        return None
    key = colls.key_of(nom, seat)
    if key in colls.items:
        return key
    return colls.resolve(ctx, type_)  # APD but no project: the collectivity is created

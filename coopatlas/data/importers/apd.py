"""Import of declared official development aid (APD): CSV/XLSX files with one row per French collectivity,
country and year, and the amount in euros.

Columns (accepted headers in the mapping file's ``apd`` section): ``collectivite`` (name), ``pays``,
``annee``, ``montant`` (required); ``type_collectivite``, ``code_collectivite``, ``departement``, ``region``
(optional, to find the collectivity). A row is joined to the collectivities of the imported projects:

* with a type (or a code), the collectivity is found in the reference like the projects' ones, and joined to
  the imported collectivity of the same territory; a collectivity with APD but no project is created;
* without a type, by its name among the imported collectivities (it must be there, and only once).

The annual declaration gives, besides, one row per DAC sector and channel of delivery with the OECD policy
markers (optional columns, the OECD CRS names accepted): ``secteur`` (5-digit DAC purpose code),
``canal`` (CRS channel code; a finer code than those of :data:`coopatlas.vocabulary.CANAUX` is brought to
its parent, and the import says how many), ``marqueur_genre``, ``marqueur_environnement``... (0 not
targeted, 1 significant, 2 principal, or their labels; empty: not declared). A file without them loads as
before, its rows without sector nor channel.

Amounts accept French notation (``12 500,50 €``). One collectivity, country, year, sector and channel appear
once. Every problem names the file, the line and the column.
"""

from __future__ import annotations

from pathlib import Path

from ... import vocabulary as voc
from .common import RowContext
from .mapping import normalise
from .places import NotFound
from .sources import file_info, iter_records

#: Marker scores by their code or label (French and English, long or short), normalised.
SCORES = {
    **{normalise(k): int(t.code) for t in voc.SCORES_MARQUEUR for k in (t.code, t.fr, t.en)},
    **{normalise(k): v for k, v in (("principal", 2), ("significatif", 1), ("significant", 1), ("non", 0))},
}
#: What a reader of an optional code returns for a bad value (after recording the problem).
INVALID = object()


def read_apd(imp, path: Path, encoding: str | None = None) -> list[dict]:
    """The APD rows of one file, joined to ``imp``'s collectivities (``collectivite_key``); problems go to
    ``imp.problems``. ``imp`` is a :class:`coopatlas.data.importers.atlas_cncd.AtlasImporter`."""
    spec = imp.mapping.apd
    rows = []
    seen: dict[tuple, str] = {}
    n = aggregated = 0
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
            secteur, canal = _sector(ctx), _channel(ctx)
            markers = {field: _score(ctx, field) for field in voc.champs_marqueurs()}
            if None in (key, cc, annee, montant) or INVALID in (secteur, canal, *markers.values()):
                continue
            aggregated += canal != ctx.text("canal")
            k = (key, cc, annee, secteur, canal)
            if k in seen:
                detail = "".join(f", {name} {v}" for name, v in (("sector", secteur), ("channel", canal)) if v)
                ctx.problem(
                    "annee",
                    f"second declaration of {imp.collectivities.items[key].nom!r} for {cc} in "
                    f"{annee}{detail} (first at {seen[k]})",
                )
                continue
            seen[k] = ctx.where()
            rows.append(
                dict(
                    id=f"{imp.file_tag(path)}-{line}",
                    collectivite_key=key,
                    pays_code=cc,
                    annee=annee,
                    secteur=secteur,
                    canal=canal,
                    montant=montant,
                    **markers,
                )
            )
    if aggregated:
        imp.notes.append(
            f"{path.name} : {aggregated} codes de canal CRS ramenés à leur canal parent (codes se terminant par 000)"
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


def _sector(ctx: RowContext):
    """The row's DAC purpose code, ``None`` when not given, :data:`INVALID` (with a problem) when unknown."""
    code = ctx.text("secteur")
    if code is None or code in voc.SECTEURS_CAD:
        return code
    ctx.problem(
        "secteur",
        f"unknown DAC purpose code {code!r} (a 5-digit code of the OECD DAC list, "
        "datasets/iati/codelists/Sector.xml, e.g. 14030 basic drinking water supply and basic sanitation)",
    )
    return INVALID


def _channel(ctx: RowContext):
    """The row's channel of delivery, brought to :data:`coopatlas.vocabulary.CANAUX`; ``None`` when not
    given, :data:`INVALID` (with a problem) when unknown."""
    code = ctx.text("canal")
    if code is None:
        return None
    channel = voc.canal_agrege(code)
    if channel is None:
        ctx.problem(
            "canal",
            f"unknown CRS channel code {code!r} (a code of datasets/iati/codelists/CRSChannelCode.xml, e.g. 12000 "
            "recipient government, 22000 donor country-based NGO)",
        )
        return INVALID
    return channel


def _score(ctx: RowContext, field: str):
    """A policy marker's score 0, 1 or 2; ``None`` when empty (not declared); :data:`INVALID` (with a
    problem) for another value."""
    value = ctx.text(field)
    if value is None:
        return None
    score = SCORES.get(normalise(value))
    if score is None:
        ctx.problem(field, f"bad marker score {value!r} (0 not targeted, 1 significant, 2 principal, or empty)")
        return INVALID
    return score

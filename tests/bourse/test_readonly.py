"""COOPATLAS_ATLAS_READONLY=1: a server on a shared copy of the atlas never writes into it."""

from __future__ import annotations

import sqlite3

import pytest

from coopatlas.bourse.context import Context
from coopatlas.bourse.settings import Settings
from coopatlas.bourse.submission import validate
from coopatlas.bourse.workflow import WorkflowError, submit
from coopatlas.store import live_writer as g


def test_a_read_only_atlas_is_never_written(tmp_path):
    from support.sample_atlas import write_sample_atlas

    atlas = write_sample_atlas(tmp_path / "shared.gpkg", n=10)
    before = atlas.read_bytes()
    ctx = Context(Settings(atlas=str(atlas), live=str(tmp_path / "live.sqlite"), atlas_readonly=True))
    clean, err = validate(
        {
            "demandeur_nom": "Commune de Ziniaré",
            "demandeur_type": "localite",
            "pays_code": "BF",
            "lieu": "Ziniaré",
            "contact_nom": "Awa",
            "contact_email": "awa@commune.example",
            "titre": "Eau potable",
            "description": "Forages et service municipal de l'eau.",
            "sous_sous_thematique": "acces_eau_potable",
            "langues": ["fr"],
        },
        ctx.geo,
    )
    assert not err
    with pytest.raises(WorkflowError) as exc:
        submit(ctx, clean, "127.0.0.1")
    assert exc.value.status == 403
    with ctx.live.tx(write=False) as t:
        assert t.execute("SELECT COUNT(*) FROM demandes").scalar() == 0
    assert ctx.sync() == 0
    ctx.ensure_synced(force=True)
    assert atlas.read_bytes() == before
    assert g.live_changes(atlas) == 0
    con = sqlite3.connect(atlas)
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'coopatlas_live'").fetchone()[0] == 0
    con.close()

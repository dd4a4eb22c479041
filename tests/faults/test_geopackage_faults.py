"""The atlas GeoPackage removed, truncated, corrupt, then restored (same inode or a new one) under a server of two
workers: every answer is a 503 while the file cannot answer, never a 404, 400 or 500, and every worker serves
the restored file again at once (no restart, no worker left with a closed connection)."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from fault_helpers import assert_unavailable, get

from support.atlas import copy_atlas
from support.servers import AtlasServer

#: Requests per phase: enough for both workers to answer several (gunicorn spreads connections).
REQUESTS = 8
ITEM = "/collections/projets/items/PRJ000001"
PAGE = ("/collections/projets/items", {"limit": 5, "sortby": "id"})


@pytest.fixture(scope="module")
def served(tmp_path_factory, atlas_gpkg_path):
    base = tmp_path_factory.mktemp("gpkg-faults")
    gpkg = copy_atlas(atlas_gpkg_path, base / "atlas.gpkg")
    good = copy_atlas(atlas_gpkg_path, base / "good.gpkg")
    server = AtlasServer(gpkg=gpkg, workers=2, env={"COOPATLAS_LIVE_DATABASE": str(base / "live.sqlite")})
    server.start()
    try:
        page = get(server, PAGE[0], **PAGE[1])
        item = get(server, ITEM)
        assert page.status_code == 200 and item.status_code == 200
        yield server, gpkg, good, page.json()["features"], item.json()
    finally:
        server.stop()


def _ids(features) -> list:
    return [f["id"] for f in features]


def _all_right(server, page, item, n=REQUESTS) -> None:
    for _ in range(n):
        r = get(server, PAGE[0], **PAGE[1])
        assert r.status_code == 200, (r.status_code, r.text[:300])
        assert _ids(r.json()["features"]) == _ids(page)
        r = get(server, ITEM)
        assert r.status_code == 200, (r.status_code, r.text[:300])
        assert r.json()["properties"] == item["properties"]
    assert get(server, "/health").status_code == 200


_tile_column = itertools.count(1900)


def _all_unavailable(server, n=REQUESTS) -> None:
    for i in range(n):
        x = next(_tile_column)  # a tile never asked before (tiles are cached per file version)
        for path, params in (
            PAGE,
            (ITEM, {}),
            ("/collections/projets/queryables", {}),
            ("/collections/projets/items", {"resulttype": "hits"}),
            (f"/collections/projets/tiles/WebMercatorQuad/12/1900/{x}", {"f": "mvt"}),
            ("/collections/projets/map", {"width": 60, "height": 40, "bbox": f"{i},0,{i + 1},1"}),
        ):
            assert_unavailable(get(server, path, **params))
    r = get(server, "/health")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0
    assert r.status_code == 503 and r.json()["checks"]["atlas"]["status"] == "unavailable", r.text
    assert get(server, "/", f="json").status_code == 200  # the landing page does not depend on the data


def _restore(gpkg: Path, good: Path, aside: Path, how: str) -> None:
    if how == "moved-back":  # the very file moved aside: same inode, size and time as before the fault
        os.replace(aside, gpkg)
    elif how == "copied-over":  # onto the corrupt file, as `cp good atlas.gpkg` does: same inode
        with open(good, "rb") as src, open(gpkg, "r+b") as dst:
            dst.truncate(0)
            shutil.copyfileobj(src, dst)
    else:  # an atomic rename of a new copy, as a rebuild does: a new inode
        tmp = gpkg.with_suffix(".tmp")
        shutil.copyfile(good, tmp)
        os.replace(tmp, gpkg)
    if aside.exists():
        aside.unlink()


def _corrupt(gpkg: Path, how: str) -> None:
    data = Path(gpkg.with_name("good.gpkg")).read_bytes()
    if how == "empty":
        content = b""
    elif how == "garbage":
        content = os.urandom(len(data))
    else:  # truncated: the header and the first pages only
        content = data[:8192]
    tmp = gpkg.with_suffix(".tmp")
    tmp.write_bytes(content)
    os.replace(tmp, gpkg)


@pytest.mark.parametrize("corruption", ["truncated", "garbage", "empty"])
@pytest.mark.parametrize("restore", ["moved-back", "copied-over", "renamed"])
def test_missing_then_corrupt_then_restored(served, corruption, restore):
    """The sequence of issue 19: a worker that met the corrupt file used to keep a closed connection under
    the signature of the original file, and answered 500 "Cannot operate on a closed database" once the
    original was moved back."""
    server, gpkg, good, page, item = served
    _all_right(server, page, item, n=2)  # every worker has its connection and layers cached
    aside = gpkg.with_name("aside.gpkg")
    os.replace(gpkg, aside)  # missing (deleted, or its volume unmounted)
    _all_unavailable(server)
    _corrupt(gpkg, corruption)
    _all_unavailable(server)
    _restore(gpkg, good, aside, restore)
    _all_right(server, page, item)


def test_corrupt_in_place_then_restored(served):
    """Overwritten in place (same inode) while the workers hold connections to it, then restored in place."""
    server, gpkg, good, page, item = served
    _all_right(server, page, item, n=2)
    with open(gpkg, "r+b") as fh:
        fh.truncate(8192)
    _all_unavailable(server)
    _restore(gpkg, good, gpkg.with_name("aside.gpkg"), "copied-over")
    _all_right(server, page, item)

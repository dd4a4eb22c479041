"""Bulk downloads and the DCAT-AP catalogue over real HTTP, read back by tools nobody here wrote: GDAL's
``ogrinfo``, geopandas, Debian's QGIS (headless), rdflib and pyshacl with the official DCAT-AP shapes."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from coopatlas import schema as sch
from coopatlas import vocabulary as voc

SHAPES = Path(__file__).resolve().parent / "dcat-ap"
QGIS_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def downloads(atlas_server, tmp_path_factory) -> tuple[dict, Path]:
    """The index and every file, fetched over HTTP (checked against their size and SHA-256)."""
    response = atlas_server.get("/downloads", f="json", timeout=600)
    assert response.status_code == 200, response.text[:300]
    index = response.json()
    folder = tmp_path_factory.mktemp("downloads")
    for entry in index["files"]:
        data = atlas_server.get(f"/downloads/{entry['file']}", timeout=120)
        assert data.status_code == 200
        assert data.headers["Content-Type"].startswith(entry["media_type"])
        assert len(data.content) == entry["size"]
        assert hashlib.sha256(data.content).hexdigest() == entry["sha256"]
        (folder / entry["file"]).write_bytes(data.content)
    return index, folder


def test_index_lists_every_collection_in_every_format_with_licences(downloads):
    index, _ = downloads
    files = {e["file"] for e in index["files"]}
    for cid, coll in sch.COLLECTIONS.items():
        expected = {f"{cid}.parquet", f"{cid}.csv"} | ({f"{cid}.fgb"} if coll.geometry else set())
        assert expected <= files
    assert "coopatlas.gpkg" in files
    assert all(e["licences"] and all(s["href"].startswith("http") for s in e["licences"]) for e in index["files"])


def _public_ids(server, cid: str) -> set[str]:
    response = server.get(
        f"/collections/{cid}/items", f="json", limit=10000, properties="id", skipGeometry="true", timeout=120
    )
    assert response.status_code == 200
    return {str(f["properties"].get("id", f.get("id"))) for f in response.json()["features"]}


def test_only_public_data(downloads, atlas_server, atlas_gpkg_path):
    """The requests are exactly the public items of the API; no unvalidated request, no hidden column,
    no private table is in any download."""
    index, folder = downloads
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    private = {
        r[0]
        for r in con.execute(
            f"SELECT id FROM {sch.DEMANDES_TABLE} WHERE statut_validation NOT IN "
            f"({', '.join('?' * len(voc.STATUTS_VALIDATION_PUBLICS))})",
            voc.STATUTS_VALIDATION_PUBLICS,
        )
    }
    con.close()
    assert private, "the demo has requests awaiting validation"
    public = _public_ids(atlas_server, "demandes")
    for name in ("demandes.csv", "demandes.parquet", "demandes.fgb"):
        frame = (
            pd.read_csv(folder / name)
            if name.endswith(".csv")
            else gpd.read_file(folder / name)
            if name.endswith(".fgb")
            else gpd.read_parquet(folder / name)
        )
        assert set(frame["id"].astype(str)) == public
    gpkg = folder / "coopatlas.gpkg"
    assert set(gpd.read_file(gpkg, layer="demandes")["id"]) == public
    con = sqlite3.connect(gpkg)
    tables = {
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
            "'gpkg_%' AND name NOT LIKE 'rtree_%' AND name NOT LIKE 'sqlite_%'"
        )
    }
    columns = {t: {r[1] for r in con.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    con.close()
    assert tables == set(sch.COLLECTIONS) | {"layer_styles"}
    for cid, coll in sch.COLLECTIONS.items():
        assert columns[cid] - {"fid", "geom"} == set(coll.field_names)
    everything = b"".join((folder / e["file"]).read_bytes() for e in index["files"])
    assert not [pid for pid in private if pid.encode() in everything]
    for cid, coll in sch.COLLECTIONS.items():  # the schema's fields only (no hidden search column)
        header = (folder / f"{cid}.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert header == coll.field_names + (["wkt"] if coll.geometry else [])


def test_gdal_opens_every_download(downloads):
    """ogrinfo opens the GeoPackage, the FlatGeobuf and the CSV files with their row counts (Debian's GDAL
    has no Parquet driver: geopandas reads those, below)."""
    index, folder = downloads
    for entry in index["files"]:
        if entry["format"] == "parquet":
            continue
        done = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", str(folder / entry["file"])], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        if entry["format"] != "gpkg":
            assert f"Feature Count: {entry['rows']}" in done.stdout
        else:
            assert all(f"Layer name: {cid}" in done.stdout for cid in sch.COLLECTIONS)


def test_geopandas_reads_the_geoparquet(downloads, atlas_server):
    index, folder = downloads
    projets = gpd.read_parquet(folder / "projets.parquet")
    assert (
        projets.crs.to_epsg() == 4326
        and len(projets) == atlas_server.get("/collections/projets/items", f="json", limit=1).json()["numberMatched"]
    )
    assert projets.geometry.geom_type.unique().tolist() == ["Point"]
    assert pd.read_parquet(folder / "apd.parquet")["montant"].sum() > 0


def test_qgis_opens_the_geopackage_styled(downloads, tmp_path):
    _, folder = downloads
    script = tmp_path / "open.py"
    script.write_text(
        "import sys\nfrom qgis.core import QgsApplication, QgsVectorLayer\n"
        "app = QgsApplication([], False)\napp.initQgis()\n"
        "for name in ('projets', 'demandes', 'collectivites', 'partenaires', 'liens'):\n"
        "    layer = QgsVectorLayer(f'{sys.argv[1]}|layername={name}', name, 'ogr')\n"
        "    print(name, layer.isValid(), layer.featureCount(), layer.renderer().type())\n"
        "sys.stdout.flush()\nimport os\nos._exit(0)  # QGIS 3.22 may crash while tearing down: leave at once\n"
    )
    done = subprocess.run(
        [QGIS_PYTHON, str(script), str(folder / "coopatlas.gpkg")],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XDG_RUNTIME_DIR": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.strip()}
    for name in ("projets", "demandes", "collectivites", "partenaires", "liens"):
        valid, count, renderer = lines[name]
        assert valid == "True" and int(count) > 0
        assert renderer == "categorizedSymbol", (name, renderer)


@pytest.fixture(scope="module")
def catalogue(atlas_server, downloads):
    import rdflib

    response = atlas_server.get("/catalogue.jsonld", timeout=300)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    return response.json(), rdflib.Graph().parse(data=response.text, format="json-ld")


def _shacl(graph):
    import pyshacl
    import rdflib

    shapes = rdflib.Graph()
    for name in ("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=False)
    return conforms, text


def test_catalogue_conforms_to_dcat_ap(catalogue, downloads):
    document, graph = catalogue
    conforms, text = _shacl(graph)
    assert conforms, "\n".join(sorted({line for line in text.splitlines() if "Message" in line}))[:3000]
    import rdflib

    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == len(sch.COLLECTIONS) + 1
    urls = {str(u) for u in graph.objects(None, dcat.downloadURL)}
    index, _ = downloads
    assert {u.rsplit("/", 1)[1] for u in urls} == {e["file"] for e in index["files"]}
    assert set(graph.subjects(rdflib.RDF.type, dcat.DataService))


def test_the_shapes_catch_a_catalogue_without_title(catalogue):
    import rdflib

    _, graph = catalogue
    broken = rdflib.Graph()
    for triple in graph:
        broken.add(triple)
    catalog = next(broken.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Catalog")))
    broken.remove((catalog, rdflib.URIRef("http://purl.org/dc/terms/title"), None))
    conforms, text = _shacl(broken)
    assert not conforms and "title" in text


def test_unknown_download_is_404(atlas_server):
    response = atlas_server.get("/downloads/nothing.gpkg")
    assert response.status_code == 404 and "nothing.gpkg" in response.json()["description"]


def test_pages_link_the_downloads_and_the_catalogue(atlas_server, downloads):
    landing = atlas_server.get("/", f="html")
    assert f'href="{atlas_server.url}/downloads?f=html"' in landing.text
    page = atlas_server.get("/downloads", f="html")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f"{atlas_server.url}/catalogue.jsonld" in page.text and "coopatlas.gpkg" in page.text
    index = atlas_server.get("/downloads", f="json").json()
    assert [link["href"] for link in index["links"]] == [f"{atlas_server.url}/catalogue.jsonld"]
    assert atlas_server.get("/downloads", f="xml").status_code == 400


def test_downloads_follow_the_atlas_file(atlas_gpkg_path, tmp_path):
    """Built once per version of the atlas's tables (the folder's name), rebuilt when a table changes, the
    old ones removed; the index gives the SHA-256 of the atlas file they were made from."""
    import shutil

    from coopatlas.opendata.downloads import downloads_for

    atlas = tmp_path / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, atlas)
    cache = tmp_path / "cache"
    first, index = downloads_for(atlas, cache)
    assert first.name == index["atlas_version"]
    assert index["atlas_sha256"] == hashlib.sha256(atlas.read_bytes()).hexdigest()
    stamp = (first / "projets.csv").stat().st_mtime_ns
    assert downloads_for(atlas, cache)[0] == first and (first / "projets.csv").stat().st_mtime_ns == stamp
    con = sqlite3.connect(atlas)
    pid = con.execute("SELECT id FROM projets ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE projets SET titre = 'Titre modifié pour le test' WHERE id = ?", (pid,))
    con.commit()
    con.close()
    second, _ = downloads_for(atlas, cache)
    assert second != first and not first.exists()
    assert "Titre modifié pour le test" in (second / "projets.csv").read_text(encoding="utf-8")


def test_postgis_downloads_follow_a_reload(postgis_cluster, atlas_gpkg_path, server_factory, tmp_path):
    """A PostGIS server's downloads after a reload of other rows are new files (the reloaded rows); a
    reload of the same GeoPackage (the same rows) keeps them."""
    import shutil

    from coopatlas.store.postgis import load

    atlas = tmp_path / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, atlas)
    url = postgis_cluster.create_database(f"downloads_{id(tmp_path)}")
    load(atlas, url)
    server = server_factory(database_url=url)

    def index():
        response = server.get("/downloads", f="json", timeout=600)
        assert response.status_code == 200, response.text[:300]
        return response.json()

    def projets_csv() -> str:
        response = server.get("/downloads/projets.csv", timeout=120)
        assert response.status_code == 200
        return response.content.decode("utf-8")

    first = index()
    assert "Titre rechargé pour le test" not in projets_csv()
    load(atlas, url)  # the same rows
    assert index()["atlas_version"] == first["atlas_version"]
    con = sqlite3.connect(atlas)
    pid = con.execute("SELECT id FROM projets ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE projets SET titre = 'Titre rechargé pour le test' WHERE id = ?", (pid,))
    con.commit()
    con.close()
    load(atlas, url)
    second = index()
    assert second["atlas_version"] != first["atlas_version"]
    assert "Titre rechargé pour le test" in projets_csv()
    csv = next(e for e in second["files"] if e["file"] == "projets.csv")
    assert csv["sha256"] != next(e for e in first["files"] if e["file"] == "projets.csv")["sha256"]


def test_postgis_server_gives_the_same_downloads(downloads, server_factory, postgis_url, tmp_path):
    """A PostGIS-backed server builds the same files from its database: every CSV equal, byte for byte,
    to the GeoPackage server's (same rows, same order, same public requests only), and its GeoPackage
    opens in GDAL with every layer."""
    index, folder = downloads
    postgis_server = server_factory(database_url=postgis_url)
    response = postgis_server.get("/downloads", f="json", timeout=600)
    assert response.status_code == 200, response.text[:300]
    postgis_index = response.json()
    assert {e["file"] for e in postgis_index["files"]} == {e["file"] for e in index["files"]}
    for entry in postgis_index["files"]:
        if entry["format"] != "csv":
            continue
        data = postgis_server.get(f"/downloads/{entry['file']}", timeout=120)
        assert data.status_code == 200
        assert data.content == (folder / entry["file"]).read_bytes(), entry["file"]
    gpkg = postgis_server.get("/downloads/coopatlas.gpkg", timeout=120)
    (tmp_path / "coopatlas.gpkg").write_bytes(gpkg.content)
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(tmp_path / "coopatlas.gpkg")], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    for cid in sch.COLLECTIONS:
        assert f": {cid} " in listing.stdout or f": {cid}\n" in listing.stdout, cid


def test_csv_cells_that_spreadsheets_would_run_are_quoted(atlas_gpkg_path, tmp_path):
    """A title that a spreadsheet would run as a formula is written as text (leading quote), as in f=csv."""
    import shutil

    from coopatlas.opendata.downloads import downloads_for

    atlas = tmp_path / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, atlas)
    con = sqlite3.connect(atlas)
    pid = con.execute("SELECT id FROM projets ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE projets SET titre = '=HYPERLINK(\"http://example.org\")' WHERE id = ?", (pid,))
    con.commit()
    con.close()
    folder, _ = downloads_for(atlas, tmp_path / "cache")
    rows = pd.read_csv(folder / "projets.csv", dtype=str).set_index("id")
    assert rows.loc[pid, "titre"] == '\'=HYPERLINK("http://example.org")'
    assert gpd.read_parquet(folder / "projets.parquet").set_index("id").loc[pid, "titre"].startswith("=HYPERLINK")


def test_an_atlas_without_versions(atlas_gpkg_path, postgis_cluster, server_factory, tmp_path):
    """An atlas built or loaded before the tables had versions: a GeoPackage's downloads are named after the
    SHA-256 of its file, as before; a PostGIS atlas has none (503 saying to load it again), not stale ones."""
    import shutil

    import psycopg2

    from coopatlas.opendata.downloads import downloads_for
    from coopatlas.store.postgis import load

    atlas = tmp_path / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, atlas)
    con = sqlite3.connect(atlas)
    with con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_version_%'"):
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute("DROP TABLE coopatlas_versions")
    con.close()
    folder, index = downloads_for(atlas, tmp_path / "cache")
    assert (
        folder.name == index["atlas_version"] == index["atlas_sha256"] == hashlib.sha256(atlas.read_bytes()).hexdigest()
    )

    url = postgis_cluster.create_database(f"unversioned_{id(tmp_path)}")
    load(atlas_gpkg_path, url)
    con = psycopg2.connect(url)
    with con, con.cursor() as cur:
        cur.execute("DROP TABLE atlas.coopatlas_versions")
    con.close()
    server = server_factory(database_url=url)
    response = server.get("/downloads", f="json", timeout=120)
    assert response.status_code == 503, response.text[:300]
    assert "load it again" in response.text

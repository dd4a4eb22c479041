"""A page of ``/items`` may leave ``numberMatched`` out when counting costs more than the server's budget and
give ``numberMatchedAtLeast`` instead: the plugin reads it as a lower bound (its progress never claims a
collection done before its last page, its header says "more than N") and its table reads to the end.
Against a real server whose count budget is tiny (every count not cached is over budget)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coopatlas_qgis.core.client import AtlasClient
from coopatlas_qgis.core.paging import ServerRows, page_matched
from coopatlas_qgis.core.result import SearchResult
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.tasks import page_share
from coopatlas_qgis.gui.wdg_results import counts_text
from support.servers import AtlasServer, ServerError

ROOT = Path(__file__).resolve().parents[2]
SERVER_PYTHON = Path(os.environ.get("COOPATLAS_SERVER_PYTHON") or ROOT / ".venv" / "bin" / "python")


@pytest.fixture(scope="module")
def costly_counts_url(server_url, tmp_path_factory):
    """A second server on the same atlas as ``server_url``'s, with a count budget of 1 µs."""
    atlas = os.environ.get("COOPATLAS_TEST_ATLAS") or str(
        tmp_path_factory.getbasetemp() / "coopatlas-test-atlas/atlas.gpkg"
    )
    server = AtlasServer(gpkg=atlas, workers=1, python=SERVER_PYTHON, env={"COOPATLAS_COUNT_BUDGET_MS": "0.001"})
    try:
        server.start()
    except ServerError as exc:
        pytest.fail(str(exc))
    yield server.url
    server.stop()


def test_a_page_without_numberMatched_is_a_lower_bound(costly_counts_url):
    client = AtlasClient(costly_counts_url)
    # a box with a row filter: the page is read first, then counted (over budget, finished in the
    # background); a row filter alone is counted first, and its background count, quick on the test atlas,
    # may be cached before the page is done (the answer then carries it)
    params = {
        "bbox": "-20,-36,55,38",
        "filter": "continent IN ('afrique') AND annee_lancement >= 2001",
        "filter-lang": "cql2-text",
    }
    page = client.get_json("/collections/projets/items", {"f": "json", "limit": 100, **params})
    assert "numberMatched" not in page and page["numberMatchedAtLeast"] == 100
    assert page_matched(page) == (100, False)
    # the progress of a collection read so far: not done, whatever the page says
    assert 0 < page_share(page, 100, None, 100) < 1
    # the table, told only "at least 100", reads every record, then knows the exact count
    rows = ServerRows(client, "projets", params, 100, page_size=500, exact=False)
    ids = []
    while rows.can_fetch():
        ids += [r["id"] for r in rows.fetch()]
    exact = client.get_json("/collections/projets/items", {"f": "json", "resulttype": "hits", **params})
    assert len(ids) == len(set(ids)) == exact["numberMatched"] == rows.total > 500 and rows.exact


def test_the_header_says_more_than_for_a_lower_bound(qgis_app):
    result = SearchResult(Search(), {}, Path("."), counts={"projets": 1200, "demandes": 7})
    result.at_least.add("projets")
    text = counts_text(result)
    assert ("more than 1200 projects" in text or "plus de 1200 projets" in text) and "7" in text
    result.at_least.clear()
    assert "more than" not in counts_text(result) and "plus de" not in counts_text(result)

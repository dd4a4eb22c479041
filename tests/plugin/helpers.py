"""Helpers of the plugin tests: wait for a search, pick real records of the served atlas."""

from __future__ import annotations


def wait_search(qtbot, session, start, timeout=120000):
    """Call ``start()`` (e.g. a button's ``click``) and wait for the session's search to finish; the
    LoadedSearch. A failed search fails the test with the plugin's message."""
    outcome = {}
    done = lambda loaded: outcome.setdefault("ok", loaded)  # noqa: E731
    failed = lambda message: outcome.setdefault("error", message)  # noqa: E731
    session.searchFinished.connect(done)
    session.searchFailed.connect(failed)
    try:
        start()
        qtbot.waitUntil(lambda: bool(outcome), timeout=timeout)
    finally:
        session.searchFinished.disconnect(done)
        session.searchFailed.disconnect(failed)
    assert "ok" in outcome, f"the search failed: {outcome.get('error')}"
    return outcome["ok"]


def wait_task(qtbot, task, timeout=120000):
    """Wait for a plugin task; its result (fails the test with the task's message)."""
    outcome = {}
    task.done.connect(lambda r: outcome.setdefault("ok", r))
    task.failed.connect(lambda m: outcome.setdefault("error", m))
    qtbot.waitUntil(lambda: bool(outcome), timeout=timeout)
    assert "ok" in outcome, f"the task failed: {outcome.get('error')}"
    return outcome["ok"]


def first(client, collection, params=None, **kw):
    """The properties of the first record of ``collection`` matching property filters ``params``."""
    page = client.get_json(
        f"/collections/{collection}/items", {"f": "json", "limit": 50, "skipGeometry": "true", **(params or {}), **kw}
    )
    for feat in page["features"]:
        props = feat["properties"]
        props.setdefault("id", feat.get("id"))
        return props
    raise AssertionError(f"no record of {collection} with {params or kw}")


def matched(client, collection, params) -> int:
    """``numberMatched`` of a query on the server."""
    page = client.get_json(f"/collections/{collection}/items", {"f": "json", "limit": 1, **params})
    return page["numberMatched"]


def attribute_values(layer, field):
    return {f[field] for f in layer.getFeatures()}


def type_text(widget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key (any character, accents included: QTest's keyClicks only
    knows ASCII)."""
    from qgis.PyQt.QtCore import QEvent, Qt
    from qgis.PyQt.QtGui import QKeyEvent
    from qgis.PyQt.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.NoModifier, ch))
    QApplication.processEvents()


def consistent_project(client, **filters):
    """A project whose continent, sub-continent and three theme levels agree with the vocabulary (so
    that the cascading lists offer them), matching property ``filters``; its properties."""
    voc = client.vocabulary()
    sub = {t["code"]: t["continent"] for t in voc["sous_continent"]}
    leaf = {t["code"]: (t["thematique"], t["sous_thematique"]) for t in voc["sous_sous_thematique"]}
    page = client.get_json(
        "/collections/projets/items", {"f": "json", "limit": 1000, "skipGeometry": "true", **filters}
    )
    for feat in page["features"]:
        p = feat["properties"]
        if (
            p.get("pays_code")
            and sub.get(p.get("sous_continent")) == p.get("continent")
            and leaf.get(p.get("sous_sous_thematique")) == (p.get("thematique"), p.get("sous_thematique"))
            and p.get("titre")
        ):
            return p
    raise AssertionError(f"no consistent project with {filters}")


def moderate_country(client) -> dict:
    """A country with some projects (between 30 and 250) and, if any has them, cooperation requests:
    searches on it exercise every family of records in a few seconds. Its ``pays`` properties."""
    page = client.get_json(
        "/collections/pays/items",
        {"f": "json", "limit": 1000, "skipGeometry": "true", "properties": "id,nom,nb_projets,nb_demandes"},
    )
    countries = [f["properties"] for f in page["features"]]
    for p in countries:
        p.setdefault("id", None)
    fitting = [p for p in countries if 30 <= (p.get("nb_projets") or 0) <= 250]
    with_requests = [p for p in fitting if (p.get("nb_demandes") or 0) > 0]
    chosen = with_requests or fitting or sorted(countries, key=lambda p: -(p.get("nb_projets") or 0))
    assert chosen, "the atlas has no country"
    return sorted(chosen, key=lambda p: (-(p.get("nb_demandes") or 0), p["id"]))[0]

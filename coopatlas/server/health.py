"""``/health``: whether this server can answer, for load balancers and orchestrators.

200 only when every check passes, 503 (``Retry-After``) otherwise; the JSON body says what was checked::

    {"status": "ok", "checks": {"atlas": {"status": "ok", "checked": "..."},
                                "live": {"status": "ok", "checked": "..."}}}

* ``atlas``: a page of the ``projets`` collection read through its feature provider (GeoPackage or PostGIS),
  the same path as ``/collections/projets/items``;
* ``live``: a write transaction that writes nothing on the live database (Bourse accounts, requests): it
  fails when that database is missing, read-only, full or unreachable. Registered by the Bourse
  (``app.extensions["coopatlas.health_checks"]``), so a server without the Bourse checks the atlas only.

Messages carry no paths nor driver errors (they are logged). The landing page (``/``) does not depend on
this: it answers 200 whatever the databases.
"""

from __future__ import annotations

import json
import logging
import time

from flask import Blueprint, Response, current_app

from ..store.faults import RETRY_AFTER_SECONDS, unavailable_cause

LOGGER = logging.getLogger(__name__)

blueprint = Blueprint("coopatlas_health", __name__)

#: ``app.extensions`` key: name -> (what is checked, callable raising when the check fails). Lower layers
#: (the Bourse's live database) add their checks there, so that they import nothing of the server.
CHECKS = "coopatlas.health_checks"


def _atlas_check() -> None:
    from pygeoapi.flask_app import CONFIG
    from pygeoapi.plugin import load_plugin

    res = CONFIG.get("resources", {}).get("projets") or {}
    feature = next((p for p in res.get("providers", []) if p.get("type") == "feature"), None)
    if feature is None:
        raise LookupError("no feature provider for collection projets")
    provider = load_plugin("provider", feature)
    provider.query(offset=0, limit=1, resulttype="results", skip_geometry=True)


@blueprint.route("/health")
def health():
    checks = {"atlas": ("a page of collection projets read from the atlas database", _atlas_check)}
    checks.update(current_app.extensions.get(CHECKS, {}))
    report, healthy = {}, True
    for name, (what, check) in checks.items():
        t0 = time.perf_counter()
        try:
            check()
            entry = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001 - a failed check is the answer, not an error
            healthy = False
            LOGGER.error("health check %s failed: %s", name, exc, exc_info=exc)
            entry = {"status": "unavailable" if unavailable_cause(exc) else "error"}
        entry["checked"] = what
        entry["ms"] = round(1000 * (time.perf_counter() - t0), 1)
        report[name] = entry
    body = {"status": "ok" if healthy else "unavailable", "checks": report}
    resp = Response(json.dumps(body, ensure_ascii=False), status=200 if healthy else 503, mimetype="application/json")
    resp.headers["Cache-Control"] = "no-store"
    if not healthy:
        resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp

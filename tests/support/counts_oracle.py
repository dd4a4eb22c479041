"""The oracle of ``numberMatched``, shared by the GeoPackage and the PostGIS tests: every value a server returns
equals ``n``, a count made independently (sqlite3, psycopg2) on the same data.

    assert_every_number_matched(server, params, n)      # pages of every offset and limit, hits, background
    assert counts_found(server, params) == {n}           # a count left out ends up exact in every worker
"""

from __future__ import annotations

import time

OFFSETS = (0, 7, 100)
LIMITS = (1, 10, 1000)


def projets_page(server, **params) -> dict:
    """``GET /collections/projets/items`` as JSON, asserted 200."""
    r = server.get("/collections/projets/items", f="json", **params)
    assert r.status_code == 200, r.text
    return r.json()


def assert_every_number_matched(server, params: dict, n: int) -> None:
    """Every page of ``params`` (offsets 0, 7, 100 × limits 1, 10, 1000) returns what ``n`` implies and says
    ``numberMatched == n``, or, over the time budget (a loaded machine) and only for a full page, gives
    ``numberMatchedAtLeast``; ``resulttype=hits`` always counts; a count left out is finished in the background,
    after which every worker answers it exactly."""
    for offset in OFFSETS:
        for limit in LIMITS:
            body = projets_page(server, offset=offset, limit=limit, sortby="-annee_lancement", **params)
            returned = max(0, min(limit, n - offset))
            assert body["numberReturned"] == returned
            if "numberMatched" in body:
                assert body["numberMatched"] == n, (params, offset, limit)
            else:  # over the time budget (a loaded machine): only a full page may leave the count out
                assert returned == limit and body["numberMatchedAtLeast"] == offset + limit, (params, offset, limit)
    assert projets_page(server, resulttype="hits", **params)["numberMatched"] == n
    # a count left out is finished in the background: every worker ends up answering it, exactly
    answers = [projets_page(server, limit=1, **params).get("numberMatched") for _ in range(4)]
    deadline = time.monotonic() + 60
    while None in answers[-4:] and time.monotonic() < deadline:
        time.sleep(0.1)
        answers.append(projets_page(server, limit=1, **params).get("numberMatched"))
    assert answers[-4:] == [n] * 4


def counts_found(server, params: dict, wanted: int = 4, seconds: float = 60) -> set[int]:
    """The ``numberMatched`` values of the next ``wanted`` pages of ``params`` that carry one (the background
    count fills the cache of each worker), within ``seconds``."""
    found = []
    deadline = time.monotonic() + seconds
    while len(found) < wanted and time.monotonic() < deadline:
        body = projets_page(server, **params)
        if "numberMatched" in body:
            found.append(body["numberMatched"])
        time.sleep(0.02)
    return set(found)


def assert_counts_follow_versions(body, projects: dict, project_count, request_count, validate_request, write_project):
    """The scenario of both backends: a count is cached under the version of the table it reads.

    ``body(collection, **params)`` is a page of a server whose every uncached count is over budget;
    ``project_count()`` and ``request_count()`` count independently (sqlite3, psycopg2) the projects of
    ``projects`` and the public requests; ``validate_request()`` submits a request to the Bourse and has the
    embassy validate it; ``write_project()`` moves one project into ``projects`` by SQL. A validated request
    leaves the cached project count in place (answered at once by every worker) and gives the new requests'
    count; the write into ``projets`` gives the new project count at the next request, in every worker.
    Returns the new project count."""
    n = project_count()
    answers = []  # until every worker has the project count cached (8 answers with it in a row)
    while len(answers) < 200 and answers[-8:] != [n] * 8:
        answers.append(body("projets", **projects).get("numberMatched"))
        time.sleep(0.02)
    assert answers[-8:] == [n] * 8
    requests = body("demandes", resulttype="hits")["numberMatched"]
    assert requests == request_count()

    validate_request()
    for _ in range(4):
        assert body("demandes", resulttype="hits")["numberMatched"] == requests + 1
    assert request_count() == requests + 1
    for _ in range(8):  # the project count stays cached in every worker: answered within any budget
        assert body("projets", **projects).get("numberMatched") == n

    write_project()
    assert project_count() == n + 1
    for _ in range(4):  # the next request, whichever worker answers: the new count, never the cached one
        assert body("projets", resulttype="hits", **projects)["numberMatched"] == n + 1
    return n + 1

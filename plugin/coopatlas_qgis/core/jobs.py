"""One execution of an OGC API process: answered at once, or a job (``Prefer: respond-async``) followed
with the server's cookie until its results (:meth:`~.client.AtlasClient.execute`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from qgis.core import QgsFeedback

from .errors import AtlasError, Cancelled, ServerUnreachable
from .http import HttpClient, Response
from .i18n import tr


def execute(
    client: HttpClient,
    process: str,
    inputs: Mapping[str, Any],
    prefer_async: bool = False,
    feedback: QgsFeedback | None = None,
    poll_s: float = 0.5,
    max_wait_s: float = 600.0,
) -> Response:
    """Execute ``process`` with ``inputs``; the result (JSON, PDF, PNG, SVG, GeoTIFF...) as a Response.

    ``prefer_async`` asks for a job (``Prefer: respond-async``) that is polled every ``poll_s``
    seconds (at most ``max_wait_s``) and whose results are then fetched; a server that answers
    synchronously anyway is accepted.
    """
    heads = {"Prefer": "respond-async"} if prefer_async else {}
    payload = {"inputs": {k: v for k, v in inputs.items() if v is not None}}
    resp = client.post_json(f"/processes/{process}/execution", payload, heads, feedback)
    if resp.status != 201 and "respond-async" not in resp.headers.get("preference-applied", ""):
        return resp
    location = resp.headers.get("location")
    if not location:
        raise AtlasError(tr("The server started a job but gave no Location to follow."), resp.status)
    job_url = client.rebase(location)
    # a job is shown only to the client that started it: the server's cookie goes with every poll
    cookie = resp.headers.get("set-cookie", "").split(";")[0].strip()
    job_headers = {"Cookie": cookie} if cookie else None
    deadline = time.monotonic() + max_wait_s
    while True:
        status = client.check(
            client.request(client.url(job_url, {"f": "json"}), headers=job_headers, feedback=feedback)
        ).json()
        state = str(status.get("status", "")).lower()
        if feedback is not None and "progress" in status:
            try:
                feedback.setProgress(float(status["progress"]))
            except (TypeError, ValueError):
                pass
        if state == "successful":
            break
        if state in ("failed", "dismissed"):
            raise AtlasError(
                tr("The job {job} of {process} {state}: {message}").format(
                    job=status.get("jobID", ""), process=process, state=state, message=status.get("message", "")
                ),
                resp.status,
            )
        if time.monotonic() > deadline:
            raise ServerUnreachable(
                tr("The job of {process} did not finish within {s} s.").format(process=process, s=int(max_wait_s))
            )
        _sleep(poll_s, feedback)
    results = None
    for link in status.get("links", []):
        if link.get("rel", "").endswith("results"):
            results = client.rebase(link["href"])
    results = results or (job_url.split("?")[0] + "/results")
    return client.check(
        client.request(
            client.url(results, {"f": "json"} if "f=" not in results else None),
            headers=job_headers,
            feedback=feedback,
            accept=None,
        )
    )


def _sleep(seconds: float, feedback: QgsFeedback | None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        time.sleep(min(0.05, max(0.0, end - time.monotonic())))

"""A provider that costs nothing, for the benchmark only: pygeoapi's own ceiling for a page of items.

``coopatlas serve --feature-provider benchmarks.prebuilt_provider.PrebuiltAnswerProvider`` serves every
collection with the atlas's provider (:class:`coopatlas.server.provider.AtlasGeoPackageProvider`: same
fields, same set-up) whose ``query`` answers every request with one answer built in advance: the
atlas provider's answer to a page of 100 items without parameters (same features, same
``numberMatched``), read once per worker and collection. A page of 100 on it costs what pygeoapi, Flask,
the atlas's hooks and the HTTP server cost around a provider that does nothing: the best any provider can
reach inside pygeoapi. Only the landing page and the page of 100 are timed on it (any other request
gets the same answer, which would be wrong).
"""

from __future__ import annotations

from coopatlas.server.provider import AtlasGeoPackageProvider

#: The page the answer is built from (what ``/items?limit=100`` asks of a provider).
PAGE = {"offset": 0, "limit": 100}


class PrebuiltAnswerProvider(AtlasGeoPackageProvider):
    _answers: dict[str, dict] = {}  # table -> the answer, per worker process

    def query(self, **kwargs):
        answer = self._answers.get(self.table)
        if answer is None:
            answer = self._answers[self.table] = super().query(**PAGE)
        return {**answer, "links": []}  # pygeoapi appends its links to this list: a new one each time

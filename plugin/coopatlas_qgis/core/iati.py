"""The IATI export of a search: the server's ``export-iati`` process run as an asynchronous job (followed
with the job's cookie, as every job of the plugin: :meth:`~.client.AtlasClient.execute`) in a
:class:`~.tasks.ProcessTask`, its XML saved where the user chose."""

from __future__ import annotations

from pathlib import Path

from .search import Search

PROCESS = "export-iati"
SUFFIX = ".xml"


def iati_inputs(search: Search) -> dict:
    """The process inputs of ``search``: its criteria (the process takes the same as ``rapport``)."""
    return search.inputs()


def iati_path(path: str) -> str:
    """``path`` with the ``.xml`` suffix of an IATI activity file."""
    return str(Path(path).with_suffix(SUFFIX))


def export_iati(session, search: Search, path: str):
    """Start the export of ``search`` to ``path`` (``.xml``) in the background; the task (``done(path)``,
    ``failed(message)``)."""
    return session.run_process(PROCESS, iati_inputs(search), iati_path(path), prefer_async=True)

"""The sample files of the import tests (``tests/data/atlas_cncd/make_samples.py``: the Atlas's zone files and
their writer) and the error an import of bad input reports, for tests/unit/test_import_*.py.

    SAMPLE.write_csv(path, SAMPLE.AFRIQUE_HEADER, rows, "utf-8", ";")
    assert f"{path}, line 3, column 'Pays': ..." in import_error([path], reference, mapping)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from coopatlas.data.importers.atlas_cncd import import_atlas
from coopatlas.data.importers.sources import SourceError

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "atlas_cncd"


def _samples_module():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SAMPLE = _samples_module()


def import_error(files, reference, mapping, apd=()) -> str:
    """The message of the :class:`SourceError` that importing ``files`` (and the APD files ``apd``) raises."""
    with pytest.raises(SourceError) as exc:
        import_atlas(files, mapping, apd_files=apd, reference=reference)
    return str(exc.value)

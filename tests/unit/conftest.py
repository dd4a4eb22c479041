"""Fixtures shared by the unit tests: the reference geography of ``datasets/reference/``, the importers'
mapping (``datasets/mappings/atlas_cncd.yml``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopatlas.data.importers.mapping import load_mapping
from coopatlas.data.reference import Reference


@pytest.fixture(scope="module")
def reference() -> Reference:
    ref = Reference()
    if not Path(ref.path).exists():
        pytest.fail(f"no reference geography at {ref.path}: run `python datasets/build_reference.py`")
    return ref


@pytest.fixture(scope="module")
def mapping():
    """The importers' mapping of the Atlas's columns and values."""
    return load_mapping()

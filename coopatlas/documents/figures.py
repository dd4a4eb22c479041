"""A matplotlib figure as PNG, SVG or PDF bytes, the same bytes for the same figure (no creation date)."""

from __future__ import annotations

import io
import re

import matplotlib

#: Figure formats :func:`render` writes, with their media type.
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

#: An identifier matplotlib gives a clip path or a marker in SVG: a letter, then 10 hex digits of a hash of
#: its coordinates at full precision, which the constrained layout's rounding noise (far below the file's
#: 6 decimals) changes from one drawing of the same figure to the next.
_HASHED_ID = re.compile(rb'(?<=["#])([a-z][0-9a-f]{10})(?=[")])')


def render(fig, fmt: str = "png", dpi: int = 150) -> bytes:
    """The figure as ``png``, ``svg`` or ``pdf`` bytes (no creation date: the same figure gives the same
    bytes)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; known: {', '.join(FORMATS)}")
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    buf = io.BytesIO()
    # the ids of SVG clip paths from a fixed salt, not a random one (the server's threads share rcParams)
    with matplotlib.rc_context({"svg.hashsalt": "coopatlas"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return _numbered_ids(buf.getvalue()) if fmt == "svg" else buf.getvalue()


def _numbered_ids(svg: bytes) -> bytes:
    """``svg`` whose hashed identifiers are numbered in the order they are defined (``p1``, ``p2``, ``m1``...),
    so that the same figure gives the same bytes whatever the noise of its layout."""
    numbers: dict[bytes, bytes] = {}
    per_letter: dict[bytes, int] = {}
    for name in re.findall(rb'\bid="([a-z][0-9a-f]{10})"', svg):
        if name not in numbers:
            letter = name[:1]
            per_letter[letter] = per_letter.get(letter, 0) + 1
            numbers[name] = letter + str(per_letter[letter]).encode()
    return _HASHED_ID.sub(lambda m: numbers.get(m[1], m[1]), svg)

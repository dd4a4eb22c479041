"""A matplotlib figure as PNG, SVG or PDF bytes, the same bytes for the same figure (no creation date)."""

from __future__ import annotations

import io

import matplotlib

#: Figure formats :func:`render` writes, with their media type.
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


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
    return buf.getvalue()

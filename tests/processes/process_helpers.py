"""Helpers of the process tests: PDF text, reference figures."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader

from support.figures import published_figures


def flat(text: str) -> str:
    """Text with every run of white space as one space (lines of wrapped paragraphs joined)."""
    return " ".join(text.split())


def reference_csv(name: str) -> list[dict]:
    """The published figures ``datasets/figures/<name>`` (see tests/support/figures.py)."""
    return published_figures(name)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, no-break spaces as spaces."""
    reader = PdfReader(io.BytesIO(data))
    return [(p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ") for p in reader.pages]


def pdf_info(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata or {}
    return {
        "pages": len(reader.pages),
        "title": meta.get("/Title"),
        "author": meta.get("/Author"),
        "size": reader.pages[0].mediabox,
    }


def fr(n: int) -> str:
    """A count as the French documents print it (space as thousands separator)."""
    return f"{n:,}".replace(",", " ")


def save_pdf(folder: Path, name: str, pdf: bytes, pages: int = 3, resolution: int = 70) -> list[Path]:
    """Write ``name``.pdf and its first ``pages`` pages as PNG (pdftoppm) into ``folder``."""
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", str(pages), str(path), str(folder / name)],
        check=True,
        timeout=120,
    )
    return sorted(folder.glob(f"{name}-*.png"))

"""The fonts of the maps: DejaVu Sans (shipped with matplotlib), in a lighter copy made once per machine.

matplotlib subsets every font it embeds in a PDF (Type 42) with fontTools, reading the whole font each
time: with DejaVu's 6 000 glyphs and its OpenType layout tables (GSUB, GPOS, GDEF: shaping; MATH) that
takes about half a second per face and per file. The maps use a copy reduced to the Latin script of the
atlas's names (with Vietnamese, the combining accents, the Hawaiian ʻokina), punctuation and currency
signs — 1 000 glyphs, without the layout tables (PDF viewers never use them; kerning still comes from
the ``kern`` table, which is kept): subsetting it takes about 15 ms. As the Bitstream Vera licence of
DejaVu asks of modified fonts, the copy is renamed "CoopAtlas Sans"; its copyright and licence notices
are kept.

The copies are written atomically into :func:`cache_dir` the first time they are needed. A text with a
character outside the copy (Greek, Cyrillic, Arabic...) is drawn with the original DejaVu Sans
(:func:`font` with ``text``); if the copy cannot be made, the original is used throughout.
"""

from __future__ import annotations

import os
import tempfile
import threading
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.font_manager import FontProperties

FACES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}
FAMILY = "CoopAtlas Sans"
#: Unicode ranges kept in the light copy (inclusive).
RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20BF))
VERSION = "2"
#: The font family named in SVG ``<text>`` elements (DejaVu Sans, the glyphs of the other outputs).
SVG_FAMILY = ["DejaVu Sans", "Bitstream Vera Sans", "Verdana", "sans-serif"]
_lock = threading.Lock()


def cache_dir() -> Path:
    """``$COOPATLAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/coopatlas`` or ``~/.cache/coopatlas``."""
    env = os.environ.get("COOPATLAS_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coopatlas"


def original_file(face: str = "normal") -> str:
    """matplotlib's DejaVu Sans file of ``face``."""
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FACES[face])


def _make_light(src: str, dst: Path, face: str) -> None:
    from fontTools import subset

    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "FFTM"]
    opts.legacy_kern = True
    opts.hinting = True
    opts.glyph_names = True  # with its names, fontTools does not rebuild them from cmap at each subset
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    font = subset.load_font(src, opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[u for a, b in RANGES for u in range(a, b + 1)])
    sub.subset(font)
    style = {"normal": "Book", "bold": "Bold", "italic": "Oblique"}[face]
    ps = "CoopAtlasSans" + ("" if face == "normal" else "-" + style)
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID in (3, 6):
            rec.string = ps
        elif rec.nameID == 4:
            rec.string = FAMILY + ("" if face == "normal" else " " + style)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dst.name, suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@cache
def font_file(face: str = "normal") -> str:
    """Path of the light copy of ``face`` (``normal``, ``bold``, ``italic``), made if needed; the original
    DejaVu Sans file if it cannot be made."""
    src = original_file(face)
    st = os.stat(src)
    name = f"CoopAtlasSans-{face}-{VERSION}-{st.st_size}-{int(st.st_mtime)}.ttf"
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "coopatlas"):
        dst = folder / "fonts" / name
        if dst.exists():
            return str(dst)
        try:
            with _lock:
                if not dst.exists():
                    _make_light(src, dst, face)
            return str(dst)
        except (OSError, ImportError, ValueError):
            continue
    return src


@cache
def _coverage(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _face(weight: str, style: str) -> str:
    return "bold" if weight == "bold" else "italic" if style == "italic" else "normal"


def in_light_copy(text: str, weight: str = "normal", style: str = "normal") -> bool:
    """Whether the light copy of the face draws every character of ``text``."""
    coverage = _coverage(font_file(_face(weight, style)))
    return all(ord(ch) in coverage for ch in text if ch not in "\n\t")


def font(size: float, weight: str = "normal", style: str = "normal", text: str | None = None) -> FontProperties:
    """The :class:`FontProperties` of a text of ``size`` points (weight ``normal``/``bold``, style
    ``normal``/``italic``; bold italic is drawn bold). With ``text``, a text the light copy cannot draw
    gets the original DejaVu Sans."""
    face = _face(weight, style)
    path = font_file(face)
    if text is not None and not in_light_copy(text, weight, style):
        path = original_file(face)
    # the file gives the glyphs (PDF, PNG); family, weight and style are what SVG writes for its viewers
    return FontProperties(
        family=SVG_FAMILY,
        weight="bold" if face == "bold" else "normal",
        style="italic" if face == "italic" else "normal",
        size=size,
        fname=path,
    )

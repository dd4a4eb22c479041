"""Output formats of the maps: PDF (multi-page), SVG, PNG and GeoTIFF, from matplotlib figures.

Vector outputs keep text as text: TrueType fonts embedded as Type 42 in PDF (``pdf.fonttype = 42``),
``<text>`` elements in SVG (``svg.fonttype = 'none'``). matplotlib reads those two settings from its
global ``rcParams`` when it writes a file; they are set only around each save, inside
:func:`vector_settings` (a lock serialises the vector saves of the process, so a thread never sees
another's settings half-applied; raster saves do not read them). Nothing is set globally at import.

The GeoTIFF is the map frame rendered by Agg at the requested dpi, written with rasterio in the map's
projection (CRS from its PROJ string) with the affine transform of the frame's extent: pixel (0, 0) is
the upper-left corner of the extent, pixels are square, units metres.
"""

from __future__ import annotations

import io
import re
import threading
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

_VECTOR_LOCK = threading.RLock()
#: ``ps.fonttype`` too: matplotlib 3.11's PDF writer sizes its font subsets from it (256 characters for
#: Type 3, so every character above U+00FF would go into a second embedded copy of each font).
#: ``pdf.compression`` 3: as small as 6 within 6 %, and a quarter of the time of a map page faster.
VECTOR_RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "coopatlas",
    "pdf.compression": 3,
}


@contextmanager
def vector_settings():
    """matplotlib settings for text-as-text vector output, for the duration of one save (thread-safe
    among the callers of this function)."""
    with _VECTOR_LOCK, matplotlib.rc_context(VECTOR_RC):
        yield


def pdf_bytes(figures, metadata: dict | None = None) -> bytes:
    """One PDF of the figures, one page each (page size = figure size), text as Type 42 text."""
    buf = io.BytesIO()
    with vector_settings():
        _pdf_pages(figures, buf, metadata)
    return buf.getvalue()


_ID = re.compile(rb'\bid="([^"]+)"')


def unique_ids(svg: bytes) -> bytes:
    """The SVG with its repeated ``id`` attributes made unique (``etiquettes``, ``etiquettes-2``...):
    matplotlib writes an artist's ``gid`` as its ``id``, and many artists share a role."""
    seen: dict[bytes, int] = {}

    def rename(m):
        name = m.group(1)
        n = seen.get(name, 0) + 1
        seen[name] = n
        return m.group(0) if n == 1 else b'id="' + name + b"-" + str(n).encode() + b'"'

    return _ID.sub(rename, svg)


def svg_bytes(fig, title: str | None = None) -> bytes:
    """The figure as SVG, text as ``<text>`` elements, one ``id`` per element (see :func:`unique_ids`)."""
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    with vector_settings():
        fig.savefig(buf, format="svg", metadata={"Title": title} if title else None)
    return unique_ids(buf.getvalue())


def png_bytes(fig, dpi: int, metadata: dict | None = None) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    meta = {"Software": "CoopAtlas (GPL-3.0-or-later)"}
    if metadata:
        meta.update({"Title": metadata.get("Title", ""), "Description": metadata.get("Subject", "")})
    fig.savefig(buf, format="png", dpi=dpi, metadata=meta)
    return buf.getvalue()


def rgba_buffer(fig, dpi: int) -> np.ndarray:
    """The figure rendered by Agg at ``dpi``: a (rows, cols, 4) uint8 view of the canvas (no copy)."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())


def geotiff_bytes(fig, dpi: int, crs, extent, metadata: dict | None = None) -> bytes:
    """The figure (exactly the map ``extent``: xmin, ymin, xmax, ymax in metres of ``crs``) as an RGB
    GeoTIFF (deflate-compressed, tiled), written band by band from the canvas (no full-image copy)."""
    import rasterio
    from rasterio.io import MemoryFile
    from rasterio.transform import from_bounds

    img = rgba_buffer(fig, dpi)
    rows, cols, _ = img.shape
    transform = from_bounds(*extent, cols, rows)
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 3,
        "dtype": "uint8",
        "crs": rasterio.crs.CRS.from_wkt(crs.to_wkt()),
        "transform": transform,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "photometric": "RGB",
    }
    with MemoryFile() as mem:
        with mem.open(**profile) as dst:
            for band in range(3):
                dst.write(np.ascontiguousarray(img[:, :, band]), band + 1)
            tags = {"TIFFTAG_SOFTWARE": "CoopAtlas (GPL-3.0-or-later)"}
            if metadata:
                tags["TIFFTAG_DOCUMENTNAME"] = metadata.get("Title", "")
                tags["TIFFTAG_IMAGEDESCRIPTION"] = metadata.get("Subject", "")
            dst.update_tags(**tags)
            dst.colorinterp = [
                rasterio.enums.ColorInterp.red,
                rasterio.enums.ColorInterp.green,
                rasterio.enums.ColorInterp.blue,
            ]
        return mem.read()


def merge_pdfs(parts: list[bytes], metadata: dict | None = None) -> bytes:
    """One PDF of several (pages in order), with ``metadata`` (``Title``, ``Subject``...)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    if metadata:
        writer.add_metadata({f"/{k}": str(v) for k, v in metadata.items()})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- a faster PDF text path -------------------------------------------------------------------------------------


class _FastTextRendererPdf:  # replaced below by a RendererPdf subclass (kept lazy: backend_pdf is heavy)
    pass


def _fast_renderer_class():
    """A :class:`RendererPdf` whose ``draw_text`` writes a plain line of TrueType text in one ``Tj``
    operator (the glyph codes, spaced by the font's advance widths, as the maps' fonts lay them out: they
    carry no OpenType positioning), instead of matplotlib 3.11's per-glyph loop (text shaping, one
    FreeType glyph load and several PDF operators per character): the same Type 42 text, several times
    faster. Anything else — math text, links, Type 3, a character the font lacks — goes to matplotlib's
    own ``draw_text``."""
    global _FastTextRendererPdf
    if _FastTextRendererPdf.__name__ == "FastTextRendererPdf":
        return _FastTextRendererPdf
    import math

    from matplotlib.backends.backend_pdf import Op, RendererPdf
    from matplotlib.font_manager import FontPath

    class FastTextRendererPdf(RendererPdf):
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if (
                ismath
                or gc.get_url() is not None
                or matplotlib.rcParams["pdf.fonttype"] != 42
                or matplotlib.rcParams["pdf.use14corefonts"]
                or not s
            ):
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            font = self._get_font_ttf(prop)
            glyphs = [font.get_char_index(ord(c)) for c in s]
            if any(g == 0 for g in glyphs):  # a character the font lacks: matplotlib's fallback fonts
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            tracker = self.file._character_tracker
            codes = []
            for ch, g in zip(s, glyphs):
                subset, code = tracker.track_glyph(font, ch, g)
                if subset != 0:
                    return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
                codes.append(code)
            self.check_gc(gc, gc._rgb)
            name = self.file.fontName(FontPath(font.fname, font.face_index), 0)
            a = math.radians(angle)
            self.file.output(Op.gsave)
            self.file.output(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y, Op.concat_matrix)
            self.file.output(Op.begin_text, name, prop.get_size_in_points(), Op.selectfont)
            self.file.output(self._encode_glyphs(codes, 42), Op.show)
            self.file.output(Op.end_text, Op.grestore)

    _FastTextRendererPdf = FastTextRendererPdf
    return FastTextRendererPdf


class PdfBook:
    """A PDF written page by page (the pages of an atlas), with the fast text renderer; the lock of
    :func:`vector_settings` is held only while a page is drawn, not for the whole book::

        book = PdfBook(buf, metadata)
        for fig in figures:
            book.add(fig)
        book.close()
    """

    def __init__(self, out, metadata: dict | None = None):
        from matplotlib.backends.backend_pdf import PdfFile

        with vector_settings():
            self.file = PdfFile(out, metadata=metadata or {})
        self.renderer_class = _fast_renderer_class()

    def _draw(self, fig) -> None:
        from matplotlib.backends.backend_mixed import MixedModeRenderer

        FigureCanvasAgg(fig)
        dpi = fig.dpi
        fig.dpi = 72  # 72 PDF points to an inch
        try:
            width, height = fig.get_size_inches()
            self.file.newPage(width, height)
            renderer = MixedModeRenderer(fig, width, height, dpi, self.renderer_class(self.file, dpi, height, width))
            fig.draw(renderer)
            renderer.finalize()
            self.file.endStream()
        finally:
            fig.dpi = dpi

    def add(self, fig) -> None:
        with vector_settings():
            self._draw(fig)

    def close(self) -> None:
        with vector_settings():
            try:
                self.file.finalize()
            finally:
                self.file.close()


def _pdf_pages(figures, out, metadata: dict | None) -> None:
    """Write ``figures`` as the pages of one PDF into ``out`` (inside :func:`vector_settings`)."""
    book = PdfBook(out, metadata)
    try:
        for fig in figures:
            book._draw(fig)
    finally:
        book.close()

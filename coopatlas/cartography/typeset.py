"""Page text drawn as text by every backend, placed with the maps' own metrics.

:class:`PageText` is a small matplotlib artist for one or more lines of text at a point of the page
(millimetres): it aligns the text with the sizes of :func:`.labels.text_size` (the metrics the label
placer and the layout use) and hands each line to the renderer's ``draw_text`` — a ``<text>`` element in
SVG, Type 42 text in PDF, pixels in PNG. matplotlib's :class:`~matplotlib.text.Text` does the same with
its own layout machinery, which costs about a millisecond per text: a map page holds 150 of them.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba

from .fonts import font
from .labels import _measure

PT_MM = 25.4 / 72.0


class PageText(Artist):
    """``text`` (lines separated by ``\\n``) at ``(x, y)`` mm of the page (transform ``MM``: mm to display),
    aligned by ``ha`` (left, center, right) and ``va`` (top, center, bottom, baseline)."""

    def __init__(
        self,
        MM,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        weight: str = "normal",
        style: str = "normal",
        color: str = "#222222",
        ha: str = "left",
        va: str = "baseline",
        linespacing: float = 1.25,
        zorder: float = 3.0,
        gid: str | None = None,
    ):
        super().__init__()
        self.MM, self.x, self.y, self.text = MM, x, y, text
        self.size, self.weight, self.style = size, weight, style
        self.color, self.ha, self.va, self.linespacing = color, ha, va, linespacing
        self.set_zorder(zorder)
        if gid:
            self.set_gid(gid)
        self.lines = text.split("\n")
        self.props = [font(size, weight, style, line) for line in self.lines]

    def get_text(self) -> str:
        return self.text

    def line_boxes(self):
        """``[(line, x_left, baseline_y, width, height, descent)]`` in mm."""
        metrics = [_measure(line, float(self.size), self.weight, self.style) for line in self.lines]
        step = self.size * PT_MM * self.linespacing
        total = step * (len(self.lines) - 1) + (metrics[0][1] if metrics else 0.0)
        if self.va == "top":
            first = self.y - (metrics[0][1] - metrics[0][2])
        elif self.va == "center":
            first = self.y + total / 2.0 - (metrics[0][1] - metrics[0][2])
        elif self.va == "bottom":
            first = self.y + step * (len(self.lines) - 1) + metrics[-1][2]
        else:
            first = self.y
        out = []
        for i, (line, (w, h, d)) in enumerate(zip(self.lines, metrics)):
            left = self.x - (w / 2.0 if self.ha == "center" else w if self.ha == "right" else 0.0)
            out.append((line, left, first - i * step, w, h, d))
        return out

    def draw(self, renderer):
        if not self.get_visible() or not self.text:
            return
        renderer.open_group("text", self.get_gid())
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self.color), isRGBA=True)
        gc.set_alpha(1.0)
        self._set_gc_clip(gc)
        flip = renderer.flipy()
        height = renderer.get_canvas_width_height()[1]
        for (line, left, base, *_), prop in zip(self.line_boxes(), self.props):
            if line:
                px, py = self.MM.transform((left, base))
                if flip:  # raster and SVG renderers count y from the top, as matplotlib's Text does for them
                    py = height - py
                renderer.draw_text(gc, px, py, line, prop, 0.0, ismath=False)
        gc.restore()
        renderer.close_group("text")
        self.stale = False

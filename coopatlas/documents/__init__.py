"""What every document of the atlas shares: the PDF reports (:mod:`coopatlas.reports`), the country maps
(:mod:`coopatlas.cartography`) and the charts (:mod:`coopatlas.charts`).

- :mod:`.formats`: numbers, percentages, amounts in euros, dates, in French and English;
- :mod:`.texts`: the :class:`~.texts.Texts` catalogues (French and English) and the texts that more than
  one document prints ("Page n / total", the SYNTHETIC mark, "Sources et attributions"...);
- :mod:`.notices`: the data's metadata (date, SYNTHETIC notice) and the attributions of the sources;
- :mod:`.figures`: a matplotlib figure as PNG, SVG or PDF bytes;
- :mod:`.pdf`: the PDF layout kit (reportlab): fonts, styles, data tables, the marks of every page.

This package is below the documents that use it: it imports the core (store, vocabulary, stats) and
never the reports, the cartography or the charts. No reportlab or matplotlib at import time: import the
sub-modules you need.
"""

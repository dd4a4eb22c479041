"""Print-quality cartography of the atlas.

- :mod:`.countrymap`: the map of one country's cooperation (process ``carte-pays``): what it shows
  (:mod:`.model`) and its output formats; :func:`.countrymap.render_country_map` is the entry point;
- :mod:`.mappage`, :mod:`.panel`: the map page (title, frames, insets, labels, credits) and its panel
  (legend, locator map, main partnerships), drawn with :mod:`.canvas` (page millimetres, map metres),
  :mod:`.framecontent` (symbols, labels to place, corners) and :mod:`.textblocks` (title, credits);
- :mod:`.texts`: the texts of the maps (French and English; the shared ones are in
  :mod:`coopatlas.documents.texts`);
- :mod:`.options`: the map's inputs, validated (every bad input named);
- :mod:`.data`: the partner places, table rows and counts of a country for a search;
- :mod:`.period`: the period a map shows (``datetime``, ``dates``: years) and the rows active in it;
- :mod:`.multiples`: the small multiple, the same country at 2 to 6 dates on one page;
- :mod:`.projection`: the projection chosen for a country (conformal or equal-area, centred on it) and
  where its remote parts go (main frame, insets);
- :mod:`.geography`, :mod:`.basemap`: the reference geography (Natural Earth countries, GeoNames admin-1
  points), country names and codes, and the projected background of a frame;
- :mod:`.symbols`, :mod:`.labels`, :mod:`.furniture`, :mod:`.layout`: proportional and pie symbols, the
  greedy label placer, scale bar and north arrow, the page layouts (A4, A3);
- :mod:`.fonts`, :mod:`.typeset`: the fonts (a light copy of DejaVu Sans) and the page text artist;
- :mod:`.export`, :mod:`.annex`: PDF, SVG, PNG and GeoTIFF output; the PDF annex (complete table);
- :mod:`.atlas`: a whole continent or the world as one multi-page PDF;
- :mod:`.gallery`: ``python -m coopatlas.cartography.gallery``, maps for a person to look at;
- :mod:`.overview`: the small maps of the PDF reports (the processes give them to the reports).

The PDF kit, the formats and the data notice come from :mod:`coopatlas.documents`; nothing here imports
:mod:`coopatlas.reports` (nor the reverse).

Geographic inputs are EPSG:4326 (longitude, latitude in degrees). Map coordinates are metres of the
map's projection; page coordinates are millimetres from the lower-left corner of the page.
This package imports nothing heavy at import time: import the sub-modules you need.
"""

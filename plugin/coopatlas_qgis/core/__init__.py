"""The plugin's logic without widgets: HTTP client of the CoopAtlas OGC API server, search criteria,
vocabulary, background tasks, layer loading, statistics and settings.

Nothing here imports the ``coopatlas`` server package: the plugin knows the atlas only over HTTP.
"""

"""The OGC API server of the atlas: pygeoapi configuration, WSGI app, providers and map rendering."""

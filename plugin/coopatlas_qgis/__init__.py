"""CoopAtlas for QGIS: the Atlas of decentralised cooperation, from a CoopAtlas OGC API server."""


def classFactory(iface):  # noqa: N802 - QGIS plugin API
    """QGIS entry point: the plugin instance for ``iface``."""
    from .plugin import CoopAtlasPlugin

    return CoopAtlasPlugin(iface)

"""CoopAtlas: the Atlas de la coopération décentralisée as open OGC API infrastructure."""

__version__ = "0.1.0"

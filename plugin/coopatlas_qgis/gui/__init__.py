"""Widgets: thin classes over the ``ui/*.ui`` forms; the logic lives in :mod:`..core`."""

"""The server's WSGI app with the Bourse blueprint registered: ``coopatlas.bourse.wsgi:APP``.

Identical to ``coopatlas.server.app:APP`` once ``"coopatlas.bourse.web:blueprint"`` is in that module's
``EXTENSIONS`` (then this module only re-exports it); until then, the tests of ``tests/bourse`` serve this
app with gunicorn, started as ``coopatlas serve`` starts it.
"""
from __future__ import annotations

from ..server.app import APP
from .web import blueprint

if blueprint.name not in APP.blueprints:
    APP.register_blueprint(blueprint)

__all__ = ["APP"]

"""The Flask blueprint of the Bourse projets, the accounts and the personal spaces, and the guard in front
of pygeoapi.

The server mounts it (``coopatlas.server.app``: ``"coopatlas.bourse.web:blueprint"`` in ``EXTENSIONS``).
It is made of one blueprint per responsibility, nested in :data:`blueprint`:

* :mod:`.bourse_pages`: the public pages of the Bourse (``coopatlas_bourse.bourse.*``);
* :mod:`.login`: web login and logout, API tokens (``coopatlas_bourse.login.*``);
* :mod:`.account_pages`: the pages of logged-in accounts (``coopatlas_bourse.compte.*``);
* :mod:`.api`: the JSON API of the accounts (``coopatlas_bourse.api.*``);
* :mod:`.guard`: no route, the hooks in front of pygeoapi for every request of the server;

on the shared :mod:`.auth` (sessions, bearer tokens, CSRF), :mod:`.rendering` (templates, error pages),
:mod:`.responses` (language, JSON answers and errors) and :mod:`.exports` (maps and PDFs kept in a
personal space).

Web pages (French and English: ``?lang=fr|en``, else the browser's language; plain HTML and local CSS, a
small local script for the place type-ahead):

==============================================  ===========================================================
``/bourse``                                     what the Bourse is, links
``/bourse/deposer``                             the request form (anonymous; CSRF-protected)
``/bourse/deposee/<token>``                     the confirmation with the reference number
``/bourse/completer/<ref>?jeton=...``           the submitter completes a request (link of the e-mail)
``/bourse/lieux?pays=BF&q=zin``                 GeoNames places of a country (JSON, for the form)
``/compte/connexion``, ``/compte/deconnexion``  web login (session cookie) and logout
``/compte``                                     the account's home
``/bourse/ambassade[/demandes/<ref>]``          embassy: requests of its country, decisions, audit trail
``/compte/collectivite``, ``/compte/projets/<id>``  collectivity: contacts and projects
``/compte/espace``                              personal space: list, add, download, delete
==============================================  ===========================================================

JSON API (``Authorization: Bearer <token>``; the token from ``POST /api/jetons``):

==================================================  ======================================================
``POST /api/jetons`` ``{email, mot_de_passe}``      a token (``duree_heures``: at most 720); ``DELETE``: revoke
``GET /api/moi``                                    the account
``GET /api/bourse/demandes?statut=&pays=``          requests the account may see
``GET /api/bourse/demandes/<ref>``                  one request and its audit trail
``POST /api/bourse/demandes/<ref>/transitions``     ``{vers, commentaire}``: a decision
``GET|PATCH /api/collectivites/<id>``               a collectivity's record (contacts)
``GET /api/collectivites/<id>/projets``             its projects
``GET|PATCH /api/projets/<id>``                     one project
``GET /api/modifications``                          the journal of updates (who, when, what)
``GET|POST /api/espace``                            personal space: list; add (JSON or multipart)
``GET|DELETE /api/espace/<id>``, ``.../contenu``    one item: metadata, delete; its file
==================================================  ======================================================

Errors are JSON ``{"code", "description", "parametre"}`` with 400, 401 (``WWW-Authenticate: Bearer``),
403, 404, 409, 413 or 429 (``Retry-After``).

The guard in front of pygeoapi (:mod:`.guard`) runs for every request of the server: pygeoapi's write
routes, admin API and job deletion are refused or kept for administrators, restricted processes are kept
for their roles, the private jobs of ``deposer-demande`` are hidden and deleted once answered.

Behind a reverse proxy set ``COOPATLAS_PROXY_FIX`` (werkzeug ProxyFix) so that the client address and the
scheme come from ``X-Forwarded-For``/``X-Forwarded-Proto``: cookies are then ``Secure`` on HTTPS.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint

from ..context import current
from ..errors import AccountError
from . import account_pages, api, bourse_pages, guard, login
from .responses import BLUEPRINT, api_error

LOGGER = logging.getLogger(__name__)

#: Key of ``app.extensions`` where the server's body limit reads the routes taking larger bodies.
UPLOAD_LIMITS = "coopatlas.upload_limits"
#: Key of ``app.extensions`` where the server's job policy reads the account that owns a job.
ACCOUNT_OF_REQUEST = "coopatlas.account_of_request"

#: The Bourse's blueprint: templates and static files of the package, the nested blueprints of its routes.
blueprint = Blueprint(
    BLUEPRINT,
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),
    template_folder="templates",
    static_folder="static",
    static_url_path="/bourse/static",
)
for _part in (guard, bourse_pages, login, account_pages, api):
    blueprint.register_blueprint(_part.blueprint)


@blueprint.record_once
def _setup(state) -> None:
    """Behind a reverse proxy (``COOPATLAS_PROXY_FIX``): werkzeug's ProxyFix, once, on the whole app. The
    uploads of the personal spaces take bodies up to their largest file (the server's body limit)."""
    upload = current().settings.space_max_bytes + api.MULTIPART_OVERHEAD
    state.app.extensions[UPLOAD_LIMITS] = {"/api/espace": upload, "/compte/espace": upload}
    state.app.extensions[ACCOUNT_OF_REQUEST] = guard.job_owner
    # /health checks the live database too (the server reads its checks from app.extensions)
    state.app.extensions.setdefault("coopatlas.health_checks", {})["live"] = (
        "a write transaction (writing nothing) on the live database",
        lambda: current().live.check(),
    )
    fix = current().settings.proxy_fix
    if fix:
        from werkzeug.middleware.proxy_fix import ProxyFix

        state.app.wsgi_app = ProxyFix(state.app.wsgi_app, **fix)
        LOGGER.info("ProxyFix(%s): client address and scheme from the X-Forwarded-* headers", fix)


@blueprint.errorhandler(AccountError)
def _account_error(exc: AccountError):
    """An account error that no route answered: a JSON 400 naming the parameter."""
    return api_error(400, exc.message, exc.field)

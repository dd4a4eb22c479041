"""Settings of the Bourse projets, the accounts and the personal spaces: read from the environment.

Where the data lives:

* the **atlas** (the served database, where requests become public): the database of the server's
  ``demandes`` collection in pygeoapi's configuration (``PYGEOAPI_CONFIG``), else
  ``COOPATLAS_DATABASE_URL`` / ``COOPATLAS_GPKG`` / ``build/atlas.gpkg``; with a read replica
  (``COOPATLAS_DATABASE_READ_URL``, which the collections read), the primary ``COOPATLAS_DATABASE_URL``;
* the **live database** (accounts, sessions, the requests as submitted and their audit trail, the
  collectivities' updates, personal files, rate limits, outgoing mail): ``COOPATLAS_LIVE_DATABASE`` (a
  SQLite file path or a ``postgresql://`` URL), else the schema ``coopatlas_live``
  (``COOPATLAS_LIVE_SCHEMA``) of the atlas's PostgreSQL database when the atlas is on PostGIS, else
  ``<var>/live.sqlite`` where ``<var>`` is the folder of the effective configuration written by
  ``coopatlas serve`` (``var/`` by default). Rebuilding or reloading the atlas never touches it.

Every other setting and its default is in :data:`ENV`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ROOT

#: Environment variables read by :func:`Settings.from_env`, with their default and meaning.
ENV = {
    "COOPATLAS_LIVE_DATABASE": ("", "live database: SQLite path or postgresql:// URL (default: see module doc)"),
    "COOPATLAS_LIVE_SCHEMA": ("coopatlas_live", "PostgreSQL schema of the live database"),
    "COOPATLAS_SMTP_HOST": ("", "SMTP server for the notifications; empty: mails are written to <var>/courriels/"),
    "COOPATLAS_SMTP_PORT": ("25", "SMTP port (465 with COOPATLAS_SMTP_SSL=1, 587 with STARTTLS, usually)"),
    "COOPATLAS_SMTP_USER": ("", "SMTP login (with COOPATLAS_SMTP_PASSWORD)"),
    "COOPATLAS_SMTP_PASSWORD": ("", "SMTP password"),
    "COOPATLAS_SMTP_STARTTLS": ("0", "1: STARTTLS after connecting"),
    "COOPATLAS_SMTP_SSL": ("0", "1: SMTP over TLS from the start (SMTPS)"),
    "COOPATLAS_SMTP_FROM": ("Bourse projets CoopAtlas <bourse-projets@coopatlas.invalid>", "sender of the mails"),
    "COOPATLAS_SMTP_TIMEOUT": ("10", "seconds to wait for the SMTP server"),
    "COOPATLAS_MAIL_INTERVAL": (
        "30",
        "seconds between two passes of each server's background mail sender (due mails and retries); "
        "0: none (run 'coopatlas mail --loop' or a timer instead)",
    ),
    "COOPATLAS_MAIL_RETRY_SECONDS": (
        "60",
        "wait after a mail's first failed attempt, doubled after each further failure (at most 6 h)",
    ),
    "COOPATLAS_BOURSE_RATE": ("5/3600", "requests accepted per client address: N/seconds"),
    "COOPATLAS_BOURSE_MAX_PENDING": ("3", "pending requests (soumise, a_completer) allowed per requesting authority"),
    "COOPATLAS_LOGIN_RATE": ("10/900", "failed logins allowed per client address and per account: N/seconds"),
    "COOPATLAS_SESSION_HOURS": ("8", "lifetime of a web session (hours)"),
    "COOPATLAS_TOKEN_HOURS": ("24", "default lifetime of an API token (hours; at most 720 can be asked)"),
    "COOPATLAS_PROXY_FIX": (
        "",
        "behind a reverse proxy: '1' (X-Forwarded-For/-Proto/-Host, one proxy) or "
        "werkzeug ProxyFix arguments 'x_for=1,x_proto=1'; empty: headers ignored",
    ),
    "COOPATLAS_SECURE_COOKIES": ("auto", "auto: Secure cookies when the request is HTTPS; 1: always; 0: never"),
    "COOPATLAS_RESTRICTED_PROCESSES": ("", "processes only some roles may execute: 'id:role+role,id2:role'"),
    "COOPATLAS_SECRET_KEY": (
        "",
        "key signing the CSRF tokens and links (default: generated once, kept in the live database)",
    ),
    "COOPATLAS_ATLAS_READONLY": (
        "0",
        "1: never write into the atlas (Bourse submissions, decisions and the "
        "collectivities' updates are refused with 403): a server on a shared copy",
    ),
    "COOPATLAS_ESPACE_MAX_MB": ("10", "largest file of a personal space (MB)"),
    "COOPATLAS_ESPACE_QUOTA_MB": ("200", "total size of one personal space (MB)"),
}

ROLES = ("administrateur", "ambassade", "collectivite")


def env(name: str) -> str:
    return os.environ.get(name, ENV[name][0]).strip()


def _rate(name: str) -> tuple[int, int]:
    text = env(name)
    try:
        n, seconds = text.split("/")
        n, seconds = int(n), int(seconds)
        if n < 1 or seconds < 1:
            raise ValueError
    except ValueError:
        raise ValueError(f"{name}={text!r}: expected N/seconds, e.g. 5/3600") from None
    return n, seconds


def _seconds(name: str, minimum: float) -> float:
    text = env(name)
    try:
        value = float(text)
        if not value >= minimum:
            raise ValueError
    except ValueError:
        raise ValueError(f"{name}={text!r}: expected a number of seconds (at least {minimum:g})") from None
    return value


def _restricted(text: str) -> dict[str, frozenset[str]]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        pid, _, roles = part.partition(":")
        wanted = frozenset(r for r in roles.split("+") if r)
        bad = wanted - set(ROLES)
        if not pid or not wanted or bad:
            raise ValueError(f"COOPATLAS_RESTRICTED_PROCESSES: bad entry {part!r} (roles: {', '.join(ROLES)})")
        out[pid] = wanted
    return out


def _proxy_fix(text: str) -> dict | None:
    if text in ("", "0"):
        return None
    if text == "1":
        return {"x_for": 1, "x_proto": 1, "x_host": 1}
    out = {}
    for part in text.split(","):
        k, _, v = part.strip().partition("=")
        if k not in ("x_for", "x_proto", "x_host", "x_port", "x_prefix") or not v.isdigit():
            raise ValueError(f"COOPATLAS_PROXY_FIX: bad entry {part!r}")
        out[k] = int(v)
    return out


def var_dir() -> Path:
    """The server's ``var/`` folder: the folder of ``PYGEOAPI_CONFIG`` when set, else ``<repo>/var``."""
    cfg = os.environ.get("PYGEOAPI_CONFIG")
    if cfg:
        return Path(cfg).resolve().parent
    return ROOT / "var"


def is_postgresql(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://", "postgresql+psycopg2://"))


def atlas_location_from_config(cfg: dict) -> tuple[str, str | None] | None:
    """(location, schema) of the ``demandes`` collection's database in a pygeoapi configuration: a
    GeoPackage path, or a ``postgresql://`` URL and the first schema of its ``search_path``."""
    try:
        providers = cfg["resources"]["demandes"]["providers"]
    except (KeyError, TypeError):
        return None
    for prov in providers:
        if prov.get("type") != "feature":
            continue
        data = prov.get("data")
        if isinstance(data, str):
            return data, None
        if isinstance(data, dict) and data.get("dbname"):
            from urllib.parse import quote

            user = quote(str(data.get("user") or ""), safe="")
            password = quote(str(data.get("password") or ""), safe="")
            auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
            url = f"postgresql://{auth}{data.get('host') or 'localhost'}:{data.get('port') or 5432}/{data['dbname']}"
            path = data.get("search_path") or []
            if isinstance(path, str):
                path = [p.strip() for p in path.split(",")]
            return url, (path[0] if path else None)
    return None


@dataclass
class Settings:
    atlas: str
    atlas_schema: str | None = None
    live: str = ""
    live_schema: str = "coopatlas_live"
    var: Path = field(default_factory=var_dir)
    public_url: str = "http://127.0.0.1:5000"
    smtp: dict = field(default_factory=dict)
    mail_interval: float = 30
    mail_retry_seconds: float = 60
    rate_submissions: tuple[int, int] = (5, 3600)
    max_pending: int = 3
    rate_login: tuple[int, int] = (10, 900)
    session_hours: float = 8
    token_hours: float = 24
    proxy_fix: dict | None = None
    secure_cookies: str = "auto"
    restricted_processes: dict = field(default_factory=dict)
    secret_key: str = ""
    atlas_readonly: bool = False
    space_max_bytes: int = 10 * 1024 * 1024
    space_quota_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_env(cls, pygeoapi_config: dict | None = None, **overrides) -> Settings:
        """The settings of this process: the environment, and the server's pygeoapi configuration."""
        from ..store import default_location

        found = atlas_location_from_config(pygeoapi_config) if pygeoapi_config else None
        if found:
            atlas, schema = found
        else:
            atlas = default_location()
            schema = os.environ.get("COOPATLAS_DATABASE_SCHEMA") if is_postgresql(atlas) else None
        primary = os.environ.get("COOPATLAS_DATABASE_URL", "")
        if os.environ.get("COOPATLAS_DATABASE_READ_URL") and is_postgresql(primary):
            atlas = primary  # the collections read the replica; the Bourse writes (and reads its writes) here
        if is_postgresql(atlas):
            schema = schema or os.environ.get("COOPATLAS_DATABASE_SCHEMA") or "atlas"
        var = var_dir()
        live = env("COOPATLAS_LIVE_DATABASE")
        if not live:
            live = atlas if is_postgresql(atlas) else str(var / "live.sqlite")
        url = (
            ((pygeoapi_config or {}).get("server") or {}).get("url")
            or os.environ.get("COOPATLAS_URL")
            or "http://127.0.0.1:5000"
        )
        smtp = {
            "host": env("COOPATLAS_SMTP_HOST"),
            "port": int(env("COOPATLAS_SMTP_PORT") or 25),
            "user": env("COOPATLAS_SMTP_USER"),
            "password": os.environ.get("COOPATLAS_SMTP_PASSWORD", ""),
            "starttls": env("COOPATLAS_SMTP_STARTTLS") == "1",
            "ssl": env("COOPATLAS_SMTP_SSL") == "1",
            "from": env("COOPATLAS_SMTP_FROM"),
            "timeout": float(env("COOPATLAS_SMTP_TIMEOUT") or 10),
        }
        secure = env("COOPATLAS_SECURE_COOKIES").lower()
        if secure not in ("auto", "1", "0"):
            raise ValueError(f"COOPATLAS_SECURE_COOKIES={secure!r}: auto, 1 or 0")
        values = dict(
            atlas=str(atlas),
            atlas_schema=schema,
            live=live,
            live_schema=env("COOPATLAS_LIVE_SCHEMA"),
            var=var,
            public_url=str(url).rstrip("/"),
            smtp=smtp,
            mail_interval=_seconds("COOPATLAS_MAIL_INTERVAL", minimum=0),
            mail_retry_seconds=_seconds("COOPATLAS_MAIL_RETRY_SECONDS", minimum=0.1),
            rate_submissions=_rate("COOPATLAS_BOURSE_RATE"),
            max_pending=int(env("COOPATLAS_BOURSE_MAX_PENDING")),
            rate_login=_rate("COOPATLAS_LOGIN_RATE"),
            session_hours=float(env("COOPATLAS_SESSION_HOURS")),
            token_hours=float(env("COOPATLAS_TOKEN_HOURS")),
            proxy_fix=_proxy_fix(env("COOPATLAS_PROXY_FIX")),
            secure_cookies=secure,
            restricted_processes=_restricted(env("COOPATLAS_RESTRICTED_PROCESSES")),
            secret_key=os.environ.get("COOPATLAS_SECRET_KEY", ""),
            atlas_readonly=env("COOPATLAS_ATLAS_READONLY") == "1",
            space_max_bytes=int(float(env("COOPATLAS_ESPACE_MAX_MB")) * 1024 * 1024),
            space_quota_bytes=int(float(env("COOPATLAS_ESPACE_QUOTA_MB")) * 1024 * 1024),
        )
        values.update(overrides)
        return cls(**values)

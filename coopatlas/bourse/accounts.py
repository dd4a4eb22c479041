"""Accounts of the atlas's professionals: roles, passwords (argon2), web sessions and API tokens.

Roles (:data:`ROLES`):

* ``administrateur``: every request of every country, every collectivity, the accounts;
* ``ambassade``: one country (``pays_code``): the requests of that country, which it validates, rejects,
  asks to complete, or marks as matched;
* ``collectivite``: one French collectivity (``collectivite_id`` of the atlas): updates its own projects
  and contacts.

Every account has a personal space (:mod:`coopatlas.bourse.space`). Accounts are created with the command
line (``coopatlas comptes create --role ambassade --pays BF --email ...``); nobody signs up on the web.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, rehashed when they change). A login gives
either a web session (cookie, :data:`~coopatlas.bourse.settings.Settings.session_hours`) or an API bearer
token (``Authorization: Bearer ca_...``, :data:`~coopatlas.bourse.settings.Settings.token_hours`, at most
:data:`MAX_TOKEN_HOURS`); only their SHA-256 digest is stored, both expire, both can be revoked (logout).
Failed logins are limited (``COOPATLAS_LOGIN_RATE``: N per seconds, a sliding window) per pair of client
address and account, and :data:`ADDRESS_FACTOR` times more per client address whatever the account: a
guesser is slowed down, but nobody can lock an account out from another address (OWASP ASVS 2.2.1). Each
attempt is counted before the password is checked, in the transaction that checks the limits: concurrent
attempts never get more checks than the limit.
"""

from __future__ import annotations

import getpass
import hashlib
import secrets
import sys
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import AccountError, LoginError
from .live import LiveDB, Tx, later, now
from .settings import ROLES
from .submission import valid_email

MAX_TOKEN_HOURS = 720
MIN_PASSWORD = 12
TOKEN_PREFIX = "ca_"
#: Failed logins allowed per client address (all accounts), as a multiple of those per address and account.
ADDRESS_FACTOR = 3
_HASHER = PasswordHasher()
_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist (same time either way)."""
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash(secrets.token_hex(16)))
    return _DUMMY[0]


ROLE_LABELS = {
    "administrateur": ("Administrateur", "Administrator"),
    "ambassade": ("Ambassade", "Embassy"),
    "collectivite": ("Collectivité", "Local authority"),
}


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str
    pays_code: str | None = None
    collectivite_id: str | None = None
    nom: str | None = None
    actif: bool = True

    @property
    def is_admin(self) -> bool:
        return self.role == "administrateur"

    def can_handle_country(self, code: str | None) -> bool:
        """Whether this account sees and decides the requests of country ``code``."""
        return self.is_admin or (self.role == "ambassade" and code is not None and code == self.pays_code)

    def can_edit_collectivite(self, collectivite_id: str | None) -> bool:
        return self.is_admin or (
            self.role == "collectivite" and collectivite_id is not None and collectivite_id == self.collectivite_id
        )

    def label(self) -> str:
        scope = self.pays_code or self.collectivite_id or ""
        return f"{self.email} ({self.role}{' ' + scope if scope else ''})"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "email": self.email,
            "role": self.role,
            "pays_code": self.pays_code,
            "collectivite_id": self.collectivite_id,
            "nom": self.nom,
            "actif": self.actif,
        }


def _account(row: dict | None) -> Account | None:
    if row is None:
        return None
    return Account(
        int(row["id"]),
        row["email"],
        row["role"],
        row.get("pays_code"),
        row.get("collectivite_id"),
        row.get("nom"),
        bool(row["actif"]),
    )


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", f"at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccountError("password", "at most 1024 characters")


def create_account(
    live: LiveDB,
    email: str,
    role: str,
    password: str,
    pays_code: str | None = None,
    collectivite_id: str | None = None,
    nom: str | None = None,
) -> Account:
    """Create an account (the caller checks that the country or the collectivity exists)."""
    email = (email or "").strip().lower()
    if not valid_email(email):
        raise AccountError("email", f"not a valid e-mail address: {email!r}")
    if role not in ROLES:
        raise AccountError("role", f"one of {', '.join(ROLES)}")
    if role == "ambassade" and not pays_code:
        raise AccountError("pays", "an embassy account needs its country (--pays XX)")
    if role == "collectivite" and not collectivite_id:
        raise AccountError("collectivite", "a collectivity account needs its collectivity (--collectivite ID)")
    if role != "ambassade" and pays_code:
        raise AccountError("pays", f"only embassy accounts have a country (role {role})")
    if role != "collectivite" and collectivite_id:
        raise AccountError("collectivite", f"only collectivity accounts have a collectivity (role {role})")
    check_password(password)
    h = _HASHER.hash(password)
    with live.tx() as t:
        if t.execute("SELECT 1 FROM comptes WHERE email = ?", (email,)).one():
            raise AccountError("email", f"an account {email} exists already")
        stamp = now()
        row = t.execute(
            "INSERT INTO comptes (email, role, pays_code, collectivite_id, nom, hash, actif, cree, modifie) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING *",
            (email, role, pays_code.upper() if pays_code else None, collectivite_id, nom, h, stamp, stamp),
        ).one()
    return _account(row)


def get_account(live: LiveDB, email: str | None = None, account_id: int | None = None) -> Account | None:
    with live.tx(write=False) as t:
        if account_id is not None:
            row = t.execute("SELECT * FROM comptes WHERE id = ?", (account_id,)).one()
        else:
            row = t.execute("SELECT * FROM comptes WHERE email = ?", ((email or "").strip().lower(),)).one()
    return _account(row)


def list_accounts(live: LiveDB) -> list[Account]:
    with live.tx(write=False) as t:
        return [_account(r) for r in t.execute("SELECT * FROM comptes ORDER BY id").all()]


def set_password(live: LiveDB, email: str, password: str) -> None:
    check_password(password)
    h = _HASHER.hash(password)
    with live.tx() as t:
        n = t.execute("UPDATE comptes SET hash = ?, modifie = ? WHERE email = ?", (h, now(), email.lower())).rowcount
        if not n:
            raise AccountError("email", f"no account {email}")
        t.execute("DELETE FROM jetons WHERE compte_id = (SELECT id FROM comptes WHERE email = ?)", (email.lower(),))


def set_active(live: LiveDB, email: str, active: bool) -> None:
    with live.tx() as t:
        n = t.execute(
            "UPDATE comptes SET actif = ?, modifie = ? WHERE email = ?", (1 if active else 0, now(), email.lower())
        ).rowcount
        if not n:
            raise AccountError("email", f"no account {email}")
        if not active:
            t.execute("DELETE FROM jetons WHERE compte_id = (SELECT id FROM comptes WHERE email = ?)", (email.lower(),))


def authenticate(live: LiveDB, email: str, password: str, client: str, rate: tuple[int, int]) -> Account:
    """The active account of ``email`` if ``password`` is right; :class:`LoginError` otherwise (also when
    this client address has had too many failures for this account, or for all accounts, in the sliding
    window ``rate`` = (n, seconds))."""
    email = (email or "").strip().lower()[:254]
    limit, window = rate
    pair, address = f"login:{client}:{email}", f"login-ip:{client}"
    with live.tx() as t:  # checked and counted at once: the attempt counts as a failure until it succeeds
        for key, most in ((pair, limit), (address, limit * ADDRESS_FACTOR)):
            if LiveDB.count(t, key, window) >= most:
                raise LoginError(throttled=True, retry_after=LiveDB.retry_after(t, key, window, most))
        for key in (pair, address):
            LiveDB.hit(t, key, window)
        row = t.execute("SELECT * FROM comptes WHERE email = ?", (email,)).one()
    ok = False
    try:
        if row is not None and row["actif"]:
            ok = _HASHER.verify(row["hash"], password or "")
        else:
            _HASHER.verify(_dummy_hash(), password or "")  # same time whether the account exists or not
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise LoginError()
    with live.tx() as t:
        LiveDB.forget(t, pair)  # the right password: this pair's failures are forgotten
        LiveDB.unhit(t, address)  # and this attempt was no failure
        updates, params = ["derniere_connexion = ?"], [now()]
        if _HASHER.check_needs_rehash(row["hash"]):
            updates.append("hash = ?")
            params.append(_HASHER.hash(password))
        t.execute(f"UPDATE comptes SET {', '.join(updates)} WHERE id = ?", (*params, row["id"]))
    return _account(row)


def issue_token(live: LiveDB, account: Account, kind: str, hours: float, label: str | None = None) -> tuple[str, str]:
    """A new session (``kind='session'``) or API token (``'api'``) of ``account``: (token, expiry ISO time).
    Expired tokens of every account are purged on the way."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = later(hours * 3600)
    with live.tx() as t:
        t.execute("DELETE FROM jetons WHERE expire <= ?", (now(),))
        t.execute(
            "INSERT INTO jetons (empreinte, compte_id, genre, cree, expire, libelle) VALUES (?, ?, ?, ?, ?, ?)",
            (digest(token), account.id, kind, now(), expires, (label or "")[:100] or None),
        )
    return token, expires


def account_of_token(live: LiveDB, token: str | None, kind: str) -> Account | None:
    """The active account a valid (unexpired) token of ``kind`` belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with live.tx(write=False) as t:
        row = t.execute(
            "SELECT c.*, j.expire FROM jetons j JOIN comptes c ON c.id = j.compte_id "
            "WHERE j.empreinte = ? AND j.genre = ?",
            (digest(token), kind),
        ).one()
    if row is None or row["expire"] <= now() or not row["actif"]:  # (times to the second)
        return None
    return _account(row)


def revoke(live: LiveDB, token: str) -> bool:
    with live.tx() as t:
        return bool(t.execute("DELETE FROM jetons WHERE empreinte = ?", (digest(token),)).rowcount)


def actor(account: Account | None, t: Tx | None = None) -> str:
    return account.label() if account else "anonyme"


# --- command line: coopatlas comptes -----------------------------------------------------------------------


def add_arguments(parser) -> None:
    parser.add_argument(
        "--var",
        default=None,
        help="the server's var/ folder, home of live.sqlite (default: var/ of the repository); "
        "COOPATLAS_LIVE_DATABASE or COOPATLAS_DATABASE_URL choose another live database",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = sub.add_parser("create", help="create an account")
    c.add_argument("--email", required=True)
    c.add_argument("--role", required=True, choices=ROLES)
    c.add_argument("--pays", help="embassy accounts: the country (ISO 3166-1 alpha-2)")
    c.add_argument("--collectivite", help="collectivity accounts: the id of the collectivity in the atlas")
    c.add_argument("--nom", help="display name")
    c.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else one is generated and printed once)",
    )
    sub.add_parser("list", help="list the accounts")
    for name, help_ in (
        ("disable", "disable an account (its sessions and tokens are revoked)"),
        ("enable", "enable a disabled account"),
        ("password", "set a new password (its sessions and tokens are revoked)"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--email", required=True)
        if name == "password":
            p.add_argument("--password-stdin", action="store_true")


def _context(args):
    import os
    from pathlib import Path

    if args.var:
        os.environ["PYGEOAPI_CONFIG"] = str(Path(args.var).resolve() / "pygeoapi-config.yml")
    from .context import Context

    return Context.from_env()


def _read_password(args) -> tuple[str, bool]:
    if getattr(args, "password_stdin", False):
        pw = sys.stdin.readline().rstrip("\n")
        return pw, False
    if sys.stdin.isatty():
        pw = getpass.getpass("password (empty: generate one): ")
        if pw:
            return pw, False
    return secrets.token_urlsafe(15), True


def run(args) -> int:
    ctx = _context(args)
    live = ctx.live
    try:
        if args.action == "create":
            pays = args.pays.upper() if args.pays else None
            if pays and ctx.geo.country(pays) is None:
                raise AccountError("pays", f"unknown country {args.pays!r} (ISO 3166-1 alpha-2 code, not FR)")
            if args.collectivite:
                from .. import schema as sch

                with ctx.atlas.read() as a:
                    if a.get(sch.COLLECTIVITES, args.collectivite) is None:
                        raise AccountError(
                            "collectivite", f"no collectivity {args.collectivite!r} in the atlas {ctx.atlas}"
                        )
            password, generated = _read_password(args)
            acc = create_account(live, args.email, args.role, password, pays, args.collectivite, args.nom)
            print(f"created {acc.label()}")
            if generated:
                print(f"password: {password}")
        elif args.action == "list":
            for acc in list_accounts(live):
                print(
                    f"{acc.id}\t{acc.email}\t{acc.role}\t{acc.pays_code or acc.collectivite_id or ''}\t"
                    f"{'active' if acc.actif else 'disabled'}"
                )
        elif args.action in ("disable", "enable"):
            set_active(live, args.email, args.action == "enable")
            print(f"{args.action}d {args.email}")
        elif args.action == "password":
            password, generated = _read_password(args)
            set_password(live, args.email, password)
            print(f"new password set for {args.email}")
            if generated:
                print(f"password: {password}")
    except AccountError as exc:
        print(f"coopatlas comptes: {exc}", file=sys.stderr)
        return 2
    return 0

"""Helpers of the Bourse projets tests: the real server (gunicorn, several workers) on a private copy of
the atlas of the tests (``copy_atlas``), a real SMTP sink (aiosmtpd), accounts, an HTTP client.

The server is started by ``coopatlas serve`` (its app mounts the Bourse's blueprint).
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from support.atlas import copy_atlas  # noqa: F401  (a private copy of the test atlas, for a test that writes)
from support.postgis import free_port
from support.servers import answers_within, http_session, server_env, spawn_server  # http_session: resends GETs

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120
ARTEFACTS = ROOT / "test-artefacts" / "bourse"


#: Settings of the test server: low limits that the tests check, X-Forwarded-* trusted (one proxy).
SERVER_ENV = {
    "COOPATLAS_PROXY_FIX": "x_for=1,x_proto=1",
    "COOPATLAS_BOURSE_RATE": "3/3600",
    "COOPATLAS_BOURSE_MAX_PENDING": "2",
    "COOPATLAS_LOGIN_RATE": "5/900",
    "COOPATLAS_RESTRICTED_PROCESSES": "fiche-projet:administrateur+collectivite",
}


def smtp_env(sink) -> dict:
    return {"COOPATLAS_SMTP_HOST": "127.0.0.1", "COOPATLAS_SMTP_PORT": str(sink.port)}


def cli_command() -> list[str]:
    """``coopatlas comptes``, the accounts command."""
    return [sys.executable, "-m", "coopatlas", "comptes"]


# --- SMTP sink ---------------------------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self._cond = threading.Condition()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with sink._cond:
                    sink.messages.append(msg)
                    sink._cond.notify_all()
                return "250 OK"

        self.port = port or free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def find(self, to: str | None = None, contains: str | None = None) -> list:
        out = []
        with self._cond:
            msgs = list(self.messages)
        for m in msgs:
            if to and to.lower() not in str(m["To"]).lower():
                continue
            body = m.get_body(preferencelist=("plain",)).get_content()
            if contains and contains not in body and contains not in str(m["Subject"]):
                continue
            out.append(m)
        return out

    def wait_for(self, to: str | None = None, contains: str | None = None, timeout: float = 15):
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(to, contains)
            if found:
                return found[-1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no mail to {to!r} containing {contains!r} within {timeout} s; "
                    f"received: {[(str(m['To']), str(m['Subject'])) for m in self.messages]}"
                )
            with self._cond:
                self._cond.wait(min(remaining, 0.2))

    @staticmethod
    def body(msg) -> str:
        return msg.get_body(preferencelist=("plain",)).get_content()


# --- the server ----------------------------------------------------------------------------------------------


@dataclass
class BourseServer:
    url: str
    process: subprocess.Popen
    var: Path
    gpkg: Path | None
    database_url: str | None
    env: dict
    port: int
    _s: requests.Session = field(default_factory=http_session, repr=False)

    @property
    def live_db(self) -> Path:
        return self.var / "live.sqlite"

    def get(self, path, **kw):
        kw.setdefault("timeout", 60)
        return self._s.get(self.url + path, **kw)

    def post(self, path, **kw):
        kw.setdefault("timeout", 60)
        return self._s.post(self.url + path, **kw)

    def log_tail(self, n=80) -> str:
        try:
            return "\n".join((self.var / "server.log").read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """SIGKILL to gunicorn's master and workers (its process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=20)


def start_server(
    var: Path,
    *,
    gpkg: Path | None = None,
    database_url: str | None = None,
    env: dict | None = None,
    workers: int = 2,
    port: int | None = None,
) -> BourseServer:
    """``coopatlas serve`` (gunicorn) on a free port of 127.0.0.1, waited for."""
    port = port or free_port()
    # the Bourse writes into its atlas (a private copy); no COOPATLAS_* of the test process, only SERVER_ENV's
    environ = server_env(env, gpkg=gpkg, database_url=database_url, readonly=False, isolated=True)
    proc = spawn_server(port, var, environ, workers=workers)
    server = BourseServer(f"http://127.0.0.1:{port}", proc, var, gpkg, database_url, environ, port)
    if answers_within(proc, server.url + "/bourse/lieux?pays=BF&q=zin", START_TIMEOUT, server.log_tail):
        return server
    server.kill()
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{server.log_tail()}")


# --- accounts and API -------------------------------------------------------------------------------------------

PASSWORD = "un-mot-de-passe-solide"


def create_account(
    server: BourseServer,
    email: str,
    role: str,
    pays: str | None = None,
    collectivite: str | None = None,
    password: str = PASSWORD,
    via_cli: bool = False,
) -> None:
    if via_cli:
        cmd = cli_command() + ["--var", str(server.var), "create", "--role", role, "--email", email, "--password-stdin"]
        if pays:
            cmd += ["--pays", pays]
        if collectivite:
            cmd += ["--collectivite", collectivite]
        env = {k: v for k, v in server.env.items() if k not in ("PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI")}
        out = subprocess.run(cmd, input=password + "\n", text=True, capture_output=True, cwd=ROOT, env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        return
    from coopatlas.bourse.accounts import create_account as create
    from coopatlas.bourse.live import LiveDB

    live = LiveDB(server.database_url or server.live_db)
    try:
        create(live, email, role, password, pays, collectivite)
    finally:
        live.close()


class Api:
    """The JSON API with a bearer token."""

    def __init__(
        self, server: BourseServer, email: str | None = None, password: str = PASSWORD, token: str | None = None
    ):
        self.server = server
        self.s = http_session()
        self.token = token
        if email:
            r = self.s.post(server.url + "/api/jetons", json={"email": email, "mot_de_passe": password}, timeout=30)
            assert r.status_code == 201, r.text
            self.token = r.json()["jeton"]
        if self.token:
            self.s.headers["Authorization"] = f"Bearer {self.token}"

    def req(self, method, path, **kw):
        kw.setdefault("timeout", 60)
        return self.s.request(method, self.server.url + path, **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, **kw):
        return self.req("POST", path, **kw)

    def patch(self, path, **kw):
        return self.req("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)

    def transition(self, ref, vers, commentaire=None):
        body = {"vers": vers}
        if commentaire is not None:
            body["commentaire"] = commentaire
        return self.post(f"/api/bourse/demandes/{ref}/transitions", json=body)


_counter = iter(range(1, 10**9))


def request_inputs(**over) -> dict:
    """Valid inputs of a request (a fresh authority name each time, so the pending cap never bites)."""
    n = next(_counter)
    base = {
        "demandeur_nom": f"Commune de test {os.getpid()}-{n}",
        "demandeur_type": "localite",
        "pays_code": "BF",
        "lieu": "Ziniaré",
        "contact_nom": "Awa Test",
        "contact_email": f"awa.{n}@commune.example",
        "titre": f"Accès à l'eau potable, quartier {n}",
        "description": "Forages, bornes-fontaines et formation d'un service municipal de l'eau.",
        "sous_sous_thematique": "acces_eau_potable",
        "profil_partenaire": "Commune de taille comparable",
        "langues": ["fr"],
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def submit(server: BourseServer, inputs: dict, client_ip: str | None = None, timeout: float = 120):
    """POST to the deposer-demande process; the response."""
    headers = {"X-Forwarded-For": client_ip} if client_ip else {}
    return requests.post(
        server.url + "/processes/deposer-demande/execution", json={"inputs": inputs}, headers=headers, timeout=timeout
    )


_ip = iter(range(1, 10**9))


def new_ip() -> str:
    """A client address of its own (the rate limit is per address; the test server trusts X-Forwarded-For)."""
    n = next(_ip) + os.getpid() % 1000 * 100000
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


REF = re.compile(r"^BP-\d{4}-\d{5}$")

"""The process-wide context of the live features: settings, live database, atlas, geography.

The server's blueprint and the ``deposer-demande`` process share it (:func:`current`); the command line
makes its own (:meth:`Context.from_env`).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from pathlib import Path

from . import atlas as atlas_mod
from . import atlas_sync, mail
from .errors import WorkflowError
from .geo import Geography, geography
from .live import LiveDB
from .settings import Settings

LOGGER = logging.getLogger(__name__)
#: Seconds between two checks that the atlas has every live change (a rebuilt atlas lacks them all).
SYNC_CHECK_SECONDS = 15


class Context:
    def __init__(self, settings: Settings, geo: Geography | None = None):
        self.settings = settings
        self.live = LiveDB(settings.live, settings.live_schema)
        self.atlas = atlas_mod.Atlas(settings.atlas, settings.atlas_schema)
        self.geo = geo or geography()
        self._checked = 0.0
        self._check_lock = threading.Lock()
        self._sender_pid: int | None = None

    def __repr__(self):
        return f"<Context live={self.live!r} atlas={self.atlas!r}>"

    @classmethod
    def from_env(cls, pygeoapi_config: dict | None = None, **overrides) -> Context:
        if pygeoapi_config is None:
            pygeoapi_config = _read_pygeoapi_config()
        return cls(Settings.from_env(pygeoapi_config, **overrides))

    def check_writable(self) -> None:
        """Refuse (403) what would write into the atlas when ``COOPATLAS_ATLAS_READONLY=1``."""
        if self.settings.atlas_readonly:
            raise WorkflowError(
                403,
                None,
                "this server does not write into its atlas (COOPATLAS_ATLAS_READONLY=1): "
                "the Bourse projets and the updates are closed here",
            )

    # --- after a live change ---
    def sync(self) -> int:
        """Apply the live changes the atlas lacks (see :func:`coopatlas.bourse.atlas_sync.sync`). A failure is
        logged, not raised: the change is safe in the live database and the next sync applies it."""
        if self.settings.atlas_readonly:
            return 0
        try:
            n = atlas_sync.sync(self.live, self.atlas, self.geo)
            self._checked = time.monotonic()
            return n
        except Exception:
            LOGGER.exception(
                "live changes not applied to the atlas %s yet (retried at the next change or check)", self.atlas
            )
            return 0

    def deliver_mail(self) -> int:
        """Send the mails due now (see :func:`coopatlas.bourse.mail.deliver`); a failure is logged."""
        s = self.settings
        try:
            return mail.deliver(self.live, s.smtp, s.var, retry_base=s.mail_retry_seconds)
        except Exception:
            LOGGER.exception("mail delivery failed (retried later)")
            return 0

    def start_mail_sender(self) -> None:
        """Start this process's background mail sender, once per process (``COOPATLAS_MAIL_INTERVAL`` > 0): a
        daemon thread that sends the due mails and retries every interval (±25 %, so that the workers of
        several servers do not all look at once), whatever the requests. Several senders are safe: each
        message is claimed by one of them."""
        interval = self.settings.mail_interval
        if interval <= 0 or self._sender_pid == os.getpid():
            return
        with self._check_lock:
            if self._sender_pid == os.getpid():
                return
            self._sender_pid = os.getpid()
            threading.Thread(target=self._send_forever, args=(interval,), name="coopatlas-mail", daemon=True).start()

    def _send_forever(self, interval: float) -> None:
        while True:
            time.sleep(interval * random.uniform(0.75, 1.25))
            if _current is not self:  # replaced (set_current): the new context starts its own sender
                return
            self.deliver_mail()

    def after_change(self) -> None:
        self.sync()
        self.deliver_mail()

    def ensure_synced(self, force: bool = False) -> None:
        """Cheap check (at most every :data:`SYNC_CHECK_SECONDS` unless ``force``) that the atlas has every
        live change; applies them when it does not (after a rebuild, or a crash between two commits)."""
        if self.settings.atlas_readonly or (not force and time.monotonic() - self._checked < SYNC_CHECK_SECONDS):
            return
        with self._check_lock:
            if not force and time.monotonic() - self._checked < SYNC_CHECK_SECONDS:
                return
            try:
                self.atlas.recover()
                if atlas_sync.pending(self.live, self.atlas):
                    self.sync()
                self._checked = time.monotonic()
            except Exception:
                LOGGER.exception("cannot check the atlas %s against the live database", self.atlas)


def _read_pygeoapi_config() -> dict | None:
    path = os.environ.get("PYGEOAPI_CONFIG")
    if not path or not Path(path).is_file():
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
        if "${" not in text:  # the effective configuration written by coopatlas serve: plain YAML
            import yaml

            return yaml.safe_load(text)
        import io

        from pygeoapi.util import yaml_load  # placeholders filled from the environment, as pygeoapi does

        return yaml_load(io.StringIO(text))
    except Exception:  # noqa: BLE001 - fall back on the environment
        LOGGER.warning("cannot read %s; Bourse settings from the environment only", path)
        return None


_current: Context | None = None
_current_lock = threading.Lock()


def current() -> Context:
    """The context of this process (the server's: built from pygeoapi's configuration on first use)."""
    global _current
    if _current is None:
        with _current_lock:
            if _current is None:
                import sys

                app = sys.modules.get("pygeoapi.flask_app")  # in the server: its configuration
                _current = Context.from_env(getattr(app, "CONFIG", None) if app else None)
    return _current


def set_current(ctx: Context | None) -> None:
    global _current
    _current = ctx

"""``coopatlas mail``: send the Bourse's due mails and retries, once or in a loop (see :mod:`.mail`).

Each server already sends the mails of its own changes at once, and retries in its background sender
(``COOPATLAS_MAIL_INTERVAL``); this command is the sender that needs no web server: run it once from a
systemd timer or cron (``coopatlas mail``), or as a service (``coopatlas mail --loop``). Several senders
at once are safe (each message is claimed by one). It reads the same settings as the server: the live
database (``COOPATLAS_DATABASE_URL``, ``COOPATLAS_LIVE_DATABASE`` or ``--var``) and ``COOPATLAS_SMTP_*``.

Exit status: 0, also when some mails failed (they are retried later: the counts are printed); 2 when the
live database cannot be reached or a setting is not valid.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

from ..store.faults import BackendUnavailable
from . import mail

LOGGER = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--var",
        default=None,
        help="the server's var/ folder (GeoPackage mode: home of live.sqlite and of the development outbox "
        "courriels/); COOPATLAS_DATABASE_URL or COOPATLAS_LIVE_DATABASE choose the live database",
    )
    parser.add_argument("--loop", action="store_true", help="keep sending until stopped (SIGTERM, SIGINT)")
    parser.add_argument(
        "--interval", type=float, default=15.0, help="with --loop: seconds between two passes (default: 15)"
    )
    parser.add_argument("--limit", type=int, default=100, help="messages sent at most per pass (default: 100)")
    parser.add_argument("--quiet", action="store_true", help="print nothing when nothing was due")


def _pass(ctx, limit: int, quiet: bool) -> int:
    s = ctx.settings
    sent = mail.deliver(ctx.live, s.smtp, s.var, limit=limit, retry_base=s.mail_retry_seconds)
    counts = mail.outbox(ctx.live)
    if sent or not quiet:
        print(
            f"coopatlas mail: {sent} sent; {counts['queued']} queued (retried later), "
            f"{counts['abandoned']} abandoned after {mail.MAX_TRIES} attempts",
            flush=True,
        )
    return sent


def _context(var: str | None):
    if var:
        os.environ["PYGEOAPI_CONFIG"] = str(Path(var).resolve() / "pygeoapi-config.yml")
    from .context import Context

    return Context.from_env()


def run(args) -> int:
    if args.interval <= 0 or args.limit < 1:
        print("coopatlas mail: --interval must be > 0 and --limit at least 1", file=sys.stderr)
        return 2
    try:
        ctx = _context(args.var)
    except ValueError as exc:  # a setting of the environment that is not valid: named in the message
        print(f"coopatlas mail: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    if args.loop:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    while True:
        try:
            _pass(ctx, args.limit, args.quiet)
        except BackendUnavailable as exc:
            print(f"coopatlas mail: {exc}", file=sys.stderr, flush=True)
            if not args.loop:
                return 2
        if not args.loop or stop.wait(args.interval):
            return 0

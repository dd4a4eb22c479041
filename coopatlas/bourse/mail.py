"""Outgoing mail of the Bourse projets: a transactional outbox in the live database, delivered by SMTP.

A notification is queued (:func:`queue`) in the same live transaction as the change it reports, so a
change is never committed without its mail nor a mail sent for a change that was rolled back. After the
commit, :func:`deliver` sends what is due (claiming each message first, so that several workers or
servers never send one twice); a message that fails stays queued and is retried with an exponential
backoff (:func:`backoff`: ``COOPATLAS_MAIL_RETRY_SECONDS`` after the first failure, twice that after the
second..., at most :data:`MAX_BACKOFF_SECONDS`), at most :data:`MAX_TRIES` times, the last error kept.
A message claimed by a sender that died is taken again after :data:`CLAIM_SECONDS`.

Retries do not wait for the next change: whichever server is alive sends what is due, by its background
sender (:class:`.context.Context`, every ``COOPATLAS_MAIL_INTERVAL`` seconds) or by ``coopatlas mail``
(:mod:`coopatlas.bourse.mail_command`, once or ``--loop``, for a systemd timer or service).

The SMTP server is configured by ``COOPATLAS_SMTP_*`` (:mod:`coopatlas.bourse.settings`); with no
``COOPATLAS_SMTP_HOST`` messages are written as ``.eml`` files into ``<var>/courriels/`` of the server
that sends them (development only: with several servers, configure an SMTP server).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from .live import LiveDB, Tx, now

LOGGER = logging.getLogger(__name__)
#: Attempts of one message before it is abandoned: with the default backoff, about 20 hours of retries.
MAX_TRIES = 12
#: A claimed message not sent within this many seconds may be claimed again (its sender died).
CLAIM_SECONDS = 120
#: The longest wait between two attempts of one message.
MAX_BACKOFF_SECONDS = 6 * 3600
#: Queued messages looked at per delivery (the oldest first).
SCAN_LIMIT = 500


def backoff(tries: int, base: float) -> float:
    """Seconds to wait after the ``tries``-th failed attempt of a message: ``base``, then doubled each time."""
    return min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, tries - 1))


def _due(row: dict, base: float, stamp: dt.datetime) -> bool:
    """Whether a queued, unclaimed (or abandoned) message may be attempted at ``stamp``."""
    if not row["tentatives"] or not row["prise_date"]:
        return True
    last = dt.datetime.strptime(row["prise_date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    wait = CLAIM_SECONDS if row["prise"] else backoff(int(row["tentatives"]), base)
    return (stamp - last).total_seconds() >= wait


def _candidates(t: Tx) -> list[dict]:
    return t.execute(
        "SELECT id, tentatives, prise, prise_date FROM courriels WHERE envoye IS NULL AND tentatives < ? "
        "ORDER BY id LIMIT ?",
        (MAX_TRIES, SCAN_LIMIT),
    ).all()


def due_ids(live: LiveDB, retry_base: float, limit: int = 20) -> list[int]:
    """Ids of up to ``limit`` messages due now (a read: nothing is claimed)."""
    stamp = dt.datetime.now(dt.UTC)
    with live.tx(write=False) as t:
        rows = _candidates(t)
    return [r["id"] for r in rows if _due(r, retry_base, stamp)][:limit]


def outbox(live: LiveDB) -> dict:
    """Counts of the outbox: ``sent``, ``queued`` (still to be tried) and ``abandoned`` (tried
    :data:`MAX_TRIES` times)."""
    with live.tx(write=False) as t:
        row = t.execute(
            "SELECT SUM(CASE WHEN envoye IS NOT NULL THEN 1 ELSE 0 END) AS sent, "
            "SUM(CASE WHEN envoye IS NULL AND tentatives < ? THEN 1 ELSE 0 END) AS queued, "
            "SUM(CASE WHEN envoye IS NULL AND tentatives >= ? THEN 1 ELSE 0 END) AS abandoned FROM courriels",
            (MAX_TRIES, MAX_TRIES),
        ).one()
    return {k: int(row[k] or 0) for k in ("sent", "queued", "abandoned")}


def queue(t: Tx, to: str, subject: str, body: str) -> None:
    """Queue one plain-text message in the current live transaction."""
    t.execute(
        "INSERT INTO courriels (destinataire, sujet, corps, cree) VALUES (?, ?, ?, ?)", (to, subject, body, now())
    )


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=(parseaddr(sender)[1].partition("@")[2] or "coopatlas.invalid"))
    msg.set_content(body)
    return msg


def _send(smtp: dict, var: Path, msg: EmailMessage) -> None:
    if not smtp.get("host"):
        out = Path(var) / "courriels"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{now().replace(':', '')}-{secrets.token_hex(4)}.eml").write_bytes(bytes(msg))
        return
    timeout = smtp.get("timeout", 10)
    if smtp.get("ssl"):
        server = smtplib.SMTP_SSL(smtp["host"], smtp["port"], timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(smtp["host"], smtp["port"], timeout=timeout)
    try:
        if smtp.get("starttls"):
            server.starttls(context=ssl.create_default_context())
        if smtp.get("user"):
            server.login(smtp["user"], smtp.get("password") or "")
        server.send_message(msg)
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()


def deliver(live: LiveDB, smtp: dict, var: Path, limit: int = 20, retry_base: float = 60) -> int:
    """Send up to ``limit`` messages due now (see :func:`backoff`); how many were sent. Never raises for a
    delivery failure. Nothing due: one read, no write lock taken."""
    if not due_ids(live, retry_base, limit):
        return 0
    token = secrets.token_hex(8)
    with live.tx() as t:  # claimed under the write lock: a message is claimed by one sender only
        stamp = dt.datetime.now(dt.UTC)
        ids = [r["id"] for r in _candidates(t) if _due(r, retry_base, stamp)][:limit]
        for i in ids:
            t.execute(
                "UPDATE courriels SET prise = ?, prise_date = ?, tentatives = tentatives + 1 WHERE id = ?",
                (token, now(), i),
            )
    sent = 0
    for i in ids:
        with live.tx(write=False) as t:
            m = t.execute(
                "SELECT destinataire, sujet, corps FROM courriels WHERE id = ? AND prise = ?", (i, token)
            ).one()
        if m is None:
            continue
        try:
            _send(
                smtp,
                var,
                _message(
                    smtp.get("from") or formataddr(("CoopAtlas", "bourse@coopatlas.invalid")),
                    m["destinataire"],
                    m["sujet"],
                    m["corps"],
                ),
            )
        except (OSError, smtplib.SMTPException) as exc:
            LOGGER.warning("mail %s to %s not sent: %s", i, m["destinataire"], exc)
            with live.tx() as t:
                t.execute("UPDATE courriels SET prise = NULL, erreur = ? WHERE id = ?", (str(exc)[:500], i))
            continue
        with live.tx() as t:
            t.execute("UPDATE courriels SET envoye = ?, erreur = NULL WHERE id = ?", (now(), i))
        sent += 1
    return sent

"""Outgoing mail of the Bourse projets: a transactional outbox in the live database, delivered by SMTP.

A notification is queued (:func:`queue`) in the same live transaction as the change it reports, so a
change is never committed without its mail nor a mail sent for a change that was rolled back. After the
commit, :func:`deliver` sends what is queued (claiming each message first, so that several workers never
send one twice); a message that fails stays queued and is retried by later deliveries (at most
:data:`MAX_TRIES` times, the last error kept). The SMTP server is configured by ``COOPATLAS_SMTP_*``
(:mod:`coopatlas.bourse.settings`); with no ``COOPATLAS_SMTP_HOST`` messages are written as ``.eml`` files
into ``<var>/courriels/`` (development).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from .live import LiveDB, Tx, later, now

LOGGER = logging.getLogger(__name__)
MAX_TRIES = 8
#: A claimed message not sent within this many seconds may be claimed again (its sender died).
CLAIM_SECONDS = 120


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


def deliver(live: LiveDB, smtp: dict, var: Path, limit: int = 20) -> int:
    """Send up to ``limit`` queued messages; how many were sent. Never raises for a delivery failure."""
    token = secrets.token_hex(8)
    with live.tx() as t:
        rows = t.execute(
            "SELECT id FROM courriels WHERE envoye IS NULL AND tentatives < ? AND "
            "(prise IS NULL OR prise_date < ?) ORDER BY id LIMIT ?",
            (MAX_TRIES, later(-CLAIM_SECONDS), limit),
        ).all()
        ids = [r["id"] for r in rows]
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

"""The e-mails of the Bourse projets workflow: to the embassy (a new or completed request) and to the submitter
(each change of status, with the secret completion link when the embassy asks for more)."""

from __future__ import annotations

from .. import vocabulary as voc
from .context import Context


def _status_label(code: str, lang: str) -> str:
    return voc.STATUTS_VALIDATION.label(code, lang)


def _embassy_mail(ctx: Context, content: dict, ref: str, completed: bool = False) -> tuple[str, str]:
    country = ctx.geo.country(content["pays_code"])
    url = f"{ctx.settings.public_url}/bourse/ambassade/demandes/{ref}"
    what = "Demande complétée" if completed else "Nouvelle demande"
    subject = f"[Bourse projets] {what} {ref} : {content['titre']}"[:200]
    body = (
        f"Bonjour,\n\nUne demande de coopération {'a été complétée par son auteur' if completed else 'a été déposée'} "
        f"sur la Bourse projets pour {country.nom_fr if country else content['pays_code']}. "
        "Elle attend la décision de l'ambassade.\n\n"
        f"Référence : {ref}\nAutorité demandeuse : {content['demandeur_nom']}\n"
        f"Projet : {content['titre']}\nContact : {content['contact_nom']} <{content['contact_email']}>\n\n"
        f"Pour la valider, la rejeter ou demander des compléments : {url}\n\n"
        "-- \nBourse projets, CoopAtlas\n"
    )
    return subject, body


def _submitter_mail(
    ctx: Context, content: dict, ref: str, status: str, comment: str | None = None, completion_link: str | None = None
) -> tuple[str, str]:
    lang = content.get("lang") or "fr"
    embassy = ctx.geo.embassy(content["pays_code"])
    emb = embassy.nom if embassy else ""
    if lang == "en":
        subjects = {
            "soumise": "request received",
            "validee": "request validated",
            "rejetee": "request rejected",
            "a_completer": "request to complete",
            "pourvue": "French partner found",
        }
        intro = {
            "soumise": f"Your cooperation request has been received. It has been sent to the {emb} (French embassy), "
            "which alone can validate it; you will receive an e-mail when it has decided.",
            "validee": "Your cooperation request has been validated by the French embassy: it is now published on "
            "the Atlas and French local authorities can see it.",
            "rejetee": "Your cooperation request has not been validated by the French embassy.",
            "a_completer": "The French embassy asks you to complete your cooperation request.",
            "pourvue": "Your cooperation request is marked as matched: a French partner has been found.",
        }
        lines = [
            f"Hello {content['contact_nom']},",
            "",
            intro.get(status, ""),
            "",
            f"Reference: {ref}",
            f"Project: {content['titre']}",
            f"Status: {_status_label(status, 'en')}",
        ]
        if comment:
            lines += ["", "Comment of the embassy:", comment]
        if completion_link:
            lines += ["", f"Complete your request here (personal link, do not share it): {completion_link}"]
        lines += ["", "-- ", "Bourse projets, CoopAtlas"]
        return f"[Bourse projets] {ref}: {subjects.get(status, status)}", "\n".join(lines) + "\n"
    subjects = {
        "soumise": "demande reçue",
        "validee": "demande validée",
        "rejetee": "demande non validée",
        "a_completer": "demande à compléter",
        "pourvue": "partenaire français trouvé",
    }
    intro = {
        "soumise": "Votre demande de coopération a bien été reçue. Elle a été transmise à l'"
        f"{emb[0].lower() + emb[1:] if emb else 'ambassade de France'}, "
        "seule habilitée à la valider ; vous recevrez un courriel quand elle aura statué.",
        "validee": "Votre demande de coopération a été validée par l'ambassade de France : elle est publiée sur "
        "l'Atlas et les collectivités territoriales françaises peuvent la consulter.",
        "rejetee": "Votre demande de coopération n'a pas été validée par l'ambassade de France.",
        "a_completer": "L'ambassade de France vous demande de compléter votre demande de coopération.",
        "pourvue": "Votre demande de coopération est marquée comme pourvue : un partenaire français a été trouvé.",
    }
    lines = [
        f"Bonjour {content['contact_nom']},",
        "",
        intro.get(status, ""),
        "",
        f"Référence : {ref}",
        f"Projet : {content['titre']}",
        f"Statut : {_status_label(status, 'fr')}",
    ]
    if comment:
        lines += ["", "Commentaire de l'ambassade :", comment]
    if completion_link:
        lines += ["", f"Complétez votre demande ici (lien personnel, ne le transmettez pas) : {completion_link}"]
    lines += ["", "-- ", "Bourse projets, CoopAtlas"]
    return f"[Bourse projets] {ref} : {subjects.get(status, status)}", "\n".join(lines) + "\n"


def _completion_link(ctx: Context, ref: str, token: str, lang: str) -> str:
    return f"{ctx.settings.public_url}/bourse/completer/{ref}?jeton={token}&lang={lang}"

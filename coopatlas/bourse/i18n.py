"""French and English texts of the Bourse projets and account pages (``t("key")`` in the templates)."""

from __future__ import annotations

TEXTS = {
    "site": ("CoopAtlas — Atlas de la coopération décentralisée", "CoopAtlas — Atlas of decentralised cooperation"),
    "bourse": ("Bourse projets", "Bourse projets (project exchange)"),
    "nav_deposer": ("Déposer une demande", "Submit a request"),
    "nav_demandes": ("Demandes publiées", "Published requests"),
    "nav_compte": ("Mon compte", "My account"),
    "nav_connexion": ("Connexion", "Log in"),
    "nav_deconnexion": ("Déconnexion", "Log out"),
    "notice": (
        "Données de démonstration synthétiques. Les adresses des ambassades sont illustratives (domaine réservé "
        ".example).",
        "Synthetic demo data. The embassies' addresses are illustrative (reserved .example domain).",
    ),
    "index_title": ("Bourse projets : trouver un partenaire français", "Bourse projets: find a French partner"),
    "index_intro": (
        "Une autorité locale étrangère qui cherche une collectivité territoriale française pour un projet concret "
        "dépose ici sa demande. La demande est transmise à l'ambassade de France de son pays, seule habilitée à la "
        "valider ; les demandes validées sont publiées en rouge sur les cartes de l'Atlas.",
        "A foreign local authority looking for a French local authority for a concrete project submits its request "
        "here. The request goes to the French embassy of its country, the only one allowed to validate it; "
        "validated requests are published in red on the Atlas's maps.",
    ),
    "index_steps": ("Étapes", "Steps"),
    "step1": (
        "Vous remplissez le formulaire : votre autorité, son lieu, le projet, le partenaire recherché.",
        "You fill in the form: your authority, its place, the project, the partner you are looking for.",
    ),
    "step2": (
        "Vous recevez un numéro de référence ; l'ambassade de France est prévenue par courriel.",
        "You receive a reference number; the French embassy is notified by e-mail.",
    ),
    "step3": (
        "L'ambassade valide la demande, la rejette ou vous demande de la compléter (vous recevez un courriel).",
        "The embassy validates the request, rejects it or asks you to complete it (you receive an e-mail).",
    ),
    "step4": (
        "Validée, la demande est publiée sur l'Atlas jusqu'à ce qu'un partenaire français soit trouvé.",
        "Once validated, the request is published on the Atlas until a French partner is found.",
    ),
    "api_note": (
        "Les clients programmatiques utilisent le processus OGC API « deposer-demande ».",
        'Programmatic clients use the OGC API process "deposer-demande".',
    ),
    "form_title": ("Déposer une demande de coopération", "Submit a cooperation request"),
    "form_intro": (
        "Les champs marqués * sont obligatoires. Votre demande ne sera publiée qu'après validation par "
        "l'ambassade de France.",
        "Fields marked * are required. Your request is published only once the French embassy has validated it.",
    ),
    "sec_demandeur": ("L'autorité locale demandeuse", "The requesting local authority"),
    "sec_contact": ("La personne à contacter", "Contact person"),
    "sec_projet": ("Le projet", "The project"),
    "sec_partenaire": ("Le partenaire recherché", "The partner you are looking for"),
    "demandeur_nom": ("Nom de l'autorité locale", "Name of the local authority"),
    "demandeur_type": ("Type d'autorité", "Type of authority"),
    "pays_code": ("Pays", "Country"),
    "choose": ("— choisir —", "— choose —"),
    "lieu": ("Lieu (ville, localité)", "Place (town, locality)"),
    "lieu_help": (
        "Un lieu de la base GeoNames dans ce pays ; tapez les premières lettres.",
        "A GeoNames place in that country; type the first letters.",
    ),
    "coords": (
        "… ou ses coordonnées (si le lieu n'est pas dans la liste)",
        "… or its coordinates (if the place is not in the list)",
    ),
    "lon": ("Longitude (degrés, WGS 84)", "Longitude (degrees, WGS 84)"),
    "lat": ("Latitude (degrés, WGS 84)", "Latitude (degrees, WGS 84)"),
    "contact_nom": ("Nom et prénom", "Full name"),
    "contact_email": ("Courriel", "E-mail"),
    "titre": ("Titre du projet", "Project title"),
    "description": ("Description du projet", "Project description"),
    "description_help": (
        "Objectifs, public, durée, moyens : 20 à 5 000 caractères.",
        "Aims, beneficiaries, duration, means: 20 to 5,000 characters.",
    ),
    "theme": ("Thème", "Theme"),
    "sous_sous_thematique": ("Thème", "Theme"),
    "thematique": ("Thème", "Theme"),
    "sous_thematique": ("Thème", "Theme"),
    "geonameid": ("Lieu", "Place"),
    "profil_partenaire": ("Profil du partenaire français recherché", "Desired French partner profile"),
    "profil_help": (
        "Par exemple : commune de taille comparable, département, intercommunalité.",
        "For example: municipality of similar size, department, inter-municipal body.",
    ),
    "langues": ("Langues de travail", "Working languages"),
    "submit": ("Envoyer la demande", "Submit the request"),
    "errors_title": (
        "La demande n'a pas été envoyée : corrigez les champs signalés.",
        "The request was not sent: please correct the fields marked.",
    ),
    "csrf_error": (
        "Le formulaire a expiré : vérifiez et envoyez-le à nouveau.",
        "The form expired: please check it and submit it again.",
    ),
    "rate_limited": (
        "Trop de demandes envoyées depuis cette adresse : réessayez plus tard.",
        "Too many requests sent from this address: please try again later.",
    ),
    "too_many_pending": (
        "Cette autorité a déjà des demandes en attente de l'ambassade : attendez sa décision avant "
        "d'en déposer une autre.",
        "This authority already has requests awaiting the embassy: wait "
        "for its decision before submitting another one.",
    ),
    "spam": ("La demande n'a pas pu être envoyée.", "The request could not be sent."),
    "done_title": ("Demande envoyée", "Request sent"),
    "done_ref": ("Votre numéro de référence", "Your reference number"),
    "done_text": (
        "Votre demande a été transmise à l'{ambassade}, seule habilitée à la valider. Un courriel de "
        "confirmation vous a été envoyé ; vous en recevrez un autre quand l'ambassade aura statué.",
        "Your request has been sent to the {ambassade} (French embassy), the only one allowed to validate "
        "it. A confirmation e-mail has been sent to you; you will receive another one when the embassy "
        "has decided.",
    ),
    "complete_title": ("Compléter la demande", "Complete the request"),
    "complete_comment": ("Message de l'ambassade", "Message from the embassy"),
    "complete_submit": ("Renvoyer la demande à l'ambassade", "Send the request back to the embassy"),
    "login_title": ("Connexion des professionnels", "Professionals' login"),
    "login_intro": (
        "Espace réservé aux ambassades, aux collectivités territoriales et aux administrateurs de "
        "l'Atlas. Les comptes sont créés par les administrateurs.",
        "For embassies, local authorities and the Atlas's administrators. Accounts are created by the administrators.",
    ),
    "email": ("Courriel", "E-mail"),
    "password": ("Mot de passe", "Password"),
    "login": ("Se connecter", "Log in"),
    "login_failed": ("Courriel ou mot de passe incorrect.", "Wrong e-mail or password."),
    "login_throttled": (
        "Trop de tentatives : réessayez dans quelques minutes.",
        "Too many attempts: try again in a few minutes.",
    ),
    "account_title": ("Mon compte", "My account"),
    "role": ("Rôle", "Role"),
    "embassy_link": ("Demandes de coopération à traiter", "Cooperation requests to handle"),
    "coll_link": ("Mettre à jour ma collectivité et ses projets", "Update my authority and its projects"),
    "space_link": ("Mon espace : recherches, cartes et exports", "My space: searches, maps and exports"),
    "requests_title": ("Demandes de coopération", "Cooperation requests"),
    "filter_status": ("Statut", "Status"),
    "all": ("Tous", "All"),
    "filter": ("Filtrer", "Filter"),
    "none": ("Aucune demande.", "No request."),
    "ref": ("Référence", "Reference"),
    "date_depot": ("Déposée le", "Submitted on"),
    "statut_validation": ("Statut", "Status"),
    "pays": ("Pays", "Country"),
    "request_title": ("Demande", "Request"),
    "history": ("Historique", "History"),
    "from": ("De", "From"),
    "to": ("Vers", "To"),
    "who": ("Par", "By"),
    "when": ("Le", "On"),
    "comment": ("Commentaire", "Comment"),
    "decide": ("Décision de l'ambassade", "Embassy's decision"),
    "decide_help": (
        "Un commentaire est obligatoire pour rejeter une demande ou demander des compléments ; il est "
        "envoyé au demandeur.",
        "A comment is required to reject a request or ask for completion; it is sent to the submitter.",
    ),
    "act_validee": ("Valider", "Validate"),
    "act_rejetee": ("Rejeter", "Reject"),
    "act_a_completer": ("Demander des compléments", "Ask for completion"),
    "act_pourvue": ("Marquer comme pourvue", "Mark as matched"),
    "act_soumise": ("Rouvrir", "Reopen"),
    "no_action": ("Aucune décision possible depuis ce statut.", "No decision possible from this status."),
    "done": ("Enregistré.", "Saved."),
    "coll_title": ("Ma collectivité", "My authority"),
    "contacts": ("Contacts", "Contacts"),
    "elu_nom": ("Élu(e) en charge : nom", "Elected official: name"),
    "elu_fonction": ("Élu(e) : fonction", "Elected official: function"),
    "elu_email": ("Élu(e) : courriel", "Elected official: e-mail"),
    "elu_telephone": ("Élu(e) : téléphone", "Elected official: phone"),
    "directeur_nom": (
        "Directeur(trice) des relations internationales : nom",
        "Director of international affairs: name",
    ),
    "directeur_fonction": ("Directeur(trice) : fonction", "Director: function"),
    "directeur_email": ("Directeur(trice) : courriel", "Director: e-mail"),
    "directeur_telephone": ("Directeur(trice) : téléphone", "Director: phone"),
    "save": ("Enregistrer", "Save"),
    "projects": ("Projets", "Projects"),
    "edit": ("Modifier", "Edit"),
    "project_title": ("Projet", "Project"),
    "statut": ("Statut du projet", "Project status"),
    "jumelage": ("Jumelage", "Twinning"),
    "annee_convention": ("Année de la convention", "Year of the agreement"),
    "annee_lancement": ("Année de début", "Start year"),
    "annee_fin": ("Année de fin", "End year"),
    "date_maj": ("Mis à jour le", "Updated on"),
    "changes": ("Dernières modifications", "Latest changes"),
    "field": ("Champ", "Field"),
    "old": ("Avant", "Before"),
    "new": ("Après", "After"),
    "space_title": ("Mon espace", "My space"),
    "space_intro": (
        "Vos recherches, cartes et exports PDF, conservés sur le serveur.",
        "Your searches, maps and PDF exports, kept on the server.",
    ),
    "kind": ("Type", "Kind"),
    "name": ("Nom", "Name"),
    "size": ("Taille", "Size"),
    "created": ("Créé le", "Created on"),
    "download": ("Télécharger", "Download"),
    "delete": ("Supprimer", "Delete"),
    "empty_space": ("Votre espace est vide.", "Your space is empty."),
    "add_search": ("Enregistrer une recherche", "Save a search"),
    "criteria_help": (
        "Les critères, comme dans une URL : pays=BF&thematique=eau_assainissement",
        "The criteria, as in a URL: pays=BF&thematique=eau_assainissement",
    ),
    "criteria": ("Critères", "Criteria"),
    "add_map": ("Enregistrer une carte", "Save a map"),
    "map_help": (
        "Une carte du serveur : /collections/projets/map?bbox=-6,4,3,16",
        "A map of the server: /collections/projets/map?bbox=-6,4,3,16",
    ),
    "map_url": ("Adresse de la carte", "Map address"),
    "add_file": ("Déposer un fichier (PNG ou PDF)", "Upload a file (PNG or PDF)"),
    "file": ("Fichier", "File"),
    "add": ("Ajouter", "Add"),
    "error_title": ("Erreur", "Error"),
    "back": ("Retour", "Back"),
    "forbidden": ("Ce compte n'a pas accès à cette page.", "This account cannot see this page."),
    "not_found": ("Page introuvable.", "Page not found."),
}

GENRE_LABELS = {"recherche": ("Recherche", "Search"), "carte": ("Carte", "Map"), "export": ("Export PDF", "PDF export")}


def translator(lang: str):
    def t(key: str, **kw) -> str:
        fr, en = TEXTS.get(key, (key, key))
        text = en if lang == "en" else fr
        return text.format(**kw) if kw else text

    return t

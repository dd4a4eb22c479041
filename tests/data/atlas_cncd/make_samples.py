#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the sample input files of the importer tests, in the style of the Atlas's open-data exports.

These are SMALL HAND-MADE samples (real French collectivities and real foreign places, invented projects),
not extracts of the published files, whose exact columns could not be seen offline. They exercise what
the real files are known to vary in: one file per world zone, French headers (several spellings), a title
line above the header, Windows-1252 ``;`` CSV from French Excel, UTF-8 ``,`` CSV with a BOM and quoted
line breaks, an XLSX workbook with a notice sheet and real Excel dates, accents everywhere.

    python tests/data/atlas_cncd/make_samples.py   # rewrites the files next to it and tests/data/apd/

The files are committed; run this only to change them (the XLSX bytes change on every run: timestamps).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
APD_DIR = HERE.parent / "apd"

AFRIQUE_HEADER = [
    "Identifiant du projet", "Collectivité territoriale française", "Type de collectivité", "Département",
    "Pays", "Autorité locale partenaire", "Région du partenaire", "Intitulé du projet", "Description",
    "Type d'action", "Jumelage", "Statut", "Thématique", "Sous-thématique", "Année de la convention",
    "Année de début", "Année de fin", "Cofinancements", "Loi Oudin", "Date de mise à jour",
]
AFRIQUE = [
    ["AFR-0001", "Vouneuil-sous-Biard", "Commune", "86", "Burkina Faso", "Ziniaré", "",
     "Aménagement d'un espace d'échanges", "Espace d'échanges culturels et économiques à Ziniaré.",
     "Coopération décentralisée", "Non", "En cours", "Aide", "", "2007", "2007", "", "", "Non", "15/11/2012"],
    ["AFR-0002", "Communauté d'agglomération du Pays de Montbéliard", "Structure intercommunale", "25",
     "Burkina Faso", "Zimanga", "", "Ensemble pour Zimanga", "Appui au développement local.",
     "Coopération décentralisée", "Non", "En cours", "Aide", "", "2009", "2009", "", "", "Non", "15/11/2012"],
    ["AFR-0003", "Conseil régional de Rhône-Alpes", "Conseil régional", "", "Sénégal", "Région de Saint-Louis", "",
     "Appui à la décentralisation", "Renforcement des services régionaux et formation des élus.",
     "Coopération décentralisée", "Non", "En cours", "Gouvernance et appui institutionnel",
     "Décentralisation et gouvernance locale", "2005", "2006", "", "MAE ; AFD", "Non", "02/03/2013"],
    ["AFR-0004", "Conseil général de l'Isère", "Conseil général", "38", "Mali", "Commune de Tombouctou", "",
     "Accès à l'eau potable à Tombouctou", "Forages et bornes-fontaines.", "Coopération décentralisée", "Non",
     "Terminé", "Eau et assainissement", "Eau potable", "2004", "2004", "2008", "Agence de l'eau Rhône Méditerranée Corse",
     "Oui", "10/01/2012"],
    ["AFR-0005", "Paris", "Commune", "75", "Maroc", "Ville de Marrakech", "", "Patrimoine de la médina",
     "Restauration de fondouks.", "Coopération décentralisée", "Non", "En cours", "Culture, patrimoine et sport",
     "Patrimoine", "2008", "2009", "", "Union européenne", "Non", "20/06/2013"],
    ["AFR-0006", "Marseille", "Commune", "13", "Algérie", "Alger", "", "Échanges entre services municipaux",
     "Formation d'agents municipaux.", "Coopération décentralisée", "Non", "En projet",
     "Gouvernance", "", "", "2013", "", "", "", "01/06/2013"],
    ["AFR-0007", "Conseil général du Bas-Rhin", "Conseil général", "67", "Madagascar", "Région Analamanga", "",
     "Sécurité alimentaire en Analamanga", "Appui aux agriculteurs et aux greniers communautaires.",
     "Coopération décentralisée", "Non", "En cours", "Agriculture", "Sécurité alimentaire", "2006", "2007", "",
     "MAE", "Non", "12/12/2012"],
    ["AFR-0008", "Lyon", "Commune", "69", "Burkina Faso", "Ouagadougou", "", "Assainissement du quartier de Baskuy",
     "Réseau d'assainissement et latrines.", "Coopération décentralisée", "Non", "En cours",
     "Eau et assainissement", "Assainissement", "2003", "2004", "", "Agence de l'eau Rhône Méditerranée Corse / MAE",
     "Oui", "05/04/2013"],
    ["AFR-0009", "Grenoble", "Commune", "38", "Burkina Faso", "Ouahigouya", "", "Jumelage Grenoble – Ouahigouya",
     "Échanges scolaires et culturels.", "Jumelage", "", "En cours", "Éducation et jeunesse", "", "1999", "1999",
     "", "", "Non", "11/09/2012"],
    ["AFR-0010", "Conseil régional du Nord-Pas-de-Calais", "Conseil régional", "", "Sénégal",
     "Région de Saint-Louis", "", "Formation professionnelle agricole", "Centre de formation de Podor.",
     "Coopération décentralisée", "Non", "Suspendu", "Éducation et jeunesse", "Formation professionnelle",
     "2002", "2003", "", "", "Non", "30/09/2011"],
    ["AFR-0011", "Syndicat des eaux d'Île-de-France (SEDIF)", "Autre", "75", "Bénin", "Commune de Cotonou", "",
     "Eau potable dans les quartiers de Cotonou", "Extension du réseau et branchements sociaux.",
     "Coopération décentralisée", "Non", "En cours", "Eau et assainissement", "Eau potable", "2010", "2010", "",
     "Loi Oudin-Santini", "", "18/02/2013"],
    ["AFR-0012", "Conseil départemental de la Seine-Saint-Denis", "Conseil départemental", "93", "Mali", "Yélimané",
     "Kayes", "Santé maternelle au cercle de Yélimané", "Centres de santé communautaires.",
     "Coopération décentralisée", "Non", "En cours", "Santé", "Soins de santé de base", "2008", "2008", "",
     "MAE ; Autre collectivité", "Non", "14/01/2013"],
    ["AFR-0013", "Saint-Denis", "Commune", "93", "Mali", "Commune de Kayes", "", "Échanges entre jeunes",
     "Chantiers de jeunes.", "Coopération décentralisée", "Non", "Terminé", "Éducation et jeunesse",
     "Jeunesse et échanges", "2001", "2001", "2005", "", "Non", "03/03/2010"],
    ["AFR-0014", "Saint-Denis", "Commune", "974 - La Réunion", "Madagascar", "Commune urbaine de Mahajanga", "",
     "Gestion des déchets à Mahajanga", "Collecte et compostage.", "Coopération décentralisée", "Non", "En cours",
     "Environnement, climat et énergie", "Déchets", "2011", "2011", "", "AFD", "Oui", "09/05/2013"],
    ["AFR-0015", "Conseil régional de Bretagne", "Conseil régional", "", "Mali", "Région de Mopti", "",
     "Aide d'urgence après les inondations", "Distribution de vivres et de semences.", "Action ponctuelle", "",
     "Terminé", "Urgence et aide humanitaire", "Aide d'urgence", "", "2010", "2010", "", "Non", "20/12/2010"],
    ["AFR-0016", "Ville du Mans", "Commune", "72", "Tunisie", "Monastir", "", "Tourisme responsable à Monastir",
     "Formation de guides.", "Coopération décentralisée", "Non", "En cours", "Coopération économique", "",
     "2009", "2010", "", "", "Non", "01/02/2013"],
    ["AFR-0017", "Besançon", "Commune", "25", "Burkina Faso", "Douroula", "", "Écoles de Douroula",
     "Construction de deux classes.", "Coopération décentralisée", "Non", "En cours", "Éducation et jeunesse",
     "Éducation", "2006", "2006", "", "", "Non", "07/07/2012"],
    ["AFR-0018", "Nantes Métropole", "Structure intercommunale", "44", "Sénégal", "Rufisque", "",
     "Planification urbaine de Rufisque", "Schéma directeur d'aménagement.", "Coopération décentralisée", "Non",
     "En projet", "Développement urbain et aménagement", "Urbanisme et gestion urbaine", "", "2013", "", "",
     "Non", "15/06/2013"],
    ["AFR-0019", "Tours", "Commune", "37", "Maroc", "Mohammedia", "", "Jumelage Tours – Mohammedia",
     "Échanges associatifs.", "Coopération décentralisée", "Oui", "En cours", "Culture", "", "1990", "1990", "", "",
     "Non", "11/11/2011"],
    ["AFR-0020", "Conseil général de la Réunion", "Conseil général", "974", "Comores", "Moroni", "",
     "Santé à Moroni", "Équipement de l'hôpital El-Maarouf.", "Coopération décentralisée", "Non", "En cours",
     "Santé", "", "2007", "2008", "", "MAE", "Non", "25/03/2013"],
    ["AFR-0021", "Conseil régional de Rhône-Alpes", "Conseil régional", "", "Mali",
     "Commune rurale de Kalifabougou", "Koulikoro", "Greniers villageois de Kalifabougou",
     "Banques de céréales.", "Coopération décentralisée", "Non", "En cours", "Agriculture et sécurité alimentaire",
     "", "2008", "2008", "", "Fondation de France", "Non", "19/10/2012"],
]

EUROPE_HEADER = [
    "Collectivité", "Type collectivité", "Code INSEE", "Pays partenaire", "Collectivité partenaire",
    "Titre du projet", "Descriptif", "Type de projet", "Jumelage", "Statut du projet", "Thème", "Sous-thème",
    "Date de début", "Cofinancement", "Élu en charge", "Mise à jour",
]


def _d(y, m=1, d=1):
    return dt.datetime(y, m, d)


EUROPE = [
    ["Conseil général du Bas-Rhin", "Conseil général", "67", "Pologne", "Voïvodie de Silésie",
     "Echanges d'expériences en matière d'action sociale", "Visites d'établissements médico-sociaux.",
     "Coopération décentralisée", "Non", "En cours", "Action sociale", "Protection sociale", None, None,
     "Marie Dupont", _d(2012, 11, 15)],
    ["Conseil général du Haut-Rhin", "Conseil général", "68", "Pologne", "Powiat de Wrocław",
     "Action en matière sociale (aide aux jeunes en difficulté, aux personnes âgées et à la famille)",
     "Échanges de travailleurs sociaux.", "Coopération décentralisée", "Non", "Terminé", "Action sociale", None,
     None, None, None, _d(2012, 11, 15)],
    ["Strasbourg", "Commune", "67482", "Allemagne", "Stuttgart", "Jumelage Strasbourg – Stuttgart",
     "Jumelage depuis 1962.", "Jumelage", "Oui", "En cours", "Culture", None, _d(1962, 5, 13), None,
     "Jean Martin", _d(2013, 1, 10)],
    ["Paris", "Commune", "75056", "Italie", "Rome", "Jumelage exclusif Paris – Rome", "« Seule Paris est digne de "
     "Rome ; seule Rome est digne de Paris. »", "Jumelage", "Oui", "En cours", "Culture, patrimoine et sport",
     "Patrimoine", 1956, None, None, _d(2013, 2, 1)],
    ["Lyon", "Commune", "69123", "Allemagne", "Francfort-sur-le-Main", "Coopération économique Lyon – Francfort",
     "Rencontres d'entreprises.", "Coopération décentralisée", "Non", "En cours", "Développement économique",
     None, 2001, "Union européenne", None, _d(2012, 6, 30)],
    ["Rennes", "Commune", "35238", "Pologne", "Poznań", "Jumelage Rennes – Poznań", "Échanges de jeunes.",
     "Jumelage", "Oui", "En cours", "Éducation et jeunesse", "Jeunesse et échanges", 1998, None, None,
     _d(2012, 9, 1)],
    ["Ville et Communauté urbaine de Strasbourg", "Structure intercommunale", None, "Allemagne", "Kehl",
     "Tram transfrontalier Strasbourg – Kehl", "Prolongement de la ligne D.", "Coopération décentralisée", "Non",
     "En cours", "Développement urbain", "Transports", 2010, "Interreg IV Rhin supérieur ; FEDER", None,
     _d(2013, 3, 3)],
    ["Conseil régional d'Alsace", "Conseil régional", "42", "Allemagne", "Land de Bade-Wurtemberg",
     "Coopération rhénane", "Conférence du Rhin supérieur.", "Coopération décentralisée", "Non", "En cours",
     "Gouvernance", None, 1991, None, None, _d(2013, 4, 4)],
    ["Grenoble", "Commune", "38185", "Italie", "Sassari", "Jumelage Grenoble – Sassari", "Échanges culturels.",
     "Jumelage", "Oui", "En cours", "Culture", None, 1988, None, None, _d(2011, 5, 5)],
    ["Montpellier", "Commune", "34172", "Espagne", "Barcelone", "Réseau des villes méditerranéennes",
     "Mobilité durable.", "Action extérieure", "Non", "Terminé", "Environnement", "Énergie et climat", 2005,
     None, None, _d(2010, 6, 6)],
    ["Commune de Brest", "Commune", "29019", "Royaume-Uni", "Plymouth", "Jumelage Brest – Plymouth",
     "Échanges maritimes.", "Jumelage", "Oui", "En cours", "Culture", None, 1963, None, None, _d(2012, 7, 7)],
    ["Mulhouse", "Commune", "68224", "Roumanie", "Timișoara", "Coopération Mulhouse – Timișoara",
     "Appui aux services de l'eau.", "Coopération décentralisée", "Non", "En cours", "Eau et assainissement",
     "Gestion de la ressource en eau", 2004, "Agence de l'eau Rhin-Meuse", None, _d(2013, 8, 8)],
    ["Conseil régional de Lorraine", "Conseil régional", "41", "Allemagne", "Sarre",
     "Grande Région : coopération Lorraine – Sarre", "Formation transfrontalière.", "Coopération décentralisée",
     "Non", "En cours", "Éducation", "Formation professionnelle", 1995, "UE", None, _d(2013, 9, 9)],
    ["Communauté d'agglomération du Pays de Montbéliard", "Structure intercommunale", None, "Allemagne",
     "Gemeinde Ruhpolding", "Échanges de chorales", "Rencontres musicales.", "Action ponctuelle", "Non", "Terminé",
     "Culture", None, 2008, None, None, _d(2009, 10, 10)],
    ["Région Île-de-France", "Conseil régional", "11", "Russie", "Moscou", "Coopération Île-de-France – Moscou",
     "Échanges d'urbanistes.", "Action extérieure", "Non", "En cours", "Développement urbain", None, 2007, None,
     None, _d(2012, 11, 11)],
]

AUTRES_HEADER = [
    "N° du projet", "Collectivité française", "Type de collectivité", "Région", "Pays", "Partenaire",
    "Intitulé", "Description du projet", "Type d'action", "Jumelage", "Statut", "Thématique",
    "Sous-thématique", "Sous-sous-thématique", "Année de début", "Année de fin", "Cofinancements", "Loi Oudin",
    "Date de mise à jour",
]
AUTRES = [
    ["AAO-01", "Polynésie française", "Collectivité d'outre-mer", "", "Fidji", "Suva", "Coopération régionale océanienne",
     "Échanges dans le cadre du Forum des îles du Pacifique.", "Coopération décentralisée", "Non", "En cours",
     "Environnement", "Environnement et biodiversité", "", "2009", "", "", "Non", "2013-02-14"],
    ["AAO-02", "Nouvelle-Calédonie", "Collectivité d'outre-mer", "", "Vanuatu", "Port-Vila",
     "Formation des agents de Port-Vila", "Stages d'agents.\nDeux sessions par an.", "Coopération décentralisée",
     "Non", "Terminé", "Gouvernance", "", "", "2006", "2009", "MAE", "Non", "2010-04-01"],
    ["AAO-03", "Conseil régional de la Guadeloupe", "Conseil régional", "Guadeloupe", "Haïti", "Jacmel",
     "Reconstruction d'écoles à Jacmel", 'Après le séisme de 2010, reconstruction d\'écoles "parasismiques".',
     "Action extérieure", "Non", "Terminé", "Urgence et aide humanitaire",
     "Reconstruction et prévention des catastrophes", "Reconstruction", "2010", "2012", "MAE, AFD", "Non",
     "2012-12-20"],
    ["AAO-04", "Nantes Métropole", "Structure intercommunale", "Pays de la Loire", "Viêt Nam", "Hué",
     "Patrimoine de Hué", "Valorisation de la citadelle.", "Coopération décentralisée", "Non", "En cours",
     "Culture, patrimoine et sport", "Patrimoine", "Valorisation du patrimoine", "2000", "", "", "Non",
     "2013-05-05"],
    ["AAO-05", "Conseil général de la Seine-Maritime", "Conseil général", "Haute-Normandie", "Vietnam",
     "Province de Bac Giang", "Développement rural à Bac Giang", "Pistes rurales et irrigation.",
     "Coopération décentralisée", "Non", "En cours", "Développement urbain et aménagement", "Développement rural",
     "", "2003", "", "Union européenne ; MAE", "Non", "2013-01-30"],
    ["AAO-06", "Lille", "Commune", "Hauts-de-France", "Brésil", "Belo Horizonte", "Démocratie participative",
     "Budget participatif : échanges de pratiques.", "Coopération décentralisée", "Non", "En cours",
     "Gouvernance et appui institutionnel", "Démocratie locale et société civile", "Participation citoyenne",
     "2002", "", "", "Non", "2012-10-10"],
    ["AAO-07", "Ville de Paris", "Commune", "Île-de-France", "Japon", "Tokyo", "Coopération Paris – Tokyo",
     "Échanges culturels et urbains.", "Coopération décentralisée", "Non", "En cours", "Culture", "", "", "1982", "",
     "", "Non", "2013-03-03"],
    ["AAO-08", "Toulouse", "Commune", "Occitanie", "Chine", "Chongqing", "Aéronautique et formation",
     "Coopération universitaire.", "Coopération décentralisée", "Non", "En projet", "Éducation et jeunesse",
     "Éducation", "Enseignement supérieur", "2013", "", "", "Non", "2013-06-01"],
    ["AAO-09", "Commune de Nancy", "Commune", "Grand Est", "Canada", "Ville de Québec", "Francophonie en Amérique",
     "Échanges d'étudiants.", "Coopération décentralisée", "Non", "En cours", "Francophonie", "", "", "1996", "",
     "", "Non", "2011-11-11"],
    ["AAO-10", "Conseil régional de Bretagne", "Conseil régional", "Bretagne", "Inde", "État du Maharashtra",
     "Coopération économique Bretagne – Maharashtra", "Missions d'entreprises.", "Coopération décentralisée",
     "Non", "Suspendu", "Développement économique et tourisme", "Développement économique local", "", "2008", "",
     "", "Non", "2012-02-02"],
    ["AAO-11", "Lyon", "Commune", "Auvergne-Rhône-Alpes", "Liban", "Beyrouth", "Gestion des déchets à Beyrouth",
     "Tri sélectif et valorisation.", "Coopération décentralisée", "Non", "En cours",
     "Environnement, climat et énergie", "Déchets", "Gestion des déchets", "2011", "", "AFD ; Autres", "Oui",
     "2013-04-04"],
    ["AAO-12", "Conseil général des Hauts-de-Seine", "Conseil général", "Île-de-France", "Arménie", "Erevan",
     "Santé en Arménie : maternité d'Erevan", "Équipement et formation (œuvre commune).", "Action ponctuelle",
     "Non", "Terminé", "Santé", "", "", "2009", "2010", "", "Non", "2010-12-31"],
]

APD_HEADER = ["Collectivité", "Type de collectivité", "Pays", "Année", "Montant (€)"]
APD = [
    ["Vouneuil-sous-Biard", "Commune", "Burkina Faso", "2012", "12 500,00"],
    ["Conseil régional de Rhône-Alpes", "Conseil régional", "Sénégal", "2012", "250 000"],
    ["Conseil régional de Rhône-Alpes", "", "Sénégal", "2011", "230 000,50"],
    ["Conseil régional de Rhône-Alpes", "", "Mali", "2012", "180 000"],
    ["Paris", "Commune", "Maroc", "2012", "1 000 000 €"],
    ["Lyon", "", "Burkina Faso", "2012", "45000"],
    ["Conseil général du Bas-Rhin", "Conseil général", "Madagascar", "2012", "75 300"],
    ["Ville de Metz", "Commune", "Burkina Faso", "2012", "5000"],
    ["Syndicat des eaux d'Île-de-France (SEDIF)", "Autre", "Bénin", "2012", "300 000"],
    ["Département de la Seine-Saint-Denis", "Conseil général", "Mali", "2011", "64 000"],
]


def write_csv(path: Path, header, rows, encoding: str, delimiter: str, title: str | None = None,
              bom: bool = False) -> None:
    buf = io.StringIO(newline="")
    if title:
        buf.write(title + "\r\n")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    notice = wb.active
    notice.title = "Notice"
    notice.append(["Atlas français de la coopération décentralisée — extrait de démonstration (zone Europe)"])
    notice.append(["Projets fictifs sur des collectivités et des lieux réels, pour les tests de CoopAtlas."])
    ws = wb.create_sheet("Europe")
    ws.append(EUROPE_HEADER)
    for row in EUROPE:
        ws.append(row)
    for cell in ws["M"][1:] + ws["P"][1:]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "DD/MM/YYYY"
    wb.save(path)


def main() -> None:
    write_csv(HERE / "atlas_zone_afrique.csv", AFRIQUE_HEADER, AFRIQUE, "cp1252", ";",
              title="Atlas français de la coopération décentralisée - Zone Afrique;;;")
    write_xlsx(HERE / "atlas_zone_europe.xlsx")
    write_csv(HERE / "atlas_zone_ameriques_asie_oceanie.csv", AUTRES_HEADER, AUTRES, "utf-8", ",", bom=True)
    APD_DIR.mkdir(exist_ok=True)
    write_csv(APD_DIR / "apd_2011_2012.csv", APD_HEADER, APD, "utf-8", ";")


if __name__ == "__main__":
    main()

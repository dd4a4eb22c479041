<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
  <context>
    <name>CoopAtlas</name>
    <message>
      <location filename="../core/client.py" />
      <source>Unexpected answer of {url}</source>
      <translation>Réponse inattendue de {url}</translation>
    </message>
    <message>
      <location filename="../core/client.py" />
      <source>{base} answers, but is not an OGC API server.</source>
      <translation>{base} répond, mais ce n'est pas un serveur OGC API.</translation>
    </message>
    <message>
      <location filename="../core/context.py" />
      <source>Cannot open {path}</source>
      <translation>Impossible d'ouvrir {path}</translation>
    </message>
    <message>
      <location filename="../core/context.py" />
      <source>CoopAtlas — context</source>
      <translation>CoopAtlas — contexte</translation>
    </message>
    <message>
      <location filename="../core/context.py" />
      <source>Countries</source>
      <translation>Pays</translation>
    </message>
    <message>
      <location filename="../core/context.py" />
      <source>Departments</source>
      <translation>Départements</translation>
    </message>
    <message>
      <location filename="../core/context.py" />
      <source>Regions</source>
      <translation>Régions</translation>
    </message>
    <message>
      <location filename="../core/errors.py" />
      <source>Cancelled.</source>
      <translation>Annulé.</translation>
    </message>
    <message>
      <location filename="../core/fiche.py" />
      <source>Contacts</source>
      <translation>Contacts</translation>
    </message>
    <message>
      <location filename="../core/fiche.py" />
      <source>No contact published.</source>
      <translation>Aucun contact publié.</translation>
    </message>
    <message>
      <location filename="../core/fiche.py" />
      <source>no</source>
      <translation>non</translation>
    </message>
    <message>
      <location filename="../core/fiche.py" />
      <source>yes</source>
      <translation>oui</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>Not found on the server: {description}</source>
      <translation>Introuvable sur le serveur : {description}</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>The CoopAtlas server does not answer at {base} ({why}). Check the server address in the plugin settings and that the server is running.</source>
      <translation>Le serveur CoopAtlas ne répond pas à {base} ({why}). Vérifiez l'adresse du serveur dans les paramètres de l'extension et que le serveur est démarré.</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>The server answered HTTP {status}: {description}</source>
      <translation>Le serveur a répondu HTTP {status} : {description}</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>The server failed (HTTP {status}): {description}</source>
      <translation>Erreur du serveur (HTTP {status}) : {description}</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>The server refused the request: {description}</source>
      <translation>Le serveur a refusé la demande : {description}</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>The server's answer is not valid JSON ({url}): {error}</source>
      <translation>La réponse du serveur n'est pas du JSON valide ({url}) : {error}</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>no answer</source>
      <translation>pas de réponse</translation>
    </message>
    <message>
      <location filename="../core/http.py" />
      <source>no answer within {s} s</source>
      <translation>pas de réponse en {s} s</translation>
    </message>
    <message>
      <location filename="../core/jobs.py" />
      <source>The job of {process} did not finish within {s} s.</source>
      <translation>La tâche {process} n'a pas fini en {s} s.</translation>
    </message>
    <message>
      <location filename="../core/jobs.py" />
      <source>The job {job} of {process} {state}: {message}</source>
      <translation>La tâche {job} de {process} : {state} : {message}</translation>
    </message>
    <message>
      <location filename="../core/jobs.py" />
      <source>The server started a job but gave no Location to follow.</source>
      <translation>Le serveur a lancé une tâche sans indiquer où la suivre (Location).</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Cannot apply the style {path}</source>
      <translation>Impossible d'appliquer le style {path}</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Cannot open the vector tiles of {collection}</source>
      <translation>Impossible d'ouvrir les tuiles vectorielles de {collection}</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>CoopAtlas — {description}</source>
      <translation>CoopAtlas — {description}</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Cooperation links</source>
      <translation>Liens de coopération</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Cooperation requests</source>
      <translation>Demandes de coopération</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>French local authorities</source>
      <translation>Collectivités territoriales françaises</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Partner authorities</source>
      <translation>Autorités locales partenaires</translation>
    </message>
    <message>
      <location filename="../core/layers.py" />
      <source>Projects</source>
      <translation>Projets</translation>
    </message>
    <message>
      <location filename="../core/paging.py" />
      <source>CoopAtlas: next results</source>
      <translation>CoopAtlas : résultats suivants</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Country</source>
      <translation>Pays</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>French local authority</source>
      <translation>Collectivité territoriale française</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Identifier</source>
      <translation>Identifiant</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Partner authority</source>
      <translation>Collectivité locale partenaire</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Start year</source>
      <translation>Année de début</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Status</source>
      <translation>Statut</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Theme</source>
      <translation>Thématique</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Title</source>
      <translation>Titre</translation>
    </message>
    <message>
      <location filename="../core/results_model.py" />
      <source>Type</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../core/session.py" />
      <source>Cannot load the results: {error}</source>
      <translation>Impossible de charger les résultats : {error}</translation>
    </message>
    <message>
      <location filename="../core/session.py" />
      <source>Search cancelled.</source>
      <translation>Recherche annulée.</translation>
    </message>
    <message>
      <location filename="../core/session.py" />
      <source>{base} answers but is not a CoopAtlas server (no /vocabulaire): {error}</source>
      <translation>{base} répond mais ce n'est pas un serveur CoopAtlas (pas de /vocabulaire) : {error}</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Amount (euros)</source>
      <translation>Montant (euros)</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Authorities seeking a partner</source>
      <translation>Collectivités en recherche de partenaire</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>By continent</source>
      <translation>Par continent</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>By country</source>
      <translation>Par pays</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>By theme</source>
      <translation>Par thématique</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Decentralised cooperation projects</source>
      <translation>Projets de coopération décentralisée</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Declared official development aid per year</source>
      <translation>Aide publique au développement déclarée par année</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>French local authorities engaged</source>
      <translation>Collectivités françaises engagées</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Indicator</source>
      <translation>Indicateur</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Local authority</source>
      <translation>Collectivité</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Millions of euros</source>
      <translation>Millions d'euros</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Most engaged local authorities</source>
      <translation>Collectivités menant le plus de projets</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Name</source>
      <translation>Nom</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>No declared aid</source>
      <translation>Aucune aide déclarée</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Number</source>
      <translation>Nombre</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Other external actions</source>
      <translation>Autres actions extérieures</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Overview</source>
      <translation>Synthèse</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Partner local authorities</source>
      <translation>Collectivités locales partenaires</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Percentage</source>
      <translation>Pourcentage</translation>
    </message>
    <message>
      <location filename="../core/stats.py" />
      <source>Year</source>
      <translation>Année</translation>
    </message>
    <message>
      <location filename="../core/tasks.py" />
      <source>CoopAtlas search</source>
      <translation>Recherche CoopAtlas</translation>
    </message>
    <message>
      <location filename="../core/tasks.py" />
      <source>CoopAtlas: {process}</source>
      <translation>CoopAtlas : {process}</translation>
    </message>
    <message>
      <location filename="../core/tasks.py" />
      <source>The task failed.</source>
      <translation>La tâche a échoué.</translation>
    </message>
    <message>
      <location filename="../core/tiles.py" />
      <source>Downloaded as features: {what} (keywords or long lists of identifiers).</source>
      <translation>Téléchargées en entités : {what} (mots-clés ou longues listes d'identifiants).</translation>
    </message>
    <message>
      <location filename="../core/tiles.py" />
      <source>Features downloaded (GeoJSON).</source>
      <translation>Entités téléchargées (GeoJSON).</translation>
    </message>
    <message>
      <location filename="../core/tiles.py" />
      <source>Features downloaded: more than {n} results, but vector tiles cannot draw keywords nor long lists of identifiers.</source>
      <translation>Entités téléchargées : plus de {n} résultats, mais les tuiles vectorielles ne peuvent représenter ni des mots-clés ni de longues listes d'identifiants.</translation>
    </message>
    <message>
      <location filename="../core/tiles.py" />
      <source>Vector tiles filtered by the criteria: more than {n} results ({what}); the table loads them page by page.</source>
      <translation>Tuiles vectorielles filtrées par les critères : plus de {n} résultats ({what}) ; le tableau les charge page par page.</translation>
    </message>
    <message>
      <location filename="../core/tiles.py" />
      <source>Vector tiles: more than {n} results ({what}); the table loads them page by page.</source>
      <translation>Tuiles vectorielles : plus de {n} résultats ({what}) ; le tableau les charge page par page.</translation>
    </message>
    <message>
      <location filename="../gui/completer.py" />
      <source>CoopAtlas: suggestions for “{text}”</source>
      <translation>CoopAtlas : suggestions pour « {text} »</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Choose a country.</source>
      <translation>Choisissez un pays.</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Choose where to save the file.</source>
      <translation>Choisissez où enregistrer le fichier.</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Cooperation map — {country}</source>
      <translation>Carte de la coopération — {country}</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Country cooperation map</source>
      <translation>Carte de la coopération d'un pays</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Decentralised cooperation</source>
      <translation>Coopération décentralisée</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Export the results as PDF</source>
      <translation>Exporter les résultats en PDF</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>PDF (*.pdf)</source>
      <translation>PDF (*.pdf)</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Saved, but QGIS cannot read {path} as a raster.</source>
      <translation>Enregistré, mais QGIS ne peut pas lire {path} comme raster.</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>Saved: {path}</source>
      <translation>Enregistré : {path}</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>The server is making the file…</source>
      <translation>Le serveur prépare le fichier…</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>The server offers no process “{id}”.</source>
      <translation>Le serveur ne propose pas le traitement « {id} ».</translation>
    </message>
    <message>
      <location filename="../gui/dlg_export.py" />
      <source>The server's title</source>
      <translation>Le titre du serveur</translation>
    </message>
    <message>
      <location filename="../gui/dlg_fiche.py" />
      <source>Asking the server for the PDF sheet…</source>
      <translation>Demande de la fiche PDF au serveur…</translation>
    </message>
    <message>
      <location filename="../gui/dlg_fiche.py" />
      <source>Save the project sheet</source>
      <translation>Enregistrer la fiche projet</translation>
    </message>
    <message>
      <location filename="../gui/dlg_settings.py" />
      <source>Connected to “{title}”.</source>
      <translation>Connecté à « {title} ».</translation>
    </message>
    <message>
      <location filename="../gui/dlg_settings.py" />
      <source>{base} answers but is not a CoopAtlas server.</source>
      <translation>{base} répond mais ce n'est pas un serveur CoopAtlas.</translation>
    </message>
    <message>
      <location filename="../gui/dlg_stats.py" />
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../gui/dlg_stats.py" />
      <source>Export the chart</source>
      <translation>Exporter le graphique</translation>
    </message>
    <message>
      <location filename="../gui/dlg_stats.py" />
      <source>Export the table</source>
      <translation>Exporter le tableau</translation>
    </message>
    <message>
      <location filename="../gui/dlg_stats.py" />
      <source>PNG (*.png)</source>
      <translation>PNG (*.png)</translation>
    </message>
    <message>
      <location filename="../gui/saved_searches.py" />
      <source>Delete</source>
      <translation>Supprimer</translation>
    </message>
    <message>
      <location filename="../gui/saved_searches.py" />
      <source>Delete the search “{name}”?</source>
      <translation>Supprimer la recherche « {name} » ?</translation>
    </message>
    <message>
      <location filename="../gui/saved_searches.py" />
      <source>Name of the search:</source>
      <translation>Nom de la recherche :</translation>
    </message>
    <message>
      <location filename="../gui/saved_searches.py" />
      <source>Save the search</source>
      <translation>Enregistrer la recherche</translation>
    </message>
    <message>
      <location filename="../gui/wdg_results.py" />
      <source>Export as IATI</source>
      <translation>Exporter en IATI</translation>
    </message>
    <message>
      <location filename="../gui/wdg_results.py" />
      <source>IATI file saved: {path}</source>
      <translation>Fichier IATI enregistré : {path}</translation>
    </message>
    <message>
      <location filename="../gui/wdg_results.py" />
      <source>loading more results…</source>
      <translation>chargement des résultats suivants…</translation>
    </message>
    <message>
      <location filename="../gui/wdg_results.py" />
      <source>more than {n}</source>
      <translation>plus de {n}</translation>
    </message>
    <message>
      <location filename="../gui/wdg_results.py" />
      <source>{p} projects, {d} requests, {c} French authorities, {a} partners</source>
      <translation>{p} projets, {d} demandes, {c} collectivités françaises, {a} partenaires</translation>
    </message>
    <message>
      <location filename="../gui/wdg_search.py" />
      <source>Searching…</source>
      <translation>Recherche en cours…</translation>
    </message>
    <message>
      <location filename="../gui/wdg_search.py" />
      <source>Statistics unavailable: {error}</source>
      <translation>Statistiques indisponibles : {error}</translation>
    </message>
    <message>
      <location filename="../gui/wdg_search.py" />
      <source>all</source>
      <translation>tous</translation>
    </message>
    <message>
      <location filename="../gui/wdg_search.py" />
      <source>either</source>
      <translation>indifférent</translation>
    </message>
    <message>
      <location filename="../gui/wdg_search.py" />
      <source>{n} projects and requests found in {s:.1f} s.</source>
      <translation>{n} projets et demandes trouvés en {s:.1f} s.</translation>
    </message>
    <message>
      <location filename="../locator.py" />
      <source>CoopAtlas: authorities, partners, countries</source>
      <translation>CoopAtlas : collectivités, partenaires, pays</translation>
    </message>
    <message>
      <location filename="../plugin.py" />
      <source>CoopAtlas</source>
      <translation>CoopAtlas</translation>
    </message>
    <message>
      <location filename="../plugin.py" />
      <source>CoopAtlas results</source>
      <translation>Résultats CoopAtlas</translation>
    </message>
    <message>
      <location filename="../plugin.py" />
      <source>CoopAtlas settings…</source>
      <translation>Paramètres CoopAtlas…</translation>
    </message>
    <message>
      <location filename="../plugin.py" />
      <source>CoopAtlas sheet on click</source>
      <translation>Fiche CoopAtlas au clic</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Active, from</source>
      <translation>Actif, à partir de</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Active, up to</source>
      <translation>Actif, jusqu'à</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Atlas of decentralised cooperation</source>
      <translation>Atlas de la coopération décentralisée</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Co-financing types (codes)</source>
      <translation>Types de cofinancement (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Continents (codes)</source>
      <translation>Continents (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>CoopAtlas server address</source>
      <translation>Adresse du serveur CoopAtlas</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Countries (ISO 3166-1 alpha-2 codes)</source>
      <translation>Pays (codes ISO 3166-1 alpha-2)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Country (ISO 3166-1 code or French name)</source>
      <translation>Pays (code ISO 3166-1 ou nom français)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Counts of French authorities, partners, projects, requests and countries, APD per year (euros), top authorities and splits by country, theme and continent, computed by the server's process 'statistiques'. The JSON file holds the whole result.</source>
      <translation>Nombres de collectivités françaises, partenaires, projets, demandes et pays, APD par année (euros), collectivités les plus engagées et répartitions par pays, thématique et continent, calculés par le traitement « statistiques » du serveur. Le fichier JSON contient le résultat complet.</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Format</source>
      <translation>Format</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>French authorities (identifiers)</source>
      <translation>Collectivités françaises (identifiants)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>French departments (INSEE codes)</source>
      <translation>Départements français (codes INSEE)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>French regions (INSEE codes)</source>
      <translation>Régions françaises (codes INSEE)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>JSON (*.json)</source>
      <translation>JSON (*.json)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Keywords</source>
      <translation>Mots clés</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Map</source>
      <translation>Carte</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Maps (*.pdf *.svg *.png *.tif)</source>
      <translation>Cartes (*.pdf *.svg *.png *.tif)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Number of top authorities</source>
      <translation>Nombre de collectivités du classement</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Oudin-Santini law</source>
      <translation>Loi Oudin-Santini</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>PDF report of a search</source>
      <translation>Rapport PDF d'une recherche</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Paper (A4 or A3)</source>
      <translation>Papier (A4 ou A3)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Partner authorities (identifiers)</source>
      <translation>Collectivités partenaires (identifiants)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Period: a year or an interval of years (1995, 2000/2010, ../1990)</source>
      <translation>Période : une année ou un intervalle d'années (1995, 2000/2010, ../1990)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Projects, cooperation requests, French authorities, partners or links matching the atlas criteria, filtered by the CoopAtlas server (CQL2), as a vector layer in EPSG:4326. Lists are comma-separated codes of the server's vocabulary (/vocabulaire).</source>
      <translation>Les projets, demandes de coopération, collectivités françaises, partenaires ou liens répondant aux critères de l'atlas, filtrés par le serveur CoopAtlas (CQL2), en couche vecteur EPSG:4326. Les listes sont des codes du vocabulaire du serveur (/vocabulaire) séparés par des virgules.</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Records</source>
      <translation>Enregistrements</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Report</source>
      <translation>Rapport</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Search</source>
      <translation>Rechercher</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Search results</source>
      <translation>Résultats de la recherche</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Search the atlas</source>
      <translation>Rechercher dans l'atlas</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Small multiple: 2 to 6 years or intervals, comma-separated</source>
      <translation>Petits multiples : 2 à 6 années ou intervalles, séparés par des virgules</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Start year, from</source>
      <translation>Année de début, à partir de</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Start year, up to</source>
      <translation>Année de début, jusqu'à</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Statistics (JSON)</source>
      <translation>Statistiques (JSON)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Statistics of a search</source>
      <translation>Statistiques d'une recherche</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Statuses (codes)</source>
      <translation>Statuts (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Sub-continents (codes)</source>
      <translation>Sous-continents (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Sub-sub-themes (codes)</source>
      <translation>Sous-sous-thématiques (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Sub-themes (codes)</source>
      <translation>Sous-thématiques (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>The map of the cooperation with one country (its partners, the French authorities engaged), made by the server (process 'carte-pays') as PDF, SVG, PNG or GeoTIFF. The other criteria narrow the projects shown. Period: a year (1995) or an interval of years (2000/2010, ../1990, 2012/..), only what was active then is mapped. Small multiple: 2 to 6 such dates, comma-separated, one panel per date on one page (PDF, SVG or PNG; not with a period).</source>
      <translation>La carte de la coopération avec un pays (ses partenaires, les collectivités françaises engagées), produite par le serveur (traitement « carte-pays ») en PDF, SVG, PNG ou GeoTIFF. Les autres critères restreignent les projets montrés. Période : une année (1995) ou un intervalle d'années (2000/2010, ../1990, 2012/..), seul ce qui était actif alors est cartographié. Petits multiples : 2 à 6 de ces dates, séparées par des virgules, une vignette par date sur une même page (PDF, SVG ou PNG ; pas avec une période).</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>The results of a search as a PDF report made by the server (process 'rapport').</source>
      <translation>Les résultats d'une recherche en rapport PDF produit par le serveur (traitement « rapport »).</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Themes (codes)</source>
      <translation>Thématiques (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Twinning</source>
      <translation>Jumelage</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Types of French authority (codes)</source>
      <translation>Types de collectivité française (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>Types of action (codes)</source>
      <translation>Types d'action (codes)</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>{n} bytes ({type}) saved in {path}</source>
      <translation>{n} octets ({type}) enregistrés dans {path}</translation>
    </message>
    <message>
      <location filename="../processing/algorithms.py" />
      <source>{n} records of {coll}: {description}</source>
      <translation>{n} enregistrements de {coll} : {description}</translation>
    </message>
    <message>
      <location filename="../processing/provider.py" />
      <source>CoopAtlas — Atlas of decentralised cooperation</source>
      <translation>CoopAtlas — Atlas de la coopération décentralisée</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>2 to 6 years or intervals, e.g. ../1990, 1995, 2000/2005</source>
      <translation>2 à 6 années ou intervalles, p. ex. ../1990, 1995, 2000/2005</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Add the GeoTIFF map to the project</source>
      <translation>Ajouter la carte GeoTIFF au projet</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>CoopAtlas export</source>
      <translation>Export CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Country</source>
      <translation>Pays</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Export</source>
      <translation>Exporter</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Format</source>
      <translation>Format</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>One panel per date, same extent and scale, one legend (PDF, SVG or PNG; not with a period)</source>
      <translation>Une vignette par date, même étendue et même échelle, une légende commune (PDF, SVG ou PNG ; pas avec une période)</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Only the projects and requests active in this period are mapped (both years are optional)</source>
      <translation>Seuls les projets et demandes actifs pendant cette période sont cartographiés (les deux années sont facultatives)</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Paper</source>
      <translation>Papier</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Period (active)</source>
      <translation>Période (actifs)</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Save as</source>
      <translation>Enregistrer sous</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Small multiple</source>
      <translation>Petits multiples</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>Title</source>
      <translation>Titre</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>from —</source>
      <translation>depuis —</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_export.ui" />
      <source>to —</source>
      <translation>jusqu'à —</translation>
    </message>
  </context>
  <context>
    <name>FicheDialog</name>
    <message>
      <location filename="../gui/ui/dlg_fiche.ui" />
      <source>CoopAtlas sheet</source>
      <translation>Fiche CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_fiche.ui" />
      <source>Save as PDF…</source>
      <translation>Enregistrer en PDF…</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_fiche.ui" />
      <source>Zoom to</source>
      <translation>Zoomer</translation>
    </message>
  </context>
  <context>
    <name>LinkDialog</name>
    <message>
      <location filename="../gui/ui/dlg_link.ui" />
      <source>Copy</source>
      <translation>Copier</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_link.ui" />
      <source>Its features (OGC API Features, GeoJSON), for QGIS, GDAL or a web map:</source>
      <translation>Ses objets (OGC API Features, GeoJSON), pour QGIS, GDAL ou une carte web :</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_link.ui" />
      <source>Link of this map</source>
      <translation>Lien de cette carte</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_link.ui" />
      <source>Open</source>
      <translation>Ouvrir</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_link.ui" />
      <source>The search on the server:</source>
      <translation>La recherche sur le serveur :</translation>
    </message>
  </context>
  <context>
    <name>ResultsWidget</name>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Authority contacts…</source>
      <translation>Contacts de la collectivité…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>CoopAtlas results</source>
      <translation>Résultats CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Cooperation requests</source>
      <translation>Demandes de coopération</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Country map…</source>
      <translation>Carte du pays…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Decentralised cooperation</source>
      <translation>Coopération décentralisée</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Export as IATI…</source>
      <translation>Exporter en IATI…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Export the results as PDF…</source>
      <translation>Exporter les résultats en PDF…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Other external actions</source>
      <translation>Autres actions extérieures</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Project sheet…</source>
      <translation>Fiche projet…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Show the link of this map…</source>
      <translation>Afficher le lien de cette carte…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>Statistics…</source>
      <translation>Statistiques…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_results.ui" />
      <source>The projects of the search as an IATI 2.03 activity file (XML)</source>
      <translation>Les projets de la recherche en fichier d'activités IATI 2.03 (XML)</translation>
    </message>
  </context>
  <context>
    <name>SearchWidget</name>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Active between</source>
      <translation>Actif entre</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Advanced search</source>
      <translation>Recherche avancée</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Cancel</source>
      <translation>Annuler</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Co-financing</source>
      <translation>Cofinancement</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Continent</source>
      <translation>Continent</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>CoopAtlas</source>
      <translation>CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Country</source>
      <translation>Pays</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Delete</source>
      <translation>Supprimer</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Department</source>
      <translation>Département</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Detailed statistics…</source>
      <translation>Statistiques détaillées…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>France</source>
      <translation>Accès France</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>French authority</source>
      <translation>Collectivité française</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Keywords</source>
      <translation>Mots clés</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Local authority</source>
      <translation>Collectivité</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Oudin-Santini law</source>
      <translation>Loi Oudin-Santini</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Partner authority</source>
      <translation>Collectivité locale partenaire</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Projects active at some time between these years: a project is active from its launch year to its end year (still running when it has none), a request from its submission to its validation.</source>
      <translation>Projets actifs à un moment entre ces années : un projet est actif de son année de lancement à son année de fin (toujours en cours s'il n'en a pas), une demande de son dépôt à sa validation.</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Region</source>
      <translation>Région</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Reset</source>
      <translation>Réinitialiser</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Run</source>
      <translation>Lancer</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Save the current search…</source>
      <translation>Enregistrer la recherche en cours…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Saved</source>
      <translation>Enregistrées</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Search</source>
      <translation>Rechercher</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Start year</source>
      <translation>Année de début</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>State</source>
      <translation>État</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Status</source>
      <translation>Statut</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Sub-continent</source>
      <translation>Sous-continent</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Sub-sub-theme</source>
      <translation>Sous-sous-thématique</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Sub-theme</source>
      <translation>Sous-thématique</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Theme</source>
      <translation>Thématique</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Twinning</source>
      <translation>Jumelage</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Type</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Type of authority</source>
      <translation>Type de collectivité</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>Type the first letters of a name…</source>
      <translation>Tapez les premières lettres d'un nom…</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>World</source>
      <translation>Accès Monde</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>e.g. eau potable</source>
      <translation>par ex. eau potable</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>from —</source>
      <translation>depuis —</translation>
    </message>
    <message>
      <location filename="../gui/ui/wdg_search.ui" />
      <source>to —</source>
      <translation>jusqu'à —</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source> s</source>
      <translation> s</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>CoopAtlas settings</source>
      <translation>Paramètres CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>Features per request</source>
      <translation>Objets par requête</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>Server address</source>
      <translation>Adresse du serveur</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>Test the connection</source>
      <translation>Tester la connexion</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>Timeout</source>
      <translation>Délai d'attente</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_settings.ui" />
      <source>http://127.0.0.1:5000</source>
      <translation>http://127.0.0.1:5000</translation>
    </message>
  </context>
  <context>
    <name>StatsDialog</name>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>Aid per year</source>
      <translation>APD par année</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>By continent</source>
      <translation>Par continent</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>By country</source>
      <translation>Par pays</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>By theme</source>
      <translation>Par thématique</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>CoopAtlas statistics</source>
      <translation>Statistiques CoopAtlas</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>Export the chart as PNG…</source>
      <translation>Exporter le graphique en PNG…</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>Export the table as CSV…</source>
      <translation>Exporter le tableau en CSV…</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>Overview</source>
      <translation>Synthèse</translation>
    </message>
    <message>
      <location filename="../gui/ui/dlg_stats.ui" />
      <source>Top authorities</source>
      <translation>Collectivités les plus engagées</translation>
    </message>
  </context>
</TS>

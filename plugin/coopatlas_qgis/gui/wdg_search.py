"""The search panel: Accès Monde, Accès France, Recherche avancée, saved searches, and the "Etat" panel."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QLabel, QWidget

from ..core import places
from ..core.errors import AtlasError
from ..core.i18n import tr
from ..core.search import CODE_CRITERIA, YEAR_RANGE, Search
from ..core.stats import COUNT_KEYS, Statistics, count_label
from .common import busy, checked_codes, fill_checkable, fill_combo, fill_table, form, set_checked_codes
from .completer import ServerCompleter
from .saved_searches import SavedSearchesTab

#: Types of French authorities chosen from a list (few per region or department); the others by name.
LISTED_TYPES = ("region", "departement", "outre_mer")
YEAR_UNSET = YEAR_RANGE[0] - 1  # the year boxes' minimum, shown as "any"


class SearchWidget(QWidget, form("wdg_search")):
    """Thin view over a :class:`~..core.session.Session`: it builds :class:`Search` objects from the
    user's choices and shows the session's progress and statistics."""

    statsRequested = pyqtSignal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.session = session
        self.loaded = False
        self._count_labels: dict[str, QLabel] = {}
        self._show_progress(False)
        self.btn_stats.setEnabled(False)

        for combo in (self.cb_jumelage, self.cb_loi_oudin):
            fill_combo(combo, [(True, tr("yes")), (False, tr("no"))], empty=tr("either"), keep=False)

        self.cb_continent.currentIndexChanged.connect(self._continent_changed)
        self.cb_sous_continent.currentIndexChanged.connect(self._sous_continent_changed)
        self.cb_region.currentIndexChanged.connect(self._region_changed)
        self.cb_departement.currentIndexChanged.connect(self._collectivite_scope_changed)
        self.cb_type_collectivite.currentIndexChanged.connect(self._collectivite_scope_changed)
        self.ccb_continent.checkedItemsChanged.connect(self._adv_continents_changed)
        self.ccb_region.checkedItemsChanged.connect(self._adv_regions_changed)
        self.ccb_thematique.checkedItemsChanged.connect(self._adv_themes_changed)
        self.ccb_sous_thematique.checkedItemsChanged.connect(self._adv_sub_themes_changed)

        self.communes = ServerCompleter(self.le_collectivite, self._fetch_france_names)
        self.collectivites_adv = ServerCompleter(self.le_collectivite_adv, self._fetch_any_collectivite)
        self.partenaires = ServerCompleter(self.le_partenaire, self._fetch_partenaires)
        for comp in (self.communes, self.collectivites_adv, self.partenaires):
            comp.failed.connect(self.show_error)

        self.btn_monde_search.clicked.connect(lambda: self.run(self.monde_search()))
        self.btn_france_search.clicked.connect(lambda: self.run(self.france_search()))
        self.btn_adv_search.clicked.connect(lambda: self.run(self.advanced_search()))
        self.btn_monde_reset.clicked.connect(self.reset_monde)
        self.btn_france_reset.clicked.connect(self.reset_france)
        self.btn_adv_reset.clicked.connect(self.reset_advanced)
        self.btn_cancel.clicked.connect(lambda: self.session.cancel_search())
        self.btn_stats.clicked.connect(self.statsRequested.emit)

        session.searchStarted.connect(self._started)
        session.searchProgress.connect(lambda p: self.progress.setValue(int(p)))
        session.searchFinished.connect(self._finished)
        session.searchFailed.connect(self._failed)
        self.saved = SavedSearchesTab(self)
        self._collectivite_scope_changed()

    # --- vocabulary and lists from the server ---------------------------------------------------------
    def showEvent(self, event):  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.loaded:
            self.load_lists()

    @busy
    def load_lists(self) -> bool:
        """Fill the lists from the server (vocabulary, regions); False with a message when it fails."""
        try:
            voc = self.session.vocabulary()
            regions = places.regions(self.session.client)
        except AtlasError as exc:
            self.show_error(str(exc))
            return False
        any_ = tr("all")
        fill_combo(self.cb_continent, voc.choices("continent"), empty=any_)
        fill_combo(self.cb_type_collectivite, voc.choices("type_collectivite"), empty=any_)
        fill_combo(self.cb_region, regions, empty=any_)
        for name in ("type_action", "continent", "type_collectivite", "thematique", "statut", "cofinancement"):
            fill_checkable(getattr(self, f"ccb_{name}"), voc.choices(name))
        fill_checkable(self.ccb_region, regions)
        self.loaded = True
        self._continent_changed()
        self._region_changed()
        self._adv_continents_changed()
        self._adv_regions_changed()
        self._adv_themes_changed()
        self.lbl_status.clear()
        return True

    @busy
    def _continent_changed(self, *_):
        if not self.loaded:
            return
        voc = self.session.vocabulary()
        continent = self.cb_continent.currentData()
        fill_combo(
            self.cb_sous_continent, voc.choices("sous_continent", continent=continent), empty=tr("all"), keep=False
        )
        self._sous_continent_changed()

    @busy
    def _sous_continent_changed(self, *_):
        if not self.loaded:
            return
        params = {}
        if self.cb_sous_continent.currentData():
            params["sous_continent"] = self.cb_sous_continent.currentData()
        elif self.cb_continent.currentData():
            params["continent"] = self.cb_continent.currentData()
        try:
            countries = places.countries(self.session.client, self.session.lang, params)
            fill_combo(self.cb_pays, countries, empty=tr("all"), keep=False)
        except AtlasError as exc:
            self.show_error(str(exc))

    @busy
    def _region_changed(self, *_):
        if not self.loaded:
            return
        region = self.cb_region.currentData()
        try:
            fill_combo(
                self.cb_departement,
                places.departements(self.session.client, [region] if region else []),
                empty=tr("all"),
                keep=False,
            )
        except AtlasError as exc:
            self.show_error(str(exc))
            return
        self._collectivite_scope_changed()

    def _france_scope(self) -> dict:
        params = {}
        if self.cb_departement.currentData():
            params["code_departement"] = self.cb_departement.currentData()
        elif self.cb_region.currentData():
            params["code_region"] = self.cb_region.currentData()
        return params

    @busy
    def _collectivite_scope_changed(self, *_):
        """Authorities of a listed type (regional and departmental councils, overseas) in a list; communes
        and inter-municipal bodies by type-ahead."""
        kind = self.cb_type_collectivite.currentData()
        listed = kind in LISTED_TYPES
        self.cb_collectivite.setVisible(listed)
        self.le_collectivite.setVisible(not listed)
        self.communes.clear()
        if not listed or not self.loaded:
            fill_combo(self.cb_collectivite, [], empty=tr("all"))
            return
        try:
            rows = self.session.client.names("collectivites", {"type_collectivite": kind, **self._france_scope()})
        except AtlasError as exc:
            self.show_error(str(exc))
            return
        fill_combo(
            self.cb_collectivite, [(r["id"], r.get("nom") or r["id"]) for r in rows], empty=tr("all"), keep=False
        )

    # type-ahead queries: the form is read here, in the user interface thread; the returned function asks
    # the server in a worker thread (ServerCompleter)
    def _fetch_france_names(self, text: str):
        params = dict(self._france_scope())
        if self.cb_type_collectivite.currentData():
            params["type_collectivite"] = self.cb_type_collectivite.currentData()
        client = self.session.client
        return lambda feedback: places.collectivites(client, text, params)

    def _fetch_any_collectivite(self, text: str):
        client = self.session.client
        return lambda feedback: places.collectivites(client, text)

    def _fetch_partenaires(self, text: str):
        client = self.session.client
        return lambda feedback: places.partenaires(client, text)

    @busy
    def _adv_continents_changed(self, *_):
        if not self.loaded:
            return
        voc = self.session.vocabulary()
        continents = checked_codes(self.ccb_continent)
        fill_checkable(self.ccb_sous_continent, voc.choices("sous_continent", continent=continents))
        try:
            countries = places.countries(self.session.client, self.session.lang, field="continent", codes=continents)
        except AtlasError as exc:
            self.show_error(str(exc))
            return
        fill_checkable(self.ccb_pays, countries)

    @busy
    def _adv_regions_changed(self, *_):
        if not self.loaded:
            return
        try:
            regions = checked_codes(self.ccb_region)
            fill_checkable(self.ccb_departement, places.departements(self.session.client, regions))
        except AtlasError as exc:
            self.show_error(str(exc))

    def _adv_themes_changed(self, *_):
        if not self.loaded:
            return
        voc = self.session.vocabulary()
        fill_checkable(
            self.ccb_sous_thematique, voc.choices("sous_thematique", thematique=checked_codes(self.ccb_thematique))
        )
        self._adv_sub_themes_changed()

    def _adv_sub_themes_changed(self, *_):
        if not self.loaded:
            return
        voc = self.session.vocabulary()
        fill_checkable(
            self.ccb_sous_sous_thematique,
            voc.choices(
                "sous_sous_thematique",
                thematique=checked_codes(self.ccb_thematique),
                sous_thematique=checked_codes(self.ccb_sous_thematique),
            ),
        )

    # --- searches from the forms ----------------------------------------------------------------------
    def monde_search(self) -> Search:
        """Accès Monde: the most precise of country, sub-continent, continent."""
        if self.cb_pays.currentData():
            return Search.of(pays=[self.cb_pays.currentData()])
        if self.cb_sous_continent.currentData():
            return Search.of(sous_continent=[self.cb_sous_continent.currentData()])
        if self.cb_continent.currentData():
            return Search.of(continent=[self.cb_continent.currentData()])
        return Search()

    def france_search(self) -> Search:
        """Accès France: one authority, or a type of authority in a region or department."""
        kind = self.cb_type_collectivite.currentData()
        ident = self.cb_collectivite.currentData() if kind in LISTED_TYPES else self._typed_collectivite()
        if ident:
            return Search.of(collectivite=[ident])
        values = {}
        if self.cb_departement.currentData():
            values["departement"] = [self.cb_departement.currentData()]
        elif self.cb_region.currentData():
            values["region"] = [self.cb_region.currentData()]
        if kind:
            values["type_collectivite"] = [kind]
        return Search.of(values)

    def _typed_collectivite(self) -> str | None:
        if self.communes.selected:
            return self.communes.selected
        text = self.le_collectivite.text().strip()
        return self.communes.ids.get(text) if text else None

    def advanced_search(self) -> Search:
        """Recherche avancée: every criterion."""
        values = {"q": self.le_q.text().strip() or None}
        for name in CODE_CRITERIA:
            values[name] = checked_codes(getattr(self, f"ccb_{name}"))
        coll = self.collectivites_adv.selected or self.collectivites_adv.ids.get(self.le_collectivite_adv.text())
        part = self.partenaires.selected or self.partenaires.ids.get(self.le_partenaire.text())
        values["collectivite"] = [coll] if coll else None
        values["partenaire"] = [part] if part else None
        values["jumelage"] = self.cb_jumelage.currentData()
        values["loi_oudin"] = self.cb_loi_oudin.currentData()
        values["annee_min"] = self.sb_annee_min.value() if self.sb_annee_min.value() != YEAR_UNSET else None
        values["annee_max"] = self.sb_annee_max.value() if self.sb_annee_max.value() != YEAR_UNSET else None
        for name in ("actif_de", "actif_a"):  # active at some time between the two years (either may be unset)
            year = getattr(self, f"sb_{name}").value()
            if year != YEAR_UNSET:
                values[name] = year
        return Search.of(values)

    def show_search(self, search: Search) -> None:
        """Put ``search`` into the advanced form (e.g. a saved search)."""
        self.reset_advanced()
        for name in (
            "type_action",
            "continent",
            "region",
            "type_collectivite",
            "thematique",
            "statut",
            "cofinancement",
        ):
            set_checked_codes(getattr(self, f"ccb_{name}"), search.get(name))
        self._adv_continents_changed()
        self._adv_regions_changed()
        self._adv_themes_changed()
        set_checked_codes(self.ccb_sous_continent, search.get("sous_continent"))
        set_checked_codes(self.ccb_pays, search.get("pays"))
        set_checked_codes(self.ccb_departement, search.get("departement"))
        set_checked_codes(self.ccb_sous_thematique, search.get("sous_thematique"))
        self._adv_sub_themes_changed()
        set_checked_codes(self.ccb_sous_sous_thematique, search.get("sous_sous_thematique"))
        self.le_q.setText(search.get("q") or "")
        for combo, name in ((self.cb_jumelage, "jumelage"), (self.cb_loi_oudin, "loi_oudin")):
            i = combo.findData(search.get(name))
            combo.setCurrentIndex(max(0, i))
        self.sb_annee_min.setValue(int(search.get("annee_min") or YEAR_UNSET))
        self.sb_annee_max.setValue(int(search.get("annee_max") or YEAR_UNSET))
        self.sb_actif_de.setValue(int(search.get("actif_de") or YEAR_UNSET))
        self.sb_actif_a.setValue(int(search.get("actif_a") or YEAR_UNSET))
        for comp, name in ((self.collectivites_adv, "collectivite"), (self.partenaires, "partenaire")):
            ids = search.get(name) or ()
            if ids:
                comp.edit.setText(ids[0])
                comp.ids = {ids[0]: ids[0]}
                comp.selected = ids[0]

    def reset_monde(self):
        self.cb_continent.setCurrentIndex(0)

    def reset_france(self):
        self.cb_region.setCurrentIndex(0)
        self.cb_type_collectivite.setCurrentIndex(0)
        self.communes.clear()

    def reset_advanced(self):
        self.le_q.clear()
        for name in CODE_CRITERIA:
            getattr(self, f"ccb_{name}").deselectAllOptions()
        self.cb_jumelage.setCurrentIndex(0)
        self.cb_loi_oudin.setCurrentIndex(0)
        self.sb_annee_min.setValue(YEAR_UNSET)
        self.sb_annee_max.setValue(YEAR_UNSET)
        self.sb_actif_de.setValue(YEAR_UNSET)
        self.sb_actif_a.setValue(YEAR_UNSET)
        self.collectivites_adv.clear()
        self.partenaires.clear()

    def run(self, search: Search) -> None:
        self.session.run_search(search)

    # --- progress and the "Etat" panel -------------------------------------------------------------------
    def _show_progress(self, visible: bool):
        self.progress.setVisible(visible)
        self.btn_cancel.setVisible(visible)

    def _started(self, search):
        self.progress.setValue(0)
        self._show_progress(True)
        self.lbl_status.setStyleSheet("")
        self.lbl_status.setText(tr("Searching…"))

    def _finished(self, loaded):
        self._show_progress(False)
        result = loaded.result
        n = result.counts.get("projets", 0) + result.counts.get("demandes", 0)
        self.lbl_status.setStyleSheet("")
        self.lbl_status.setText(tr("{n} projects and requests found in {s:.1f} s.").format(n=n, s=result.seconds))
        self.show_state(result)

    def _failed(self, message: str):
        self._show_progress(False)
        self.show_error(message)

    def show_error(self, message: str):
        self.lbl_status.setStyleSheet("color: #b00020;")
        self.lbl_status.setText(message)
        if self.session.iface is not None:
            try:
                self.session.iface.messageBar().pushMessage("CoopAtlas", message, Qgis.Warning, 8)
            except Exception:  # noqa: BLE001 - a message bar is a nicety
                pass

    def show_state(self, result):
        """The "Etat" panel: the search in words, its counts and its APD per year."""
        self.lbl_description.setText(result.description(self.session.lang))
        stats = Statistics(result.stats)
        for key in COUNT_KEYS:
            if key not in self._count_labels:
                value = QLabel()
                value.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.form_counts.addRow(count_label(key), value)
                self._count_labels[key] = value
            count = stats.count(key)
            self._count_labels[key].setText("—" if count is None else str(count))
        fill_table(self.tbl_apd, stats.apd())
        self.btn_stats.setEnabled(result.stats is not None)
        if result.stats_error:
            self.lbl_status.setText(
                self.lbl_status.text() + "\n" + tr("Statistics unavailable: {error}").format(error=result.stats_error)
            )

"""Translation helpers: one Qt translation context for the plugin's Python strings.

Source strings are English; ``i18n/coopatlas_fr.ts`` holds their French translations, compiled to
``.qm`` when the plugin is packaged. The plugin loads the ``.qm`` of QGIS's user interface language.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "CoopAtlas"
I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"


def tr(text: str) -> str:
    """``text`` translated in the plugin's context (returned unchanged without a translation)."""
    return QCoreApplication.translate(CONTEXT, text)


def ui_locale() -> str:
    """QGIS's user interface locale, e.g. ``"fr_FR"`` or ``"en_US"`` (the override of the options
    dialog when set, else the system's)."""
    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        return str(settings.value("locale/userLocale", "") or QLocale.system().name())
    return QLocale.system().name()


def lang() -> str:
    """``"fr"`` when QGIS speaks French, else ``"en"``: the language of the server's labels we show."""
    return "fr" if ui_locale().lower().startswith("fr") else "en"


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load and install the plugin's ``.qm`` for ``locale`` (QGIS's by default); the translator or None."""
    code = (locale or ui_locale())[:2].lower()
    qm = I18N_DIR / f"coopatlas_{code}.qm"
    if not qm.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator

"""Catalogues and one Jinja environment per language."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .problems import Problems

LOCALES_DIR = "locales"
DOMAIN = "messages"


def po_path(root: Path, lang: str) -> Path:
    """Where the catalogue of ``lang`` lives."""
    return root / LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(root: Path, lang: str, problems: Problems) -> gettext.NullTranslations:
    """Read a ``.po`` catalogue straight into translations; no compile step is needed."""
    path = po_path(root, lang)
    rel = path.relative_to(root).as_posix()
    if not path.exists():
        problems.warn(rel, 0, f"no catalogue for '{lang}': the interface is shown in English",
                      "Run 'python build.py i18n update' to create it.")
        return gettext.NullTranslations()
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except PoFileError as exc:
        problems.error(rel, getattr(exc, "lineno", 0), f"the catalogue cannot be read: {exc}",
                       "Open it in a .po editor or fix the quoting on that line.")
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def make_environment(templates: Path, translations: gettext.NullTranslations) -> Environment:
    """A Jinja environment that renders templates in one language."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env

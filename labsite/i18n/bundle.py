"""Catalogues and one Jinja environment per language."""

from __future__ import annotations

import gettext
import io
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, pass_context, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.runtime import Context
from markupsafe import escape

from ..load.cache import BuildCache, code_digest
from ..load.markup import keep_dates
from ..load.paths import link_problem
from ..model.problems import Problems
from .catalogs import DOMAIN, LOCALES_DIR, CatalogReport, complete, po_path, read_catalog

__all__ = ["DOMAIN", "LOCALES_DIR", "N_", "CompiledTemplates", "load_translations", "make_environment", "po_path"]
#: How every environment is set up; compiled templates depend on it, so it is part of their cache key.
SETTINGS: dict[str, object] = {"autoescape": ["html", "xml"], "undefined": "StrictUndefined",
                               "extensions": ["jinja2.ext.i18n"], "trim_blocks": True, "lstrip_blocks": True,
                               "newstyle_gettext": True}


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a string for extraction without translating it (it is translated where it is shown)."""
    return message


def load_translations(root: Path, lang: str, problems: Problems) -> gettext.NullTranslations:
    """Read a ``.po`` catalogue straight into translations; no compile step is needed."""
    report = read_catalog(root, lang, problems)
    if report.catalog is None:
        return gettext.NullTranslations()
    warn_untranslated(report, problems)
    return compile_catalog(report.catalog)


def warn_untranslated(report: CatalogReport, problems: Problems) -> None:
    """A warning at each fuzzy or missing string (errors under ``--strict``)."""
    for entry in report.entries:
        if entry.state == "fuzzy":
            problems.warn(report.path, entry.line, f"fuzzy translation of '{entry.msgid}' (shown in English)",
                          "Check the translation, then remove the '#, fuzzy' line above it.")
        elif entry.state == "missing" and not entry.line:
            problems.warn(report.path, 0, f"'{entry.msgid}' is not in the catalogue (shown in English)",
                          "Run 'python build.py i18n update' to add it, then translate it.")
        elif entry.state == "missing":
            problems.warn(report.path, entry.line, f"'{entry.msgid}' is not translated (shown in English)",
                          "Fill in its msgstr (every msgstr[n] for a plural).")


def compile_catalog(catalog: Catalog) -> gettext.NullTranslations:
    """Translations from the complete entries only, so a half-translated plural falls back to English."""
    compiled = Catalog(locale=catalog.locale, charset="utf-8", fuzzy=False)
    compiled.mime_headers = catalog.mime_headers
    for message in catalog:
        if complete(message):
            compiled[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, compiled)
    buffer.seek(0)
    try:
        return gettext.GNUTranslations(buffer)
    except ValueError:  # an unreadable Plural-Forms header, reported by read_catalog with its line
        return gettext.NullTranslations()


class TemplateLoader(FileSystemLoader):
    """Loads templates from the templates folder, never through a link that leads out of the project."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, unless it is a link leading out of the project."""
        if link_problem(self.folder.parent, self.folder / template):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for every language's environment, and kept across builds in the build cache.

    A template is found by its name, file and source checksum; the code is Jinja's own, checked by its magic bytes.
    """

    def __init__(self, cache: BuildCache | None = None) -> None:
        self.cache = cache
        self.code: dict[str, bytes] = {}
        self.kind = code_digest("jinja", jinja2.__version__, sys.version, SETTINGS, Path(__file__))

    def _key(self, bucket: Bucket) -> bytes:
        """Where the build cache keeps a template's code."""
        return BuildCache.key(self.kind, f"{bucket.key}\0{bucket.checksum}".encode())

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give ``bucket`` the code compiled before, from this build or the build cache, if there is any."""
        data = self.code.get(bucket.key + bucket.checksum)
        if data is None and self.cache is not None:
            data = self.cache.get(self._key(bucket))
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except (ValueError, EOFError, TypeError):  # not code of this Python: compiled again
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code just compiled."""
        data = bucket.bytecode_to_string()
        self.code[bucket.key + bucket.checksum] = data
        if self.cache is not None:
            self.cache.put(self._key(bucket), data)


def make_environment(templates: Path, translations: gettext.NullTranslations,
                     compiled: CompiledTemplates | None = None) -> Environment:
    """A Jinja environment that renders templates in one language; ``compiled`` is shared by the languages."""
    env = Environment(
        loader=TemplateLoader(templates),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # An environment lives for one state of the templates: the preview makes a new one after a template edit.
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = env.globals["gettext"] = remembered_gettext(translations.gettext)
    env.globals["ngettext"] = text_ngettext(translations.ngettext)
    env.filters["keep_dates"] = keep_dates
    env.filters["line_start"] = line_start
    return env


def line_start(text: str) -> str:
    """``text`` as it reads at the start of a line or a value: its first letter a capital («Май 2024 г.», where a
    Russian month is written in lower case within a sentence)."""
    return text[:1].upper() + text[1:]


def remembered_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """The templates' ``_()`` and ``gettext()``: Jinja's own (new style: the text is a format string), but the
    translation is text, escaped where output is, never markup; each translation of a text without variables is
    kept once made.

    Jinja's own marks a translation safe, so a ``<script>`` typed into a catalogue would reach the page; the
    interface texts hold no markup, and a catalogue is input like the content.

    Jinja's ``_`` calls ``gettext`` through the context, which calls the catalogue through it again: a page shows
    some twenty texts, each asked for again on every page, and those calls were a fifth of the rendering.
    """
    known: dict[str, str] = {}

    @pass_context
    def gettext(context: Context, message: str, **variables: object) -> str:
        escaped = context.eval_ctx.autoescape
        if not variables and escaped and (found := known.get(message)) is not None:
            return found
        translated: str = escape(translate(message)) if escaped else translate(message)
        result: str = translated % variables
        if not variables and escaped:
            known[message] = result
        return result

    return gettext


def text_ngettext(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    """The templates' ``ngettext()``: Jinja's own (``num`` among the variables), the translation escaped as text."""

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: object) -> str:
        variables.setdefault("num", num)
        translated = translate(singular, plural, num)
        result: str = (escape(translated) if context.eval_ctx.autoescape else translated) % variables
        return result

    return ngettext

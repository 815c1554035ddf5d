"""Read ``content/`` into the model, with problems that name the file and line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import schema
from ..model.items import Article, Edition, Faq, Image, Lab, Meta, Page, Partner, Person, Place, Text, text_hash
from ..model.problems import Problems, did_you_mean
from . import markup
from .cache import BuildCache
from .config import SiteConfig
from .faq import parse_faq
from .fields import SLUG_HINT, Fields, is_slug, shown, slug_hint
from .paths import OUTSIDE_HINT, link_problem, read_source
from .schedule import read_schedule
from .sources import Source, kind_of, no_facts_hint
from .textcheck import check_headings, check_markdown
from .yamlsource import FrontMatterFile, YamlError, line_of, parse_yaml, split_front_matter, value_line

COMMON = schema.names(schema.COMMON)
TEXT_COMMON = schema.names(schema.TEXT_COMMON)
FORMATS = schema.choices("edition", "format")
#: Routes the generator owns; a free page may not take their names.
RESERVED = frozenset({"labs", "people", "news", "faq", "calendar", "partners", "search", "static", "404"})
#: Front matter fields of each kind of text file (required, optional), from the schema.
TEXT_FIELDS = schema.text_table()
#: The level of the heading each kind's text is shown below: its page's title, or a partner's name on the partners
#: page. A FAQ's headings are its sections and questions, checked as such.
HEADINGS_UNDER = {"lab": 1, "edition": 1, "person": 1, "article": 1, "page": 1, "partner": 2}
#: An edition's Markdown blocks, each shown below a level-2 heading of its own ("How to apply").
EDITION_BLOCKS = ("eligibility", "benefits", "how_to_apply", "selection")
#: The front matter fields of each kind that hold text (not a block, as an edition's ``schedule`` labels).
TEXT_ONLY = {kind.name: tuple(f.name for f in kind.text if f.type == schema.TEXT) for kind in schema.KINDS.values()}


def read_places(path: Path, root: Path, config: SiteConfig, problems: Problems,
                cache: BuildCache | None = None) -> dict[str, Place]:
    """Read ``content/places.yaml``."""
    if not path.exists():
        return {}
    rel = path.relative_to(root).as_posix()
    data = _parse(path, root, problems, cache)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.error(rel, 1, "places.yaml must list places by id, each with a name and a country",
                       "Start each place with its id and a colon ('bishkek:'), then its fields indented below it.")
        return {}
    places = {}
    for place_id, raw in data.items():
        if not is_slug(place_id):
            problems.error(rel, line_of(data, place_id), f"'{shown(place_id)}' is not an id", slug_hint(place_id))
            continue
        fields = Fields(raw, rel, problems, schema.names(schema.PLACE), schema.required(schema.PLACE))
        places[place_id] = Place(place_id, fields.localized("name", config.languages),
                                 fields.localized("country", config.languages), fields.text("country_code"))
    return places


def _parse(path: Path, root: Path, problems: Problems, cache: BuildCache | None = None) -> Any:
    """Parse a YAML file, recording a located problem when it is malformed."""
    text = read_source(root, path, problems)
    if text is None:
        return None
    try:
        return parse_yaml(text, cache=cache)
    except YamlError as exc:
        problems.error(path.relative_to(root).as_posix(), exc.line, exc.message,
                       exc.hint or "Check the indentation, colons and quotes around this line.")
    return None


class _Reader:
    """Reads each kind of item from its files."""

    def __init__(self, config: SiteConfig, problems: Problems, places: set[str] | None,
                 cache: BuildCache | None) -> None:
        """``places``: the ids of places.yaml, or ``None`` when it cannot be read (names of places are then not judged)."""
        self.config, self.problems, self.places, self.cache = config, problems, places, cache
        self.langs = config.languages
        #: The texts of each item split ahead of reading it, with what splitting them found, by (folder, name).
        self.split: dict[tuple[str, str], tuple[dict[str, tuple[str, FrontMatterFile]] | None, Problems]] = {}
        #: Items whose files could not be read, by kind: left out, and so are the errors of references to them.
        self.broken: dict[str, set[str]] = defaultdict(set)
        #: The Markdown of every item converted ahead (:meth:`parse_all`).
        self.conversions = markup.Conversions()

    @staticmethod
    def item_id(kind: str, source: Source) -> str:
        """How other items refer to this one: ``lab/year`` for an edition, else its file name."""
        return f"{source.folder.split('/')[1]}/{source.name}" if kind == "edition" else source.name

    def rel(self, path: Path) -> str:
        """A path relative to the project, for messages."""
        return path.relative_to(self.config.root).as_posix()

    def read(self, kind: str, source: Source) -> Any:
        """Read one item of ``kind``; ``None`` when it cannot be used at all."""
        allowed, required = _FACTS[kind]
        facts_rel = self.rel(source.facts) if source.facts else ""
        if source.facts is None and kind != "page":
            any_text = self.rel(next(iter(source.texts.values())))
            self.problems.error(any_text, 0, f"no facts file for '{source.name}'",
                                no_facts_hint(self.config.root, any_text, source.name))
            self.broken[kind].add(self.item_id(kind, source))
            return None
        found = len(self.problems)
        data = _parse(source.facts, self.config.root, self.problems, self.cache) if source.facts else None
        split = self.split.pop((source.folder, source.name), None)
        parsed, split_problems = split if split is not None else self.parse_texts(source)
        self.problems.extend(split_problems)
        if parsed is None or len(self.problems) > found:
            # A file that cannot be parsed is the one mistake to report: every check of what it would
            # have said (required fields, milestones, references to it) would only repeat it.
            self.broken[kind].add(self.item_id(kind, source))
            return None
        fields = Fields(data, facts_rel, self.problems, allowed + COMMON, required)
        self._left_to_fill(facts_rel, data)  # a picture's alt text, say
        texts = self.read_texts(kind, parsed)
        meta = self.meta(fields, facts_rel or self.rel(next(iter(source.texts.values()))), texts)
        item = getattr(self, f"_{kind}")(source, fields, meta)
        if not texts:
            self.problems.error(facts_rel, 0, f"'{source.name}' has no text in any language",
                                f"Add {source.name}.{self.config.source_language}.md beside it.")
            self.broken[kind].add(self.item_id(kind, source))
            return None
        return item

    def meta(self, fields: Fields, path: str, texts: dict[str, Text]) -> Meta:
        """The fields every item has."""
        source_language = fields.text("source_language", self.config.source_language)
        if source_language not in self.langs:
            fields.error("source_language", f"'{source_language}' is not one of the site's languages",
                         "Use one of: " + ", ".join(self.langs) + ".")
            source_language = self.config.source_language
        return Meta(path, fields.flag("draft"), fields.date("publish_date"), source_language, texts, fields.data)

    def parse_all(self, sources: list[Source], jobs: int, kept: Iterable[str] = (),
                  previous: markup.Conversions | None = None) -> None:
        """Split the texts of every item, then convert all their Markdown at once (from the cache, on ``jobs`` cores);
        ``kept`` is the Markdown of items read before and kept, whose ``previous`` conversions stay at hand."""
        texts: list[str] = list(kept)
        for source in sources:
            kind = kind_of(source.folder)
            if kind is None or (source.facts is None and kind != "page"):
                continue
            parsed, found = self.split[(source.folder, source.name)] = self.parse_texts(source)
            optional = TEXT_FIELDS[kind][1]
            for _, page in (parsed or {}).values():
                texts.append(page.body)
                texts.extend(page.front[name] for name in optional if isinstance(page.front.get(name), str))
        self.conversions = markup.prepare(texts, self.cache or BuildCache(None), jobs, previous)

    def parse_texts(self, source: Source) -> tuple[dict[str, tuple[str, FrontMatterFile]] | None, Problems]:
        """Split the ``.md`` files of an item into front matter and body (``None`` when one cannot be read), and
        the problems found doing so."""
        parsed: dict[str, tuple[str, FrontMatterFile]] = {}
        problems = Problems()
        readable = True
        for lang, path in sorted(source.texts.items()):
            rel = self.rel(path)
            raw = read_source(self.config.root, path, problems)
            if raw is None:
                readable = False
                continue
            try:
                parsed[lang] = rel, split_front_matter(raw, self.cache)
            except YamlError as exc:
                problems.error(rel, exc.line, exc.message, exc.hint or "Check the lines between the two '---' lines.")
                readable = False
        return (parsed if readable else None), problems

    def read_texts(self, kind: str, parsed: dict[str, tuple[str, FrontMatterFile]]) -> dict[str, Text]:
        """Check the front matter and Markdown of an item's texts, one per language."""
        required, optional = TEXT_FIELDS[kind]
        texts = {}
        for lang, (rel, page) in parsed.items():
            front = Fields(page.front, rel, self.problems, required + optional + TEXT_COMMON, required)
            check_markdown(page.body, rel, page.body_line, self.problems, self.conversions)
            if kind in HEADINGS_UNDER:
                check_headings(page.body, rel, page.body_line, HEADINGS_UNDER[kind], self.problems, self.conversions)
            for name in TEXT_ONLY[kind]:
                if page.front.get(name) is not None:
                    front.text(name)  # a list or a block where text belongs is an error at its line
            self._left_to_fill(rel, page.front, page.body, page.body_line)
            for name in optional:
                if isinstance(page.front.get(name), str):
                    check_markdown(page.front[name], rel, front.line(name), self.problems, self.conversions,
                                   whole=False)
                if kind == "edition" and name in EDITION_BLOCKS and isinstance(page.front.get(name), str):
                    check_headings(page.front[name], rel, value_line(page.front, name), 2, self.problems,
                                   self.conversions)
            source_hash = front.text("source_hash")
            texts[lang] = Text(lang, rel, page.front, page.body, page.body_line, source_hash,
                               text_hash(page.front, page.body))
        return texts

    def _left_to_fill(self, rel: str, data: Any, body: str = "", body_line: int = 0) -> None:
        """A warning at each line of a file (its YAML ``data`` and Markdown ``body``) that still holds a placeholder
        of ``build.py new``."""
        lines = _placeholder_lines(data)
        lines += [body_line + index for index, line in enumerate(body.splitlines()) if schema.PLACEHOLDER in line]
        for line in lines:
            self.problems.warn(rel, line, f"'{schema.PLACEHOLDER}' is still here: this text is not written yet",
                               "Write the text in place of the placeholder; 'check --strict', as in CI, refuses it.")

    def slug(self, fields: Fields, default: str) -> str:
        """The item's address name: its file name unless ``slug`` says otherwise."""
        slug = fields.text("slug", default)
        if not is_slug(slug):
            fields.error("slug", f"'{shown(slug)}' cannot be used as a page address", slug_hint(slug))
            return default
        return slug

    def image(self, fields: Fields, key: str, meta: Meta) -> Image | None:
        """A picture of the item, checked to exist beside its facts file."""
        folder = meta.path.rpartition("/")[0]
        image = fields.image(key, folder, self.langs)
        linked = link_problem(self.config.root, self.config.root / image.file) if image is not None else ""
        if image is not None and linked:  # a hidden name (.x.jpg) too: the folders' own check passes those by
            fields.error(key, f"the picture '{image.file}' {linked}", OUTSIDE_HINT)
            return None
        if image is not None and not (self.config.root / image.file).is_file():
            wanted = self.config.root / image.file
            near = [p.name for p in (wanted.parent.iterdir() if wanted.parent.is_dir() else ())
                    if p.name.lower() == wanted.name.lower()]
            fields.error(key, f"the picture '{image.file}' does not exist",
                         f"The file is named '{near[0]}': write the name exactly so, capitals and all." if near else
                         f"Put the file in {folder}/ or correct its name.")
            return None
        return image

    def _lab(self, source: Source, fields: Fields, meta: Meta) -> Lab:
        return Lab(source.name, meta, fields.integer("order"), self.image(fields, "image", meta))

    def _edition(self, source: Source, fields: Fields, meta: Meta) -> Edition:
        lab = source.folder.split("/")[1]
        if not is_slug(lab):
            self.problems.error(meta.path, 0, f"the folder name '{shown(lab)}' cannot be used as an address", SLUG_HINT)
        places = fields.ids("places")
        for place in places:
            if self.places is not None and place not in self.places:
                fields.error("places", f"unknown place '{place}'",
                             f"{did_you_mean(place, self.places)} Or add the place to content/places.yaml.")
        schedule = read_schedule(fields.data.get("schedule"), meta.path, self.problems, self.places,
                                 fields.line("schedule"), self.config.timezone)
        return Edition(
            lab, source.name, meta, fields.when("date", "start", "end"), fields.choice("format", FORMATS, "in-person"),
            tuple(p for p in places if self.places is None or p in self.places), fields.ids("mentors"),
            fields.ids("partners"), fields.https_url("apply_url"), fields.text("faq"), schedule,
            fields.localized("apply_label", self.langs), self.image(fields, "image", meta),
        )

    def _person(self, source: Source, fields: Fields, meta: Meta) -> Person:
        links = tuple(str(x) for x in fields.data.get("links") or [] if isinstance(x, str))
        return Person(source.name, meta, fields.localized("name", self.langs), fields.text("organisation"), links,
                      self.image(fields, "photo", meta))

    def _partner(self, source: Source, fields: Fields, meta: Meta) -> Partner:
        return Partner(source.name, meta, fields.localized("name", self.langs), fields.url("url"))

    def _article(self, source: Source, fields: Fields, meta: Meta) -> Article | None:
        date = fields.date("date")
        if date is None:
            return None
        return Article(self.slug(fields, source.name), meta, date, fields.text("edition"), self.image(fields, "image", meta))

    def _page(self, source: Source, fields: Fields, meta: Meta) -> Page | None:
        slug = self.slug(fields, source.name)
        if slug in RESERVED:
            self.problems.error(meta.path, fields.line("slug"),
                                f"the page name '{slug}' is taken by the generator's own pages",
                                "Rename the file or give it another 'slug'.")
            return None
        return Page(slug, meta, fields.integer("order"))

    def _faq(self, source: Source, fields: Fields, meta: Meta) -> Faq:
        sections = {lang: parse_faq(t.body, t.body_line, t.path, self.problems) for lang, t in meta.texts.items()}
        return Faq(source.name, meta, fields.text("edition"), fields.integer("order"), sections)


#: Facts fields of each kind (allowed, required), from the schema; the common fields are allowed everywhere.
_FACTS = schema.facts_table()


def _placeholder_lines(value: Any, line: int = 0) -> list[int]:
    """The line of each text of a parsed YAML value that still holds a placeholder of ``build.py new``."""
    if isinstance(value, str):
        return [line] if schema.PLACEHOLDER in value else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _placeholder_lines(item, line_of(value, key, line))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _placeholder_lines(item, line_of(value, index, line))]
    return []

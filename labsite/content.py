"""Read ``content/`` into the model, with problems that name the file and line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .faq import parse_faq
from .fields import IMAGE_SUFFIXES, SLUG_HINT, Fields, is_slug
from .links import check_links
from .model import Article, Content, Edition, Faq, Image, Lab, Meta, Page, Partner, Person, Place, Text
from .problems import Problems, did_you_mean
from .schedule import read_schedule
from .yamlsource import FrontMatterFile, YamlError, line_of, parse_yaml, split_front_matter

CONTENT_DIR = "content"
COMMON = ("draft", "publish_date", "source_language")
FORMATS = ("in-person", "online", "hybrid")
#: Routes the generator owns; a free page may not take their names.
RESERVED = frozenset({"labs", "people", "news", "faq", "calendar", "partners", "static", "404"})
#: Front matter fields of each kind of text file, required ones first.
TEXT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lab": (("title", "summary"), ()),
    "edition": (("title", "summary"), ("eligibility", "benefits", "how_to_apply", "selection", "schedule")),
    "person": (("role",), ()),
    "partner": ((), ("summary",)),
    "article": (("title", "summary"), ()),
    "page": (("title",), ("summary",)),
    "faq": (("title",), ()),
}


@dataclass
class Source:
    """The files of one item: a facts file and text files by language."""

    folder: str
    name: str
    facts: Path | None = None
    texts: dict[str, Path] = field(default_factory=dict)


def load_content(config: SiteConfig, problems: Problems) -> Content:
    """Read every file of ``content/`` and link the items to each other."""
    root = config.root
    sources = discover(root / CONTENT_DIR, root, config.languages, problems)
    places = read_places(root / CONTENT_DIR / "places.yaml", root, config, problems)
    reader = _Reader(config, problems, set(places))
    buckets: dict[str, dict[str, Any]] = defaultdict(dict)
    for source in sorted(sources.values(), key=lambda s: (s.folder, s.name)):
        kind = _kind_of(source.folder)
        if kind is None:
            where = f"{CONTENT_DIR}/{source.folder}" if source.folder else CONTENT_DIR
            problems.warn(where, 0, f"'{source.name}' is not in a folder the generator reads; it is ignored",
                          "Use labs/, people/, partners/, news/, pages/ or faq/.")
            continue
        item = reader.read(kind, source)
        if item is None:
            continue
        if item.id in buckets[kind]:
            other = buckets[kind][item.id].meta.path
            problems.error(item.meta.path, 0, f"'{item.id}' is used by two items: this one and {other}",
                           "Give one of them another file name or 'slug'.")
            continue
        buckets[kind][item.id] = item
    content = Content(
        labs=buckets["lab"], editions=buckets["edition"], people=buckets["person"], partners=buckets["partner"],
        articles=buckets["article"], pages=buckets["page"], faqs=buckets["faq"], places=places,
    )
    check_links(content, problems, reader.broken)
    return content


def discover(folder: Path, root: Path, languages: tuple[str, ...], problems: Problems) -> dict[tuple[str, str], Source]:
    """Group the files of ``content/`` into items; report badly named files."""
    sources: dict[tuple[str, str], Source] = {}
    if not folder.is_dir():
        problems.error(CONTENT_DIR, 0, "the content folder is missing", f"Create {folder}.")
        return sources
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or any(part.startswith((".", "_")) for part in path.relative_to(folder).parts):
            continue
        sub = path.parent.relative_to(folder).as_posix()
        sub = "" if sub == "." else sub
        if sub == "" and path.name == "places.yaml":
            continue
        if path.suffix == ".yml":
            problems.error(rel, 0, "content files end in .yaml", f"Rename it to {path.stem}.yaml.")
            continue
        if path.suffix.lower() in IMAGE_SUFFIXES:
            continue  # pictures are read where a facts file names them
        if path.suffix not in (".yaml", ".md"):
            problems.warn(rel, 0, "not a .yaml or .md file; it is ignored")
            continue
        name, lang = path.stem, ""
        if path.suffix == ".md":
            name, _, lang = path.stem.rpartition(".")
            if not name:
                problems.error(rel, 0, "the file name does not say its language",
                               f"Name it {path.stem}.<language>.md, with one of: {', '.join(languages)}.")
                continue
            if lang not in languages:
                problems.error(rel, 0, f"unknown language suffix '.{lang}'",
                               f"{did_you_mean(lang, languages)} The site's languages are {', '.join(languages)}.")
                continue
        if not is_slug(name):
            problems.error(rel, 0, f"'{name}' cannot be used as a page address", SLUG_HINT + " Rename the file.")
            continue
        source = sources.setdefault((sub, name), Source(sub, name))
        if lang:
            source.texts[lang] = path
        else:
            source.facts = path
    return sources


def _kind_of(folder: str) -> str | None:
    """What kind of item lives in a folder of ``content/``."""
    parts = folder.split("/") if folder else []
    if parts == ["labs"]:
        return "lab"
    if len(parts) == 2 and parts[0] == "labs":
        return "edition"
    simple = {"people": "person", "partners": "partner", "news": "article", "pages": "page", "faq": "faq"}
    return simple.get(folder)


def read_places(path: Path, root: Path, config: SiteConfig, problems: Problems) -> dict[str, Place]:
    """Read ``content/places.yaml``."""
    if not path.exists():
        return {}
    rel = path.relative_to(root).as_posix()
    data = _parse(path, rel, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.error(rel, 1, "places.yaml must list places by id, each with a name and a country")
        return {}
    places = {}
    for place_id, raw in data.items():
        if not is_slug(place_id):
            problems.error(rel, line_of(data, place_id), f"'{place_id}' is not an id", SLUG_HINT)
            continue
        fields = Fields(raw, rel, problems, ("name", "country", "country_code"), ("name",))
        places[place_id] = Place(place_id, fields.localized("name", config.languages),
                                 fields.localized("country", config.languages), fields.text("country_code"))
    return places


def _parse(path: Path, rel: str, problems: Problems) -> Any:
    """Parse a YAML file, recording a located problem when it is malformed."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        problems.error(rel, exc.line, exc.message, "Check the indentation, colons and quotes around this line.")
    except UnicodeDecodeError:
        problems.error(rel, 0, "the file is not UTF-8 text", "Save it as UTF-8.")
    return None


class _Reader:
    """Reads each kind of item from its files."""

    def __init__(self, config: SiteConfig, problems: Problems, places: set[str]) -> None:
        self.config, self.problems, self.places = config, problems, places
        self.langs = config.languages
        #: Items whose files could not be read, by kind: left out, and so are the errors of references to them.
        self.broken: dict[str, set[str]] = defaultdict(set)

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
                                f"Create {Path(any_text).parent}/{source.name}.yaml beside it (see docs/content.md).")
            self.broken[kind].add(self.item_id(kind, source))
            return None
        found = len(self.problems)
        data = _parse(source.facts, facts_rel, self.problems) if source.facts else None
        parsed = self.parse_texts(source)
        if parsed is None or len(self.problems) > found:
            # A file that cannot be parsed is the one mistake to report: every check of what it would
            # have said (required fields, milestones, references to it) would only repeat it.
            self.broken[kind].add(self.item_id(kind, source))
            return None
        fields = Fields(data, facts_rel, self.problems, allowed + COMMON, required)
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

    def parse_texts(self, source: Source) -> dict[str, tuple[str, FrontMatterFile]] | None:
        """Split the ``.md`` files of an item into front matter and body; ``None`` when one cannot be read."""
        parsed: dict[str, tuple[str, FrontMatterFile]] = {}
        readable = True
        for lang, path in sorted(source.texts.items()):
            rel = self.rel(path)
            try:
                parsed[lang] = rel, split_front_matter(path.read_text(encoding="utf-8"))
            except YamlError as exc:
                self.problems.error(rel, exc.line, exc.message, "Check the lines between the two '---' lines.")
                readable = False
            except UnicodeDecodeError:
                self.problems.error(rel, 0, "the file is not UTF-8 text", "Save it as UTF-8.")
                readable = False
        return parsed if readable else None

    def read_texts(self, kind: str, parsed: dict[str, tuple[str, FrontMatterFile]]) -> dict[str, Text]:
        """Check the front matter of an item's texts, one per language."""
        required, optional = TEXT_FIELDS[kind]
        texts = {}
        for lang, (rel, page) in parsed.items():
            front = Fields(page.front, rel, self.problems, required + optional + ("source_hash",), required)
            source_hash = front.text("source_hash")
            texts[lang] = Text(lang, rel, page.front, page.body, page.body_line, source_hash)
        return texts

    def slug(self, fields: Fields, default: str) -> str:
        """The item's address name: its file name unless ``slug`` says otherwise."""
        slug = fields.text("slug", default)
        if not is_slug(slug):
            fields.error("slug", f"'{slug}' cannot be used as a page address", SLUG_HINT)
            return default
        return slug

    def image(self, fields: Fields, key: str, meta: Meta) -> Image | None:
        """A picture of the item, checked to exist beside its facts file."""
        folder = meta.path.rpartition("/")[0]
        image = fields.image(key, folder, self.langs)
        if image is not None and not (self.config.root / image.file).is_file():
            fields.error(key, f"the picture '{image.file}' does not exist",
                         f"Put the file in {folder}/ or correct its name.")
            return None
        return image

    def _lab(self, source: Source, fields: Fields, meta: Meta) -> Lab:
        return Lab(source.name, meta, fields.integer("order"), self.image(fields, "image", meta))

    def _edition(self, source: Source, fields: Fields, meta: Meta) -> Edition:
        lab = source.folder.split("/")[1]
        if not is_slug(lab):
            self.problems.error(meta.path, 0, f"the folder name '{lab}' cannot be used as an address", SLUG_HINT)
        places = fields.ids("places")
        for place in places:
            if place not in self.places:
                fields.error("places", f"unknown place '{place}'",
                             f"{did_you_mean(place, self.places)} Or add the place to content/places.yaml.")
        schedule = read_schedule(fields.data.get("schedule"), meta.path, self.problems, self.places,
                                 fields.line("schedule"))
        return Edition(
            lab, source.name, meta, fields.when("date", "start", "end"), fields.choice("format", FORMATS, "in-person"),
            tuple(p for p in places if p in self.places), fields.ids("mentors"), fields.ids("partners"),
            fields.https_url("apply_url"), fields.text("faq"), schedule,
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


#: Facts fields of each kind (allowed, required); the common fields are allowed everywhere.
_FACTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lab": (("order", "image"), ()),
    "edition": (("date", "start", "end", "format", "places", "mentors", "partners", "apply_url", "apply_label", "faq",
                 "schedule", "image"), ("format",)),
    "person": (("name", "organisation", "links", "photo"), ("name",)),
    "partner": (("name", "url"), ("name",)),
    "article": (("date", "edition", "slug", "image"), ("date",)),
    "page": (("order", "slug"), ()),
    "faq": (("edition", "order"), ()),
}

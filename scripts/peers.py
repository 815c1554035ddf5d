"""This project, Hugo and Pelican on one generated corpus: cold and warm builds in alternating runs.

Used by ``python scripts/benchmark.py --peers``. Every tool gets the same Markdown (headings, lists, a table,
links; about 620 words) in its own layout: the project's ``content/news``, Hugo's ``content/<lang>/posts``
with minimal layouts, Pelican's ``content/`` with ``ARTICLE_TRANSLATION_ID = "slug"`` and a minimal theme.
Hugo comes from the Debian package ``hugo`` (installed with apt-get when missing and possible), Pelican from a
virtual environment this script makes; a tool that cannot be had is skipped with a message.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

LANGS = ("kk", "ru", "en")
WORDS = ["film", "lab", "mentor", "story", "documentary", "producer", "pitch", "edition", "editor", "camera", "sound",
         "festival", "impact", "audience", "distribution", "script", "frame", "scene", "light", "archive", "region"]
PELICAN = "pelican[markdown]==4.12.*"
HUGO_CONFIG = """baseURL = "https://labs.example.org/"
title = "Benchmark Labs"
defaultContentLanguage = "kk"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[languages.kk]
contentDir = "content/kk"
weight = 1
[languages.ru]
contentDir = "content/ru"
weight = 2
[languages.en]
contentDir = "content/en"
weight = 3
"""
HUGO_SINGLE = ('<!doctype html><html lang="{{ .Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
               '<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}'
               '{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Lang }}</a> {{ end }}</body></html>\n')
HUGO_LIST = ('<!doctype html><html lang="{{ .Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
             '<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
             '</body></html>\n')
PELICAN_CONFIG = """AUTHOR = "Lab"
SITENAME = "Benchmark Labs"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "kk"
ARTICLE_TRANSLATION_ID = "slug"
THEME = "theme"
DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index"]
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_SAVE_AS = TAGS_SAVE_AS = CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
ARTICLE_URL = "{lang}/news/{slug}/"
ARTICLE_SAVE_AS = "{lang}/news/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/news/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/news/{slug}/index.html"
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.sane_lists": {}},
            "output_format": "html5"}
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""
PELICAN_ARTICLE = ('<!doctype html><html lang="{{ article.lang }}"><head><meta charset="utf-8"><title>{{ article.title }}'
                   '</title></head><body><h1>{{ article.title }}</h1><p>{{ article.date.strftime("%Y-%m-%d") }}</p>'
                   '{{ article.content }}{% for t in article.translations %}<a href="/{{ t.url }}">{{ t.lang }}</a> '
                   '{% endfor %}</body></html>\n')
PELICAN_INDEX = ('<!doctype html><html><head><meta charset="utf-8"><title>{{ SITENAME }}</title></head><body><ul>'
                 '{% for a in articles %}<li><a href="/{{ a.url }}">{{ a.title }}</a></li>{% endfor %}</ul></body></html>\n')


def words(rng: random.Random, count: int) -> str:
    """Filler words."""
    return " ".join(rng.choice(WORDS) for _ in range(count))


def markdown_body(rng: random.Random) -> str:
    """About 620 words: headings, paragraphs with emphasis and links, a list, a numbered list and a table."""
    parts = []
    for section in range(3):
        parts.append(f"## {words(rng, 3).capitalize()} {section + 1}")
        for _ in range(2):
            parts.append(f"{words(rng, 40).capitalize()} *{words(rng, 2)}* and [{words(rng, 2)}]"
                         f"(https://example.org/{rng.randrange(1000)}) {words(rng, 40)} **{words(rng, 2)}**.")
        parts.append("\n".join(f"- {words(rng, 6)}" for _ in range(4)))
    parts.append("1. " + words(rng, 8) + "\n2. " + words(rng, 8) + "\n3. " + words(rng, 8))
    rows = "\n".join(f"| {words(rng, 2)} | {rng.randrange(100)} | {words(rng, 3)} |" for _ in range(5))
    parts.append(f"| name | count | note |\n|---|---:|---|\n{rows}")
    return "\n\n".join(parts) + "\n"


def write(path: Path, text: str) -> None:
    """Write a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(base: Path, articles: int, project: Path) -> dict[str, Path]:
    """The corpus in each tool's layout, under ``base``; the same Markdown for every tool."""
    rng = random.Random(16)
    roots = {"project": base / "project", "hugo": base / "hugo", "pelican": base / "pelican"}
    for folder in ("templates", "static", "locales"):
        shutil.copytree(project / folder, roots["project"] / folder)
    write(roots["project"] / "site_config.yaml", "title: Benchmark Labs\nbase_url: https://labs.example.org\n"
          "languages: [kk, ru, en]\ndefault_language: kk\nsource_language: en\n"
          "fallbacks:\n  kk: [ru, en]\n  ru: [en]\n  en: [ru]\ntimezone: Asia/Almaty\noutput_dir: _site\n")
    write(roots["hugo"] / "config.toml", HUGO_CONFIG)
    write(roots["hugo"] / "layouts/_default/single.html", HUGO_SINGLE)
    write(roots["hugo"] / "layouts/_default/list.html", HUGO_LIST)
    write(roots["hugo"] / "layouts/index.html", HUGO_LIST)
    write(roots["pelican"] / "pelicanconf.py", PELICAN_CONFIG)
    for name, text in (("article", PELICAN_ARTICLE), ("index", PELICAN_INDEX), ("page", PELICAN_ARTICLE)):
        write(roots["pelican"] / "theme/templates" / f"{name}.html", text)
    for a in range(articles):
        date = f"{2016 + a % 10}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        write(roots["project"] / "content/news" / f"article-{a}.yaml", f"date: {date}\n")
        for lang in LANGS:
            title, body = f"News {a} ({lang})", markdown_body(rng)
            write(roots["project"] / "content/news" / f"article-{a}.{lang}.md",
                  f"---\ntitle: {title}\nsummary: News.\n---\n{body}")
            write(roots["hugo"] / "content" / lang / "posts" / f"article-{a}.md",
                  f'---\ntitle: "{title}"\ndate: {date}\n---\n{body}')
            write(roots["pelican"] / "content" / f"article-{a}-{lang}.md",
                  f"Title: {title}\nDate: {date}\nSlug: article-{a}\nLang: {lang}\n\n{body}")
    return roots


def hugo_command() -> list[str] | None:
    """Hugo from the Debian package, installed when missing (as root); ``None`` with a message when it cannot be."""
    if shutil.which("hugo") is None and shutil.which("apt-get") and os.geteuid() == 0:
        print("installing the Debian package hugo …", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-q", "hugo"], capture_output=True)
    if shutil.which("hugo") is None:
        print("skipping Hugo: the Debian package 'hugo' is not installed (apt-get install hugo)", file=sys.stderr)
        return None
    return ["hugo", "--quiet", "--destination", "public"]


def pelican_command(venvs: Path) -> list[str] | None:
    """Pelican 4.12 from a virtual environment of its own (made once under ``venvs``); ``None`` when it cannot be."""
    venv = venvs / "pelican-4.12"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "pelican").exists():
        print(f"installing {PELICAN} into {venv} …", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        pip = subprocess.run([str(python), "-m", "pip", "install", "-q", PELICAN], capture_output=True, text=True) \
            if made.returncode == 0 else made
        if pip.returncode:
            print(f"skipping Pelican: it could not be installed ({str(pip.stderr)[-300:].strip()})", file=sys.stderr)
            return None
    return [str(venv / "bin" / "pelican"), "-q", "-s", "pelicanconf.py", "-o", "output", "content"]


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with every process it waited for) and peak memory (MiB, largest process)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        error = process.stderr.read().decode(errors="replace")[-1500:] if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def file_system(folder: Path) -> str:
    """The kind of file system ``folder`` is on (``ext4``, ``tmpfs``…), from ``/proc/mounts``; "unknown" elsewhere."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    found = [(len(point), kind) for point, kind in mounts if folder.resolve().is_relative_to(point)]
    return max(found)[1] if found else "unknown"


def measure_peers(base: Path, articles: int, runs: int, project: Path, now: str,
                  edit_ms: Callable[[Path], float], wanted: list[str], without: Sequence[str] = ()) -> str:
    """Build each tool cold and warm ``runs`` times in alternation; the table of medians, as Markdown.

    With ``without`` (see ``scripts/without.py``), this project is also built without those outputs, as a tool of
    its own on the same corpus."""
    roots = generate(base, articles, project)
    tools: dict[str, tuple[list[str], list[str]]] = {
        "project": ([sys.executable, str(project / "build.py"), "build", "--root", ".", "--now", now], ["_site", ".cache"])}
    if without:
        lean = f"project without {', '.join(without)}"
        roots[lean] = roots["project"]
        tools[lean] = ([sys.executable, str(project / "scripts" / "without.py"), ",".join(without), "build", "--root",
                        ".", "--now", now], ["_site", ".cache"])
    hugo = hugo_command() if "hugo" in wanted else None
    if hugo:
        tools["hugo"] = (hugo, ["public", "resources"])
    venvs = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "labsite-benchmark"
    pelican = pelican_command(venvs) if "pelican" in wanted else None
    if pelican:
        tools["pelican"] = (pelican, ["output", "cache"])
    results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    # The outputs of a run are set aside, not deleted, until the end: on a file system without a journal, ext4
    # passes over every inode freed in the last minutes when it makes a file (recently_deleted() in
    # fs/ext4/ialloc.c), so a build right after a deletion of thousands of files would be timed with it.
    aside = base / "set-aside"
    aside.mkdir()
    for run in range(runs):
        for name, (command, outputs) in tools.items() if run % 2 == 0 else reversed(tools.items()):
            for folder in outputs:
                if (roots[name] / folder).exists():
                    (roots[name] / folder).rename(aside / f"{run}-{name}-{folder}")
            results.setdefault((name, "cold"), []).append(timed(command, roots[name]))
            results.setdefault((name, "warm"), []).append(timed(command, roots[name]))
        print(f"  run {run + 1} of {runs} done", file=sys.stderr)
    medians = {key: tuple(statistics.median(v[i] for v in values) for i in range(3)) for key, values in results.items()}
    pages = articles * len(LANGS)
    lines = [f"{pages:,} articles ({articles:,} per language), medians of {runs} alternating runs, "
             f"{platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"in {base} ({file_system(base)}):", "",
             "| tool | build | wall s | CPU s | peak MiB | wall ÷ Hugo cold | wall ÷ Pelican cold |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for (name, kind), (wall, cpu, peak) in medians.items():
        ratios = [f"{wall / medians[(peer, 'cold')][0]:.2f}×" if (peer, "cold") in medians else "–"
                  for peer in ("hugo", "pelican")]
        lines.append(f"| {name} | {kind} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {ratios[0]} | {ratios[1]} |")
    lines.append(f"| project | preview, one-file edit | {edit_ms(roots['project']) / 1000:.3f} | | | | |")
    return "\n".join(lines)

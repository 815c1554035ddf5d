#!/usr/bin/env python3
"""Time a cold build and a one-file-edit preview rebuild, on the real site and on a generated large one.

  python scripts/benchmark.py                  both sites, 5 runs each
  python scripts/benchmark.py --pages 1000     pages per language of the generated site
  python scripts/benchmark.py --only generated --runs 3
  python scripts/benchmark.py --peers          this project beside Hugo and Pelican on one corpus (scripts/peers.py)
  python scripts/benchmark.py --peers --articles 3000 --tools project
  python scripts/benchmark.py --peers --folder /dev/shm   the same in memory: no tool waits for the disk
  python scripts/benchmark.py --peers --without search,copies,cards   also without the outputs the peers lack
  python scripts/benchmark.py --search --pages 1000   the search index: its size and indexing time

Prints medians. Work happens in temporary copies; the project is never modified.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from labsite.build.incremental import complete, rebuild, scan  # noqa: E402
from labsite.build.pipeline import Options  # noqa: E402
from labsite.commands.serve import DEFERRED  # noqa: E402
from labsite.load.workers import default_jobs  # noqa: E402
from labsite.outputs import search  # noqa: E402
from labsite.outputs.kind import Given  # noqa: E402

LANGS = ("kk", "ru", "en")
WORDS = ["film", "lab", "mentor", "story", "documentary", "producer", "pitch", "edition", "editor", "camera", "sound",
         "festival", "impact", "audience", "distribution", "script", "frame", "scene", "light", "archive", "region"]
NOW = "2026-11-01"


def paragraph(rng: random.Random, words: int) -> str:
    """A paragraph of filler text."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(rng: random.Random, words: int = 450) -> str:
    """A Markdown body of about ``words`` words, in paragraphs, with a list and emphasis."""
    parts = [paragraph(rng, 75) for _ in range(words // 75)]
    parts.insert(1, "- *one* point\n- **another** point\n- a [link](https://example.org)")
    return "\n\n".join(parts) + "\n"


def write(path: Path, text: str) -> None:
    """Write a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def text_file(path: Path, front: dict[str, str], text: str) -> None:
    """A Markdown file with front matter."""
    lines = "".join(f"{key}: {value}\n" for key, value in front.items())
    write(path, f"---\n{lines}---\n{text}")


def generate(root: Path, pages_per_language: int, seed: int = 1) -> Path:
    """A multilingual site of about ``pages_per_language`` pages in each language, with the project's templates."""
    rng = random.Random(seed)
    for folder in ("templates", "static", "locales"):
        if (PROJECT / folder).exists():
            shutil.copytree(PROJECT / folder, root / folder)
    write(root / "site_config.yaml", "title: Benchmark Labs\nbase_url: https://labs.example.org\n"
          "languages: [kk, ru, en]\ndefault_language: kk\nsource_language: en\n"
          "fallbacks:\n  kk: [ru, en]\n  ru: [en]\n  en: [ru]\ntimezone: Asia/Almaty\noutput_dir: _site\n")
    content = root / "content"
    write(content / "places.yaml", "almaty:\n  name: {kk: Алматы, ru: Алматы, en: Almaty}\n"
          "  country: {kk: Қазақстан, ru: Казахстан, en: Kazakhstan}\n  country_code: KZ\n")
    # Fixed pages: home, labs, people, partners, faq, news, calendar, 404.
    budget = pages_per_language - 8
    labs, years, pages = (10, 10, 10) if pages_per_language >= 400 else (4, 5, 4)
    people = max((budget - labs - labs * years - pages) // 2, 4)
    articles = budget - labs - labs * years - pages - people
    partners = 30
    for p in range(partners):
        write(content / "partners" / f"partner-{p}.yaml", f"name: Partner {p}\n")
        write(content / "partners" / f"partner-{p}.en.md", paragraph(rng, 30) + "\n")
    for p in range(people):
        write(content / "people" / f"person-{p}.yaml",
              f"name:\n  en: Person {p}\n  ru: Персона {p}\n  kk: Тұлға {p}\norganisation: partner-{p % partners}\n")
        for lang in LANGS:
            text_file(content / "people" / f"person-{p}.{lang}.md", {"role": f"Mentor ({lang})"}, body(rng, 300))
    for lab in range(labs):
        write(content / "labs" / f"lab-{lab}.yaml", f"order: {lab}\n")
        for lang in LANGS:
            text_file(content / "labs" / f"lab-{lab}.{lang}.md",
                      {"title": f"Lab {lab} ({lang})", "summary": f"Summary of lab {lab}."}, body(rng))
        for year in range(2016, 2016 + years):
            mentors = ", ".join(f"person-{n}" for n in rng.sample(range(people), 4))
            write(content / "labs" / f"lab-{lab}" / f"{year}.yaml",
                  f"start: {year}-07-01\nend: {year}-12-01\nformat: online\nplaces: [almaty]\n"
                  f"mentors: [{mentors}]\npartners: [partner-{lab % partners}]\n"
                  f"schedule:\n  - id: open-call\n    kind: open_call\n    start: {year}-07-01\n"
                  f"    end: {year}-08-31 23:59\n  - id: course\n    kind: course\n    date: {year}-10\n")
            for lang in LANGS:
                text_file(content / "labs" / f"lab-{lab}" / f"{year}.{lang}.md",
                          {"title": f"Lab {lab} {year} ({lang})", "summary": "An edition."}, body(rng))
    for a in range(articles):
        write(content / "news" / f"article-{a}.yaml", f"date: {2016 + a % 10}-0{1 + a % 9}-1{a % 10}\n")
        for lang in LANGS:
            text_file(content / "news" / f"article-{a}.{lang}.md",
                      {"title": f"News {a} ({lang})", "summary": "News."}, body(rng))
    for p in range(pages):
        write(content / "pages" / f"page-{p}.yaml", f"order: {p}\n")
        for lang in LANGS:
            text_file(content / "pages" / f"page-{p}.{lang}.md", {"title": f"Page {p} ({lang})"}, body(rng))
    return root


def copy_real(root: Path) -> Path:
    """A copy of the project's own site (content, templates, catalogues, static files, settings)."""
    for name in ("content", "templates", "static", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy2(PROJECT / "site_config.yaml", root / "site_config.yaml")
    return root


def cold_build(root: Path) -> float:
    """Seconds for ``build.py build`` in a fresh process, start-up included."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), "--now", NOW],
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - started


def edit_rebuilds(root: Path, edit: str, runs: int) -> tuple[list[float], int, float]:
    """Preview rebuilds after appending a line to ``edit``: seconds each, pages rendered, first full build."""
    options = Options(dt.datetime.fromisoformat(NOW).replace(tzinfo=dt.UTC), drafts=True, jobs=default_jobs(),
                      cache=True)
    build = rebuild(root, options, None, scan(root))
    first = build.seconds
    times, rendered = [], 0
    path = root / edit
    for run in range(runs):
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdited, run {run}.\n", encoding="utf-8")
        # As the preview does: the edited pages are served when this returns, the search index follows.
        build = rebuild(root, dataclasses.replace(options, deferred=DEFERRED), build, scan(root))
        times.append(build.seconds)
        rendered = len(build.rendered)
        build = complete(build, options)  # the preview's writer thread, before the next edit
    return times, rendered, first


def measure(name: str, root: Path, edit: str, runs: int) -> None:
    """Print the medians for one site."""
    colds = [cold_build(root) for _ in range(runs)]
    pages = sum(1 for _ in (root / "_site").rglob("*.html"))
    print(f"{name}: {pages} HTML files")
    print(f"  cold build (new process):          median {statistics.median(colds):.2f} s of {runs}")
    for path in (edit, "templates/article.html"):
        times, rendered, first = edit_rebuilds(root, path, runs)
        print(f"  one-file edit ({path}): median {statistics.median(times) * 1000:.0f} ms of {runs}, "
              f"{rendered} pages rendered (first preview build {first:.2f} s)")


def measure_search(name: str, root: Path, runs: int) -> None:
    """Print the search index's size and the median time to make it (documents prepared, then sent to pagefind)."""
    options = Options(dt.datetime.fromisoformat(NOW).replace(tzinfo=dt.UTC), jobs=default_jobs(), cache=True)
    build = rebuild(root, options, None, scan(root))
    site = build.site
    given = Given(site.content, site.config, site.languages, list(build.pages.values()), options.now, False,
                  build.files)
    prepare, index, files, count = [], [], {}, 0
    for _ in range(runs):
        started = time.perf_counter()
        documents = list(search.index_input(given))
        prepared = time.perf_counter()
        files = search.run_indexer(lambda found=documents: found, site.config.languages)
        prepare.append(prepared - started)
        index.append(time.perf_counter() - prepared)
        count = len(documents)
    fragments = {path: data for path, data in files.items() if "/fragment/" in path}
    print(f"{name}: {count} records indexed (pages and FAQ questions, {len(site.languages)} languages)")
    print(f"  index: {len(files)} files, {sum(map(len, files.values())) / 1024:.0f} KB "
          f"({sum(map(len, fragments.values())) / 1024:.0f} KB of them one fragment per record, loaded per result)")
    print(f"  indexing: median {statistics.median(prepare) + statistics.median(index):.2f} s of {runs} "
          f"(documents {statistics.median(prepare):.2f} s, pagefind {statistics.median(index):.2f} s)")


def main() -> int:
    """Run the benchmarks asked for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000, help="pages per language of the generated site")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["real", "generated"])
    parser.add_argument("--peers", action="store_true", help="compare with Hugo and Pelican on one generated corpus")
    parser.add_argument("--articles", type=int, default=1000, help="with --peers: articles per language")
    parser.add_argument("--tools", default="project,hugo,pelican", help="with --peers: which tools, comma-separated")
    parser.add_argument("--without", default="", help="with --peers: also build this project without these outputs "
                                                      "(search, copies, cards; comma-separated), to see what they cost")
    parser.add_argument("--search", action="store_true", help="the search index's size and indexing time instead")
    parser.add_argument("--folder", type=Path, default=None,
                        help="where the sites are made (default: the temporary folder); /dev/shm keeps every tool "
                             "off the disk")
    args = parser.parse_args()
    if args.peers:
        from scripts.peers import measure_peers

        with tempfile.TemporaryDirectory(prefix="labsite-peers-", dir=args.folder) as tmp:
            def edit_ms(root: Path) -> float:
                times, _, _ = edit_rebuilds(root, "content/news/article-7.en.md", args.runs)
                return statistics.median(times) * 1000

            print(measure_peers(Path(tmp), args.articles, args.runs, PROJECT, NOW, edit_ms, args.tools.split(","),
                                [part for part in args.without.split(",") if part]))
        return 0
    if args.search:
        with tempfile.TemporaryDirectory(prefix="labsite-bench-", dir=args.folder) as tmp:
            if args.only != "generated":
                measure_search("real site", copy_real(Path(tmp) / "real"), args.runs)
            if args.only != "real":
                measure_search("generated site", generate(Path(tmp) / "generated", args.pages), args.runs)
        return 0
    with tempfile.TemporaryDirectory(prefix="labsite-bench-", dir=args.folder) as tmp:
        if args.only != "generated":
            real = copy_real(Path(tmp) / "real")
            person = sorted((real / "content" / "people").glob("*.en.md"))[0]
            measure("real site", real, person.relative_to(real).as_posix(), args.runs)
        if args.only != "real":
            site = generate(Path(tmp) / "generated", args.pages)
            measure("generated site", site, "content/people/person-7.en.md", args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

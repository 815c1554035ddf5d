"""The search index as an output kind, on the sample site: what is indexed, how, and what a page carries."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import re
import sys
import time
from pathlib import Path

import pytest

from labsite.build.pipeline import Options
from labsite.build.run import build_site
from labsite.model.problems import BuildFailed
from labsite.model.timezones import zone
from labsite.outputs import indexer, search
from labsite.outputs.search import typed_forms

LANGS = ("kk", "ru", "en")
NOW = dt.datetime(2025, 8, 1, 12, tzinfo=zone("Asia/Almaty"))


def records(site: Path) -> list[dict[str, object]]:
    """Every record of the index (pagefind's fragments: gzip, a signature, then JSON)."""
    found = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[data.index(b"{"):]))
    return found


def by_url(site: Path) -> dict[str, dict[str, object]]:
    """The records by the address a result opens (a question's own, else the page's)."""
    return {str(r["meta"].get("url") or r["url"]): r for r in records(site)}  # type: ignore[union-attr]


def test_the_build_writes_one_index_per_language_and_none_of_pagefinds_own_interfaces(built_sample: Path) -> None:
    index = built_sample / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == sorted(LANGS)
    assert (index / "pagefind.js").is_file() and (index / "pagefind-worker.js").is_file()
    assert not [p.name for p in index.iterdir() if p.name.startswith(indexer.UNUSED)]


def test_item_pages_and_questions_are_indexed_but_lists_home_search_and_404_are_not(built_sample: Path) -> None:
    urls = set(by_url(built_sample))
    for lang in LANGS:
        assert {f"/{lang}/labs/impact-lab/", f"/{lang}/labs/impact-lab/2025/", f"/{lang}/people/jane-doe/",
                f"/{lang}/news/open-call/", f"/{lang}/about/"} <= urls
        assert {f"/{lang}/faq/#what-is-impact", f"/{lang}/faq/#who-can-apply"} <= urls
        assert not {f"/{lang}/", f"/{lang}/labs/", f"/{lang}/people/", f"/{lang}/faq/", f"/{lang}/search/",
                    f"/{lang}/404.html", f"/{lang}/news/"} & urls
    assert not [url for url in urls if not url.startswith(("/kk/", "/ru/", "/en/"))]


def test_each_record_has_its_title_kind_and_lab(built_sample: Path) -> None:
    records_ = by_url(built_sample)
    question = records_["/en/faq/#what-is-impact"]
    assert question["meta"]["title"] == "What is impact?" and question["meta"]["kind"] == "question"
    assert "Impact is change." in str(question["content"])
    edition = records_["/en/labs/impact-lab/2025/"]["meta"]
    assert edition["kind"] == "edition" and edition["lab"] == "Impact Lab" and edition["date"] == "2025"
    assert records_["/en/labs/impact-lab/"]["meta"]["kind"] == "lab"
    assert records_["/en/people/jane-doe/"]["meta"]["kind"] == "person"
    assert records_["/en/news/open-call/"]["meta"]["kind"] == "news"
    assert records_["/en/about/"]["meta"]["kind"] == "page"


def test_only_the_main_content_is_indexed(built_sample: Path) -> None:
    page = (built_sample / "kk/people/jane-doe/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-ignore" in page and "notice" in page  # the person is shown in a fallback language
    content = str(by_url(built_sample)["/kk/people/jane-doe/"]["content"])
    for left_out in ("Menu", "Мәзір", "Skip to content", "Alternativa Film Labs are free", "Сайттан іздеу"):
        assert left_out not in content
    notice = re.search(r'<p class="notice"[^>]*>([^<]+)', page)
    assert notice and notice[1].split()[0] not in content.split()


def test_the_indexer_is_given_only_the_main_content_and_makes_the_index_of_the_whole_pages(
        sample_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ('<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Лаборатория</title>'
            '<meta name="description" content="Описание"></head><body><header>Меню</header>'
            '<main id="main" data-pagefind-body><h1>Лаборатория</h1></main><footer>Подвал</footer></body></html>')
    assert search.indexed_part(page) == ('<!doctype html><html lang="ru"><head><title>Лаборатория</title></head>'
                                         '<body><main id="main" data-pagefind-body><h1>Лаборатория</h1></main>'
                                         '</body></html>')
    assert search.indexed_part("<p>no main</p>") == "<p>no main</p>"
    cut = build_site(sample_project, Options(NOW), write=False).files
    monkeypatch.setattr(search, "indexed_part", lambda page: page)
    whole = build_site(sample_project, Options(NOW), write=False).files
    index = {path: data for path, data in cut.items() if path.startswith("pagefind/")}
    assert len(index) > 20 and index == {path: data for path, data in whole.items() if path.startswith("pagefind/")}


def test_kazakh_records_also_hold_their_words_as_typed_without_kazakh_letters() -> None:
    assert search.normalise("Қазақстан Өзбекстан Іріктеу ҮҢҒӘҺ") == "казакстан озбекстан ириктеу унгах"
    page = '<html lang="kk"><body><main data-pagefind-body><p>Зертханаға қош келдіңіз</p></main></body></html>'
    indexed = search.with_typed_forms(page)
    assert indexed.index("Зертханаға") < indexed.index(search.TYPED_MARK) < indexed.index("зертханага")
    assert "кош келдиниз" in indexed and indexed.count("<main") == 1
    assert search.with_typed_forms("<main><p>Impact Lab</p></main>") == "<main><p>Impact Lab</p></main>"


def test_the_index_is_the_same_in_every_build_and_kept_while_its_pages_are(sample_project: Path) -> None:
    first = build_site(sample_project, Options(NOW), write=False)
    second = build_site(sample_project, Options(NOW), write=False)
    index = {k: v for k, v in first.files.items() if k.startswith("pagefind/")}
    assert index and index == {k: v for k, v in second.files.items() if k.startswith("pagefind/")}


def test_an_indexer_failure_stops_the_build_with_its_message(sample_project: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(sample_project / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failed:
        build_site(sample_project, Options(NOW), write=False)
    [problem] = [p for p in failed.value.problems if p.path == "pagefind"]
    assert problem.is_error and "the search index could not be made" in problem.message
    assert problem.message == ("the search index could not be made: "
                               f"{sample_project / 'no-such-pagefind'} could not be started: No such file or directory")


def test_an_indexer_that_dies_is_a_build_error_not_a_hang(sample_project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dying = tmp_path / "pagefind"
    dying.write_text("#!/bin/sh\necho 'Indexing…'\nkill -9 $$\n", encoding="utf-8")
    dying.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(dying))
    with pytest.raises(BuildFailed) as failed:
        build_site(sample_project, Options(NOW), write=False)
    [problem] = [p for p in failed.value.problems if p.path == "pagefind"]
    assert problem.message == "the search index could not be made: Indexing… (stopped by signal 9)"


def test_every_page_has_a_labelled_search_form_in_its_header_but_loads_no_search_code(built_sample: Path) -> None:
    for lang in LANGS:
        for page in sorted((built_sample / lang).rglob("index.html")):
            html = page.read_text(encoding="utf-8")
            if page.parent.name == "search":
                continue
            header = html[html.index("<header"):html.index("</header>")]
            assert f'<form class="site-search" role="search" action="/{lang}/search/" method="get">' in header
            assert '<label class="visually-hidden" for="site-search-query">' in header
            assert 'id="site-search-query" type="search" name="q"' in header
            assert "search." not in " ".join(re.findall(r'<script[^>]*src="([^"]+)"', html)), page
            assert "pagefind.js" not in html


def test_the_search_page_says_search_needs_javascript_and_links_to_labs_faq_and_people(built_sample: Path) -> None:
    html = (built_sample / "ru/search/index.html").read_text(encoding="utf-8")
    noscript = html[html.index("<noscript>"):html.index("</noscript>")]
    assert 'class="notice' not in html  # "notice" is for untranslated text, which this page never has
    assert "Для поиска нужен JavaScript" in noscript
    for route in ("labs/", "faq/", "people/"):
        assert f'href="/ru/{route}"' in noscript
    texts = json.loads(re.search(r'<script type="application/json" id="search-texts">(.*?)</script>', html, re.S)[1])
    assert texts["counts"] == {"one": "{count} результат", "few": "{count} результата",
                               "many": "{count} результатов"}  # a count of each plural category of Russian
    assert texts["kinds"]["question"] == "Вопрос" and texts["lang"] == "ru"
    assert '<option value="edition">Поток</option>' in html


def test_an_index_kept_in_the_build_cache_is_used_again_and_equals_a_new_one(
        sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_site(sample_site, Options(NOW, cache=True), write=False).files
    index = {path: data for path, data in first.items() if path.startswith(f"{search.INDEX_DIR}/")}
    assert index

    def no_indexer(*arguments: object) -> dict[str, bytes]:
        raise AssertionError("the indexer ran although the cache holds this index")

    monkeypatch.setattr(search, "run_indexer", no_indexer)
    again = build_site(sample_site, Options(NOW, cache=True), write=False).files
    assert again == first
    # Another text is another index: the cache has none for it, so the indexer runs.
    page = sample_site / "content/pages/about.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new word: kinoteka.\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(sample_site, Options(NOW, cache=True), write=False)
    assert [p.message for p in failed.value.problems if p.path == search.INDEX_DIR] == [
        "the search index could not be made: the indexer ran although the cache holds this index"]


def test_pack_and_unpack_give_back_the_files_and_refuse_other_values() -> None:
    files = {f"{search.INDEX_DIR}/pagefind.js": b"js", f"{search.INDEX_DIR}/index/en_1.pf_index": bytes(range(256))}
    assert search.unpack(search.pack(files)) == files
    assert search.unpack(search.pack(files)[:-3]) is None
    assert search.unpack(search.pack({"../outside.txt": b"x"})) is None


def documents(pages: dict[str, str]) -> list[tuple[str, str]]:
    """Small pages for the indexer, by path, each in the language given with it."""
    made = []
    for path, lang in pages.items():
        words = " ".join(f"{lang}word{n}" for n in range(len(path)))
        made.append((path, f'<!doctype html><html lang="{lang}"><head><title>{path}</title></head><body>'
                           f"<main data-pagefind-body><h1>{path}</h1><p>{words} kino</p></main></body></html>"))
    return made


def entry_languages(files: dict[str, bytes]) -> dict[str, int]:
    """The languages of an index with their number of pages."""
    entry = json.loads(files[f"{search.INDEX_DIR}/{indexer.ENTRY_FILE}"])
    return {code: value["page_count"] for code, value in entry["languages"].items()}


def test_each_language_indexed_on_its_own_gives_the_files_of_one_run_over_all() -> None:
    pages = documents({f"{lang}/page-{n}/index.html": lang for lang in ("kk", "ru", "en") for n in range(3 + len(lang))})
    apart = search.run_indexer(lambda: pages, ("kk", "ru", "en"))
    together = search.run_indexer(lambda: pages)  # no languages named: one indexer for every document
    assert apart == together
    assert entry_languages(apart) == {"kk": 5, "ru": 5, "en": 5}
    assert {path for path in apart if path.endswith(".pf_meta")} == {
        path for path in together if path.endswith(".pf_meta")} and len(apart) > 10


def test_runs_that_do_not_fit_together_give_way_to_one_run() -> None:
    # A page under kk/ in Russian: the run for kk/ and the run for ru/ would both make a Russian index.
    pages = documents({"kk/a/index.html": "kk", "kk/b/index.html": "ru", "ru/c/index.html": "ru"})
    files = search.run_indexer(lambda: pages, ("kk", "ru"))
    assert entry_languages(files) == {"kk": 1, "ru": 2}
    assert files == search.run_indexer(lambda: pages)
    assert indexer.merged([{"pagefind/x": b"1"}, {"pagefind/x": b"2"}]) is None


def fake_indexer(tmp_path: Path, body: str) -> Path:
    """A stand-in for pagefind's program: a Python script with ``body`` after its imports."""
    script = tmp_path / "pagefind"
    script.write_text(f"#!{sys.executable}\nimport base64, json, sys, time\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_an_indexer_that_stops_answering_is_given_up_at_the_deadline(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_indexer(tmp_path, "time.sleep(60)")))
    monkeypatch.setattr(indexer, "INDEX_TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^pagefind did not finish in 1 s$"):
        search.run_indexer(lambda: documents({"en/a/index.html": "en"}))
    assert time.monotonic() - started < 10


def test_a_build_interrupted_while_it_writes_stops_the_indexer_making_its_index(
        sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index is made while the pages are written; when the writing stops, so does the indexer, at once."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_indexer(tmp_path, "time.sleep(60)")))
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name.endswith(".gz") and ".new-" in str(self):  # a compressed copy, written into the new site
            raise KeyboardInterrupt
        return real(self, data)
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    before = sorted(p.relative_to(sample_project) for p in sample_project.rglob("*") if ".cache" not in p.parts)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build_site(sample_project, Options(NOW), write=True)
    assert time.monotonic() - started < 20  # not the 60 s the indexer would have kept the build waiting
    assert sorted(p.relative_to(sample_project) for p in sample_project.rglob("*") if ".cache" not in p.parts) \
        == before


def test_an_error_the_indexer_answers_is_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first answer is an error: its message is the build's, and the program is ended, not left running."""
    answer = base64.b64encode(json.dumps({"message_id": 1, "payload": {
        "type": "Error", "message": "the index could not be made"}}).encode()).decode()
    pid = tmp_path / "pid"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_indexer(tmp_path, (
        f"import os\nopen({str(pid)!r}, 'w').write(str(os.getpid()))\nsys.stdin.buffer.read(1)\n"
        f"sys.stdout.write({answer!r} + ',')\nsys.stdout.flush()\nsys.stdin.buffer.read()"))))
    with pytest.raises(RuntimeError, match=r"^pagefind: the index could not be made$"):
        search.run_indexer(lambda: documents({"en/a/index.html": "en"}))
    assert not Path(f"/proc/{pid.read_text()}").exists()  # ended and reaped


def test_the_last_words_of_an_indexer_that_fails_are_its_message(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """However much it wrote before them, and from however many threads they are read."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_indexer(tmp_path, (
        "for n in range(20000):\n    print(f'warning: line {n}', file=sys.stderr)\n"
        "print('Error: no space left on the disk', file=sys.stderr)\nsys.exit(3)"))))
    for _ in range(5):
        with pytest.raises(RuntimeError, match=r"^Error: no space left on the disk \(exit status 3\)$"):
            search.run_indexer(lambda: documents({"en/a/index.html": "en"}))


def test_many_large_documents_pass_through_the_pipes_whole(tmp_path: Path) -> None:
    """More than any pipe holds, both ways: every document is indexed and nothing waits on a full pipe."""
    pages = documents({f"{lang}/page-{n}/index.html": lang for lang in ("ru", "en") for n in range(150)})
    filler = "<p>" + " ".join(f"kino{n}" for n in range(6000)) + "</p>"
    pages = [(path, text.replace("</main>", f"{filler}</main>")) for path, text in pages]
    assert sum(len(text) for _, text in pages) > 15_000_000
    files = search.run_indexer(lambda: pages, ("ru", "en"))
    assert entry_languages(files) == {"ru": 150, "en": 150}
    assert len([path for path in files if path.endswith(".pf_fragment")]) == 300


def test_typed_forms_come_only_from_what_the_index_reads() -> None:
    """What ``data-pagefind-ignore`` holds (a person's edition cards, nested blocks included) gives no typed forms:
    a query typed without Kazakh letters would find the page through words the index passes over."""
    markup = ('<h1>Өтінім</h1><div class="cards" data-pagefind-ignore><div><p>Қыркүйек</p></div><div>Әзірлеу</div>'
              '</div><p>Іріктеу</p><nav data-pagefind-ignore>Бөлім</nav>')
    assert typed_forms(markup) == "отиним ириктеу"
    assert typed_forms('<p>Өтінім<span data-pagefind-ignore>Қыркүйек') == "отиним"  # never closed: to the end

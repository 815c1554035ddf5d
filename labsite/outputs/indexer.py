"""pagefind's indexer fed through a pipe: the search documents go to one indexer per language, side by side, and
their files come back through the pipe too, to be merged. No document or index file is written for it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

import pagefind_bin

#: The folder of the index in the output; the search page's script loads ``/pagefind/pagefind.js``.
INDEX_DIR = "pagefind"
#: The file that names each language's index; the search page's script starts from it.
ENTRY_FILE = "pagefind-entry.json"
#: pagefind's own search interfaces and highlighter: the site has its own small script, so these are not published.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
#: Seconds an indexer may take before the build gives up on it (a 3,000-page site takes about 2).
INDEX_TIMEOUT = 600
#: Why a run ends that its build no longer wants.
STOPPED = "pagefind was stopped: the build it worked for had failed"

#: The documents to index, by path under the site (``en/news/x/index.html``); each call gives them from the start.
Documents = Callable[[], Iterable[tuple[str, str]]]


def indexer() -> str:
    """The path of pagefind's program: ``PAGEFIND_BINARY_PATH`` as pagefind reads it, else the one of ``pagefind-bin``."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return chosen
    try:
        return str(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise RuntimeError(f"pagefind's program is missing ({exc})") from None


class _Indexer:
    """One pagefind program in its service mode, the one its own Python API drives: each request is a JSON
    message, base64-encoded and ended by a comma, on its input, each answer the same on its output.

    pagefind's asyncio API (``PagefindIndex``) was tried first: it waits 0.1 s before reading each answer (9 s for
    87 pages sent one by one), and waits forever when the indexer dies (a full disk, a file-size limit), so the
    build could neither report nor stop. Here a thread reads the answers as they come, the end of the output is
    the end of the indexer, and the whole run has a deadline.
    """

    def __init__(self, deadline: float, stop: threading.Event | None = None) -> None:
        program = indexer()
        try:
            self.process = subprocess.Popen([program, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE)
        except OSError as exc:
            raise RuntimeError(f"{program} could not be started: {exc.strerror or exc}") from None
        self.deadline, self.stop = deadline, stop
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        #: What the indexer wrote that is no answer (its messages, on either output).
        self.said: list[str] = []
        self.sent = self.waiting = 0
        self.timed_out = False
        self.watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), self._time_out)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.readers = [threading.Thread(target=target, args=(stream,), daemon=True) for target, stream in
                        ((self._read_answers, self.process.stdout), (self._read_words, self.process.stderr))]
        for reader in self.readers:
            reader.start()
        try:
            self.index = self._ask({"type": "NewIndex", "config": None})["index_id"]
        except BaseException:
            self.close()
            raise

    def _time_out(self) -> None:
        """Past the deadline: the indexer is stopped, and the run reports that it did not finish."""
        self.timed_out = True
        self.process.kill()

    def _read_answers(self, stream: IO[bytes]) -> None:
        """Put each answer on :attr:`answers` as it comes, then ``None`` at the end of the output."""
        buffer, start = bytearray(), 0
        while data := stream.read1(1 << 20):  # type: ignore[attr-defined]
            buffer += data
            while (end := buffer.find(b",", start)) >= 0:
                self._answer(bytes(buffer[:end]))
                del buffer[:end + 1]
                start = 0
            start = len(buffer)
        if buffer.strip():
            self.said.append(buffer.decode("utf-8", "replace").strip())
        self.answers.put(None)

    def _answer(self, message: bytes) -> None:
        """One message of the output: an answer, or words that are none."""
        try:
            answer = json.loads(base64.b64decode(message, validate=True))
        except (ValueError, binascii.Error):
            self.said.append(message.decode("utf-8", "replace").strip())
            return
        self.answers.put(answer)

    def _read_words(self, stream: IO[bytes]) -> None:
        """Keep what the indexer writes to its error output."""
        self.said.extend(line.decode("utf-8", "replace").strip() for line in stream if line.strip())

    def _send(self, payload: dict[str, Any], flush: bool = False) -> None:
        """Send one request (``flush``: at once); raise when the indexer has stopped reading."""
        self.sent += 1
        message = base64.b64encode(json.dumps({"message_id": self.sent, "payload": payload}).encode())
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(message + b",")
            if flush:
                self.process.stdin.flush()
        except OSError:  # it ended: the end of its output says how
            raise self._failure() from None

    def _next(self) -> dict[str, Any]:
        """The next answer's payload; raise with the indexer's words when it ended or answered with an error."""
        while True:
            try:  # a tenth of a second at a time, to see whether the build still wants the index
                answer = self.answers.get(timeout=min(0.1, max(0.0, self.deadline - time.monotonic())))
                break
            except queue.Empty:
                if self.stop is not None and self.stop.is_set():
                    self.process.kill()
                    raise RuntimeError(STOPPED) from None
                if time.monotonic() >= self.deadline:
                    self._time_out()
                    raise self._failure() from None
        if answer is None:
            self.answers.put(None)  # the end stays the end for any later question
            raise self._failure()
        payload: dict[str, Any] = answer.get("payload") or {}
        if payload.get("type") == "Error":
            raise RuntimeError(f"pagefind: {payload.get('message', 'an error')}")
        return payload

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer."""
        self._send(payload, flush=True)
        return self._reply()

    def _reply(self) -> dict[str, Any]:
        """The answer to the last request, after those to the documents sent before it."""
        while self.waiting:
            self._next()
            self.waiting -= 1
        return self._next()

    def add(self, path: str, text: str) -> None:
        """Send one document (its answer is read later, while the next documents are sent)."""
        self._send({"type": "AddFile", "index_id": self.index, "file_path": path, "url": None, "file_contents": text})
        self.waiting += 1

    def finish(self) -> None:
        """Ask for the index of every document sent: pagefind makes it now, while the other indexers make theirs."""
        self._send({"type": "GetFiles", "index_id": self.index}, flush=True)

    def files(self) -> dict[str, bytes]:
        """The index asked for by :meth:`finish`, by path under :data:`INDEX_DIR` (the bundled interfaces left out)."""
        made = self._reply().get("files") or []
        return {f"{INDEX_DIR}/{found['path']}": base64.b64decode(found["content"]) for found in made
                if not found["path"].startswith(UNUSED)}

    def _failure(self) -> RuntimeError:
        """Why the indexer ended before its work was done, in its own words with how it ended."""
        if self.timed_out:
            return RuntimeError(f"pagefind did not finish in {INDEX_TIMEOUT} s")
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        for reader in self.readers:  # all it said, up to its last words
            reader.join(timeout=5)
        ending = f"exit status {code}" if code >= 0 else f"stopped by signal {-code}"
        said = [line for line in self.said if line]
        return RuntimeError(f"{said[-1] if said else 'pagefind ended before its work was done'} ({ending})")

    def close(self) -> None:
        """End the indexer (it ends when its input does; stopped if it does not)."""
        self.watchdog.cancel()
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(timeout=5)


def _index(documents: Iterable[tuple[str, str]], languages: Sequence[str], deadline: float,
           stop: threading.Event | None) -> list[dict[str, bytes]]:
    """The files of one indexer per language of ``languages`` (one for all documents when none are named)."""
    runs: dict[str, _Indexer] = {}
    try:
        for path, text in documents:
            if stop is not None and stop.is_set():
                raise RuntimeError(STOPPED)
            language = path.split("/", 1)[0] if languages else ""
            if language not in runs:
                runs[language] = _Indexer(deadline, stop)
            runs[language].add(path, text)
        for run in runs.values():
            run.finish()
        return [run.files() for run in runs.values()]
    finally:
        for run in runs.values():
            run.close()


def merged(runs: Sequence[dict[str, bytes]]) -> dict[str, bytes] | None:
    """The files of several runs as one index: their entry files joined, every other file the same in all runs
    that made it. ``None`` when they do not fit together (two runs indexed one language, or disagree on a file)."""
    entry = f"{INDEX_DIR}/{ENTRY_FILE}"
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    for run in runs:
        for path, data in run.items():
            if path == entry:
                entries.append(json.loads(data))
            elif files.setdefault(path, data) != data:
                return None
    if not entries:
        return files
    languages: dict[str, Any] = {}
    for found in entries:
        if {k: v for k, v in found.items() if k != "languages"} != {k: v for k, v in entries[0].items()
                                                                    if k != "languages"}:
            return None
        if languages.keys() & found["languages"].keys():
            return None
        languages.update(found["languages"])
    files[entry] = json.dumps({**entries[0], "languages": languages}).encode()
    return files


def run_indexer(documents: Documents, languages: Sequence[str] = (),
                stop: threading.Event | None = None) -> dict[str, bytes]:
    """pagefind's files for ``documents``, by path under :data:`INDEX_DIR` (the interfaces it bundles left out).

    The documents of each language (the first folder of their path) go to an indexer of their own, all side by
    side: pagefind's time and memory grow faster than its documents, so three indexes of 1,000 pages take half
    the time of one of 3,000, each with 40 % of its memory, and make the same files. Should the runs not fit
    together, one indexer takes every document. Once ``stop`` is set (the build has failed meanwhile), the
    indexers are stopped and the run fails at once.
    """
    deadline = time.monotonic() + INDEX_TIMEOUT  # one deadline for all the indexing, a second try included
    files = merged(_index(documents(), languages, deadline, stop)) if len(languages) > 1 else None
    if files is None:
        files = merged(_index(documents(), (), deadline, stop)) or {}
    entry = f"{INDEX_DIR}/{ENTRY_FILE}"
    if entry in files:  # pagefind lists the languages in a different order in every run
        files[entry] = json.dumps(json.loads(files[entry]), sort_keys=True, separators=(",", ":")).encode()
    return files

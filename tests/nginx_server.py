"""Run Debian's nginx with the configuration ``build.py server-config nginx`` prints (not a test module).

nginx comes from ``scripts/install-test-tools.sh``. It listens on 127.0.0.1 only, on a free port, in the
foreground of a process the fixture owns, and is stopped when the fixture ends.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser import INSTALL_HINT, ToolMissingError
from tests.conftest import PROJECT


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, headers (lower-case names, repeated ones joined by ', ') and body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Nginx:
    """An nginx serving a built site on 127.0.0.1."""

    port: int
    site: Path
    config: str

    @property
    def url(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def request(self, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
        """Send exactly ``headers`` (http.client adds only Host and, without a body, nothing else)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            joined: dict[str, str] = {}
            for name, value in response.getheaders():
                key = name.lower()
                joined[key] = f"{joined[key]}, {value}" if key in joined else value
            return Reply(response.status, joined, response.read())
        finally:
            connection.close()


def nginx_binary() -> str:
    """The path of Debian's nginx, or raise :class:`ToolMissingError`."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise ToolMissingError(f"nginx not found: {INSTALL_HINT}")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_config(project: Path, site: Path, port: int) -> str:
    """The configuration the command line prints for ``site``, listening on 127.0.0.1:``port``."""
    command = [sys.executable, str(PROJECT / "build.py"), "server-config", "nginx", "--project", str(project),
               "--root", str(site), "--listen", f"127.0.0.1:{port}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def run_nginx(project: Path, site: Path, workdir: Path) -> Iterator[Nginx]:
    """Start nginx on ``site`` with the project's generated configuration; stop it afterwards."""
    binary = nginx_binary()
    port = free_port()
    config = server_config(project, site, port)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "nginx.conf").write_text(config, encoding="utf-8")
    # Run as root (as here), nginx's workers would be 'nobody', who cannot read pytest's private temporary folders.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    log = (workdir / "startup.log").open("w")
    process = subprocess.Popen([binary, "-c", str(workdir / "nginx.conf"), "-p", str(workdir), "-e", "stderr",
                                "-g", directives], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise AssertionError(f"nginx stopped: {(workdir / 'startup.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("nginx did not start listening within 10 s") from None
                time.sleep(0.05)
        yield Nginx(port, site, config)
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

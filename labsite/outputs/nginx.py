"""The nginx configuration that serves a built site: types, caching, security headers, 404s, language choice."""

from __future__ import annotations

import ipaddress
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

from ..load.assets import DIGEST_LENGTH, FINGERPRINTED, STATIC_DIR
from ..load.config import SiteConfig
from .indexer import INDEX_DIR
from .mediatypes import CONTENT_TYPES

#: Debian's ``libnginx-mod-http-brotli-static`` puts the module here.
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
#: Types of the files a site may hold besides those the preview names (which carry their charset).
BINARY_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
                ".avif": "image/avif", ".gif": "image/gif", ".ico": "image/x-icon", ".woff2": "font/woff2",
                ".pdf": "application/pdf"}
ATOM_TYPE = "application/atom+xml"
#: Only the site's own files: no inline script or style, nothing from another host, no framing.
#: ``'wasm-unsafe-eval'`` lets the search page compile pagefind's WebAssembly (it allows no JavaScript eval).
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
IMMUTABLE = "public, max-age=31536000, immutable"
#: Stored, but asked again (with ETag / If-Modified-Since) before each use: pages, feeds, status.json.
REVALIDATE = "no-cache"
#: ``/?choose`` always shows the choice page, to a visitor who wants to pick the language themselves.
CHOOSE_QUERY = "choose"
_LISTEN = re.compile(r"^(?:(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(?P<port>\d{1,5})\Z")
#: Characters that would end or change a double-quoted nginx string.
_UNSAFE_PATH = re.compile(r'["\\$\x00-\x1f\x7f]')


class ConfigError(ValueError):
    """An option the configuration cannot be made with (the message is one line for the command line)."""


def check_listen(listen: str) -> str:
    """``listen`` as nginx takes it (``PORT``, ``ADDRESS:PORT``, ``[IPv6]:PORT``); raise :class:`ConfigError`."""
    match = _LISTEN.match(listen)
    port = int(match["port"]) if match else 0
    if not match or not 0 < port < 65536:
        raise ConfigError(f"--listen {listen!r} is not PORT, ADDRESS:PORT or [IPv6]:PORT (e.g. 127.0.0.1:8080)")
    host = match["host"] or ""
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise ConfigError(f"--listen {listen!r}: {host} is not an IPv6 address") from None
    return listen


def check_root(root: Path) -> Path:
    """The served folder, absolute; raise :class:`ConfigError` when nginx could not be given it."""
    root = root.expanduser().resolve()
    if _UNSAFE_PATH.search(str(root)):
        raise ConfigError(f"--root {str(root)!r} holds a quote, backslash, '$' or control character, "
                          "which nginx would read differently; use another folder")
    if root.exists() and not root.is_dir():
        raise ConfigError(f"--root {str(root)!r} is a file, not the folder of a built site")
    return root


def closed_folder(root: Path) -> Path | None:
    """The first folder on the way to ``root`` (``root`` included) that lets no other user through, or ``None``.

    nginx started as root runs its workers as ``nobody``: they reach the site's files only through folders that let
    other users through (the build makes the site's own folders so, whatever the umask).
    """
    for folder in (*reversed(root.parents), root):
        try:
            mode = folder.stat().st_mode
        except OSError:  # not there yet (the site not built): nothing to say
            return None
        if not mode & stat.S_IXOTH:
            return folder
    return None


def content_types() -> tuple[dict[str, list[str]], list[str]]:
    """The ``types`` block (type → suffixes) and the types that get ``; charset=utf-8``, as the preview sends them."""
    types: dict[str, list[str]] = {}
    charset: list[str] = []
    for suffix, value in {**CONTENT_TYPES, **BINARY_TYPES}.items():
        mime, _, params = value.partition(";")
        types.setdefault(mime, []).append(suffix.lstrip("."))
        if "charset=utf-8" in params and mime != "text/html" and mime not in charset:
            charset.append(mime)  # text/html always gets its charset
    return types, [*charset, ATOM_TYPE]


def language_pattern(code: str, languages: tuple[str, ...]) -> str:
    """A regex for an ``Accept-Language`` whose first language the site has is ``code``.

    Every element before it must name none of the site's languages (``de-DE,de;q=0.9,ru`` → ``ru``);
    ``ru`` matches ``ru``, ``ru-RU`` and ``ru;q=0.8`` but not ``rue``. Browsers list languages by preference.
    """
    known = "|".join(map(re.escape, languages))
    end = r"(?:[-;,\s]|$)"
    return rf"~*^(?:(?!\s*(?:{known}){end})[^,]*,)*\s*{re.escape(code)}{end}"


def _maps(config: SiteConfig) -> list[str]:
    """The ``map`` blocks: 404 page, cache policy, root redirect and its ``Vary``."""
    languages = config.languages
    assets = "|".join(suffix.lstrip(".") for suffix in FINGERPRINTED)
    fingerprinted = rf"~^(?:200|206|304) /{STATIC_DIR}/.+\.[0-9a-f]{{{DIGEST_LENGTH}}}\.(?:{assets})$"
    # pagefind names its index chunks, fragments and metadata by their content (its script and entry file it does not).
    index = (rf"~^(?:200|206|304) /{INDEX_DIR}/(?:fragment/[\w-]+_[0-9a-f]+\.pf_fragment|index/[\w-]+_[0-9a-f]+\.pf_index"
             r"|pagefind\.[\w-]+_[0-9a-f]+\.pf_meta)$")
    lines = ["# The 404 page of the language an address is under; /404.html (the default language's) elsewhere.",
             "map $uri $labsite_not_found {", "    default /404.html;"]
    lines += [f"    ~^/{code}/ /{code}/404.html;" for code in languages]
    lines += ["}", "",
              "# Fingerprinted files never change under their name; everything else is revalidated.",
              '# (by status too, so that a 404 for a fingerprinted address is not cached for a year)',
              'map "$status $uri" $labsite_cache_control {', f'    default "{REVALIDATE}";',
              f'    "{fingerprinted}" "{IMMUTABLE}";', f'    "{index}" "{IMMUTABLE}";', "}", "",
              "# The visitor's language at /: the first language of Accept-Language that the site has,",
              f"# else the default ({config.default_language}); nothing without the header (crawlers get the choice page).",
              "map $http_accept_language $labsite_language_home {",
              f"    default /{config.default_language}/;", '    "" "";']
    lines += [f'    "{language_pattern(code, languages)}" /{code}/;' for code in languages]
    lines += ["}", "",
              f"# /?{CHOOSE_QUERY} is the choice page for everyone: for a visitor who wants to pick the language.",
              "map $args $labsite_root_redirect {", "    default $labsite_language_home;",
              f'    "~(?:^|&){CHOOSE_QUERY}(?:[=&]|$)" "";', "}", "",
              "# Caches must keep the answers at / apart by the language asked for.",
              "map $request_uri $labsite_vary {", '    default "";', '    "~^/(?:\\?.*)?$" "Accept-Language";', "}"]
    return lines


def _server(config: SiteConfig, listen: str, root: Path) -> list[str]:
    """The ``server`` block."""
    host = urlsplit(config.base_url).hostname or "_"
    headers = [("Content-Security-Policy", f'"{CSP}"'), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "strict-origin-when-cross-origin")]
    if config.base_url.startswith("https://"):
        headers.append(("Strict-Transport-Security", '"max-age=31536000"'))
    headers += [("Cache-Control", "$labsite_cache_control"), ("Vary", "$labsite_vary")]
    lines = ["server {", f"    listen {listen};", f"    server_name {host};", f'    root "{root}";',
             "    index index.html;",
             "    # Redirects name the path only (/en/labs → /en/labs/), right behind a proxy or on another port.",
             "    absolute_redirect off;", "",
             "    # add_header here only: a location with one of its own would drop all of these.",
             *(f"    add_header {name} {value} always;" for name, value in headers), "",
             "    error_page 404 $labsite_not_found;",
             "    error_page 403 =404 $labsite_not_found;  # a folder without index.html", "",
             "    location = / {",
             "        if ($labsite_root_redirect) {", "            return 302 $labsite_root_redirect;", "        }",
             "    }", "",
             "    location ~ /atom\\.xml$ {", "        types { }", f"        default_type {ATOM_TYPE};", "    }",
             "}"]
    return lines


def nginx_config(config: SiteConfig, listen: str, root: Path) -> str:
    """A complete nginx configuration serving the built site at ``root`` on ``listen``; run with ``nginx -c FILE -p DIR``."""
    listen, root = check_listen(listen), check_root(root)
    types, charset_types = content_types()
    type_lines = [f"        {mime} {' '.join(suffixes)};" for mime, suffixes in types.items()]
    title = " ".join(config.title.split())  # a comment ends at a line break
    head = [f"# nginx configuration of {title} ({config.base_url}), from `python build.py server-config nginx`.",
            "# Run: nginx -c THIS_FILE -p DIR   (DIR, which must exist, gets nginx's pid, logs and temporary files)",
            "# Make it again after changing languages, default_language or base_url in site_config.yaml.",
            f"load_module {BROTLI_MODULE};", "",
            "worker_processes auto;", "pid nginx.pid;", "error_log error.log warn;", "",
            "events {", "    worker_connections 512;", "}", "",
            "http {",
            "    access_log access.log;",
            *(f"    {kind}_temp_path {kind}_temp;" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
            "    sendfile on;", "    server_tokens off;", "",
            "    types {", *type_lines, "    }", "    default_type application/octet-stream;",
            "    charset utf-8;", f"    charset_types {' '.join(charset_types)};", "",
            "    # The build wrote a .gz and a .br beside every text file over 1 KB: send those, compress nothing here.",
            "    gzip off;", "    gzip_static on;", "    brotli_static on;", "    gzip_vary on;", ""]
    body = [*_maps(config), "", *_server(config, listen, root)]
    return "\n".join([*head, *("    " + line if line else "" for line in body), "}", ""])

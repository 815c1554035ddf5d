#!/usr/bin/env bash
# Install what the browser and HTML-validator tests need, only where it is missing:
#   - Chromium from Debian (never `playwright install`: it downloads a browser and fails here)
#   - a Java runtime for the Nu HTML checker (vnu.jar)
#   - the npm packages pinned in tools/package-lock.json (vnu-jar, axe-core, lighthouse)
#   - nginx with Debian's brotli_static module, for the tests of the generated server configuration
# Idempotent; prints nothing when everything is already in place.
# Python packages are not handled here: pip install -r requirements-dev.txt
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/tools"

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
else
    sudo=(sudo)
fi

say() { printf 'install-test-tools: %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Chromium (Debian package; /usr/bin/chromium wraps /usr/lib/chromium/chromium).
if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
fi

# 2. Java runtime for vnu.jar. Installed before `npm ci`: without a system Java,
#    vnu-jar's postinstall would try to download one (and we skip scripts anyway).
if ! command -v java >/dev/null 2>&1; then
    apt_install default-jre-headless
fi

# 3. nginx and its brotli_static module, to serve the built site with the configuration
#    that `build.py server-config nginx` prints. The tests start their own nginx on 127.0.0.1
#    with that configuration; the system service that Debian's package would start is kept
#    from starting (a policy-rc.d that refuses, present only during the install).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] \
    || [ ! -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        trap '"${sudo[@]}" rm -f "$policy"' EXIT
    fi
    apt_install nginx libnginx-mod-http-brotli-static
fi

# 4. npm packages, reinstalled when node_modules is missing or older than the lock.
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
if [ ! -d "$tools_dir/node_modules" ] \
    || [ "$tools_dir/package-lock.json" -nt "$tools_dir/node_modules" ] \
    || [ ! -f "$tools_dir/node_modules/vnu-jar/build/dist/vnu.jar" ] \
    || [ ! -f "$tools_dir/node_modules/axe-core/axe.min.js" ] \
    || [ ! -f "$tools_dir/node_modules/lighthouse/package.json" ]; then
    say "npm ci --prefix tools"
    # --ignore-scripts: vnu-jar's postinstall only fetches a Java runtime, which
    # comes from Debian here; the jar itself ships inside the npm package. Lighthouse
    # drives the Debian Chromium (CHROME_PATH) and downloads no browser.
    npm ci --prefix "$tools_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    # npm ci may leave the directory's mtime untouched; mark it as fresh.
    touch "$tools_dir/node_modules"
fi

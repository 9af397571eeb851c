#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run every test.
#
#   bash scripts/test.sh                 # the whole suite, two workers, headless Chromium
#   bash scripts/test.sh tests/unit -q   # extra arguments go to pytest
#   bash scripts/test.sh -n 0            # serially (the last -n wins)
#
# Then, when PostgreSQL answers at TRACKER_TEST_DATABASE_URL (by default postgres@127.0.0.1:5432,
# as in CI), runs tests/unit again with their databases on it; otherwise says in one line why not.
# A failure in either run fails the script.
#
# Installs, only when missing: Debian's chromium and chromium-driver (the browser tests drive them
# through Selenium), Node.js and npm (for axe-core), the project with its test extras, and
# axe-core into tests/.axe/ (the accessibility checks inject its axe.min.js into the page).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

AXE_VERSION="4.14.1"
AXE_DIR="tests/.axe"
AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
AXE_PACKAGE_JSON="$AXE_DIR/node_modules/axe-core/package.json"

if [ -n "${PYTHON:-}" ]; then
    :
elif command -v python >/dev/null 2>&1; then
    PYTHON=python
else
    PYTHON=python3
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

apt_updated=no
apt_install() {
    if [ "$apt_updated" = no ]; then
        as_root apt-get update
        apt_updated=yes
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# 1. The browser and its driver (Debian's builds match each other).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "==> Installing chromium and chromium-driver"
    apt_install chromium chromium-driver
fi

# 2. npm, to fetch axe-core.
if ! command -v npm >/dev/null 2>&1; then
    echo "==> Installing nodejs and npm"
    apt_install nodejs npm
fi

# 3. The project and its test dependencies (dash[testing], pytest, pytest-xdist ...).
echo "==> Installing the project with its test extras"
"$PYTHON" -m pip install --disable-pip-version-check --quiet -e ".[test]"

# 4. axe-core, at the pinned version.
installed_axe=""
if [ -f "$AXE_JS" ] && [ -f "$AXE_PACKAGE_JSON" ]; then
    installed_axe="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$AXE_PACKAGE_JSON")"
fi
if [ "$installed_axe" != "$AXE_VERSION" ]; then
    echo "==> Installing axe-core@$AXE_VERSION into $AXE_DIR"
    npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund "axe-core@$AXE_VERSION"
fi

# 5. PostgreSQL for the tests marked `postgres` (migrations, concurrency, gunicorn on PostgreSQL). CI
#    machines run it; if it is installed but stopped, start it. Elsewhere those tests skip without it.
if [ "${CI:-}" = "true" ] && command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1; then
    echo "==> Starting PostgreSQL"
    (service postgresql start || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -1)" main start) \
        >/dev/null 2>&1 || true
fi

# 6. Every test: unit tests and browser tests, on two workers; each worker's Dash servers listen on
#    ports of their own (tests/browser/conftest.py), so the workers do not collide. This run is on
#    SQLite (in-memory databases), whatever TRACKER_TEST_DATABASE_URL says.
PG_TEST_URL="${TRACKER_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/tracker_test}"
echo "==> Running the tests"
status=0
env -u TRACKER_TEST_DATABASE_URL "$PYTHON" -m pytest -n "${PYTEST_WORKERS:-2}" --headless "$@" || status=$?

# 7. The service and integration tests (tests/unit) again, on PostgreSQL (tests/databases.py), when
#    a server answers at PG_TEST_URL; the browser tests stay on SQLite. Only for the whole suite: a
#    run of chosen tests or options (arguments given) is not repeated.
pg_answers() {
    "$PYTHON" - "$PG_TEST_URL" <<'PY'
import sys

import psycopg
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1]).set(drivername="postgresql", database="postgres")
try:
    psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means no server to test on
    print(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    sys.exit(1)
PY
}
shown_url="$("$PYTHON" -c 'import sys; from sqlalchemy.engine import make_url; print(make_url(sys.argv[1]))' "$PG_TEST_URL")"
if [ "$#" -gt 0 ]; then
    echo "==> PostgreSQL run skipped: arguments were given (run it with TRACKER_TEST_DATABASE_URL=$shown_url $PYTHON -m pytest tests/unit)"
elif ! why="$(pg_answers)"; then
    echo "==> PostgreSQL run skipped: no PostgreSQL answers at $shown_url ($why); set TRACKER_TEST_DATABASE_URL to use another server"
else
    echo "==> Running tests/unit again on PostgreSQL at $shown_url"
    TRACKER_TEST_DATABASE_URL="$PG_TEST_URL" "$PYTHON" -m pytest tests/unit -n "${PYTEST_WORKERS:-2}" || status=$?
fi
exit "$status"

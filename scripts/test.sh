#!/usr/bin/env bash
# `npm test`: everything the tests need on a fresh machine of this kind, then every check and test. It is the
# README's test command and exactly what `.ci/run` runs, so a fresh clone and CI set up the same way.
#  - Debian's headless build of chromium (chromium-headless-shell) for the browser journeys, installed when missing
#    (as root, or through sudo): the same Chromium without the desktop browser's windows, a third less CPU a journey.
#  - PostgreSQL: when DATABASE_URL is unset and a server answers (or can be started) on 127.0.0.1:5432, the
#    integration tests run on it as well as on PGlite; otherwise on PGlite only, and the run says so.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else
    echo "Cannot install $*: not root and no sudo. Install Debian's headless chromium (apt-get install chromium-headless-shell) and run again." >&2
    exit 1
  fi
}

if [ ! -x /usr/bin/chromium-headless-shell ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Installing Debian's headless chromium (chromium-headless-shell) for the browser journeys"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell
fi

postgres_answers() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

if [ -z "${DATABASE_URL:-}" ] && [ "${WAYMARK_TEST_POSTGRES:-auto}" != "off" ]; then
  if ! postgres_answers && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 20); do postgres_answers && break || sleep 0.5; done
  fi
  if postgres_answers; then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
    if command -v psql >/dev/null && ! psql "$DATABASE_URL" -qAtc 'select 1' >/dev/null 2>&1; then
      psql postgres://postgres@127.0.0.1:5432/postgres -qc 'create database test' || true
    fi
    echo "PostgreSQL answers: the integration tests run on PGlite and on $DATABASE_URL"
  else
    echo "No PostgreSQL on 127.0.0.1:5432: the integration tests run on PGlite only"
  fi
fi

# The type check, the lint and the format check each use about one core and none needs another: side by side
# they take about the longest one's time, not the sum (about 40 s against 65 s here). Each one's output is shown
# whole, in order.
checks=$(mktemp -d)
for check in typecheck lint:code lint:format; do
  npm run --silent "$check" > "$checks/$check" 2>&1 &
  echo $! > "$checks/$check.pid"
done
failed=0
for check in typecheck lint:code lint:format; do
  wait "$(cat "$checks/$check.pid")" || { echo "npm run $check failed:"; failed=1; }
  cat "$checks/$check"
done
rm -rf "$checks"
[ "$failed" -eq 0 ] || exit 1
npm run test:unit

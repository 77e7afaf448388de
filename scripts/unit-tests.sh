#!/usr/bin/env bash
# `npm run test:unit`: every test file, in two processes ("lanes"), each running its share of the files one after
# another in the one process (node --test's --test-isolation=none). A process per file, as node --test runs them by
# default, paid for every one of ~175 files: starting Node, importing the app, compiling PGlite's WebAssembly and
# loading the migrated template again. That was about a quarter of the suite's work. On this kind of machine
# (2 cores): 13 min 23 s as a process per file two at a time, against 11 min 0 s and 12 min 11 s in two lanes
# (this machine's speed drifts), and 11 min 53 s in three.
#
# The files are dealt into the lanes by the time each took when last measured (scripts/test-lanes.ts, from
# test/times.json), so that both lanes end together. `npm run test:times` is `npm test` with WAYMARK_TEST_TIMES=1,
# which writes those times again once every test has passed: worth doing when files have been added or have grown.
#
# Each lane's report goes to a file and is shown once both lanes have finished; meanwhile a dot for each test
# passed (an X for each failed) shows the run moving. Files or globs given as arguments are run in place of
# every test (npm run test:unit -- "src/areas/people/*.test.ts"). One file alone still runs in a process of its own:
#   npx node --test src/areas/people/routes.test.ts
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_COMPILE_CACHE=node_modules/.cache/waymark-compile-cache

lanes=${WAYMARK_TEST_LANES:-2}
if [ "$#" -gt 0 ]; then files=("$@"); else files=("src/**/*.test.ts" "test/**/*.test.ts" "bench/**/*.test.ts"); fi
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

plan=$(node scripts/test-lanes.ts "$lanes" "${files[@]}") || exit 2
[ -n "$plan" ] || { echo "No test file to run" >&2; exit 2; }
pids=()
for lane in $(seq 1 "$lanes"); do
  mapfile -t lane_files < <(sed -n "s/^$lane //p" <<< "$plan")
  # With no file, node --test would run every test it finds: a lane dealt none (one file asked for) stays empty.
  if [ "${#lane_files[@]}" -eq 0 ]; then
    echo "(no test file in this lane)" > "$reports/$lane"
    pids+=("")
    continue
  fi
  recording=()
  [ -z "${WAYMARK_TEST_TIMES:-}" ] ||
    recording=(--test-reporter=./scripts/test-times-reporter.ts --test-reporter-destination="$reports/$lane.times.json")
  node --test --test-isolation=none \
    --test-reporter=dot --test-reporter-destination=stdout \
    --test-reporter=spec --test-reporter-destination="$reports/$lane" \
    "${recording[@]}" "${lane_files[@]}" &
  pids+=($!)
done

failed=()
for lane in $(seq 1 "$lanes"); do
  pid=${pids[$((lane - 1))]}
  [ -z "$pid" ] || wait "$pid" || failed+=("$lane")
done
echo
for lane in $(seq 1 "$lanes"); do
  echo "── Lane $lane of $lanes ──"
  cat "$reports/$lane"
done
# A run that failed measured a test cut short, or one left waiting: its times are not kept.
if [ -n "${WAYMARK_TEST_TIMES:-}" ] && [ "${#failed[@]}" -eq 0 ]; then
  node scripts/test-lanes.ts --record "$reports"/*.times.json &&
    echo "Wrote each file's time to test/times.json: commit it, and the lanes are dealt by it."
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "Tests failed in lane ${failed[*]} of $lanes: see that lane's report above." >&2
  exit 1
fi

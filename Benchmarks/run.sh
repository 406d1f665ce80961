#!/usr/bin/env bash
# Benchmarks/run.sh — builds the release `sluice` and runs the shared benchmark scripts on Sluice
# and its peers (node --jitless, Duktape, mujs) in one interleaved run, so all see the same load.
#
#   Benchmarks/run.sh                      # all scripts, RUNS=5 measured runs each
#   RUNS=3 BENCHES="fib loop" Benchmarks/run.sh
#   Benchmarks/run.sh --no-build           # reuse .build/release/sluice
#   Benchmarks/run.sh --table              # also print the ratio table (compare-table.py)
#
# Environment: RUNS, WARMUP, STARTUP_RUNS, BENCHES, TIMEOUT, OUT_DIR are passed to run-engines.sh.
# SLUICE_SHARED=/path/to/shared overrides where the shared folder is (default: ../shared next to
# the repository). The first engine (node-jitless) is the baseline for the ratios.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

build=1
table=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --table) table=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# The shared folder: a sibling of the repository, or $SLUICE_SHARED.
SHARED=""
for cand in "${SLUICE_SHARED:-}" "$ROOT/../shared" "$(dirname "$ROOT")/shared"; do
  if [ -n "$cand" ] && [ -x "$cand/bench/run-engines.sh" ]; then SHARED="$(cd "$cand" && pwd)"; break; fi
done
if [ -z "$SHARED" ]; then
  echo "run.sh: cannot find shared/bench/run-engines.sh; set SLUICE_SHARED=/path/to/shared" >&2
  exit 2
fi

# Peers: Duktape (duk) and mujs come from apt; node from the system.
missing=()
command -v duk  >/dev/null 2>&1 || missing+=(duktape)
command -v mujs >/dev/null 2>&1 || missing+=(mujs)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "run.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    echo "run.sh: continuing; run-engines.sh skips engines that are not installed" >&2
  fi
fi
command -v node >/dev/null 2>&1 || echo "run.sh: node not found; the node-jitless column will be skipped" >&2

if [ "$build" = 1 ]; then
  swift build -c release --product sluice >&2
fi
[ -x .build/release/sluice ] || { echo "run.sh: .build/release/sluice missing (build first)" >&2; exit 2; }

export OUT_DIR="${OUT_DIR:-$(mktemp -d -t sluice-bench-XXXXXX)}"
"$SHARED/bench/run-engines.sh" \
  "node-jitless=node --jitless --no-expose-wasm" \
  "sluice=$ROOT/.build/release/sluice run" \
  "duktape=duk" \
  "mujs=mujs"

if [ "$table" = 1 ]; then
  echo
  python3 "$ROOT/Benchmarks/compare-table.py" "$OUT_DIR/results.tsv"
fi

#!/usr/bin/env bash
# http-load.sh — Sluice against nginx + php-fpm + SQLite on loopback, the same work on both sides:
#   POST /weight/checkin  (logged-in visitor, JSON body -> validate -> write 3-4 CRM fields)
#        vs the anchor's php-post  (POST /weight.php: JSON -> validate -> upsert 3 fields)
#   GET  /dashboard       (logged-in visitor -> read 2 CRM fields -> render a template)
#        vs the anchor's php-get   (GET /weight.php: read 2 fields -> render a template)
#
# Steps: build .build/release/sluice (once); start `sluice serve Examples/fitness` on its own port
# with a fresh data folder; log VISITORS customers in (POST /login) and keep their session cookies;
# check one answer of each kind; warm up; REPEAT interleaved wrk runs per endpoint (same flags as
# the anchor); a MEM_SECONDS run under POST load sampling the server's RSS every MEM_INTERVAL s;
# stop Sluice; run ../shared/bench/http/run-php-anchor.sh (php-get php-post, opcache on) with the
# same wrk settings; print one markdown table. Stops exactly the processes it started, by PID.
#
# environment (defaults):
#   PORT=18090 (Sluice)  PHP_PORT=18080 (the anchor's nginx)
#   WRK_THREADS=2 WRK_CONNS=32 DURATION=10s WARMUP_DURATION=2s REPEAT=3   as the anchor
#   VISITORS=200          logged-in visitors the wrk scripts cycle through
#   MEM_SECONDS=60 MEM_INTERVAL=5   the memory run (0 skips it)
#   WORKERS=              `sluice serve --workers` (default: the server's own choice)
#   SITE=dir              the site folder to serve (default Examples/fitness; it must have the same
#                         /login, /weight/checkin and /dashboard pages, e.g. a copy with a candidate fix)
#   SLUICE_LOG=file       where the server's per-request log lines go: file (WORK/sluice.log) or null
#   SKIP_PHP=1            Sluice only (no anchor run; PHP columns show "-")
#   NO_BUILD=1            use the existing .build/release/sluice without `swift build`
#   SLUICE_SHARED=dir     the shared folder (default: ../shared next to the repository)
#   OUT_DIR=dir           also keep the table, raw wrk outputs, RSS samples and server log there
#   KEEP_WORK=1           keep the /tmp work dir
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SHARED="${SLUICE_SHARED:-$(cd "$REPO/.." && pwd)/shared}"
ANCHOR="$SHARED/bench/http/run-php-anchor.sh"
PORT="${PORT:-18090}"
PHP_PORT="${PHP_PORT:-18080}"
THREADS="${WRK_THREADS:-2}"
CONNS="${WRK_CONNS:-32}"
DURATION="${DURATION:-10s}"
WARM="${WARMUP_DURATION:-2s}"
REPEAT="${REPEAT:-3}"
VISITORS="${VISITORS:-200}"
MEM_SECONDS="${MEM_SECONDS:-60}"
MEM_INTERVAL="${MEM_INTERVAL:-5}"
WORKERS="${WORKERS:-}"
SLUICE_LOG="${SLUICE_LOG:-file}"
SKIP_PHP="${SKIP_PHP:-0}"
NO_BUILD="${NO_BUILD:-0}"
OUT_DIR="${OUT_DIR:-}"
KEEP_WORK="${KEEP_WORK:-0}"
BASE="http://127.0.0.1:${PORT}"
BIN="$REPO/.build/release/sluice"
SITE="$(cd "${SITE:-$REPO/Examples/fitness}" && pwd)"
BODY='{"weight":182,"unit":"lbs","notes":"ok"}'

log() { echo "[http-load] $*" >&2; }

# ---------------------------------------------------------------- 1. tools and the binary
for c in wrk curl; do
  command -v "$c" >/dev/null 2>&1 && continue
  [ "$(id -u)" = 0 ] || { log "$c is missing: apt-get install wrk curl"; exit 2; }
  log "installing wrk curl (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk curl >/dev/null
done
if [ "$SKIP_PHP" != 1 ] && [ ! -f "$ANCHOR" ]; then log "anchor script not found: $ANCHOR (set SLUICE_SHARED)"; exit 2; fi
if [ "$NO_BUILD" != 1 ] || [ ! -x "$BIN" ]; then
  log "building: swift build -c release --product sluice"
  (cd "$REPO" && swift build -c release --product sluice >&2)
fi
[ -x "$BIN" ] || { log "no binary at $BIN"; exit 2; }
if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then log "port ${PORT} is in use; set PORT"; exit 2; fi

WORK="$(mktemp -d /tmp/sluice-http-load.XXXXXX)"
mkdir -p "$WORK/data" "$WORK/wrk"
COOKIES="$WORK/cookies.txt"
RESULTS="$WORK/results.tsv"      # endpoint run rps p50 p99 non2xx errors server_cpu_ms_per_request
RSS="$WORK/rss.tsv"              # seconds rss_kib
CHECKS="$WORK/checks.txt"
: > "$RESULTS"; : > "$CHECKS"
case "$SLUICE_LOG" in
  file) SERVER_LOG="$WORK/sluice.log" ;;
  null) SERVER_LOG=/dev/null ;;
  *) log "SLUICE_LOG must be file or null"; exit 2 ;;
esac

# ---------------------------------------------------------------- 2. start / stop by PID
SLUICE_PID=""
LOAD_PID=""
stop_pid() {  # stop_pid PID NAME
  local pid="$1"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  log "stopped $2 (pid $pid)"
}
cleanup() {
  stop_pid "$LOAD_PID" wrk; LOAD_PID=""
  stop_pid "$SLUICE_PID" sluice; SLUICE_PID=""
  if [ -n "$OUT_DIR" ]; then
    mkdir -p "$OUT_DIR"
    cp -r "$WORK/wrk" "$OUT_DIR/wrk-raw" 2>/dev/null || true
    cp "$RESULTS" "$RSS" "$CHECKS" "$OUT_DIR/" 2>/dev/null || true
    [ -f "$WORK/sluice.log" ] && tail -n 200 "$WORK/sluice.log" > "$OUT_DIR/sluice-log-tail.txt"
    [ -f "$WORK/http-load.md" ] && cp "$WORK/http-load.md" "$OUT_DIR/"
  fi
  if [ "$KEEP_WORK" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

args=(serve "$SITE" --port "$PORT" --data "$WORK/data")
[ -n "$WORKERS" ] && args+=(--workers "$WORKERS")
"$BIN" "${args[@]}" > "$WORK/sluice.out" 2> "$SERVER_LOG" &
SLUICE_PID=$!
log "started sluice (pid $SLUICE_PID): $BIN ${args[*]}"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null --max-time 2 "$BASE/login" && break
  kill -0 "$SLUICE_PID" 2>/dev/null || { log "sluice exited"; cat "$WORK/sluice.out" >&2; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null --max-time 2 "$BASE/login" || { log "sluice did not answer on $BASE"; exit 1; }

# ---------------------------------------------------------------- 3. logged-in visitors, checks
log "logging in $VISITORS visitors"
for i in $(seq 1 "$VISITORS"); do
  head=$(curl -s -o /dev/null -D - -X POST --data "email=user$i@example.com&name=User+$i" "$BASE/login")
  cookie=$(printf '%s' "$head" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\(sluice_session=[^;]*\).*/\1/p' | head -1)
  [ -n "$cookie" ] || { log "login of user$i@example.com gave no session cookie:"; printf '%s\n' "$head" >&2; exit 1; }
  echo "$cookie" >> "$COOKIES"
done
[ "$(sort -u "$COOKIES" | wc -l)" = "$VISITORS" ] || { log "session cookies are not distinct"; exit 1; }

first_cookie=$(head -1 "$COOKIES")
post_answer=$(curl -s -w ' [%{http_code}]' -X POST -H 'Content-Type: application/json' -H "Cookie: $first_cookie" \
              --data "$BODY" "$BASE/weight/checkin")
bad_answer=$(curl -s -w ' [%{http_code}]' -X POST -H 'Content-Type: application/json' -H "Cookie: $first_cookie" \
             --data '{"weight":20,"unit":"stone"}' "$BASE/weight/checkin")
anon_answer=$(curl -s -w ' [%{http_code}]' -X POST -H 'Content-Type: application/json' --data "$BODY" "$BASE/weight/checkin")
dash_answer=$(curl -s -w ' [%{http_code}]' -H "Cookie: $first_cookie" "$BASE/dashboard" | tr -s ' \n' ' ')
{
  echo "POST /weight/checkin: $post_answer"
  echo "POST /weight/checkin invalid: $bad_answer"
  echo "POST /weight/checkin no session: $anon_answer"
  echo "GET /dashboard: $dash_answer"
} >> "$CHECKS"
cat "$CHECKS" >&2
case "$post_answer" in '{"ok":true'*' [200]') ;; *) log "POST /weight/checkin answered wrongly"; exit 1 ;; esac
case "$dash_answer" in *'Current weight: 182'*' [200]') ;; *) log "GET /dashboard answered wrongly"; exit 1 ;; esac

# ---------------------------------------------------------------- 4. measure
to_ms() {  # 512.00us | 1.20ms | 1.01s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SLUICE_PID/stat"; }   # utime + stime of the server
script_for() { case "$1" in post) echo "$HERE/http/post-checkin.lua" ;; get) echo "$HERE/http/get-dashboard.lua" ;; esac; }

run_wrk() {  # run_wrk post|get RUN
  local f="$WORK/wrk/sluice-$1-$2.txt" t0 t1
  t0=$(cpu_ticks)
  COOKIES="$COOKIES" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$(script_for "$1")" "$BASE" > "$f" 2>&1 || true
  t1=$(cpu_ticks)
  local rps p50 p99 non2xx errs total cpu
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f"); non2xx=${non2xx:-0}
  errs=$(awk '/Socket errors:/ { sub(/.*Socket errors: */, ""); print }' "$f"); errs=${errs:-none}
  total=$(awk '/requests in/ { print $1 }' "$f")
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="${total:-0}" 'BEGIN { if (n > 0) printf "%.3f", 1000 * d / hz / n; else print "-" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${rps:-0}" "$p50" "$p99" "$non2xx" "$errs" "$cpu" >> "$RESULTS"
  log "  sluice $1 run $2: ${rps:-?} req/s, p50 $p50 ms, p99 $p99 ms, non-2xx $non2xx, socket errors: $errs, server CPU $cpu ms/request"
}

log "warm-up ($WARM per endpoint)"
for e in post get; do
  COOKIES="$COOKIES" wrk -t"$THREADS" -c"$CONNS" -d"$WARM" -s "$(script_for "$e")" "$BASE" > "$WORK/wrk/warmup-$e.txt" 2>&1 || true
done
for r in $(seq 1 "$REPEAT"); do
  for e in post get; do run_wrk "$e" "$r"; done
done

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SLUICE_PID/status"; }
: > "$RSS"
if [ "$MEM_SECONDS" -gt 0 ]; then
  log "memory run: POST load for ${MEM_SECONDS}s, RSS every ${MEM_INTERVAL}s"
  printf '0\t%s\n' "$(rss_kib)" >> "$RSS"      # after the measured runs, before this load
  COOKIES="$COOKIES" wrk -t"$THREADS" -c"$CONNS" -d"${MEM_SECONDS}s" --latency -s "$(script_for post)" "$BASE" \
    > "$WORK/wrk/sluice-memory-post.txt" 2>&1 &
  LOAD_PID=$!
  start=$(date +%s.%N)
  for t in $(seq "$MEM_INTERVAL" "$MEM_INTERVAL" "$MEM_SECONDS"); do
    sleep "$(awk -v s="$start" -v t="$t" -v now="$(date +%s.%N)" 'BEGIN { d = s + t - now; print (d > 0 ? d : 0) }')"
    printf '%s\t%s\n' "$t" "$(rss_kib)" >> "$RSS"
  done
  wait "$LOAD_PID" 2>/dev/null || true
  LOAD_PID=""
  mem_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SLUICE_PID/status")
  mem_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk/sluice-memory-post.txt")
  mem_non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk/sluice-memory-post.txt"); mem_non2xx=${mem_non2xx:-0}
  log "  RSS (s, KiB): $(awk '{ printf "%s:%s ", $1, $2 }' "$RSS")"
fi
server_errors=$(grep -c -i 'error' "$WORK/sluice.log" 2>/dev/null || true)
stop_pid "$SLUICE_PID" sluice; SLUICE_PID=""

# ---------------------------------------------------------------- 5. the PHP anchor, same session
PHP_RESULTS="$WORK/php/results.tsv"   # scenario opcache run rps p50 p99 non2xx errors
if [ "$SKIP_PHP" != 1 ]; then
  log "PHP anchor: $ANCHOR"
  SCENARIOS="php-get php-post" OPCACHE_MODES=on PORT="$PHP_PORT" REPEAT="$REPEAT" DURATION="$DURATION" \
    WARMUP_DURATION="$WARM" WRK_THREADS="$THREADS" WRK_CONNS="$CONNS" OUT_DIR="$WORK/php" \
    bash "$ANCHOR" > "$WORK/php-anchor-stdout.md" || { log "the PHP anchor failed"; exit 1; }
fi

# ---------------------------------------------------------------- 6. report
col() {  # col FILE KEYCOL KEY VALUECOL -> median of VALUECOL over rows whose KEYCOL is KEY
  [ -f "$1" ] || { echo -; return; }
  awk -F'\t' -v k="$2" -v key="$3" -v c="$4" '$k == key { print $c }' "$1" | median
}
sum_col() { [ -f "$1" ] || { echo -; return; }; awk -F'\t' -v k="$2" -v key="$3" -v c="$4" '$k == key { t += $c } END { print t + 0 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f×", a / b; else print "-" }'; }
{
  echo "### Sluice vs nginx + php-fpm + SQLite (wrk -t$THREADS -c$CONNS -d$DURATION --latency, median of $REPEAT runs, loopback)"
  echo
  echo "| endpoint | Sluice req/s | PHP req/s | ratio | Sluice p99 ms | PHP p99 ms | Sluice p50 ms | PHP p50 ms | non-2xx Sluice / PHP | Sluice server CPU ms/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for e in post get; do
    case "$e" in post) name="POST /weight/checkin"; php=php-post ;; get) name="GET /dashboard"; php=php-get ;; esac
    s_rps=$(col "$RESULTS" 1 "$e" 3); p_rps=$(col "$PHP_RESULTS" 1 "$php" 4)
    printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$name" "$s_rps" \
      "$(awk -v v="$p_rps" 'BEGIN { if (v == "-") print "-"; else printf "%.0f", v }')" "$(ratio "$s_rps" "$p_rps")" \
      "$(col "$RESULTS" 1 "$e" 5)" "$(col "$PHP_RESULTS" 1 "$php" 6)" \
      "$(col "$RESULTS" 1 "$e" 4)" "$(col "$PHP_RESULTS" 1 "$php" 5)" \
      "$(sum_col "$RESULTS" 1 "$e" 6)" "$(sum_col "$PHP_RESULTS" 1 "$php" 7)" "$(col "$RESULTS" 1 "$e" 8)"
  done
  echo
  echo "PHP: the anchor's php-post / php-get (opcache on, php-fpm pm=static 4 children). Per run:"
  echo
  echo '```'
  awk -F'\t' '{ printf "sluice %-4s run %s: %8s req/s  p50 %s ms  p99 %s ms  non-2xx %s  socket errors: %s  server CPU %s ms/req\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$RESULTS"
  [ -f "$PHP_RESULTS" ] && awk -F'\t' '{ printf "%-11s run %s: %8s req/s  p50 %s ms  p99 %s ms  non-2xx %s  socket errors: %s\n", $1, $3, $4, $5, $6, $7, $8 }' "$PHP_RESULTS"
  echo '```'
  if [ -s "$RSS" ]; then
    echo
    echo "Memory (server RSS under POST load for ${MEM_SECONDS}s, ${mem_rps:-?} req/s, non-2xx ${mem_non2xx:-?}):"
    awk -v hwm="${mem_hwm:-0}" '{ t[NR] = $1; v[NR] = $2; if ($2 > max) max = $2 }
      END { printf "before load %.1f MiB; first sample (%ss) %.1f MiB; last (%ss) %.1f MiB; max %.1f MiB; last - first %+.1f MiB; VmHWM %.1f MiB\n",
                   v[1] / 1024, t[2], v[2] / 1024, t[NR], v[NR] / 1024, max / 1024, (v[NR] - v[2]) / 1024, hwm / 1024
            printf "samples (s:MiB):"; for (i = 1; i <= NR; i++) printf " %s:%.1f", t[i], v[i] / 1024; printf "\n" }' "$RSS"
  fi
  echo
  echo "Sluice: $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?'), site $SITE, $VISITORS logged-in visitors, server log: $SLUICE_LOG, workers: ${WORKERS:-default}, lines mentioning 'error' in the server log: ${server_errors:-0}; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(nproc) CPUs; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Functional checks (one request each, before measuring):"
  echo
  echo '```'
  cut -c1-300 "$CHECKS"
  [ -f "$WORK/php-anchor-stdout.md" ] && sed -n '/^opcache=/p' "$WORK/php-anchor-stdout.md" | cut -c1-300
  echo '```'
} > "$WORK/http-load.md"
cat "$WORK/http-load.md"

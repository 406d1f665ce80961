#!/usr/bin/env bash
# Regenerates Corpus/*.expected with node (the reference engine), never with Sluice.
#   Tests/ConformanceTests/update-expected.sh [NAME...]
# For scripts with a NAME.error file, it also checks that node ends with that error
# ("Name: message", or just "Name" when the message is engine-specific).
set -euo pipefail
cd "$(dirname "$0")/Corpus"
command -v node >/dev/null || { echo "node is needed (apt-get install nodejs)" >&2; exit 2; }
names=("$@")
if [ ${#names[@]} -eq 0 ]; then for f in *.js; do names+=("${f%.js}"); done; fi
status=0
for n in "${names[@]}"; do
  # Run as a CommonJS module (a function body, like `sluice run`), catching what escapes.
  actual_error=$(TZ=UTC node -e '
    try { require(require("path").resolve(process.argv[1])); }
    catch (e) { process.stderr.write((e && e.name) + ": " + (e && e.message) + "\n"); process.exit(1); }
  ' "$n.js" 2>&1 >"$n.expected" || true)
  if [ -f "$n.error" ]; then
    want=$(head -n1 "$n.error")
    case "$want" in
      *:*) [ "$actual_error" = "$want" ] || { echo "$n: node ended with '$actual_error', $n.error says '$want'" >&2; status=1; } ;;
      *)   [ "${actual_error%%:*}" = "$want" ] || { echo "$n: node ended with '$actual_error', $n.error says '$want'" >&2; status=1; } ;;
    esac
  elif [ -n "$actual_error" ]; then
    echo "$n: node failed: $actual_error" >&2; status=1
  fi
done
exit $status

#!/usr/bin/env bash
# Times a new user's first set-up: clones the repository at REV (default
# HEAD) into a temporary folder and runs the two commands of that
# revision's README ("## Two commands") one after the other, from an empty
# target/, printing each one's wall time and the size of target/ after it.
#
#   scripts/setup-times.sh            # this checkout's HEAD
#   scripts/setup-times.sh fb5a6a9    # an earlier revision, for "before"
#   KEEP=1 scripts/setup-times.sh     # keep the clone (its path is printed)
#
# Run it on an idle machine: other builds running at the same time make the
# figures meaningless. The browser suite runs if this checkout has
# node_modules/ (it is linked into the clone), as after `npm ci`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-HEAD}"
work="$(mktemp -d "${TMPDIR:-/tmp}/plansite-setup.XXXXXX")"
if [ -z "${KEEP:-}" ]; then
  trap 'rm -rf "$work"' EXIT
fi
git clone --quiet --no-local "$repo" "$work/plansite"
cd "$work/plansite"
git checkout --quiet "$rev"
if [ -d "$repo/node_modules" ]; then
  ln -s "$repo/node_modules" node_modules
  browser="with node_modules (the browser suite runs)"
else
  browser="without node_modules (the browser suite is skipped)"
fi
# A fresh target/ inside the clone, whatever the caller's environment says.
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR CI
export CARGO_TERM_COLOR=never

# The README's set-up commands: the lines of the first code block after
# "## Two commands", without their comments.
mapfile -t commands < <(awk '
  /^## Two commands/ { section = 1; next }
  section && /^```/ { if (inside) exit; inside = 1; next }
  section && inside { sub(/[[:space:]]+#.*/, ""); if (length($0)) print }
' README.md)
if [ "${#commands[@]}" -eq 0 ]; then
  echo "no commands found under '## Two commands' in README.md at $rev" >&2
  exit 1
fi

echo "plansite $(git rev-parse --short HEAD), $(cargo --version), $(nproc) cores, $browser"
echo "clone: $work/plansite"
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
status=0
for command in "${commands[@]}"; do
  log="$work/$(echo "$command" | tr -c 'a-z0-9' '-' | head -c 40).log"
  echo
  echo "\$ $command    (load average before: $(load))"
  start=$(date +%s.%N)
  if bash -c "$command" >"$log" 2>&1; then result=ok; else result="FAILED (exit $?)"; status=1; fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v r="$result" 'BEGIN { printf "  %s in %.0f s (%.1f min)\n", r, e - s, (e - s) / 60 }'
  echo "  target/: $(du -sh target | cut -f1)"
  awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^(passed|failed|ignored);?$/) n[$(i + 1)] += $i; runs++ }
       END { if (runs) printf "  tests: %d binaries, %d passed, %d failed, %d ignored\n", runs, n["passed;"], n["failed;"], n["ignored;"] }' "$log"
  [ "$result" = ok ] || tail -n 20 "$log"
done
exit "$status"

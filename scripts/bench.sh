#!/usr/bin/env bash
# Times `plansite build` on synthetic sites of several sizes, then compares
# the build with the machine's file-writing floor and with Hugo on one size
# (see docs/benchmark.md).
#
#   scripts/bench.sh                 # 5,000, 20,000 and 50,000 tasks; comparisons at 20,000
#   scripts/bench.sh 20000 200000    # sizes of your choice (tasks)
#
# The table: pages, build seconds (a fresh output), peak memory (MB and KB
# per task), a rebuild over an unchanged output, and serve's one-task
# rebuild (median of 7 edits).
#
# The comparison (BENCH_COMPARE tasks, default 20,000, if among the sizes):
# BENCH_ROUNDS rounds (default 5) of, in turn, a fresh `plansite build`, a
# `cp -r` of its output (the kernel creating the same files, the floor) and,
# when `hugo` is installed, Hugo on the same plans, tasks and agencies
# (scripts/hugo-site.py). Medians and the ratios are printed.
#
# Output goes to tmpfs (/dev/shm) by default so the figures measure the
# programs, not the disk; set BENCH_OUT=/some/disk/dir to include the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin plansite --example synth --example incremental
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/plansite
synth=$target/release/examples/synth
incremental=$target/release/examples/incremental
work=${BENCH_WORK:-$(mktemp -d)}
out_base=${BENCH_OUT:-/dev/shm/plansite-bench}
compare=${BENCH_COMPARE:-20000}
rounds=${BENCH_ROUNDS:-5}
per_plan=100
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 20000 50000)

# Seconds and peak KB of a command, as "secs kb".
timed() { local t; t=$(mktemp); /usr/bin/time -o "$t" -f '%e %M' "$@" >/dev/null 2>&1; cat "$t"; rm -f "$t"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
clean() { rm -rf "$1" "$(dirname "$1")/.$(basename "$1")".*; }

printf '%8s %8s %9s %9s %8s %8s %10s %8s\n' tasks pages build_s pages/s peak_MB KB/task rebuild_s edit_ms
for tasks in "${sizes[@]}"; do
  plans=$(( (tasks + per_plan - 1) / per_plan ))
  root="$work/synth-$tasks"
  out="$out_base-$tasks"
  [ -d "$root/content" ] || "$synth" --plans "$plans" --tasks-per-plan "$per_plan" --out "$root" >/dev/null 2>&1
  clean "$out"
  read -r secs kb <<<"$(timed "$bin" build --root "$root" --out "$out" --quiet)"
  read -r secs2 _ <<<"$(timed "$bin" build --root "$root" --out "$out" --quiet)"
  pages=$(find "$out" -name '*.html' | wc -l)
  if [ "$tasks" = "$compare" ]; then
    # Keep this size's output for the comparison below.
    cp -r "$out" "$work/output-$tasks"
  fi
  clean "$out"
  edit=$("$incremental" --root "$root" --out "$out" --edits 7 | awk '/median/ { print $4 }')
  clean "$out"
  awk -v t="$tasks" -v p="$pages" -v s="$secs" -v k="$kb" -v s2="$secs2" -v e="$edit" \
    'BEGIN { printf "%8d %8d %9.2f %9.0f %8.0f %8.1f %10.2f %8.0f\n", t, p, s, p / s, k / 1024, k / t, s2, e }'
done

[ -d "$work/output-$compare" ] || exit 0
root="$work/synth-$compare"
out="$out_base-$compare"
hugo_dir="$work/hugo-$compare"
have_hugo=false
if command -v hugo >/dev/null && command -v python3 >/dev/null; then
  python3 scripts/hugo-site.py "$work/output-$compare" "$hugo_dir"
  have_hugo=true
fi
rm -rf "$work/output-$compare"
# One untimed round first: on a VM, memory the guest has never touched is
# slow to fault in (the host backs it then), and `cp -r`, all kernel work,
# ran 2-3x slower on a fresh machine than a few builds later.
clean "$out"
"$bin" build --root "$root" --out "$out" --quiet
clean "$out.copy"
cp -r "$out" "$out.copy"
clean "$out.copy"
echo
echo "comparison at $compare tasks, $rounds rounds in turn after one untimed round (seconds):"
: >"$work/plansite.s"; : >"$work/cp.s"; : >"$work/hugo.s"
for round in $(seq "$rounds"); do
  clean "$out"
  read -r s _ <<<"$(timed "$bin" build --root "$root" --out "$out" --quiet)"
  echo "$s" >>"$work/plansite.s"
  clean "$out.copy"
  read -r c _ <<<"$(timed cp -r "$out" "$out.copy")"
  echo "$c" >>"$work/cp.s"
  clean "$out.copy"
  clean "$out"
  line="round $round: plansite $s, cp -r $c"
  if $have_hugo; then
    rm -rf "$out.hugo"
    read -r h _ <<<"$(timed hugo --quiet -s "$hugo_dir" -d "$out.hugo")"
    echo "$h" >>"$work/hugo.s"
    rm -rf "$out.hugo"
    line="$line, hugo $h"
  fi
  echo "  $line"
done
p=$(median <"$work/plansite.s")
c=$(median <"$work/cp.s")
range() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
awk -v p="$p" -v c="$c" -v pr="$(range "$work/plansite.s")" -v cr="$(range "$work/cp.s")" \
  'BEGIN { printf "median: plansite %.2f s (%s), cp -r of its output %.2f s (%s): build / cp -r = %.2f\n", p, pr, c, cr, p / c }'
if $have_hugo; then
  h=$(median <"$work/hugo.s")
  awk -v p="$p" -v h="$h" 'BEGIN { printf "median: hugo %.2f s: hugo / plansite = %.2f\n", h, h / p }'
else
  echo "hugo is not installed (apt-get install hugo): no Hugo comparison"
fi

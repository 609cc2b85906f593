#!/usr/bin/env bash
# Times `plansite build` on synthetic sites of several sizes and prints pages
# per second and peak memory (see docs/benchmark.md).
#
#   scripts/bench.sh                 # 5,000, 10,000 and 20,000 tasks
#   scripts/bench.sh 20000 40000     # sizes of your choice (tasks)
#
# Output goes to tmpfs (/dev/shm) by default so the figures measure plansite,
# not the disk; set BENCH_OUT=/some/disk/dir to include the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin plansite --example synth --example incremental
bin=target/release/plansite
synth=target/release/examples/synth
incremental=target/release/examples/incremental
work=${BENCH_WORK:-$(mktemp -d)}
out_base=${BENCH_OUT:-/dev/shm/plansite-bench}
per_plan=200
printf '%8s %8s %10s %10s %9s %12s %10s\n' tasks pages build_s pages/s peak_MB rebuild_s edit_ms
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000 20000)
for tasks in "${sizes[@]}"; do
  plans=$(( (tasks + per_plan - 1) / per_plan ))
  root="$work/synth-$tasks"
  out="$out_base-$tasks"
  "$synth" --plans "$plans" --tasks-per-plan "$per_plan" --out "$root" 2>/dev/null
  rm -rf "$out" "$(dirname "$out")/.$(basename "$out").old" "$(dirname "$out")/.$(basename "$out").staging"
  first=$( { /usr/bin/time -f '%e %M' "$bin" build --root "$root" --out "$out" --quiet; } 2>&1 | tail -n 1 )
  again=$( { /usr/bin/time -f '%e %M' "$bin" build --root "$root" --out "$out" --quiet; } 2>&1 | tail -n 1 )
  pages=$(find "$out" -name '*.html' | wc -l)
  read -r secs kb <<<"$first"
  read -r secs2 _ <<<"$again"
  # serve's rebuild after a one-task edit: the median of 7 edits.
  rm -rf "$out"
  edit=$("$incremental" --root "$root" --out "$out" --edits 7 | awk '/median/ { print $4 }')
  awk -v t="$tasks" -v p="$pages" -v s="$secs" -v k="$kb" -v s2="$secs2" -v e="$edit" \
    'BEGIN { printf "%8d %8d %10.2f %10.0f %9.0f %12.2f %10.0f\n", t, p, s, p / s, k / 1024, s2, e }'
  rm -rf "$out"
done

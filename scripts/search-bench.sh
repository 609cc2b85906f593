#!/usr/bin/env bash
# Measures the search index (see docs/search.md, "Measuring"): its size and
# build time, and the bytes a first query downloads, on the five-plan site
# in content/ and on a synthetic site of 20,000 tasks.
#
#   scripts/search-bench.sh              # content/ and 20,000 synthetic tasks
#   scripts/search-bench.sh 5000 40000   # other synthetic sizes (tasks)
#
# First-query bytes: every query of tests/search/queries.json runs through
# the published client under Node with a fresh cache (tests/search/run.mjs),
# counting the client, the stemmer for English, and every index file read.
# Output goes to tmpfs (/dev/shm) unless BENCH_OUT is set.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin plansite --example synth
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/plansite
work=${BENCH_WORK:-$(mktemp -d)}
out_base=${BENCH_OUT:-/dev/shm/plansite-search-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000)

measure() { # name root out
  local name=$1 root=$2 out=$3
  rm -rf "$out"
  local log
  log=$("$bin" build --root "$root" --out "$out" 2>&1)
  local index_ms build_s
  index_ms=$(sed -n 's/^ *search .*(\([0-9]*\) ms)$/\1/p' <<<"$log")
  build_s=$(sed -n 's/^built .* in \([0-9.]*\) s$/\1/p' <<<"$log")
  local files bytes
  files=$(find "$out/search" -type f | wc -l)
  bytes=$(find "$out/search" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  node tests/search/run.mjs "$out" tests/search/queries.json | node -e '
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
    const b = lines.map((l) => JSON.parse(l).bytes / 1024).sort((x, y) => x - y);
    const [name, files, bytes, ms, secs] = process.argv.slice(1);
    const mean = b.reduce((s, x) => s + x, 0) / b.length;
    console.log(name.padEnd(22), files.padStart(8), (bytes / 1e6).toFixed(1).padStart(10), ms.padStart(9),
      Number(secs).toFixed(2).padStart(8), mean.toFixed(1).padStart(9), b[(b.length - 1) >> 1].toFixed(1).padStart(9),
      b[b.length - 1].toFixed(1).padStart(9));
  ' "$name" "$files" "$bytes" "$index_ms" "$build_s"
}

printf '%-22s %8s %10s %9s %8s %9s %9s %9s\n' site files index_MB index_ms build_s mean_KB median_KB max_KB
site="$work/content-site"
rm -rf "$site"
mkdir -p "$site"
cp -r content themes seeds "$site/"
measure "content/ (5 plans)" "$site" "$out_base-content"
for tasks in "${sizes[@]}"; do
  plans=$(( (tasks + 199) / 200 ))
  root="$work/synth-$tasks"
  "$target"/release/examples/synth --plans "$plans" --tasks-per-plan 200 --out "$root" 2>/dev/null
  measure "synthetic $tasks tasks" "$root" "$out_base-$tasks"
  rm -rf "$out_base-$tasks"
done
rm -rf "$out_base-content"

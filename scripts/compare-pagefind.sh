#!/usr/bin/env bash
# Compares plansite's search with Pagefind 1.6 on the same built site (see
# docs/search.md, "Against Pagefind"). Not part of `cargo test`.
#
#   scripts/compare-pagefind.sh                  # the site in content/
#   scripts/compare-pagefind.sh /tmp/synth       # any plansite site root
#
# Needs Node, Chromium (PLANSITE_CHROMIUM, else /usr/bin/chromium) and
# Pagefind 1.6 (PAGEFIND, else `pagefind` on PATH):
#   cargo install pagefind --version '~1.6' --locked
# Builds the site, indexes it with Pagefind as Pagefind indexes any site
# (every page's <body>), and runs tests/search/queries.json through both in
# headless Chromium: is the expected page in the top 5, and how many bytes
# does a first query download. JSON details: COMPARE_JSON=/path/out.json.
set -euo pipefail
cd "$(dirname "$0")/.."
pagefind=${PAGEFIND:-$(command -v pagefind || true)}
if [ -z "$pagefind" ] || [ ! -x "$pagefind" ]; then
  echo "pagefind not found: cargo install pagefind --version '~1.6' --locked, or set PAGEFIND" >&2
  exit 1
fi
"$pagefind" --version
cargo build --release --quiet --bin plansite
root=${1:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${CARGO_TARGET_DIR:-target}"/release/plansite build --root "$root" --out "$work/site" --quiet
start=$(date +%s%N)
"$pagefind" --site "$work/site" >/dev/null
seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "pagefind indexed in $seconds s: $(du -sb "$work/site/pagefind" | cut -f1) bytes," \
  "$(find "$work/site/pagefind" -type f | wc -l) files; plansite: $(du -sb "$work/site/search" | cut -f1) bytes," \
  "$(find "$work/site/search" -type f | wc -l) files"
node scripts/compare-pagefind.mjs --site "$work/site" --queries tests/search/queries.json \
  ${COMPARE_JSON:+--json "$COMPARE_JSON"}

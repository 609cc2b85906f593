// Scores the search on the committed query set (tests/search/queries.json):
// success@1 and success@3 (the expected page first / in the first three),
// the mean reciprocal rank over the top 10, and whether every query marked
// `empty` (nonsense) finds nothing; per class and overall.
//
//   node scripts/search-quality.mjs PUBLIC_DIR [QUERIES_JSON] [--cli PLANSITE]
//
// It runs the published browser client (tests/search/run.mjs), which the
// tests prove gives the same top 10 as `plansite search`; with --cli, the
// given plansite binary instead.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const cliAt = args.indexOf("--cli");
const cli = cliAt >= 0 ? args.splice(cliAt, 2)[1] : null;
const [publicDir, queriesPath = join(repo, "tests/search/queries.json")] = args;
if (!publicDir) {
  console.error("usage: node scripts/search-quality.mjs PUBLIC_DIR [QUERIES_JSON]");
  process.exit(2);
}
const { queries } = JSON.parse(readFileSync(queriesPath, "utf8"));
const run = (cmd, argv) => execFileSync(cmd, argv, { maxBuffer: 1 << 28, encoding: "utf8" });
const lines = cli
  ? queries.map((q) => {
      const argv = ["search", q.q.repeat(q.repeat ?? 1), "--out", publicDir, "--json", "--lang", q.lang ?? "vi"];
      for (const [k, v] of Object.entries(q.filters ?? {})) argv.push(`--${k}`, String(v));
      // The CLI refuses an unknown --plan or --agency (the client finds nothing).
      try {
        return { hits: JSON.parse(run(cli, argv)) };
      } catch {
        return { hits: [] };
      }
    })
  : run("node", [join(repo, "tests/search/run.mjs"), publicDir, queriesPath])
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
const classes = new Map();
const add = (name, row) => {
  if (!classes.has(name)) classes.set(name, []);
  classes.get(name).push(row);
};
const misses = [];
for (const [k, q] of queries.entries()) {
  const hits = lines[k].hits;
  const cls = q.kind.replace(/ \(.*\)$/, "").replace(/:.*$/, "");
  if (q.expect) {
    const rank = hits.findIndex((h) => h.url === q.expect) + 1;
    const row = { at1: rank === 1, at3: rank >= 1 && rank <= 3, rr: rank ? 1 / rank : 0 };
    add(cls, row);
    add("all with an expected page", row);
    if (rank !== 1) misses.push(`${q.id} (${JSON.stringify(q.q)}): rank ${rank || "-"}, first ${hits[0]?.url ?? "nothing"}`);
  } else if (q.empty) {
    const row = { empty: hits.length === 0 };
    add(cls, row);
    if (hits.length) misses.push(`${q.id} (${JSON.stringify(q.q)}): ${hits.length} results, first ${hits[0].url}`);
  }
}
const pct = (rows, f) => `${((100 * rows.filter(f).length) / rows.length).toFixed(0)}%`.padStart(5);
console.log(`${"class".padEnd(28)} ${"n".padStart(3)}  s@1   s@3    MRR  empty`);
for (const [name, rows] of classes) {
  const ranked = rows.filter((r) => r.rr !== undefined);
  const empty = rows.filter((r) => r.empty !== undefined);
  const mrr = ranked.length ? (ranked.reduce((s, r) => s + r.rr, 0) / ranked.length).toFixed(3) : "";
  console.log(
    `${name.padEnd(28)} ${String(rows.length).padStart(3)} ${ranked.length ? pct(ranked, (r) => r.at1) : "     "} ${
      ranked.length ? pct(ranked, (r) => r.at3) : "     "
    } ${mrr.padStart(6)} ${empty.length ? pct(empty, (r) => r.empty) : ""}`,
  );
}
if (misses.length) console.log(`\nnot first:\n  ${misses.join("\n  ")}`);

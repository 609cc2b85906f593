// Runs the committed query set against plansite's search and Pagefind on
// the same built site, in headless Chromium, and reports for each engine
// whether the expected page is in the top 5 and the bytes a first query
// downloads. Called by scripts/compare-pagefind.sh; see docs/search.md.
//
//   node scripts/compare-pagefind.mjs --site DIR --queries FILE [--chromium PATH] [--json OUT]
//
// DIR is a site built by plansite with Pagefind's index in DIR/pagefind/.
// Every query runs in a fresh tab with the cache off, from the site's home
// page, so each one pays for everything it needs, as a first query does.

import { createServer } from "node:http";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join, extname } from "node:path";
import { gzipSync } from "node:zlib";
import { launch } from "../tests/search/cdp.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const site = args.site;
const chromium = args.chromium ?? process.env.PLANSITE_CHROMIUM ?? "/usr/bin/chromium";
if (!site || !args.queries) {
  console.error("usage: node scripts/compare-pagefind.mjs --site DIR --queries FILE [--chromium PATH] [--json OUT]");
  process.exit(2);
}
const { queries } = JSON.parse(await readFile(args.queries, "utf8"));

// A static server that counts what it sends: body bytes, and what they
// would be gzipped (what a compressing server would send).
let served = [];
const gzipped = new Map();
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".css": "text/css", ".wasm": "application/wasm" };
const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.split("/").includes("..")) return res.writeHead(400).end();
  let file = join(site, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }).length);
    served.push({ path, bytes: body.length, gzip: gzipped.get(file) });
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const engines = {
  plansite: (q, options) => `(async () => {
    const m = await import("/search/plansite-search.mjs");
    const hits = await m.createSearch({ base: "/search/" }).search(${JSON.stringify(q)}, ${JSON.stringify(options)});
    return hits.map((h) => h.url);
  })()`,
  // Pagefind has no filters for this site: its queries run unfiltered.
  pagefind: (q) => `(async () => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.options({});
    const r = await pf.search(${JSON.stringify(q)});
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return data.map((d) => d.url);
  })()`,
};

const browser = launch(chromium);
const rows = [];
try {
  for (const item of queries) {
    const query = item.q.repeat(item.repeat ?? 1);
    const lang = item.lang ?? "vi";
    const row = { id: item.id, q: item.q.length > 40 ? `${item.q.slice(0, 37)}…` : item.q, lang, expect: item.expect ?? null };
    for (const [name, script] of Object.entries(engines)) {
      const page = await browser.newPage();
      await page.goto(`${base}/${lang}/`);
      served = [];
      let urls;
      try {
        urls = await page.evaluate(script(query, { lang, limit: 10, ...(item.filters ?? {}) }));
      } catch (e) {
        urls = [];
        row[`${name}_error`] = String(e.message ?? e).slice(0, 200);
      }
      await page.close();
      const path = (u) => new URL(u, base).pathname;
      row[name] = {
        top: urls.slice(0, 5).map(path),
        rank: item.expect ? urls.map(path).indexOf(item.expect) + 1 || null : null,
        bytes: served.reduce((s, f) => s + f.bytes, 0),
        gzip: served.reduce((s, f) => s + f.gzip, 0),
        files: served.length,
      };
    }
    rows.push(row);
    const cell = (r) => `${r.rank ?? "-"}`.padStart(4) + `${(r.bytes / 1024).toFixed(1)} KB`.padStart(11);
    console.log(`${row.id.padEnd(18)} plansite ${cell(row.plansite)}   pagefind ${cell(row.pagefind)}`);
  }
} finally {
  await browser.close();
  server.close();
}

// Relevance counts only queries whose expected page exists on this site.
const judged = [];
for (const r of rows.filter((r) => r.expect)) {
  try {
    await stat(join(site, r.expect, "index.html"));
    judged.push(r);
  } catch {
    // A page of another site (the query set is written for the real content).
  }
}
const stats = (name) => {
  const bytes = rows.map((r) => r[name].bytes).sort((a, b) => a - b);
  const gz = rows.map((r) => r[name].gzip);
  return {
    top5: judged.filter((r) => r[name].rank && r[name].rank <= 5).length,
    at1: judged.filter((r) => r[name].rank === 1).length,
    at3: judged.filter((r) => r[name].rank && r[name].rank <= 3).length,
    // Reciprocal rank within the five results the comparison reads.
    mrr: judged.reduce((sum, r) => sum + (r[name].rank && r[name].rank <= 5 ? 1 / r[name].rank : 0), 0) / Math.max(1, judged.length),
    judged: judged.length,
    mean_kb: bytes.reduce((a, b) => a + b, 0) / bytes.length / 1024,
    median_kb: bytes[Math.floor(bytes.length / 2)] / 1024,
    max_kb: bytes[bytes.length - 1] / 1024,
    mean_gzip_kb: gz.reduce((a, b) => a + b, 0) / gz.length / 1024,
  };
};
const summary = { plansite: stats("plansite"), pagefind: stats("pagefind") };
console.log("\nengine     top-5 hits  first  top-3  MRR@5   mean KB  median KB   max KB  mean KB gzipped");
for (const [name, s] of Object.entries(summary)) {
  console.log(
    `${name.padEnd(10)} ${`${s.top5}/${s.judged}`.padStart(10)} ${String(s.at1).padStart(6)} ${String(s.at3).padStart(6)} ${s.mrr.toFixed(3).padStart(6)} ${s.mean_kb.toFixed(1).padStart(9)} ${s.median_kb.toFixed(1).padStart(10)} ${s.max_kb.toFixed(1).padStart(8)} ${s.mean_gzip_kb.toFixed(1).padStart(16)}`,
  );
}
if (args.json) await writeFile(args.json, JSON.stringify({ summary, rows }, null, 1));

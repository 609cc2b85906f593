// Runs the committed query set through the browser client under Node, the
// way tests/search.rs runs it through `plansite search`, and prints one JSON
// line per query: the results and the bytes a fresh client downloaded.
//
//   node tests/search/run.mjs PUBLIC_DIR QUERIES_JSON [LIMIT]
//
// The client is the one the build published (PUBLIC_DIR/search/), reading
// files through a `fetch` that counts them.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [publicDir, queriesPath, limitArg] = process.argv.slice(2);
if (!publicDir || !queriesPath) {
  console.error("usage: node tests/search/run.mjs PUBLIC_DIR QUERIES_JSON [LIMIT]");
  process.exit(2);
}
const searchDir = join(publicDir, "search");
const { createSearch } = await import(pathToFileURL(join(searchDir, "plansite-search.mjs")).href);
const { queries } = JSON.parse(await readFile(queriesPath, "utf8"));

/** A fetch over the files of the index that records what it served. */
function fileFetch(log) {
  return async (url) => {
    try {
      const bytes = await readFile(join(searchDir, url));
      log.push([url, bytes.length]);
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { ok: true, status: 200, arrayBuffer: async () => buffer };
    } catch {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    }
  };
}

const clientBytes = (await readFile(join(searchDir, "plansite-search.mjs"))).length;
// English queries also import the stemmer module, and queries with an
// unknown word the tolerance module (not through `fetch`).
const stemmerBytes = (await readFile(join(searchDir, "plansite-stem.mjs"))).length;
const nearBytes = (await readFile(join(searchDir, "plansite-near.mjs"))).length;
for (const item of queries) {
  const query = item.q.repeat(item.repeat ?? 1);
  const log = [];
  const search = createSearch({ base: "", fetch: fileFetch(log) });
  const options = { lang: item.lang ?? "vi", limit: Number(limitArg ?? 10), ...(item.filters ?? {}) };
  const hits = await search.search(query, options);
  const fetched =
    log.reduce((sum, [, n]) => sum + n, 0) + (options.lang === "en" ? stemmerBytes : 0) + (hits.tolerance ? nearBytes : 0);
  console.log(JSON.stringify({ id: item.id, total: hits.total, hits, bytes: clientBytes + fetched, files: log }));
}

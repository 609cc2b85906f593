// Checks the browser client against the shared test vectors of
// docs/search.md, which tests/search.rs checks the Rust side against.
//
//   node tests/search/vectors.mjs PUBLIC_DIR tests/search/vectors.json
//   node tests/search/vectors.mjs PUBLIC_DIR STEMS_JSON   ({ words: { word: stem, … } })
//
// Uses the client the build published (PUBLIC_DIR/search/) and its folding
// table. Prints "vectors: N passed, M failed" (or "stems: …").

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [publicDir, vectorsPath] = process.argv.slice(2);
const dir = join(publicDir, "search");
const client = await import(pathToFileURL(join(dir, "plansite-search.mjs")).href);
const { stem, variant } = await import(pathToFileURL(join(dir, "plansite-stem.mjs")).href);
const table = client.foldTableOf(JSON.parse(await readFile(join(dir, "fold.json"), "utf8")));
const vectors = JSON.parse(await readFile(vectorsPath, "utf8"));

let passed = 0;
const failures = [];
function check(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) passed++;
  else failures.push(`${what}\n  expected ${e}\n  actual   ${a}`);
}
// `loose` in English: the British spelling, then the stem (as the client does).
const loose = (w) => stem(variant(w));
const stemOf = (lang) => (lang === "en" ? loose : null);
const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

if (vectors.words) {
  for (const [word, expected] of Object.entries(vectors.words)) check(`stem ${word}`, loose(word), expected);
  report("stems");
}

for (const v of vectors.analysis) {
  const words = client.tokens(v.text.normalize("NFC"), table, stemOf(v.lang));
  check(`analysis ${v.lang} ${JSON.stringify(v.text)}`, words.map((w) => [w.exact, w.folded, w.loose, w.joined]), v.words);
}
for (const v of vectors.queries) {
  const q = client.queryWords(v.query, table, stemOf(v.lang));
  check(`query ${v.lang} ${JSON.stringify(v.query)}`, { loose: q.words.map((w) => w.loose), prefix: q.prefix }, {
    loose: v.loose,
    prefix: v.prefix,
  });
}
for (const [word, expected] of vectors.stems) check(`stem ${word}`, loose(word), expected);
for (const v of vectors.postings) {
  const p = client.decodePostings(fromHex(v.bytes), v.df, v.impacts);
  check(`postings ${v.bytes}`, { docs: p.docs, impact: p.impacts }, { docs: v.docs, impact: v.impact });
}
for (const v of vectors.shards) {
  const entries = client.decodeShard(fromHex(v.bytes)).map((e) => {
    const out = { term: e.term, df: e.df, scale: e.scale };
    if (e.inline !== undefined) out.inline = hex(e.inline);
    if (e.file !== undefined) Object.assign(out, { file: e.file, offset: e.offset, len: e.len });
    if (e.alias !== undefined) out.alias = e.alias;
    if (e.head !== undefined) Object.assign(out, { headDf: e.headDf, head: e.head, tail: e.tail });
    return out;
  });
  check(`shard ${v.bytes.slice(0, 24)}…`, entries, v.entries);
}
for (const v of vectors.snippets) {
  const q = client.queryWords(v.query, table, stemOf(v.lang));
  check(`snippet ${JSON.stringify(v.query)}`, client.snippet(v.text.normalize("NFC"), v.lead ?? "", q, table, stemOf(v.lang)), v.snippet);
}
report("vectors");

function report(what) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`${what}: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

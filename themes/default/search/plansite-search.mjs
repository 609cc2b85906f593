// plansite search client: reads the static index that `plansite build`
// writes under search/ (format 1, specified in docs/search.md) and answers
// exactly as `plansite search` does. No dependencies; runs in browsers and
// in Node 20. Every step mirrors src/search/{analyzer,query}.rs. English queries
// also load plansite-stem.mjs, the stemmer, from beside this file.
//
//   import { createSearch } from "/search/plansite-search.mjs";
//   const s = createSearch({ base: "/search/" });
//   const hits = await s.search("dau tu", { lang: "vi", limit: 10 });
//   // hits: [{ url, title, kind, plan, agencies, state, snippet, score }], hits.total

const FORMAT = 1;
const MAX_QUERY_CHARS = 256;
const MAX_QUERY_WORDS = 12;
const MAX_TOKEN_BYTES = 40;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
const EXPANSIONS = 4;
const EXPANSION_SHARDS = 4;
const MIN_PREFIX_CHARS = 2;
const SNIPPET_WORDS = 24;
const SNIPPET_BEFORE = 4;
const WORD = 4;
const COMPLETION = 2;
const EXACT = 2;
const PHRASE = 4;

const WORD_RE = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
const SPACE_RE = /^\p{White_Space}+$/u;
const ASCII_RE = /^[\x00-\x7f]*$/;
const decoder = new TextDecoder();

// ---------------------------------------------------------------- analysis

/** UTF-8 length of a string. */
function utf8Length(s) {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0);
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Lowercases one character at a time, as tantivy's LowerCaser does. */
function lower(s) {
  if (ASCII_RE.test(s)) return s.toLowerCase();
  let out = "";
  for (const c of s) out += c.toLowerCase();
  return out;
}

/** The folding table from `fold.json` ({ replacement: characters }), by character. */
export function foldTableOf(grouped) {
  const table = new Map();
  for (const [to, chars] of Object.entries(grouped)) for (const c of chars) table.set(c, to);
  return table;
}

/** tantivy's ASCII folding, from the table the build exports. */
function foldWord(exact, table) {
  if (ASCII_RE.test(exact)) return exact;
  let out = "";
  for (const c of exact) out += c.charCodeAt(0) < 0x80 ? c : table.get(c) ?? c;
  return out;
}

/**
 * The words of an NFC text with their three forms (docs/search.md,
 * "Analysis"); `stem` is the English stemmer, or null in Vietnamese.
 */
export function tokens(text, table, stem) {
  const out = [];
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    if (utf8Length(raw) > MAX_TOKEN_BYTES) continue;
    const start = m.index;
    const end = start + raw.length;
    const exact = lower(raw);
    const folded = foldWord(exact, table);
    const loose = stem ? stem(folded) : folded;
    const prev = out[out.length - 1];
    const joined = prev !== undefined && SPACE_RE.test(text.slice(prev.end, start));
    out.push({ start, end, exact, folded, loose, joined });
  }
  return out;
}

/** A query's words, and whether its last word may still be being typed. */
export function queryWords(query, table, stem) {
  const cut = Array.from(String(query)).slice(0, MAX_QUERY_CHARS).join("");
  const text = cut.normalize("NFC");
  let words = tokens(text, table, stem);
  const last = words[words.length - 1];
  let prefix = last !== undefined && last.end === text.length && words.length <= MAX_QUERY_WORDS;
  words = words.slice(0, MAX_QUERY_WORDS);
  if (prefix && words.length > 1 && Array.from(words[words.length - 1].folded).length < MIN_PREFIX_CHARS) {
    words.pop();
    prefix = false;
  }
  return { words, prefix };
}

/** The English stemmer, loaded the first time an English query needs it. */
let stemmer;
export function stemmerFor(lang) {
  if (lang !== "en") return Promise.resolve(null);
  stemmer ??= import(new URL("./plansite-stem.mjs", import.meta.url).href).then((m) => m.stem);
  return stemmer;
}

// ------------------------------------------------------------------ format

/** Code point order (the order of UTF-8 bytes, which the index is sorted in). */
export function compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }
  byte() {
    if (this.pos >= this.bytes.length) throw new Error("unexpected end of data");
    return this.bytes[this.pos++];
  }
  varint() {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new Error("varint too long");
  }
  take(n) {
    if (this.pos + n > this.bytes.length) throw new Error("unexpected end of data");
    const s = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

/** Whether analysing `s` needs the folding table. */
function needsTable(s) {
  return !ASCII_RE.test(s);
}

/** Decodes a posting list (docs/search.md, "Posting lists"). */
export function decodePostings(bytes, df, withImpacts) {
  const r = new Reader(bytes);
  const docs = [];
  const layout = r.byte();
  if (layout === 0) {
    let doc = 0;
    for (let i = 0; i < df; i++) {
      const gap = r.varint();
      doc = i === 0 ? gap : doc + gap;
      docs.push(doc);
    }
  } else if (layout === 1) {
    const start = r.varint();
    const bitmap = r.take(r.varint());
    for (let i = 0; i < bitmap.length; i++) {
      const b = bitmap[i];
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) docs.push(start + i * 8 + bit);
    }
    if (docs.length !== df) throw new Error(`bitmap holds ${docs.length} documents, expected ${df}`);
  } else throw new Error(`unknown posting layout ${layout}`);
  const impacts = [];
  if (withImpacts) {
    const packed = r.take(Math.ceil(df / 2));
    for (let i = 0; i < df; i++) impacts.push((packed[i >> 1] >> (4 * (i & 1))) & 0x0f);
  }
  return { docs, impacts };
}

/** Decodes a dictionary shard (docs/search.md, "Dictionary shards"). */
export function decodeShard(bytes) {
  const r = new Reader(bytes);
  const count = r.varint();
  const entries = [];
  let term = new Uint8Array(0);
  for (let n = 0; n < count; n++) {
    const shared = r.varint();
    if (shared > term.length) throw new Error("front coding shares more than the previous term");
    const suffix = r.take(r.varint());
    const next = new Uint8Array(shared + suffix.length);
    next.set(term.subarray(0, shared));
    next.set(suffix, shared);
    term = next;
    const e = { term: decoder.decode(term), df: 0, scale: 0 };
    const kind = r.byte();
    if (kind === 0 || kind === 1) {
      e.df = r.varint();
      e.scale = r.varint();
      if (kind === 0) e.inline = r.take(r.varint());
      else {
        e.file = r.varint();
        e.offset = r.varint();
        e.len = r.varint();
      }
    } else if (kind === 2) e.alias = decoder.decode(r.take(r.varint()));
    else throw new Error(`unknown entry kind ${kind}`);
    entries.push(e);
  }
  return entries;
}

/** The fewest query words a result may match: all, or all but one of three or more. */
function minWords(n) {
  return n >= 3 ? n - 1 : n;
}

/** The index in the last position where `pred` still holds (like Rust's partition_point). */
function partition(list, pred) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(list[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML, as the site's templates do. */
export function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => escapes[c]);
}

/** The words of `text` and whether each matches the query. */
function matches(text, q, table, stem) {
  const toks = tokens(text, table, stem);
  const last = q.words.length ? q.words[q.words.length - 1].folded : "";
  const completing = q.prefix && Array.from(last).length >= MIN_PREFIX_CHARS;
  const hits = toks.map((t) => q.words.some((w) => w.loose === t.loose) || (completing && t.folded.startsWith(last)));
  return { toks, hits };
}

/** `text[from, to)` escaped, the matching words in `<mark>`. */
function mark(text, from, to, toks, hits) {
  let out = "";
  let at = from;
  toks.forEach((t, k) => {
    if (!hits[k]) return;
    out += `${escapeHtml(text.slice(at, t.start))}<mark>${escapeHtml(text.slice(t.start, t.end))}</mark>`;
    at = t.end;
  });
  return out + escapeHtml(text.slice(at, to));
}

/** The text around the first match, escaped, matches in `<mark>` (docs/search.md, "Snippets"). */
export function snippet(text, q, table, stem) {
  const { toks, hits } = matches(text, q, table, stem);
  const n = toks.length;
  if (n === 0) return escapeHtml(text);
  const h = hits.indexOf(true);
  const s = h < 0 ? 0 : Math.max(0, h - SNIPPET_BEFORE);
  const e = Math.min(n, s + SNIPPET_WORDS);
  const from = s === 0 ? 0 : toks[s].start;
  const to = e === n ? text.length : toks[e - 1].end;
  return (s > 0 ? "… " : "") + mark(text, from, to, toks.slice(s, e), hits.slice(s, e)) + (e < n ? " …" : "");
}

// ------------------------------------------------------------------ search

/**
 * A search over the index published at `base` (the URL of the `search/`
 * folder). `fetch` defaults to the global one; under Node pass one that
 * reads files: it must return `{ ok, status, arrayBuffer() }`.
 */
export function createSearch({ base = "/search/", fetch: fetchFn = globalThis.fetch } = {}) {
  const root = String(base).endsWith("/") ? String(base) : `${base}/`;
  const files = new Map();
  const shards = new Map();

  function file(path) {
    if (!files.has(path)) {
      const loading = (async () => {
        const res = await fetchFn(root + path);
        if (!res.ok) throw new Error(`${root}${path}: HTTP ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      })();
      loading.catch(() => files.delete(path));
      files.set(path, loading);
    }
    return files.get(path);
  }
  const parsed = new Map();
  function cached(path, parse) {
    if (!parsed.has(path)) {
      const p = file(path).then(parse);
      p.catch(() => parsed.delete(path));
      parsed.set(path, p);
    }
    return parsed.get(path);
  }
  const jsonCached = (path) => cached(path, (b) => JSON.parse(decoder.decode(b)));

  async function open(lang) {
    const meta = await jsonCached(`${lang}/meta.json`);
    if (meta.format !== FORMAT) throw new Error(`${root}${lang}/meta.json: index format ${meta.format}, this client reads ${FORMAT}`);
    return { lang, meta };
  }
  const shardOf = (ix, term) => partition(ix.meta.shards, (first) => compare(first, term) <= 0) - 1;
  function shard(ix, i) {
    const key = `${ix.lang}/d/${i}.bin`;
    if (!shards.has(key)) {
      const p = file(key).then(decodeShard);
      p.catch(() => shards.delete(key));
      shards.set(key, p);
    }
    return shards.get(key);
  }
  async function lookup(ix, term) {
    const i = shardOf(ix, term);
    if (i < 0) return null;
    const entries = await shard(ix, i);
    const k = partition(entries, (e) => compare(e.term, term) < 0);
    return k < entries.length && entries[k].term === term ? entries[k] : null;
  }
  async function range(ix, prefix) {
    const out = [];
    const first = Math.max(0, shardOf(ix, prefix));
    for (let i = first; i < ix.meta.shards.length && i < first + EXPANSION_SHARDS; i++) {
      const entries = await shard(ix, i);
      const from = partition(entries, (e) => compare(e.term, prefix) < 0);
      let k = from;
      while (k < entries.length && entries[k].term.startsWith(prefix)) out.push(entries[k++]);
      if (k < entries.length) break;
    }
    return out;
  }
  async function postings(ix, e) {
    if (e.alias !== undefined) return { docs: [], impacts: [] };
    const bytes = e.inline ?? (await file(`${ix.lang}/p/${e.file}.bin`)).subarray(e.offset, e.offset + e.len);
    if (e.inline === undefined && bytes.length !== e.len) throw new Error(`term ${e.term}: postings out of range`);
    return decodePostings(bytes, e.df, true);
  }
  async function filter(ix, name, value) {
    const lists = await jsonCached(`${ix.lang}/filters.json`);
    const place = lists[name]?.[value];
    if (!Array.isArray(place)) return new Set();
    const [f, offset, len, count] = place;
    const bytes = (await file(`${ix.lang}/p/${f}.bin`)).subarray(offset, offset + len);
    return new Set(decodePostings(bytes, count, false).docs);
  }
  async function row(ix, doc) {
    const size = Math.max(1, ix.meta.fragment_docs);
    const rows = await jsonCached(`${ix.lang}/f/${Math.floor(doc / size)}.json`);
    const r = rows[doc % size];
    if (!r) throw new Error(`${ix.lang}/f: no document ${doc}`);
    return r;
  }
  const foldTable = () => cached("fold.json", (b) => foldTableOf(JSON.parse(decoder.decode(b))));

  async function completions(ix, w) {
    const found = [];
    const add = (e) => {
      if (e.term !== w.loose && !found.some((f) => f.term === e.term)) found.push(e);
    };
    for (const e of await range(ix, w.folded)) add(e);
    for (const a of await range(ix, `^${w.folded}`)) {
      if (a.alias === undefined) continue;
      const e = await lookup(ix, a.alias);
      if (e) add(e);
    }
    found.sort((x, y) => y.df - x.df || compare(x.term, y.term));
    return found.slice(0, EXPANSIONS);
  }

  async function score(ix, q) {
    const scores = new Map();
    const n = q.words.length;
    const completing = q.prefix && Array.from(q.words[n - 1].folded).length >= MIN_PREFIX_CHARS;
    const addMax = (best, p, scale, weight) => {
      for (let k = 0; k < p.docs.length; k++) {
        const s = weight * scale * p.impacts[k];
        const d = p.docs[k];
        if (!(best.get(d) >= s)) best.set(d, s);
      }
    };
    // The dictionary first: if too few words are in it, nothing can match,
    // and no posting list need be read.
    const found = [];
    for (let i = 0; i < n; i++) {
      const w = q.words[i];
      const more = completing && i === n - 1 ? await completions(ix, w) : [];
      found.push([await lookup(ix, w.loose), more]);
    }
    if (found.filter(([e, more]) => e || more.length > 0).length < minWords(n)) return scores;
    for (let i = 0; i < n; i++) {
      const w = q.words[i];
      const best = new Map();
      const [e, more] = found[i];
      if (e) addMax(best, await postings(ix, e), e.scale, WORD);
      for (const c of more) addMax(best, await postings(ix, c), c.scale, COMPLETION);
      for (const [doc, s] of best) {
        const entry = scores.get(doc) ?? { score: 0, words: 0, exact: 0 };
        entry.score += s;
        entry.words |= 1 << i;
        scores.set(doc, entry);
      }
      if (w.exact !== w.folded) {
        const x = await lookup(ix, `=${w.exact}`);
        if (x) {
          const p = await postings(ix, x);
          for (let k = 0; k < p.docs.length; k++) {
            const entry = scores.get(p.docs[k]);
            if (!entry) continue;
            entry.score += EXACT * x.scale * p.impacts[k];
            entry.exact |= 1 << i;
          }
        }
      }
    }
    for (let i = 1; i < n; i++) {
      if (!q.words[i].joined) continue;
      const a = q.words[i - 1];
      const b = q.words[i];
      const best = new Map();
      const phrase = `~${a.loose} ${b.loose}`;
      const e = await lookup(ix, phrase);
      if (e) addMax(best, await postings(ix, e), e.scale, PHRASE);
      if (completing && i === n - 1) {
        const found = (await range(ix, `~${a.loose} ${b.folded}`)).filter((x) => x.term !== phrase);
        found.sort((x, y) => y.df - x.df || compare(x.term, y.term));
        for (const c of found.slice(0, EXPANSIONS)) addMax(best, await postings(ix, c), c.scale, COMPLETION);
      }
      for (const [doc, s] of best) {
        const entry = scores.get(doc);
        if (entry) entry.score += s;
      }
    }
    return scores;
  }


  /** Ranked results for `query`; the array also carries `total`. */
  async function search(query, options = {}) {
    const lang = options.lang === "en" ? "en" : "vi";
    const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(Number(options.limit ?? DEFAULT_LIMIT)) || 0));
    const cut = Array.from(String(query ?? "")).slice(0, MAX_QUERY_CHARS).join("");
    const table = needsTable(cut) ? await foldTable() : new Map();
    const stem = await stemmerFor(lang);
    const q = queryWords(cut, table, stem);
    if (q.words.length === 0) return Object.assign([], { total: 0 });
    const ix = await open(lang);
    const scores = await score(ix, q);
    const n = q.words.length;
    const popcount = (m) => {
      let c = 0;
      for (; m; m &= m - 1) c++;
      return c;
    };
    const withAtLeast = (min) => {
      const out = [];
      for (const [doc, s] of scores) {
        const c = popcount(s.words);
        if (c >= min) out.push([doc, s.score, c, popcount(s.exact)]);
      }
      return out;
    };
    let ranked = withAtLeast(n);
    if (ranked.length === 0 && n >= 3) ranked = withAtLeast(minWords(n));
    const wanted = [
      ["plan", options.plan],
      ["agency", options.agency],
      ["year", options.year],
      ["kind", options.kind],
      ["state", options.state],
    ];
    for (const [name, value] of wanted) {
      if (value === undefined || value === null || value === "") continue;
      const allowed = await filter(ix, name, String(value));
      ranked = ranked.filter(([d]) => allowed.has(d));
    }
    // More words first, then more words with their exact diacritics, then
    // the higher score, then document order.
    ranked.sort((a, b) => b[2] - a[2] || b[3] - a[3] || b[1] - a[1] || a[0] - b[0]);
    const top = ranked.slice(0, limit);
    const rows = await Promise.all(top.map(([doc]) => row(ix, doc)));
    const docTable = rows.some((r) => needsTable(r[5])) ? await foldTable() : table;
    const hits = top.map(([, score], k) => {
      const [url, title, kind, plan, agencies, text, state] = rows[k];
      return { url, title, kind, plan, agencies, state: state ?? null, snippet: snippet(text, q, docTable, stem), score };
    });
    return Object.assign(hits, { total: ranked.length });
  }

  /** `text` escaped, with the words that match `query` in `<mark>`. */
  async function highlight(text, query, options = {}) {
    const lang = options.lang === "en" ? "en" : "vi";
    const cut = Array.from(String(query ?? "")).slice(0, MAX_QUERY_CHARS).join("");
    const t = String(text).normalize("NFC");
    const table = needsTable(cut) || needsTable(t) ? await foldTable() : new Map();
    const stem = await stemmerFor(lang);
    const q = queryWords(cut, table, stem);
    const { toks, hits } = matches(t, q, table, stem);
    return mark(t, 0, t.length, toks, hits);
  }

  return { search, highlight };
}

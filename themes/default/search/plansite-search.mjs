// plansite search client: reads the static index that `plansite build`
// writes under search/ (format 3, specified in docs/search.md) and answers
// exactly as `plansite search` does. No dependencies; runs in browsers and
// in Node 20. Every step mirrors src/search/{analyzer,query}.rs. English queries
// also load plansite-stem.mjs, the stemmer, from beside this file.
//
//   import { createSearch } from "/search/plansite-search.mjs";
//   const s = createSearch({ base: "/search/" });
//   const hits = await s.search("dau tu", { lang: "vi", limit: 10 });
//   // hits: [{ url, title, kind, plan, agencies, state, snippet, score }], hits.total

const FORMAT = 3;
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
const MAX_COMPOUND_PARTS = 4;
const TONES = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
// Marks a whole-name term (after its first word, so it sorts beside it).
const NAME_MARK = "\u0001";
// Join a word's `loose` form to its exact form, and a phrase's two words:
// these terms too sort right after their first word (docs/search.md, "Terms").
const EXACT_MARK = "\u0002";
const PHRASE_MARK = "\u0003";
const MARK_RE = /[\u0000-\u001f]/;
/** Whether a term is a word's (not a name, an exact form or a phrase). */
export const isWordTerm = (term) => !MARK_RE.test(term);
/** The term of the phrase `a b`. */
export const phraseTerm = (a, b) => `${a}${PHRASE_MARK}${b}`;
const JOINERS = new Set(["-", "\u2010", "\u2011", "&"]);
const WORD = 4;
const COMPLETION = 2;
const EXACT = 2;
const PHRASE = 12;

// Question and filler words, dropped from a query when other words remain
// (docs/search.md, "Query words"): `^` only as its first words, `$` only as
// its last, `!` only typed with the marks. src/search/lexicon.rs reads these
// two lines, so the command line and this client drop the same words.
const FILLERS_VI = "^ai,^ai là,^tìm,^tìm kiếm,^tra cứu,^cho tôi,^cho tôi biết,^tôi muốn,^tôi cần,^muốn biết,^xem,^hỏi,^liệu,^có phải,^làm sao,^làm thế nào,^tại sao,^vì sao,^đâu là,^có,chịu trách nhiệm,là gì,là ai,là những gì,những gì,như thế nào,thế nào,ra sao,bao giờ,khi nào,lúc nào,!ở đâu,bao nhiêu,nhiệm vụ của,nhiệm vụ về,của,!về,các,những,gì,nào,!$không,!$chưa,$được không,!đã,!sẽ,!hãy,!giúp,!vậy,!nhé,!ạ";
const FILLERS_EN = "what,which,who,whom,whose,when,where,why,how,is,are,was,were,be,been,does,do,did,will,would,can,could,should,the,a,an,of,for,about,on,in,to,there,any,me,show,find,in charge of,responsible for";

// The Vietnamese letters' lines of fold.json, built in so that Vietnamese
// text needs no fold.json; src/search/lexicon.rs checks them against the
// table the build exports.
const FOLD_VI = "aàáảãạăằắẳẵặâầấẩẫậ,dđ,eèéẻẽẹêềếểễệ,iìíỉĩị,oòóỏõọôồốổỗộơờớởỡợ,uùúủũụưừứửữự,yỳýỷỹỵ";
const foldVi = new Map(FOLD_VI.split(",").flatMap((g) => Array.from(g).slice(1).map((c) => [c, g[0]])));

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
 * One spelling for the two tone placements of a final "oa", "oe" or "uy"
 * ("hoá" → "hóa", not after q: "quý"); null if the word has no such ending.
 */
export function canonicalTone(word) {
  if (ASCII_RE.test(word)) return null;
  const d = Array.from(word.normalize("NFD"));
  const n = d.length;
  if (n < 3 || !TONES.has(d[n - 1])) return null;
  const pair = d[n - 3] + d[n - 2];
  if (!(pair === "oa" || pair === "oe" || pair === "uy") || (d[n - 3] === "u" && n > 3 && d[n - 4] === "q")) return null;
  return [...d.slice(0, n - 2), d[n - 1], d[n - 2]].join("").normalize("NFC");
}

/**
 * The words of an NFC text with their three forms (docs/search.md,
 * "Analysis"); `stem` makes `loose` from `folded` in English, null in Vietnamese.
 */
export function tokens(text, table, stem) {
  const out = [];
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    if (utf8Length(raw) > MAX_TOKEN_BYTES) continue;
    const start = m.index;
    const end = start + raw.length;
    const lowered = lower(raw);
    const exact = canonicalTone(lowered) ?? lowered;
    const folded = foldWord(exact, table);
    const loose = stem ? stem(folded) : folded;
    const prev = out[out.length - 1];
    const joined = prev !== undefined && SPACE_RE.test(text.slice(prev.end, start));
    out.push({ start, end, exact, folded, loose, joined });
  }
  return out;
}

/** Whether only one compound joiner (`-`, `&`) separates two words. */
function compoundGap(gap) {
  return gap.length === 1 && JOINERS.has(gap);
}

/** The compounds among the words of `text` ("Hue-S", "KH&CN"): [first, end) ranges. */
export function compounds(text, toks) {
  const out = [];
  let i = 0;
  while (i < toks.length) {
    let j = i;
    while (j + 1 < toks.length && j + 1 - i < MAX_COMPOUND_PARTS && compoundGap(text.slice(toks[j].end, toks[j + 1].start))) j++;
    if (j > i) out.push([i, j + 1]);
    i = j + 1;
  }
  return out;
}

/** A compound's parts as one word. */
function whole(parts, stem) {
  const exact = parts.map((t) => t.exact).join("");
  const folded = parts.map((t) => t.folded).join("");
  return { start: parts[0].start, end: parts[parts.length - 1].end, exact, folded, loose: stem ? stem(folded) : folded, joined: parts[0].joined };
}

/** Filler lists, parsed once: { words, place: "any" | "start" | "end", foldedOk }, longest first. */
const fillerLists = new Map();
function fillersOf(stem) {
  const lang = stem ? "en" : "vi";
  if (!fillerLists.has(lang)) {
    const list = (lang === "en" ? FILLERS_EN : FILLERS_VI).split(",").filter((x) => x.trim() !== "").map((raw) => {
      let s = raw.trim();
      let place = "any";
      let foldedOk = true;
      for (;;) {
        if (s.startsWith("^")) place = "start";
        else if (s.startsWith("$")) place = "end";
        else if (s.startsWith("!")) foldedOk = false;
        else break;
        s = s.slice(1);
      }
      return { words: s.split(/\s+/u).filter(Boolean), place, foldedOk };
    });
    list.sort((a, b) => b.words.length - a.words.length);
    fillerLists.set(lang, list);
  }
  return fillerLists.get(lang);
}

/** A filler word without its marks (đ is d). */
function foldFiller(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d");
}

/** The words without question and filler words; all of them if nothing else would remain. */
function dropFillers(words, stem) {
  const fillers = fillersOf(stem);
  const n = words.length;
  const drop = new Array(n).fill(false);
  const isWord = (w, f, ok) => w.exact === f || (ok && w.exact === w.folded && foldFiller(f) === w.folded);
  const at = (i, f) => i + f.words.length <= n && f.words.every((fw, k) => isWord(words[i + k], fw, f.foldedOk));
  const mark = (i, f) => {
    for (let k = 0; k < f.words.length; k++) drop[i + k] = true;
  };
  let i = 0;
  for (let f; (f = fillers.find((f) => f.place !== "end" && at(i, f))); i += f.words.length) mark(i, f);
  let end = n;
  for (let f; (f = fillers.find((f) => f.place !== "start" && f.words.length <= Math.max(0, end - i) && at(end - f.words.length, f))); ) {
    end -= f.words.length;
    mark(end, f);
  }
  for (let k = i; k < end; ) {
    const f = fillers.find((f) => f.place === "any" && k + f.words.length <= end && at(k, f));
    if (f) {
      mark(k, f);
      k += f.words.length;
    } else k++;
  }
  if (drop.every(Boolean)) return words;
  const out = [];
  let afterDrop = false;
  words.forEach((w, k) => {
    if (drop[k]) {
      afterDrop = true;
      return;
    }
    out.push({ ...w, joined: w.joined && !afterDrop });
    afterDrop = false;
  });
  return out;
}

/**
 * A query's words (compounds as one, fillers dropped), whether its last word
 * may still be being typed, and the term of a name that is the whole query.
 */
export function queryWords(query, table, stem) {
  const cut = Array.from(String(query)).slice(0, MAX_QUERY_CHARS).join("");
  const text = cut.normalize("NFC");
  const toks = tokens(text, table, stem);
  const groups = compounds(text, toks);
  let merged = toks;
  if (groups.length) {
    merged = [];
    let i = 0;
    for (const [a, b] of groups) {
      merged.push(...toks.slice(i, a), whole(toks.slice(a, b), stem));
      i = b;
    }
    merged.push(...toks.slice(i));
  }
  const last = merged[merged.length - 1];
  const endsInside = last !== undefined && last.end === text.length;
  const named = merged.slice(0, MAX_QUERY_WORDS);
  const name = named.length ? `${named[0].loose}${NAME_MARK}${named.map((w) => w.loose).join(" ")}` : "";
  let words = dropFillers(merged, stem);
  const kept = words[words.length - 1];
  let prefix = endsInside && merged.length <= MAX_QUERY_WORDS && kept !== undefined && kept.end === text.length;
  words = words.slice(0, MAX_QUERY_WORDS);
  if (prefix && words.length > 1 && Array.from(words[words.length - 1].folded).length < MIN_PREFIX_CHARS) {
    words.pop();
    prefix = false;
  }
  return { words, prefix, name };
}

/** The English stemmer, loaded the first time an English query needs it. */
let stemmer;
export function stemmerFor(lang) {
  if (lang !== "en") return Promise.resolve(null);
  stemmer ??= import(new URL("./plansite-stem.mjs", import.meta.url).href).then((m) => (w) => m.stem(m.variant(w)));
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

/** Whether analysing `s` needs the folding table: a letter of a word neither ASCII nor Vietnamese. */
function needsTable(s) {
  if (ASCII_RE.test(s)) return false;
  for (const m of String(s).normalize("NFC").matchAll(WORD_RE)) {
    for (const c of lower(m[0])) if (c.charCodeAt(0) >= 0x80 && !foldVi.has(c)) return true;
  }
  return false;
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
    } else if (kind === 3) {
      e.df = r.varint();
      e.scale = r.varint();
      e.headDf = r.varint();
      if (e.headDf > e.df) throw new Error(`a head of ${e.headDf} of ${e.df} documents`);
      e.head = [r.varint(), r.varint(), r.varint()];
      e.tail = [r.varint(), r.varint(), r.varint()];
    } else if (kind === 2) e.alias = decoder.decode(r.take(r.varint()));
    else throw new Error(`unknown entry kind ${kind}`);
    entries.push(e);
  }
  return entries;
}

/** Two posting lists of different documents as one, in document order. */
function merge(a, b) {
  const out = { docs: [], impacts: [] };
  let i = 0;
  let j = 0;
  while (i < a.docs.length || j < b.docs.length) {
    const fromA = j >= b.docs.length || (i < a.docs.length && a.docs[i] < b.docs[j]);
    const p = fromA ? a : b;
    const k = fromA ? i++ : j++;
    out.docs.push(p.docs[k]);
    out.impacts.push(p.impacts[k]);
  }
  return out;
}

/** The fewest query words a result may match: two thirds, rounded up. */
function minWords(n) {
  return Math.ceil((2 * n) / 3);
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

/** The words of `text` and, per word, the bits of the query words it matches. */
function matches(text, q, table, stem) {
  const toks = tokens(text, table, stem);
  const n = q.words.length;
  const last = n ? q.words[n - 1].folded : "";
  const completing = q.prefix && Array.from(last).length >= MIN_PREFIX_CHARS;
  const bit = (loose, folded) => {
    let bits = 0;
    q.words.forEach((w, i) => {
      if (w.loose === loose || (completing && i === n - 1 && folded.startsWith(last))) bits |= 1 << i;
    });
    return bits;
  };
  const hits = toks.map((t) => bit(t.loose, t.folded));
  const out = phrased(toks, hits, q);
  for (const [a, b] of compounds(text, toks)) {
    const w = whole(toks.slice(a, b), stem);
    const bits = bit(w.loose, w.folded);
    if (bits) for (let k = a; k < b; k++) out[k] |= bits;
  }
  return { toks, hits: out };
}

/**
 * Of the words of a query phrase, those the text has in the phrase: word
 * `k` keeps query word `i` joined to a neighbour only if the text word
 * before (after) it is joined to it and matches the query word before
 * (after); a query word joined to none is kept wherever it is. If that
 * keeps nothing, every match (docs/search.md, "Snippets").
 */
function phrased(toks, hits, q) {
  const w = q.words;
  let joint = 0;
  for (let i = 1; i < w.length; i++) if (w[i].joined) joint |= 3 << (i - 1);
  if (!joint) return hits;
  const has = (k, i) => hits[k] & (1 << i);
  const kept = hits.map((h, k) => {
    let keep = h & ~joint;
    for (let i = 0; i < w.length; i++) {
      const before = i > 0 && w[i].joined && toks[k].joined && has(k - 1, i - 1);
      if (h & joint & (1 << i) && (before || (w[i + 1]?.joined && toks[k + 1]?.joined && has(k + 1, i + 1)))) keep |= 1 << i;
    }
    return keep;
  });
  return kept.some((b) => b) ? kept : hits;
}

/** `text[from, to)` escaped, runs of matching words (phrases, compounds) in one `<mark>`. */
function mark(text, from, to, toks, hits) {
  let out = "";
  let at = from;
  for (let k = 0; k < toks.length; ) {
    if (!hits[k]) {
      k++;
      continue;
    }
    let j = k;
    while (j + 1 < toks.length && hits[j + 1]) {
      const gap = text.slice(toks[j].end, toks[j + 1].start);
      if (!(SPACE_RE.test(gap) || compoundGap(gap))) break;
      j++;
    }
    out += `${escapeHtml(text.slice(at, toks[k].start))}<mark>${escapeHtml(text.slice(toks[k].start, toks[j].end))}</mark>`;
    at = toks[j].end;
    k = j + 1;
  }
  return out + escapeHtml(text.slice(at, to));
}

function popcount(m) {
  let c = 0;
  for (; m; m &= m - 1) c++;
  return c;
}

/** The words from word `s`, with `… ` and ` …` where cut. */
function cut(text, toks, hits, s) {
  const n = toks.length;
  const e = Math.min(n, s + SNIPPET_WORDS);
  const from = s === 0 ? 0 : toks[s].start;
  const to = e === n ? text.length : toks[e - 1].end;
  return (s > 0 ? "… " : "") + mark(text, from, to, toks.slice(s, e), hits.slice(s, e)) + (e < n ? " …" : "");
}

/**
 * The window with the most query words, escaped, matches in `<mark>`;
 * `lead` (a task's lead and deadline) when the text has no match
 * (docs/search.md, "Snippets").
 */
export function snippet(text, lead, q, table, stem) {
  const { toks, hits } = matches(text, q, table, stem);
  const n = toks.length;
  if (n === 0) return escapeHtml(lead || text);
  let best = null;
  for (let h = 0; h < n; h++) {
    if (!hits[h]) continue;
    const s = Math.max(0, h - SNIPPET_BEFORE);
    const window = hits.slice(s, Math.min(n, s + SNIPPET_WORDS));
    const words = popcount(window.reduce((acc, b) => acc | b, 0));
    const count = window.filter((b) => b !== 0).length;
    if (best === null || words > best[0] || (words === best[0] && count > best[1])) best = [words, count, s];
  }
  if (best === null) return lead ? escapeHtml(lead) : cut(text, toks, hits, 0);
  return cut(text, toks, hits, best[2]);
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
  async function part(ix, e, [f, offset, len], df) {
    const bytes = (await file(`${ix.lang}/p/${f}.bin`)).subarray(offset, offset + len);
    if (bytes.length !== len) throw new Error(`term ${e.term}: postings out of range`);
    return decodePostings(bytes, df, true);
  }
  // A term's postings: of a cut list the head, and the tail too once
  // `ix.tails` is set (docs/search.md, "Heads and tails").
  async function postings(ix, e) {
    if (e.alias !== undefined) return { docs: [], impacts: [] };
    if (e.inline !== undefined) return decodePostings(e.inline, e.df, true);
    if (e.head === undefined) return part(ix, e, [e.file, e.offset, e.len], e.df);
    const head = await part(ix, e, e.head, e.headDf);
    if (!ix.tails) {
      ix.cut = true;
      return head;
    }
    return merge(head, await part(ix, e, e.tail, e.df - e.headDf));
  }
  async function filter(ix, name, value) {
    // A filter no document has a value of has no file.
    const lists = await jsonCached(`${ix.lang}/filters/${name}.json`).catch(() => ({}));
    const place = Object.hasOwn(lists, value) ? lists[value] : undefined;
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
      if (e.term !== w.loose && isWordTerm(e.term) && !found.some((f) => f.term === e.term)) found.push(e);
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
    if (found.filter(([e, more]) => e || more.length > 0).length < minWords(n)) return { scores, required: 0, need: 0, marked: 0 };
    // A word is frequent when only the head of its list (or of one of its
    // completions') will be read: it adds to the score, but is not required.
    const cutList = (e) => e.head !== undefined && !ix.tails;
    let required = 0;
    found.forEach(([e, more], i) => {
      if (!((e && cutList(e)) || more.some(cutList))) required |= 1 << i;
    });
    const need = Math.max(0, minWords(n) - (n - popcount(required)));
    for (let i = 0; i < n; i++) {
      const w = q.words[i];
      const best = new Map();
      const [e, more] = found[i];
      if (e) {
        const p = await postings(ix, e);
        for (let k = 0; k < p.docs.length; k++) best.set(p.docs[k], [WORD * e.scale * p.impacts[k], true]);
      }
      for (const c of more) {
        const p = await postings(ix, c);
        for (let k = 0; k < p.docs.length; k++) {
          const s = COMPLETION * c.scale * p.impacts[k];
          const slot = best.get(p.docs[k]);
          if (!slot) best.set(p.docs[k], [s, false]);
          else if (s > slot[0]) slot[0] = s;
        }
      }
      for (const [doc, [s, isWhole]] of best) {
        const entry = scores.get(doc) ?? { score: 0, words: 0, whole: 0, exact: 0, name: false };
        entry.score += s;
        entry.words |= 1 << i;
        if (isWhole) entry.whole |= 1 << i;
        scores.set(doc, entry);
      }
      if (w.exact !== w.folded) {
        const x = await lookup(ix, `${w.loose}${EXACT_MARK}${w.exact}`);
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
      const phrase = phraseTerm(a.loose, b.loose);
      const e = await lookup(ix, phrase);
      if (e) addMax(best, await postings(ix, e), e.scale, PHRASE);
      if (completing && i === n - 1) {
        const found = (await range(ix, phraseTerm(a.loose, b.folded))).filter((x) => x.term !== phrase);
        found.sort((x, y) => y.df - x.df || compare(x.term, y.term));
        for (const c of found.slice(0, EXPANSIONS)) addMax(best, await postings(ix, c), c.scale, COMPLETION);
      }
      for (const [doc, s] of best) {
        const entry = scores.get(doc);
        if (entry) entry.score += s;
      }
    }
    if (q.name !== "") {
      const e = await lookup(ix, q.name);
      if (e) {
        for (const doc of (await postings(ix, e)).docs) {
          const entry = scores.get(doc);
          if (entry) entry.name = true;
        }
      }
    }
    // The words typed with marks (docs/search.md, step 9).
    const marked = q.words.reduce((m, w, i) => (w.exact !== w.folded ? m | (1 << i) : m), 0);
    return { scores, required, need, marked };
  }

  /**
   * The documents matching at least `minWords` of the words, a frequent word
   * counting as matched: `need` of the `required` words, or any word if that
   * is none (docs/search.md, "Heads and tails"); with their ranking keys.
   */
  function candidates({ scores, required, need, marked = 0 }) {
    const mask = need === 0 ? -1 : required;
    const min = need === 0 ? 1 : need;
    const out = [];
    for (const [doc, s] of scores) {
      const words = popcount(s.words);
      if (popcount(s.words & mask) >= min) {
        out.push({ doc, score: s.score, name: s.name, words, whole: popcount(s.whole), loose: popcount(s.words & marked & ~s.exact) });
      }
    }
    return out;
  }

  /** The tolerance module, loaded the first time a query has an unknown word. */
  let tolerance;
  const tolerant = (ix, q, lang) => {
    tolerance ??= import(new URL("./plansite-near.mjs", import.meta.url).href);
    return tolerance.then((m) => m.near(q, lang, { lookup: (t) => lookup(ix, t), range: (p) => range(ix, p), completions: (w) => completions(ix, w) }));
  };
  /** Whether the query has a word the index does not know (docs/search.md, "Tolerance"). */
  async function unknown(ix, q) {
    const n = q.words.length;
    const typing = q.prefix && n > 0 && Array.from(q.words[n - 1].folded).length >= MIN_PREFIX_CHARS;
    for (let i = 0; i < n; i++) {
      const w = q.words[i];
      if ((await lookup(ix, w.loose)) !== null) continue;
      if (typing && i === n - 1 && (await completions(ix, w)).length > 0) continue;
      return true;
    }
    return false;
  }

  /** Ranked results for `query`; the array also carries `total` and `near`. */
  async function search(query, options = {}) {
    const lang = options.lang === "en" ? "en" : "vi";
    const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(Number(options.limit ?? DEFAULT_LIMIT)) || 0));
    const cut = Array.from(String(query ?? "")).slice(0, MAX_QUERY_CHARS).join("");
    const table = needsTable(cut) ? await foldTable() : foldVi;
    const stem = await stemmerFor(lang);
    let q = queryWords(cut, table, stem);
    if (q.words.length === 0) return Object.assign([], { total: 0, near: null, tolerance: false, partial: false });
    const ix = { ...(await open(lang)), tails: false, cut: false };
    // The heads of long lists; their tails only if, with filters, that
    // gives fewer than `limit` results (docs/search.md, "Heads and tails").
    let found = await matching(ix, q, lang, options);
    const partial = ix.cut;
    const filtered = [options.plan, options.agency, options.year, options.kind, options.state].some((v) => v !== undefined && v !== null && v !== "");
    if (partial && filtered && found.selects && found.ranked.length < Math.max(1, limit)) {
      ix.tails = true;
      found = await matching(ix, queryWords(cut, table, stem), lang, options);
    }
    const { ranked } = found;
    const { nearWords, tried } = found;
    q = found.q;
    // A whole name first, then fewer words matched only by a completion,
    // fewer words with marks matched only without them, the higher score
    // times the words matched, document order (docs/search.md, step 9).
    ranked.sort((a, b) => b.name - a.name || a.words - a.whole - (b.words - b.whole) || a.loose - b.loose || b.score * b.words - a.score * a.words || a.doc - b.doc);
    const top = ranked.slice(0, limit);
    const rows = await Promise.all(top.map((r) => row(ix, r.doc)));
    const docTable = rows.some((r) => needsTable(r[5])) ? await foldTable() : table;
    const hits = top.map((r, k) => {
      const [url, title, kind, plan, agencies, text, state, place, draft, lead] = rows[k];
      return {
        url,
        title,
        kind,
        plan,
        agencies,
        state: state ?? null,
        place: place ?? "",
        draft: draft === true,
        snippet: snippet(text, lead ?? "", q, docTable, stem),
        score: r.score,
      };
    });
    return Object.assign(hits, { total: ranked.length, near: nearWords, tolerance: tried, partial: partial && !ix.tails });
  }

  /** The documents matching the query (or its near matches) and every filter, unranked. */
  async function matching(ix, q, lang, options) {
    let ranked = candidates(await score(ix, q));
    let nearWords = null;
    const tried = await unknown(ix, q);
    const retry = tried ? await tolerant(ix, q, lang) : null;
    if (retry) {
      const retried = candidates(await score(ix, retry));
      if (retried.length > 0) {
        nearWords = retry.words.map((w) => w.folded).join(" ");
        ranked = retried;
        q = retry;
      }
    }
    const wanted = [
      ["plan", options.plan],
      ["agency", options.agency],
      ["year", options.year],
      ["kind", options.kind],
      ["state", options.state],
    ];
    let selects = true;
    for (const [name, value] of wanted) {
      if (value === undefined || value === null || value === "") continue;
      const allowed = await filter(ix, name, String(value));
      selects &&= allowed.size > 0;
      ranked = ranked.filter((r) => allowed.has(r.doc));
    }
    return { ranked, nearWords, tried, q, selects };
  }

  /** `text` escaped, with the words that match `query` in `<mark>`. */
  async function highlight(text, query, options = {}) {
    const lang = options.lang === "en" ? "en" : "vi";
    const cut = Array.from(String(query ?? "")).slice(0, MAX_QUERY_CHARS).join("");
    const t = String(text).normalize("NFC");
    const table = needsTable(cut) || needsTable(t) ? await foldTable() : foldVi;
    const stem = await stemmerFor(lang);
    const q = queryWords(cut, table, stem);
    const { toks, hits } = matches(t, q, table, stem);
    return mark(t, 0, t.length, toks, hits);
  }

  return { search, highlight };
}

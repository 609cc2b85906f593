// plansite search tolerance: near matches for a query with a word the index
// does not know (docs/search.md, "Tolerance"), loaded by plansite-search.mjs
// only then. Mirrors src/search/tolerance.rs.

const ASCII_RE = /^[\x00-\x7f]*$/;
const MIN_PREFIX_CHARS = 2;
const MIN_CORRECTED_CHARS = 5;
const KEPT_CHARS = 3;

/** Code point order, as the index is sorted. */
function compare(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
  }
  return x.length - y.length;
}

const ONSETS = ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""];
const RHYMES = new Set(
  "a ai ao au ay ac ach am an ang anh ap at e eo ec ech em en eng enh ep et eu i ia iu ic ich im in inh ip it iec iem ien ieng iep iet ieu o oa oai oan oang oanh oao oac oach oam oap oat oay oe oeo oen oet oi oc om on ong oong op ot u ua uan uang uanh uat uay uc ue uen uenh uet ui um un ung uo uoc uoi uom uon uong uop uot uou up ut uu uy uya uyen uyet uynh uyt uych uyu y yen yet yeu".split(" "),
);

/** Whether `s` (folded) has the shape of a Vietnamese syllable. */
export function syllable(s) {
  return ONSETS.some((o) => s.startsWith(o) && s.length > o.length && RHYMES.has(s.slice(o.length)));
}

/** Whether `a` and `b` differ by one insertion, deletion, substitution or swap of neighbours. */
export function oneEdit(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  if (a === b || Math.abs(x.length - y.length) > 1) return false;
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  const same = (u, v) => u.length === v.length && u.every((c, k) => c === v[k]);
  const rx = x.slice(p);
  const ry = y.slice(p);
  if (rx.length < ry.length) return same(rx, ry.slice(1));
  if (rx.length > ry.length) return same(rx.slice(1), ry);
  return same(rx.slice(1), ry.slice(1)) || (rx.length >= 2 && rx[0] === ry[1] && rx[1] === ry[0] && same(rx.slice(2), ry.slice(2)));
}

/** A run-together Vietnamese word as the two or three syllables of a phrase the index knows. */
async function split(ix, word) {
  if (!ASCII_RE.test(word) || word.length < 4) return null;
  const n = word.length;
  const phrase = async (a, b) => (await ix.lookup(`${a}\u0003${b}`)) !== null;
  for (let k = 1; k < n; k++) {
    const a = word.slice(0, k);
    const b = word.slice(k);
    if (syllable(a) && syllable(b) && (await phrase(a, b))) return [a, b];
  }
  for (let k = 1; k < n; k++) {
    const a = word.slice(0, k);
    if (!syllable(a)) continue;
    for (let m = k + 1; m < n; m++) {
      const b = word.slice(k, m);
      const c = word.slice(m);
      if (syllable(b) && syllable(c) && (await phrase(a, b)) && (await phrase(b, c))) return [a, b, c];
    }
  }
  return null;
}

/** The most frequent term one edit from `word`, its first letters kept: [folded, loose]. */
async function correct(ix, word) {
  const chars = Array.from(word);
  if (chars.length < MIN_CORRECTED_CHARS) return null;
  const kept = chars.slice(0, KEPT_CHARS).join("");
  let best = null;
  const consider = (df, folded, loose) => {
    if (oneEdit(word, folded) && (best === null || df > best[0] || (df === best[0] && compare(folded, best[1]) < 0))) best = [df, folded, loose];
  };
  for (const e of await ix.range(kept)) if (!/[\u0000-\u001f]/.test(e.term)) consider(e.df, e.term, e.term);
  for (const a of await ix.range(`^${kept}`)) {
    if (a.alias === undefined) continue;
    const e = await ix.lookup(a.alias);
    if (e) consider(e.df, a.term.slice(1), a.alias);
  }
  return best && [best[1], best[2]];
}

/**
 * The query with its unknown words split or corrected, or null. `ix` reads
 * the index: `{ lookup(term), range(prefix), completions(word) }`.
 */
export async function near(q, lang, ix) {
  const n = q.words.length;
  const typing = q.prefix && n > 0 && Array.from(q.words[n - 1].folded).length >= MIN_PREFIX_CHARS;
  const words = [];
  let changed = false;
  const plain = (folded, loose, joined) => ({ start: 0, end: 0, exact: folded, folded, loose, joined });
  for (let i = 0; i < n; i++) {
    const w = q.words[i];
    const known = (await ix.lookup(w.loose)) !== null || (typing && i === n - 1 && (await ix.completions(w)).length > 0);
    if (known) {
      words.push(w);
      continue;
    }
    if (lang === "vi") {
      const parts = await split(ix, w.folded);
      if (parts) {
        parts.forEach((p, k) => words.push(plain(p, p, k === 0 ? w.joined : true)));
        changed = true;
        continue;
      }
    }
    const fixed = await correct(ix, w.folded);
    if (fixed) {
      words.push(plain(fixed[0], fixed[1], w.joined));
      changed = true;
      continue;
    }
    words.push(w);
  }
  return changed ? { words, prefix: q.prefix, name: "" } : null;
}

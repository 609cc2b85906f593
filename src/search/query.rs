//! The query engine behind `plansite search`. It reads the static index
//! exactly as the browser client does (docs/search.md, "Searching"), file
//! by file, so the two answer every query with the same results.

use super::analyzer::{
    Analyzer, MIN_PREFIX_CHARS, QueryWords, Token, compound_gap, compounds, exact_term, is_word_term,
    phrase_term, query_words,
};
use super::format::{Entry, Postings, Target, decode_postings, decode_shard};
use super::tolerance;
use crate::error::{Error, Result};
use crate::output::OutputFile;
use crate::text::Lang;
use crate::web::escape;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

/// Results per query unless asked otherwise, and the most ever returned.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 100;
/// Prefix expansion: at most this many completions, read from at most this
/// many dictionary shards, for a last word of at least [`MIN_PREFIX_CHARS`].
pub const EXPANSIONS: usize = 4;
pub const EXPANSION_SHARDS: usize = 4;
/// Snippets: words shown, and words shown before the first match.
pub const SNIPPET_WORDS: usize = 24;
pub const SNIPPET_BEFORE: usize = 4;
/// Integer weights of the kinds of match (docs/search.md, "Scores").
const WORD: u64 = 4;
const COMPLETION: u64 = 2;
const EXACT: u64 = 2;
const PHRASE: u64 = 12;

/// The index files, by path under `search/` (`vi/meta.json`).
pub trait Files {
    fn read(&self, path: &str) -> Result<Rc<Vec<u8>>>;
}

/// Index files in a built site's `search/` folder.
pub struct Dir {
    root: PathBuf,
    cache: RefCell<HashMap<String, Rc<Vec<u8>>>>,
}

impl Dir {
    pub fn new(root: impl Into<PathBuf>) -> Dir {
        Dir { root: root.into(), cache: RefCell::new(HashMap::new()) }
    }
}

impl Files for Dir {
    fn read(&self, path: &str) -> Result<Rc<Vec<u8>>> {
        if let Some(bytes) = self.cache.borrow().get(path) {
            return Ok(bytes.clone());
        }
        let full = self.root.join(path);
        let bytes = Rc::new(std::fs::read(&full).map_err(|e| Error::io(&full, e))?);
        self.cache.borrow_mut().insert(path.to_string(), bytes.clone());
        Ok(bytes)
    }
}

/// Index files held in memory, straight from a build.
pub struct Memory(BTreeMap<String, Rc<Vec<u8>>>);

impl Memory {
    pub fn new(files: &[OutputFile]) -> Memory {
        Memory(
            files
                .iter()
                .filter_map(|f| Some((f.path.strip_prefix("search/")?.to_string(), Rc::new(f.bytes.clone()))))
                .collect(),
        )
    }
}

impl Files for Memory {
    fn read(&self, path: &str) -> Result<Rc<Vec<u8>>> {
        self.0.get(path).cloned().ok_or_else(|| Error::Other(format!("search/{path}: not in the index")))
    }
}

/// What to search for besides the words.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    pub plan: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    /// A task state (`overdue`, `done`…): only tasks in it.
    pub state: Option<String>,
    pub limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::Vi,
            plan: None,
            agency: None,
            year: None,
            kind: None,
            state: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// One result, as the browser client returns it (same fields, same values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub url: String,
    pub title: String,
    pub kind: String,
    pub plan: Option<String>,
    pub agencies: Vec<String>,
    /// A task's state as of the build's date; null for other kinds.
    pub state: Option<String>,
    /// The plan's or agency's place (jurisdiction), for the meta line.
    pub place: String,
    /// From a draft plan.
    pub draft: bool,
    /// HTML: the text around the best match, matches in `<mark>`.
    pub snippet: String,
    pub score: u64,
}

/// The best results and how many documents matched in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Nothing matched the query as typed; these are near matches for
    /// these words (split or corrected, docs/search.md, "Tolerance").
    pub near: Option<String>,
    /// `total` counts only the documents in the heads of the long lists
    /// read: there may be more.
    pub partial: bool,
}

#[derive(Deserialize)]
struct Meta {
    format: u32,
    fragment_docs: usize,
    shards: Vec<String>,
}

type Row =
    (String, String, String, Option<String>, Vec<String>, String, Option<String>, String, bool, String);

/// One language's index, read lazily.
pub(super) struct Index<'a> {
    files: &'a dyn Files,
    lang: &'static str,
    meta: Meta,
    shards: RefCell<HashMap<usize, Rc<Vec<Entry>>>>,
    /// Read the tails of cut lists too (docs/search.md, "Heads and tails").
    tails: Cell<bool>,
    /// A head was read without its tail.
    cut: Cell<bool>,
}

impl<'a> Index<'a> {
    fn open(files: &'a dyn Files, lang: Lang) -> Result<Index<'a>> {
        let path = format!("{}/meta.json", lang.code());
        let meta: Meta = json(files, &path)?;
        if meta.format != super::format::FORMAT {
            return Err(Error::Other(format!(
                "search/{path}: index format {} but this plansite reads format {}; rebuild the site",
                meta.format,
                super::format::FORMAT
            )));
        }
        Ok(Index {
            files,
            lang: lang.code(),
            meta,
            shards: RefCell::new(HashMap::new()),
            tails: Cell::new(false),
            cut: Cell::new(false),
        })
    }

    /// The shard that would hold `term`: the last whose first term is ≤ it.
    fn shard_of(&self, term: &str) -> Option<usize> {
        self.meta.shards.partition_point(|first| first.as_str() <= term).checked_sub(1)
    }

    fn shard(&self, i: usize) -> Result<Rc<Vec<Entry>>> {
        if let Some(s) = self.shards.borrow().get(&i) {
            return Ok(s.clone());
        }
        let path = format!("{}/d/{i}.bin", self.lang);
        let entries = decode_shard(&self.files.read(&path)?)
            .map_err(|e| Error::Other(format!("search/{path}: {e}")))?;
        let entries = Rc::new(entries);
        self.shards.borrow_mut().insert(i, entries.clone());
        Ok(entries)
    }

    pub(super) fn lookup(&self, term: &str) -> Result<Option<Entry>> {
        let Some(i) = self.shard_of(term) else { return Ok(None) };
        let shard = self.shard(i)?;
        Ok(shard.binary_search_by(|e| e.term.as_str().cmp(term)).ok().map(|k| shard[k].clone()))
    }

    /// Entries whose term starts with `prefix`, from at most
    /// [`EXPANSION_SHARDS`] shards.
    pub(super) fn range(&self, prefix: &str) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        let first = self.shard_of(prefix).unwrap_or(0);
        for i in (first..self.meta.shards.len()).take(EXPANSION_SHARDS) {
            let shard = self.shard(i)?;
            let from = shard.partition_point(|e| e.term.as_str() < prefix);
            let matching = shard[from..].iter().take_while(|e| e.term.starts_with(prefix));
            let before = out.len();
            out.extend(matching.cloned());
            if from + (out.len() - before) < shard.len() {
                break;
            }
        }
        Ok(out)
    }

    /// A term's postings: of a cut list, the head, and the tail too once
    /// [`Index::tails`] is set.
    fn postings(&self, e: &Entry) -> Result<Postings> {
        match &e.target {
            Target::Inline(b) => self.decode(e, b, e.df),
            Target::File { file, offset, len } => self.part(e, [*file, *offset, *len], e.df),
            Target::Alias(_) => Ok(Postings::default()),
            Target::Split { head_df, head, tail } => {
                let head = self.part(e, *head, *head_df)?;
                if !self.tails.get() {
                    self.cut.set(true);
                    return Ok(head);
                }
                let tail = self.part(e, *tail, e.df - head_df)?;
                Ok(merge(head, tail))
            }
        }
    }

    /// The posting list at `[file, offset, len]`, of `df` documents.
    fn part(&self, e: &Entry, [file, offset, len]: [usize; 3], df: usize) -> Result<Postings> {
        let bytes = self.files.read(&format!("{}/p/{file}.bin", self.lang))?;
        let slice =
            bytes.get(offset..offset + len).ok_or_else(|| self.corrupt(&e.term, "postings out of range"))?;
        self.decode(e, slice, df)
    }

    fn decode(&self, e: &Entry, bytes: &[u8], df: usize) -> Result<Postings> {
        decode_postings(bytes, df, true).map_err(|err| self.corrupt(&e.term, &err.0))
    }

    fn corrupt(&self, term: &str, what: &str) -> Error {
        Error::Other(format!("search/{}: term `{term}`: {what}; rebuild the site", self.lang))
    }

    /// Documents a filter value selects; none for an unknown value.
    fn filter(&self, filter: &str, value: &str) -> Result<Vec<u32>> {
        let path = format!("{}/filters/{filter}.json", self.lang);
        // A filter no document has a value of has no file.
        let Ok(bytes) = self.files.read(&path) else { return Ok(Vec::new()) };
        let lists: BTreeMap<String, [usize; 4]> =
            serde_json::from_slice(&bytes).map_err(|e| Error::Other(format!("search/{path}: {e}")))?;
        let Some([file, offset, len, count]) = lists.get(value).copied() else {
            return Ok(Vec::new());
        };
        let bytes = self.files.read(&format!("{}/p/{file}.bin", self.lang))?;
        let slice =
            bytes.get(offset..offset + len).ok_or_else(|| self.corrupt(value, "filter out of range"))?;
        Ok(decode_postings(slice, count, false).map_err(|e| self.corrupt(value, &e.0))?.docs)
    }

    fn row(&self, doc: u32) -> Result<Row> {
        let chunk = doc as usize / self.meta.fragment_docs.max(1);
        let path = format!("{}/f/{chunk}.json", self.lang);
        let rows: Vec<Row> = json(self.files, &path)?;
        rows.into_iter()
            .nth(doc as usize % self.meta.fragment_docs.max(1))
            .ok_or_else(|| Error::Other(format!("search/{path}: no document {doc}; rebuild the site")))
    }
}

/// Two posting lists of different documents as one, in document order.
fn merge(a: Postings, b: Postings) -> Postings {
    let mut out = Postings { docs: Vec::with_capacity(a.docs.len() + b.docs.len()), impacts: Vec::new() };
    out.impacts.reserve(out.docs.capacity());
    let (mut i, mut j) = (0, 0);
    while i < a.docs.len() || j < b.docs.len() {
        let from_a = j >= b.docs.len() || (i < a.docs.len() && a.docs[i] < b.docs[j]);
        let (p, k) = if from_a { (&a, &mut i) } else { (&b, &mut j) };
        out.docs.push(p.docs[*k]);
        out.impacts.push(p.impacts[*k]);
        *k += 1;
    }
    out
}

fn json<T: serde::de::DeserializeOwned>(files: &dyn Files, path: &str) -> Result<T> {
    serde_json::from_slice(&files.read(path)?).map_err(|e| Error::Other(format!("search/{path}: {e}")))
}

/// Per document: its score, the query words it matched (bit i), those it
/// matched as typed (not only by a completion), those it matched with their
/// exact diacritics, and whether its whole name is the query.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    score: u64,
    words: u32,
    whole: u32,
    exact: u32,
    name: bool,
}

type Scores = HashMap<u32, Score>;

/// A document to rank, with its ranking keys: the words it matched, those
/// as typed, and those typed with marks it matched only without them.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    doc: u32,
    score: u64,
    name: bool,
    words: u32,
    whole: u32,
    loose: u32,
}

/// Searches the index in `files` (docs/search.md, "Searching").
pub fn search(files: &dyn Files, query: &str, options: &Options) -> Result<Results> {
    let mut analyzer = Analyzer::new(options.lang);
    let mut q = query_words(&mut analyzer, query);
    let limit = options.limit.min(MAX_LIMIT);
    if q.words.is_empty() {
        return Ok(Results { total: 0, hits: Vec::new(), near: None, partial: false });
    }
    let index = Index::open(files, options.lang)?;
    // The heads of long lists; their tails only if, with filters, that
    // gives fewer than `limit` results (docs/search.md, "Heads and tails").
    let (mut ranked, mut near, selects) = matching(&index, &mut analyzer, &mut q, options)?;
    let partial = index.cut.get();
    if partial && !filters(options).is_empty() && selects && ranked.len() < limit.max(1) {
        index.tails.set(true);
        q = query_words(&mut analyzer, query);
        (ranked, near, _) = matching(&index, &mut analyzer, &mut q, options)?;
    }
    let partial = partial && !index.tails.get();
    // A whole name first, then fewer words matched only by a completion,
    // fewer words typed with marks matched only without them, the higher
    // score times the words matched (a coordination factor: one more word
    // found in a long list of agencies does not outrank a phrase in a
    // title), document order (docs/search.md, "Searching", step 9).
    ranked.sort_by(|a, b| {
        b.name
            .cmp(&a.name)
            .then((a.words - a.whole).cmp(&(b.words - b.whole)))
            .then(a.loose.cmp(&b.loose))
            .then((b.score * u64::from(b.words)).cmp(&(a.score * u64::from(a.words))))
            .then(a.doc.cmp(&b.doc))
    });
    let total = ranked.len();
    let hits = ranked
        .iter()
        .take(limit)
        .map(|r| {
            let (url, title, kind, plan, agencies, text, state, place, draft, lead) = index.row(r.doc)?;
            let snippet = snippet(&mut analyzer, &text, &lead, &q);
            Ok(Hit { url, title, kind, plan, agencies, state, place, draft, snippet, score: r.score })
        })
        .collect::<Result<Vec<Hit>>>()?;
    Ok(Results { total, hits, near, partial })
}

/// The documents that match the query (or, if it has unknown words, its
/// near matches) and every filter, unranked, and whether every filter
/// selects some document; `q` becomes the words searched.
fn matching(
    index: &Index,
    analyzer: &mut Analyzer,
    q: &mut QueryWords,
    options: &Options,
) -> Result<(Vec<Ranked>, Option<String>, bool)> {
    let mut ranked = candidates(&score(index, q)?);
    let mut near = None;
    if let Some(tolerant) = tolerance::near(index, analyzer, q)? {
        let retried = candidates(&score(index, &tolerant)?);
        if !retried.is_empty() {
            near = Some(tolerant.words.iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" "));
            ranked = retried;
            *q = tolerant;
        }
    }
    let mut selects = true;
    for (filter, value) in filters(options) {
        let allowed = index.filter(filter, &value)?;
        selects &= !allowed.is_empty();
        ranked.retain(|r| allowed.binary_search(&r.doc).is_ok());
    }
    Ok((ranked, near, selects))
}

fn filters(o: &Options) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (name, value) in [
        ("plan", o.plan.clone()),
        ("agency", o.agency.clone()),
        ("year", o.year.map(|y| y.to_string())),
        ("kind", o.kind.clone()),
        ("state", o.state.clone()),
    ] {
        if let Some(v) = value {
            out.push((name, v));
        }
    }
    out
}

/// The fewest query words a result may match: most of them, two thirds
/// rounded up (1 of 1, 2 of 2 or 3, 3 of 4, 4 of 5 or 6…).
pub(super) fn min_words(n: usize) -> usize {
    (2 * n).div_ceil(3)
}

/// The documents that match at least [`min_words`] of the words, a
/// frequent word counting as matched: `need` of the `required` words, or
/// any word if that is none (docs/search.md, "Heads and tails").
fn candidates((scores, required, need, marked): &(Scores, u32, u32, u32)) -> Vec<Ranked> {
    let (mask, min) = if *need == 0 { (u32::MAX, 1) } else { (*required, *need) };
    scores
        .iter()
        .filter(|(_, s)| (s.words & mask).count_ones() >= min)
        .map(|(&doc, s)| Ranked {
            doc,
            score: s.score,
            name: s.name,
            words: s.words.count_ones(),
            whole: s.whole.count_ones(),
            loose: (s.words & marked & !s.exact).count_ones(),
        })
        .collect()
}

/// Adds up every kind of match for every document; with the words that are
/// not frequent, a bit each, how many of them a document must match
/// (docs/search.md, "Heads and tails"), and the words typed with marks.
fn score(index: &Index, q: &QueryWords) -> Result<(Scores, u32, u32, u32)> {
    let mut scores = Scores::new();
    let n = q.words.len();
    let completing = q.prefix && q.words[n - 1].folded.chars().count() >= MIN_PREFIX_CHARS;
    // The dictionary first: if too few words are in it, nothing can match,
    // and no posting list need be read.
    let mut found: Vec<(Option<Entry>, Vec<Entry>)> = Vec::with_capacity(n);
    for (i, w) in q.words.iter().enumerate() {
        let more = if completing && i == n - 1 { completions(index, w)? } else { Vec::new() };
        found.push((index.lookup(&w.loose)?, more));
    }
    let present = found.iter().filter(|(e, more)| e.is_some() || !more.is_empty()).count();
    if present < min_words(n) {
        return Ok((scores, 0, 0, 0));
    }
    // A word is frequent when only the head of its list (or of one of its
    // completions') will be read: it adds to the score, but is not required.
    let cut = |e: &Entry| matches!(e.target, Target::Split { .. }) && !index.tails.get();
    let required = found
        .iter()
        .enumerate()
        .filter(|(_, (e, more))| !(e.as_ref().is_some_and(cut) || more.iter().any(cut)))
        .fold(0u32, |m, (i, _)| m | 1 << i);
    let frequent = n as u32 - required.count_ones();
    let need = (min_words(n) as u32).saturating_sub(frequent);
    for (i, (w, (entry, more))) in q.words.iter().zip(found).enumerate() {
        let mut best: BTreeMap<u32, (u64, bool)> = BTreeMap::new();
        if let Some(e) = entry {
            let p = index.postings(&e)?;
            for (doc, impact) in p.docs.iter().zip(&p.impacts) {
                best.insert(*doc, (WORD * u64::from(e.scale) * u64::from(*impact), true));
            }
        }
        for e in more {
            let p = index.postings(&e)?;
            for (doc, impact) in p.docs.iter().zip(&p.impacts) {
                let s = COMPLETION * u64::from(e.scale) * u64::from(*impact);
                let slot = best.entry(*doc).or_insert((0, false));
                slot.0 = slot.0.max(s);
            }
        }
        for (doc, (s, whole)) in best {
            let entry = scores.entry(doc).or_default();
            entry.score += s;
            entry.words |= 1 << i;
            if whole {
                entry.whole |= 1 << i;
            }
        }
        if w.exact != w.folded {
            if let Some(e) = index.lookup(&exact_term(&w.loose, &w.exact))? {
                add_exact(&mut scores, &index.postings(&e)?, e.scale, i);
            }
        }
    }
    for i in 1..n {
        if !q.words[i].joined {
            continue;
        }
        let (a, b) = (&q.words[i - 1], &q.words[i]);
        let mut best: BTreeMap<u32, u64> = BTreeMap::new();
        let phrase = phrase_term(&a.loose, &b.loose);
        if let Some(e) = index.lookup(&phrase)? {
            add_max(&mut best, &index.postings(&e)?, e.scale, PHRASE);
        }
        if completing && i == n - 1 {
            let mut found: Vec<Entry> = index
                .range(&phrase_term(&a.loose, &b.folded))?
                .into_iter()
                .filter(|e| e.term != phrase)
                .collect();
            found.sort_by(|x, y| y.df.cmp(&x.df).then(x.term.cmp(&y.term)));
            for e in found.into_iter().take(EXPANSIONS) {
                add_max(&mut best, &index.postings(&e)?, e.scale, COMPLETION);
            }
        }
        for (doc, s) in best {
            if let Some(entry) = scores.get_mut(&doc) {
                entry.score += s;
            }
        }
    }
    if !q.name.is_empty() {
        if let Some(e) = index.lookup(&q.name)? {
            for doc in index.postings(&e)?.docs {
                if let Some(entry) = scores.get_mut(&doc) {
                    entry.name = true;
                }
            }
        }
    }
    // The words typed with marks (docs/search.md, "Searching", step 9).
    let marked =
        q.words.iter().enumerate().filter(|(_, w)| w.exact != w.folded).fold(0u32, |m, (i, _)| m | 1 << i);
    Ok((scores, required, need, marked))
}

/// The words the last, unfinished word may become: terms and English word
/// forms starting with it, most frequent first.
pub(super) fn completions(index: &Index, w: &Token) -> Result<Vec<Entry>> {
    let mut found: Vec<Entry> = Vec::new();
    let add = |e: Entry, found: &mut Vec<Entry>| {
        if e.term != w.loose && is_word_term(&e.term) && !found.iter().any(|f| f.term == e.term) {
            found.push(e);
        }
    };
    for e in index.range(&w.folded)? {
        add(e, &mut found);
    }
    for alias in index.range(&format!("^{}", w.folded))? {
        if let Target::Alias(to) = &alias.target {
            if let Some(e) = index.lookup(to)? {
                add(e, &mut found);
            }
        }
    }
    found.sort_by(|x, y| y.df.cmp(&x.df).then(x.term.cmp(&y.term)));
    found.truncate(EXPANSIONS);
    Ok(found)
}

fn add_max(best: &mut BTreeMap<u32, u64>, p: &Postings, scale: u32, weight: u64) {
    for (doc, impact) in p.docs.iter().zip(&p.impacts) {
        let s = weight * u64::from(scale) * u64::from(*impact);
        let slot = best.entry(*doc).or_insert(0);
        *slot = (*slot).max(s);
    }
}

/// Marks word `i` as matched exactly, with its bonus; only in documents the
/// word already matched (an exact form is also a loose one).
fn add_exact(scores: &mut Scores, p: &Postings, scale: u32, i: usize) {
    for (doc, impact) in p.docs.iter().zip(&p.impacts) {
        if let Some(entry) = scores.get_mut(doc) {
            entry.score += EXACT * u64::from(scale) * u64::from(*impact);
            entry.exact |= 1 << i;
        }
    }
}

/// The words of a text and, for each that matches the query, the bit of
/// the query word it matches (0 for none). A compound of the text matches
/// when its parts run together match ("Hue-S" for "hue-s").
fn matches(analyzer: &mut Analyzer, text: &str, q: &QueryWords) -> (Vec<Token>, Vec<u32>) {
    let tokens = analyzer.tokens(text);
    let last = q.words.last().map(|w| w.folded.as_str()).unwrap_or("");
    let completing = q.prefix && last.chars().count() >= MIN_PREFIX_CHARS;
    let n = q.words.len();
    let bit = |loose: &str, folded: &str| -> u32 {
        let mut bits = 0;
        for (i, w) in q.words.iter().enumerate() {
            if w.loose == loose || (completing && i == n - 1 && folded.starts_with(last)) {
                bits |= 1 << i;
            }
        }
        bits
    };
    let hits: Vec<u32> = tokens.iter().map(|t| bit(&t.loose, &t.folded)).collect();
    let mut hits = phrased(&tokens, hits, q);
    for g in compounds(text, &tokens) {
        let folded: String = tokens[g.clone()].iter().map(|t| t.folded.as_str()).collect();
        let exact: String = tokens[g.clone()].iter().map(|t| t.exact.as_str()).collect();
        let whole = analyzer.whole(&exact, &folded);
        let b = bit(&whole.loose, &whole.folded);
        if b != 0 {
            hits[g].iter_mut().for_each(|h| *h |= b);
        }
    }
    (tokens, hits)
}

/// Of the words of a query phrase, those the text has in the phrase: word
/// `k` keeps query word `i` joined to a neighbour only if the text word
/// before (after) it is joined to it and matches the query word before
/// (after), so "quỹ đầu tư" does not light the "quy" of "quy chế"; a query
/// word joined to none is kept wherever it is. If that keeps nothing, every
/// match (docs/search.md, "Snippets").
fn phrased(tokens: &[Token], hits: Vec<u32>, q: &QueryWords) -> Vec<u32> {
    let n = q.words.len();
    let in_phrase = (1..n).filter(|&i| q.words[i].joined).fold(0u32, |m, i| m | 1 << i | 1 << (i - 1));
    if in_phrase == 0 {
        return hits;
    }
    let kept: Vec<u32> = (0..hits.len())
        .map(|k| {
            let h = hits[k];
            let mut keep = h & !in_phrase;
            for i in (0..n).filter(|&i| h & in_phrase & 1 << i != 0) {
                let before = i > 0
                    && q.words[i].joined
                    && k > 0
                    && tokens[k].joined
                    && hits[k - 1] & 1 << (i - 1) != 0;
                let after = i + 1 < n
                    && q.words[i + 1].joined
                    && k + 1 < tokens.len()
                    && tokens[k + 1].joined
                    && hits[k + 1] & 1 << (i + 1) != 0;
                if before || after {
                    keep |= 1 << i;
                }
            }
            keep
        })
        .collect();
    if kept.iter().any(|&b| b != 0) { kept } else { hits }
}

/// The snippet: the window of [`SNIPPET_WORDS`] words with the most query
/// words, from [`SNIPPET_BEFORE`] words before a match, escaped, matches in
/// `<mark>`; `lead` (a task's lead and deadline) when the text has no match
/// (docs/search.md, "Snippets").
pub fn snippet(analyzer: &mut Analyzer, text: &str, lead: &str, q: &QueryWords) -> String {
    let (tokens, hits) = matches(analyzer, text, q);
    let n = tokens.len();
    if n == 0 {
        return escape(if lead.is_empty() { text } else { lead });
    }
    let mut best: Option<(u32, usize, usize)> = None;
    for h in (0..n).filter(|&k| hits[k] != 0) {
        let s = h.saturating_sub(SNIPPET_BEFORE);
        let window = &hits[s..n.min(s + SNIPPET_WORDS)];
        let words = window.iter().fold(0, |acc, b| acc | b).count_ones();
        let count = window.iter().filter(|&&b| b != 0).count();
        if best.is_none_or(|(w, c, _)| (words, count) > (w, c)) {
            best = Some((words, count, s));
        }
    }
    let Some((_, _, s)) = best else {
        if !lead.is_empty() {
            return escape(lead);
        }
        return cut(text, &tokens, &hits, 0);
    };
    cut(text, &tokens, &hits, s)
}

/// The [`SNIPPET_WORDS`] words of `text` from word `s`, with `… ` and ` …`
/// where cut.
fn cut(text: &str, tokens: &[Token], hits: &[u32], s: usize) -> String {
    let n = tokens.len();
    let e = n.min(s + SNIPPET_WORDS);
    let from = if s == 0 { 0 } else { tokens[s].start };
    let to = if e == n { text.len() } else { tokens[e - 1].end };
    let mut out = String::new();
    if s > 0 {
        out.push_str("… ");
    }
    out.push_str(&mark(text, from, to, &tokens[s..e], &hits[s..e]));
    if e < n {
        out.push_str(" …");
    }
    out
}

/// `text[from..to]` escaped, with runs of matching words (a phrase, or a
/// compound) wrapped in one `<mark>`.
fn mark(text: &str, from: usize, to: usize, tokens: &[Token], hits: &[u32]) -> String {
    let mut out = String::new();
    let mut at = from;
    let mut k = 0;
    while k < tokens.len() {
        if hits[k] == 0 {
            k += 1;
            continue;
        }
        let mut j = k;
        while j + 1 < tokens.len() && hits[j + 1] != 0 && {
            let gap = &text[tokens[j].end..tokens[j + 1].start];
            gap.chars().all(char::is_whitespace) || compound_gap(gap)
        } {
            j += 1;
        }
        out.push_str(&escape(&text[at..tokens[k].start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[tokens[k].start..tokens[j].end]));
        out.push_str("</mark>");
        at = tokens[j].end;
        k = j + 1;
    }
    out.push_str(&escape(&text[at..to]));
    out
}

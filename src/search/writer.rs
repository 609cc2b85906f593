//! Writes one language's static index (docs/search.md, "Files"): scores
//! every term of every document once, at build time, so that a reader only
//! adds small integers, and splits the result into files small enough that
//! a query downloads only the pieces it needs.

use super::abbrev::Abbreviations;
use super::docs::{Doc, FIELD_WEIGHTS};
use super::format::{Entry, FORMAT, Postings, Target, encode, encode_shard, encoded_len};
use super::part::{FILTERS, Part, json};
use super::terms::Vocab;
use crate::output::OutputFile;
use crate::text::Lang;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// A dictionary shard is closed once it reaches this many bytes.
pub const SHARD_BYTES: usize = 1024;
/// A posting file is closed once it reaches this many bytes.
pub const POSTINGS_FILE_BYTES: usize = 1024;
/// Posting lists this small live in their dictionary entry.
pub const INLINE_BYTES: usize = 48;
/// A posting list whose encoding is longer than this is cut in two: a head
/// of its [`HEAD_DOCS`] postings of highest impact (and [`HEAD_PER_KIND`]
/// of each kind's), read first, and a tail
/// read only when the head does not give enough results
/// (docs/search.md, "Heads and tails").
pub const SPLIT_BYTES: usize = 2048;
pub const HEAD_DOCS: usize = 1024;
/// A head also holds each kind's this many postings of highest impact, so
/// that a query filtered by kind (plans only, say) finds its results in the
/// heads even where tasks fill the first [`HEAD_DOCS`].
pub const HEAD_PER_KIND: usize = 32;
/// Documents per fragment file.
pub const FRAGMENT_DOCS: usize = 1;
/// The largest term scale; with impacts of at most 15 a posting scores < 2¹⁶.
pub const MAX_SCALE: f64 = 4095.0;
const K1: f64 = 1.2;
/// Length normalisation per field (title, body, metadata). A title is a
/// task's whole statement: a long one is no less about each of its words,
/// so it is normalised less than a body, where length is mostly other
/// matter (with 0.75 for titles too, short titles won on the query set
/// wherever two tasks share a phrase: 86 % first, 89 % with 0.4).
const B: [f64; 3] = [0.4, 0.75, 0.75];

/// `meta.json`: what a reader loads first.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    lang: &'a str,
    docs: usize,
    fragment_docs: usize,
    /// Per dictionary shard `d/<i>.bin`, the shortest prefix of its first
    /// term that sorts after the previous shard's last ("" for the first).
    shards: Vec<String>,
}

/// A term's postings, scored and encoded, before its scale is known.
struct Scored {
    id: u32,
    df: usize,
    /// The term's highest score.
    max: f64,
    /// The posting list, or its head if it is cut.
    bytes: Vec<u8>,
    /// A cut list's tail: the head's document count and the tail's bytes.
    tail: Option<(usize, Vec<u8>)>,
}

/// The index files of one language, under `search/<lang>/`, with every
/// document analysed afresh.
pub fn write(lang: Lang, docs: &[Doc], abbrev: Abbreviations) -> Vec<OutputFile> {
    let mut vocab = Vocab::default();
    vocab.abbrev = abbrev;
    let analysed = vocab.analyse(lang, &docs.iter().collect::<Vec<_>>());
    let part = Part::new(docs, analysed, vocab.rank(), &mut Vec::new());
    write_parts(lang, &vocab, &[&part], &mut Scores { once: true, ..Scores::default() }, None)
}

/// The index files of one language from its documents in parts, in order,
/// whose term numbers are `vocab`'s. `scores` holds the last scoring of
/// these parts, if any; `changed`, when known, the terms of every document
/// that changed since, in place (same parts, same documents in each).
pub fn write_parts(
    lang: Lang,
    vocab: &Vocab,
    parts: &[&Part],
    scores: &mut Scores,
    changed: Option<&HashSet<u32>>,
) -> Vec<OutputFile> {
    let dir = format!("search/{}", lang.code());
    let mut packer = Packer::default();
    scores.update(vocab, parts, changed);
    let dictionary = dictionary(vocab, parts, &mut scores.scored, scores.once, &mut packer);
    let filters = filters(parts, &mut packer);
    let mut files = packer.finish(&dir);
    let mut shards = Vec::new();
    let mut start = 0;
    for end in shard_ends(&dictionary) {
        files.push(OutputFile::new(
            format!("{dir}/d/{}.bin", shards.len()),
            encode_shard(&dictionary[start..end]),
        ));
        let before = start.checked_sub(1).map_or("", |i| dictionary[i].term.as_str());
        shards.push(separator(before, &dictionary[start].term));
        start = end;
    }
    let rows: Vec<&[u8]> = parts.iter().flat_map(|p| p.rows.iter().map(Vec::as_slice)).collect();
    for (i, chunk) in rows.chunks(FRAGMENT_DOCS).enumerate() {
        files.push(OutputFile::new(format!("{dir}/f/{i}.json"), fragment(chunk)));
    }
    let meta =
        Meta { format: FORMAT, lang: lang.code(), docs: rows.len(), fragment_docs: FRAGMENT_DOCS, shards };
    files.push(OutputFile::new(format!("{dir}/meta.json"), json(&meta)));
    // One file per filter, so that a filter by kind does not read the
    // list of every plan and agency.
    for (name, values) in &filters {
        files.push(OutputFile::new(format!("{dir}/filters/{name}.json"), json(values)));
    }
    files
}

/// The dictionary in term order: the terms that occur, their postings
/// placed by `packer`, and the aliases of the documents' word forms.
fn dictionary(
    vocab: &Vocab,
    parts: &[&Part],
    scored: &mut [Option<Scored>],
    once: bool,
    packer: &mut Packer,
) -> Vec<Entry> {
    let global_max = scored.iter().flatten().map(|s| s.max).fold(0.0_f64, f64::max);
    let mut aliased = vec![false; vocab.len()];
    for a in parts.iter().flat_map(|p| p.aliases.iter().flatten()) {
        aliased[*a as usize] = true;
    }
    let mut dictionary = Vec::new();
    for &id in vocab.order() {
        if let Some(to) = vocab.alias_of(id).filter(|_| aliased[id as usize]) {
            let target = Target::Alias(vocab.name(to).to_string());
            dictionary.push(Entry { term: vocab.name(id).to_string(), df: 0, scale: 0, target });
        } else if let Some(s) = scored.get_mut(id as usize).and_then(Option::as_mut) {
            let scale =
                if global_max > 0.0 { (s.max / global_max * MAX_SCALE).round().max(1.0) } else { 1.0 };
            let entry = Entry {
                term: vocab.name(id).to_string(),
                df: s.df,
                scale: scale as u32,
                target: Target::Inline(Vec::new()),
            };
            dictionary.push(packer.place(entry, &s.bytes, s.tail.as_ref()));
            if once {
                // Freed as it is packed.
                (s.bytes, s.tail) = (Vec::new(), None);
            }
        }
    }
    dictionary
}

/// Per term with postings, in term order: its number, document frequency
/// and its runs of postings, a range of `runs`.
type Runs<'a> = (Vec<(u32, usize, Range<usize>)>, Vec<Run<'a>>);

/// One part's postings of a term: the part's first document number, and
/// `(document in the part, counts per field)`.
type Run<'a> = (u32, &'a [(u32, [u32; 3])]);

/// Which parts' postings make up each term's, parts in order.
fn runs<'a>(vocab: &Vocab, parts: &[&'a Part]) -> Runs<'a> {
    let mut df = vec![0usize; vocab.len()];
    let mut next = vec![0usize; vocab.len()];
    for part in parts {
        for g in 0..part.groups.len() {
            let (term, postings) = part.group(g);
            df[term as usize] += postings.len();
            next[term as usize] += 1;
        }
    }
    let mut terms = Vec::new();
    let mut total = 0;
    for &id in vocab.order() {
        let count = next[id as usize];
        if count > 0 {
            next[id as usize] = total;
            terms.push((id, df[id as usize], total..total + count));
            total += count;
        }
    }
    let mut runs: Vec<Run> = vec![(0, &[]); total];
    let mut first = 0;
    for part in parts {
        for g in 0..part.groups.len() {
            let (term, postings) = part.group(g);
            let at = &mut next[term as usize];
            runs[*at] = (first, postings);
            *at += 1;
        }
        first += part.len() as u32;
    }
    (terms, runs)
}

/// Average field lengths are rounded to this fraction of a word. BM25
/// needs no finer average, and with it an edit that lengthens or shortens
/// one document leaves every other document's length normalisation, and
/// so its scores, as they were: a session scores again only the terms of
/// the documents that changed.
const AVG_STEP: f64 = 16.0;

/// What every score depends on besides its term's postings: the number of
/// documents and the average field lengths, rounded.
#[derive(Clone, Copy, PartialEq)]
struct Stats {
    n: f64,
    avg: [f64; 3],
}

impl Stats {
    fn of(parts: &[&Part]) -> Stats {
        let lens = || parts.iter().flat_map(|p| &p.lens);
        let n = lens().count().max(1) as f64;
        let mut avg = [0.0_f64; 3];
        for doc in lens() {
            for (f, len) in doc.iter().enumerate() {
                avg[f] += f64::from(*len) / n;
            }
        }
        Stats { n, avg: avg.map(|a| (a * AVG_STEP).round() / AVG_STEP) }
    }
}

/// The last scoring of one language's index, per term number, kept by a
/// session between rebuilds.
#[derive(Default)]
pub struct Scores {
    stats: Option<Stats>,
    /// Per term number, its scored postings (`None`: it has none).
    scored: Vec<Option<Scored>>,
    /// How many terms the last update scored, and how many have postings.
    pub last: (usize, usize),
    /// Not kept for another build: the posting lists move into the posting
    /// files instead of being copied (a build holds the index once, not twice).
    once: bool,
}

impl Scores {
    /// Scores the terms of `parts` with BM25 and field weights
    /// (docs/search.md, "Scores"): only those in `changed` when the last
    /// scoring had the same statistics, every term otherwise.
    fn update(&mut self, vocab: &Vocab, parts: &[&Part], changed: Option<&HashSet<u32>>) {
        let stats = Stats::of(parts);
        let changed = changed.filter(|_| self.stats == Some(stats) && self.scored.len() <= vocab.len());
        if changed.is_none() {
            self.scored.clear();
        }
        self.scored.resize_with(vocab.len(), || None);
        self.stats = Some(stats);
        for &t in changed.into_iter().flatten() {
            if let Some(slot) = self.scored.get_mut(t as usize) {
                *slot = None;
            }
        }
        let (terms, runs) = runs(vocab, parts);
        let total = terms.len();
        let todo: Vec<_> =
            terms.into_iter().filter(|(id, ..)| changed.is_none_or(|c| c.contains(id))).collect();
        self.last = (todo.len(), total);
        for s in score(stats, parts, &todo, &runs) {
            let id = s.id as usize;
            self.scored[id] = Some(s);
        }
    }
}

/// Each term of `todo`'s scored postings, and each posting's impact.
fn score(stats: Stats, parts: &[&Part], todo: &[(u32, usize, Range<usize>)], runs: &[Run]) -> Vec<Scored> {
    let Stats { n, avg } = stats;
    let norms: Vec<Norms> = parts.iter().flat_map(|p| &p.lens).map(|l| Norms::new(l, &avg)).collect();
    let kinds: Vec<u8> = parts.iter().flat_map(|p| p.kinds.iter().copied()).collect();
    todo.par_iter()
        .with_min_len(8)
        .map_init(Scratch::default, |s, &(id, df, ref range)| {
            let idf = (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
            s.clear();
            for &(first, postings) in &runs[range.clone()] {
                for (d, tf) in postings {
                    let d = first + d;
                    s.docs.push(d);
                    s.raw.push(norms[d as usize].weighted(tf) * idf);
                }
            }
            let max = s.raw.iter().copied().fold(0.0_f64, f64::max);
            s.impacts.extend(s.raw.iter().map(|&r| impact(r, max)));
            // Impacts alone take df / 2 bytes: a list that long is cut
            // without measuring its encoding.
            let long =
                df > HEAD_DOCS && (df / 2 > SPLIT_BYTES || encoded_len(&s.docs, &s.impacts) > SPLIT_BYTES);
            if long {
                s.split(&kinds);
                let tail = Some((s.head.docs.len(), encode(&s.tail.docs, &s.tail.impacts)));
                return Scored { id, df, max, bytes: encode(&s.head.docs, &s.head.impacts), tail };
            }
            Scored { id, df, max, bytes: encode(&s.docs, &s.impacts), tail: None }
        })
        .collect()
}

/// One thread's buffers for scoring term after term without allocating.
#[derive(Default)]
struct Scratch {
    docs: Vec<u32>,
    raw: Vec<f64>,
    impacts: Vec<u8>,
    head: Postings,
    tail: Postings,
}

impl Scratch {
    fn clear(&mut self) {
        self.docs.clear();
        self.raw.clear();
        self.impacts.clear();
    }

    /// Cuts the list in `docs` and `impacts` into `head` and `tail` ([`split`]).
    fn split(&mut self, kinds: &[u8]) {
        let Scratch { docs, impacts, head, tail, .. } = self;
        split(docs, impacts, kinds, head, tail);
    }
}

/// A long list's head and its tail, both in document order. The head is
/// its [`HEAD_DOCS`] postings of highest impact and, of each kind of
/// document (`kinds`, by document), that kind's [`HEAD_PER_KIND`] of
/// highest impact; among equal impacts the lower document first.
///
/// Impacts are 1–15, so each selection is found by counting, not sorting:
/// every posting above the impact where it fills up, and of those at that
/// impact the first ones in document order.
fn split(docs: &[u32], impacts: &[u8], kinds: &[u8], head: &mut Postings, tail: &mut Postings) {
    let kind_of = |doc: u32| usize::from(kinds.get(doc as usize).copied().unwrap_or(0)).min(KINDS - 1);
    let mut all = Quota::new(HEAD_DOCS, impacts.iter().copied());
    let mut per_kind: [Quota; KINDS] = std::array::from_fn(|k| {
        let of_kind = docs.iter().zip(impacts).filter(|&(&d, _)| kind_of(d) == k).map(|(_, &i)| i);
        Quota::new(HEAD_PER_KIND, of_kind)
    });
    for part in [&mut *head, &mut *tail] {
        part.docs.clear();
        part.impacts.clear();
    }
    for (&doc, &impact) in docs.iter().zip(impacts) {
        // Both selections see every posting of theirs, so both count it.
        let in_all = all.take(impact);
        let in_kind = per_kind[kind_of(doc)].take(impact);
        let part = if in_all || in_kind { &mut *head } else { &mut *tail };
        part.docs.push(doc);
        part.impacts.push(impact);
    }
}

/// The number of document kinds ([`crate::web::SEARCH_KINDS`]).
const KINDS: usize = crate::web::SEARCH_KINDS.len();

/// A selection of the `size` highest impacts of a run of postings, taken
/// in document order: every posting above the `cut` impact, and the first
/// `at_cut` at it.
struct Quota {
    cut: usize,
    at_cut: usize,
}

impl Quota {
    fn new(size: usize, impacts: impl Iterator<Item = u8>) -> Quota {
        let mut count = [0usize; 16];
        impacts.for_each(|i| count[usize::from(i).min(15)] += 1);
        let (mut above, mut cut) = (0, 15);
        while cut > 0 && above + count[cut] < size {
            above += count[cut];
            cut -= 1;
        }
        Quota { cut, at_cut: size.saturating_sub(above) }
    }

    /// Whether the next posting of the run, of `impact`, is selected.
    fn take(&mut self, impact: u8) -> bool {
        let level = usize::from(impact).min(15);
        let taken = level > self.cut || level == self.cut && self.at_cut > 0;
        if level == self.cut && taken {
            self.at_cut -= 1;
        }
        taken
    }
}

/// A document's field length normalisation, and what a word found once in
/// each field adds to its score (the common case, so computed once).
struct Norms {
    norm: [f64; 3],
    once: [f64; 3],
}

impl Norms {
    fn new(lens: &[u32; 3], avg: &[f64; 3]) -> Norms {
        let norm = std::array::from_fn(|f| 1.0 - B[f] + B[f] * f64::from(lens[f]) / avg[f].max(1.0));
        let once = std::array::from_fn(|f| Norms::field(f, 1.0, &norm));
        Norms { norm, once }
    }

    /// A word's term frequency part of BM25 in field `f`.
    fn field(f: usize, tf: f64, norm: &[f64; 3]) -> f64 {
        FIELD_WEIGHTS[f] * tf * (K1 + 1.0) / (tf + K1 * norm[f])
    }

    /// A posting's BM25 sum over the fields that have the word, before `idf`.
    fn weighted(&self, tf: &[u32; 3]) -> f64 {
        if tf.iter().all(|&n| n <= 1) {
            // Without branches: an absent field adds 0.0, which changes no
            // positive sum, so this is the sum below to the bit.
            let [a, b, c] = tf.map(f64::from);
            return self.once[0] * a + self.once[1] * b + self.once[2] * c;
        }
        (0..3)
            .filter(|&f| tf[f] > 0)
            .map(|f| if tf[f] == 1 { self.once[f] } else { Norms::field(f, f64::from(tf[f]), &self.norm) })
            .sum::<f64>()
    }
}

/// A posting's impact, `round(r / max × 15)` within 1–15 (docs/search.md,
/// "Scores"). Multiplying by `15 / max` lands within 1e-14 of that
/// quotient, so it rounds the same way unless it is that close to a half;
/// then the division decides.
fn impact(r: f64, max: f64) -> u8 {
    if max <= 0.0 {
        return 1;
    }
    let exact = || (r / max * 15.0).round().clamp(1.0, 15.0) as u8;
    let approx = r * (15.0 / max);
    if !(0.0..=15.5).contains(&approx) {
        return exact();
    }
    let whole = approx as u8;
    let frac = approx - f64::from(whole);
    if (frac - 0.5).abs() < 1e-9 {
        return exact();
    }
    (whole + u8::from(frac > 0.5)).clamp(1, 15)
}

/// Fills posting files in term order, keeping small lists inline.
#[derive(Default)]
struct Packer {
    files: Vec<Vec<u8>>,
    /// The last file holds a tail: what comes next starts a new file, so
    /// that reading a head never reads a tail.
    sealed: bool,
}

impl Packer {
    fn place(&mut self, mut entry: Entry, bytes: &[u8], tail: Option<&(usize, Vec<u8>)>) -> Entry {
        entry.target = if let Some((head_df, tail)) = tail {
            let head_df = *head_df;
            let head = self.append(bytes);
            self.sealed = true;
            let tail = self.append(tail);
            self.sealed = true;
            Target::Split { head_df, head, tail }
        } else if bytes.len() <= INLINE_BYTES {
            Target::Inline(bytes.to_vec())
        } else {
            let [file, offset, len] = self.append(bytes);
            Target::File { file, offset, len }
        };
        entry
    }

    /// Appends a list; returns its file, offset and length.
    fn append(&mut self, bytes: &[u8]) -> [usize; 3] {
        if self.sealed || self.files.last().is_none_or(|f| f.len() >= POSTINGS_FILE_BYTES) {
            self.files.push(Vec::new());
            self.sealed = false;
        }
        let file = self.files.len() - 1;
        let offset = self.files[file].len();
        let len = bytes.len();
        self.files[file].extend_from_slice(bytes);
        [file, offset, len]
    }

    fn finish(self, dir: &str) -> Vec<OutputFile> {
        self.files
            .into_iter()
            .enumerate()
            .map(|(i, b)| OutputFile::new(format!("{dir}/p/{i}.bin"), b))
            .collect()
    }
}

/// Where one filter value's documents are: `[file, offset, length, count]`.
type FilterLists = BTreeMap<&'static str, BTreeMap<String, [usize; 4]>>;

/// The filter lists (agency, kind, plan, year), placed in posting files in
/// filter then value order.
fn filters(parts: &[&Part], packer: &mut Packer) -> FilterLists {
    let mut lists = FilterLists::new();
    for (f, filter) in FILTERS.into_iter().enumerate() {
        let mut values: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut first = 0;
        for part in parts {
            for (value, docs) in &part.filters[f] {
                values.entry(value).or_default().extend(docs.iter().map(|d| first + d));
            }
            first += part.len() as u32;
        }
        let mut values: Vec<(&str, Vec<u32>)> = values.into_iter().collect();
        values.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let placed: BTreeMap<String, [usize; 4]> = values
            .into_iter()
            .map(|(value, docs)| {
                let count = docs.len();
                let bytes = encode(&docs, &[]);
                let [file, offset, len] = packer.append(&bytes);
                (value.to_string(), [file, offset, len, count])
            })
            .collect();
        if !placed.is_empty() {
            lists.insert(filter, placed);
        }
    }
    lists
}

/// Where each dictionary shard ends: a shard is closed once its encoding
/// reaches [`SHARD_BYTES`].
fn shard_ends(entries: &[Entry]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut start = 0;
    let mut approx = 0;
    for (i, e) in entries.iter().enumerate() {
        approx += e.term.len() + 8 + if let Target::Inline(b) = &e.target { b.len() } else { 0 };
        if approx >= SHARD_BYTES {
            let size = encode_shard(&entries[start..=i]).len();
            if size >= SHARD_BYTES {
                ends.push(i + 1);
                start = i + 1;
                approx = 0;
            } else {
                approx = size;
            }
        }
    }
    if start < entries.len() || ends.is_empty() && !entries.is_empty() {
        ends.push(entries.len());
    }
    ends
}

/// The shortest prefix of `first` that sorts after `before` (the last term
/// of the previous shard): what `meta.json` lists for a shard, since a
/// lookup only asks which shard a term would fall in.
fn separator(before: &str, first: &str) -> String {
    let mut end = first.char_indices().map(|(i, _)| i).chain([first.len()]).skip(1);
    let cut = end.find(|&i| &first[..i] > before).unwrap_or(first.len());
    if before.is_empty() { String::new() } else { first[..cut].to_string() }
}

/// A fragment file: per document `[url, title, kind, plan, agencies, text]`.
fn fragment(rows: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(row);
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// docs/search.md's definition, dividing.
    fn defined(r: f64, max: f64) -> u8 {
        if max > 0.0 { (r / max * 15.0).round().clamp(1.0, 15.0) as u8 } else { 1 }
    }

    proptest! {
        #[test]
        fn impacts_are_the_defined_ones(max in 1e-6f64..1e6, share in 0.0f64..=1.0) {
            let r = max * share;
            prop_assert_eq!(impact(r, max), defined(r, max));
        }

        #[test]
        fn impacts_next_to_a_half_are_the_defined_ones(max in 1e-6f64..1e6, k in 0u32..=30, ulps in -4i64..=4) {
            let r = f64::from_bits((max * f64::from(k) / 30.0).to_bits().saturating_add_signed(ulps)).min(max);
            prop_assert_eq!(impact(r, max), defined(r, max));
        }

        #[test]
        fn a_head_is_the_highest_impacts_and_each_kinds_highest(
            postings in proptest::collection::vec((1u8..=15, 0u8..5), HEAD_DOCS + 1..HEAD_DOCS * 3),
            rare in 0u8..5,
        ) {
            let docs: Vec<u32> = (0..postings.len() as u32).map(|d| d * 3).collect();
            let mut impacts: Vec<u8> = postings.iter().map(|p| p.0).collect();
            // One kind rare and low, as plans are among tasks: only its quota
            // puts it in the head.
            let mut kinds = vec![0u8; docs.last().map_or(0, |&d| d as usize + 1)];
            for (k, &(_, kind)) in postings.iter().enumerate() {
                kinds[docs[k] as usize] = if k % 40 == 0 { rare } else { kind % 4 + u8::from(kind % 4 >= rare) };
                if k % 40 == 0 { impacts[k] = 1; }
            }
            // The definition: sort by impact, highest first, lower document
            // first among equals; the first HEAD_DOCS, and of each kind its
            // first HEAD_PER_KIND.
            let mut order: Vec<usize> = (0..docs.len()).collect();
            order.sort_by(|&a, &b| impacts[b].cmp(&impacts[a]).then(a.cmp(&b)));
            let mut in_head: Vec<usize> = order[..HEAD_DOCS].to_vec();
            for kind in 0..5u8 {
                in_head.extend(order.iter().filter(|&&k| kinds[docs[k] as usize] == kind).take(HEAD_PER_KIND));
            }
            in_head.sort_unstable();
            in_head.dedup();
            let (mut head, mut tail) = (Postings::default(), Postings::default());
            split(&docs, &impacts, &kinds, &mut head, &mut tail);
            prop_assert_eq!(&head.docs, &in_head.iter().map(|&k| docs[k]).collect::<Vec<_>>());
            prop_assert_eq!(&head.impacts, &in_head.iter().map(|&k| impacts[k]).collect::<Vec<_>>());
            prop_assert_eq!(head.docs.len() + tail.docs.len(), docs.len());
            prop_assert!(tail.docs.windows(2).all(|w| w[0] < w[1]));
            let rare_in_head = head.docs.iter().filter(|&&d| kinds[d as usize] == rare).count();
            let rare_all = docs.iter().filter(|&&d| kinds[d as usize] == rare).count();
            prop_assert_eq!(rare_in_head, rare_all.min(HEAD_PER_KIND));
        }
    }

    #[test]
    fn a_shard_is_named_by_the_shortest_prefix_after_the_previous_shard() {
        assert_eq!(separator("", "=các"), "");
        assert_eq!(separator("khoa", "khoi"), "khoi");
        assert_eq!(separator("dau", "dong"), "do");
        assert_eq!(separator("co", "cong"), "con");
        assert_eq!(separator("=dan", "=đường"), "=đ", "whole characters");
    }

    #[test]
    fn a_word_once_in_each_field_scores_as_the_sum_over_fields() {
        let norms = Norms::new(&[4, 30, 7], &[5.0, 20.0, 6.0]);
        for tf in [[1, 0, 0], [0, 1, 1], [1, 1, 1], [2, 0, 1], [0, 3, 0]] {
            let defined: f64 =
                (0..3).filter(|&f| tf[f] > 0).map(|f| Norms::field(f, f64::from(tf[f]), &norms.norm)).sum();
            assert_eq!(norms.weighted(&tf).to_bits(), defined.to_bits(), "{tf:?}");
        }
    }
}

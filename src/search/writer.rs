//! Writes one language's static index (docs/search.md, "Files"): scores
//! every term of every document once, at build time, so that a reader only
//! adds small integers, and splits the result into files small enough that
//! a query downloads only the pieces it needs.

use super::abbrev::Abbreviations;
use super::docs::{Doc, FIELD_WEIGHTS};
use super::format::{Entry, FORMAT, Postings, Target, encode_postings, encode_shard};
use super::part::{FILTERS, Part, json};
use super::terms::Vocab;
use crate::output::OutputFile;
use crate::text::Lang;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// A dictionary shard is closed once it reaches this many bytes.
pub const SHARD_BYTES: usize = 1024;
/// A posting file is closed once it reaches this many bytes.
pub const POSTINGS_FILE_BYTES: usize = 1024;
/// Posting lists this small live in their dictionary entry.
pub const INLINE_BYTES: usize = 48;
/// A posting list whose encoding is longer than this is cut in two: a head
/// of its [`HEAD_DOCS`] postings of highest impact, read first, and a tail
/// read only when the head does not give enough results
/// (docs/search.md, "Heads and tails").
pub const SPLIT_BYTES: usize = 2048;
pub const HEAD_DOCS: usize = 1024;
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
    write_parts(lang, &vocab, &[&part])
}

/// The index files of one language from its documents in parts, in order,
/// whose term numbers are `vocab`'s.
pub fn write_parts(lang: Lang, vocab: &Vocab, parts: &[&Part]) -> Vec<OutputFile> {
    let dir = format!("search/{}", lang.code());
    let mut packer = Packer::default();
    let dictionary = dictionary(vocab, parts, score(vocab, parts), &mut packer);
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
fn dictionary(vocab: &Vocab, parts: &[&Part], scored: Vec<Scored>, packer: &mut Packer) -> Vec<Entry> {
    let global_max = scored.iter().map(|s| s.max).fold(0.0_f64, f64::max);
    let mut aliased = vec![false; vocab.len()];
    for a in parts.iter().flat_map(|p| p.aliases.iter().flatten()) {
        aliased[*a as usize] = true;
    }
    let mut scored = scored.into_iter().peekable();
    let mut dictionary = Vec::new();
    for &id in vocab.order() {
        if let Some(to) = vocab.alias_of(id).filter(|_| aliased[id as usize]) {
            let target = Target::Alias(vocab.name(to).to_string());
            dictionary.push(Entry { term: vocab.name(id).to_string(), df: 0, scale: 0, target });
        } else if let Some(s) = scored.next_if(|s| s.id == id) {
            let scale =
                if global_max > 0.0 { (s.max / global_max * MAX_SCALE).round().max(1.0) } else { 1.0 };
            let entry = Entry {
                term: vocab.name(id).to_string(),
                df: s.df,
                scale: scale as u32,
                target: Target::Inline(Vec::new()),
            };
            dictionary.push(packer.place(entry, s.bytes, s.tail));
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

/// BM25 with field weights (docs/search.md, "Scores"), for every term,
/// and each posting's impact.
fn score(vocab: &Vocab, parts: &[&Part]) -> Vec<Scored> {
    let lens = || parts.iter().flat_map(|p| &p.lens);
    let n = lens().count().max(1) as f64;
    let mut avg = [0.0_f64; 3];
    for doc in lens() {
        for (f, len) in doc.iter().enumerate() {
            avg[f] += f64::from(*len) / n;
        }
    }
    let norms: Vec<Norms> = lens().map(|l| Norms::new(l, &avg)).collect();
    let (terms, runs) = runs(vocab, parts);
    terms
        .par_iter()
        .with_min_len(8)
        .map_init(Vec::new, |raw, (id, df, range)| {
            let idf = (1.0 + (n - *df as f64 + 0.5) / (*df as f64 + 0.5)).ln();
            let mut docs = Vec::with_capacity(*df);
            raw.clear();
            for &(first, postings) in &runs[range.clone()] {
                for (d, tf) in postings {
                    let d = first + d;
                    docs.push(d);
                    raw.push(norms[d as usize].weighted(tf) * idf);
                }
            }
            let max = raw.iter().copied().fold(0.0_f64, f64::max);
            let impacts = raw.iter().map(|&r| impact(r, max)).collect();
            let whole = Postings { docs, impacts };
            let bytes = encode_postings(&whole);
            if bytes.len() > SPLIT_BYTES && *df > HEAD_DOCS {
                let (head, tail) = split(whole);
                let tail = Some((head.docs.len(), encode_postings(&tail)));
                return Scored { id: *id, df: *df, max, bytes: encode_postings(&head), tail };
            }
            Scored { id: *id, df: *df, max, bytes, tail: None }
        })
        .collect()
}

/// A long list's head, its [`HEAD_DOCS`] postings of highest impact (the
/// lower document first among equals), and its tail, both in document order.
fn split(whole: Postings) -> (Postings, Postings) {
    let mut order: Vec<usize> = (0..whole.docs.len()).collect();
    order.sort_unstable_by(|&a, &b| whole.impacts[b].cmp(&whole.impacts[a]).then(a.cmp(&b)));
    let mut in_head = vec![false; whole.docs.len()];
    order.iter().take(HEAD_DOCS).for_each(|&k| in_head[k] = true);
    let (mut head, mut tail) = (Postings::default(), Postings::default());
    for (k, (doc, impact)) in whole.docs.into_iter().zip(whole.impacts).enumerate() {
        let part = if in_head[k] { &mut head } else { &mut tail };
        part.docs.push(doc);
        part.impacts.push(impact);
    }
    (head, tail)
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
    fn place(&mut self, mut entry: Entry, bytes: Vec<u8>, tail: Option<(usize, Vec<u8>)>) -> Entry {
        entry.target = if let Some((head_df, tail)) = tail {
            let head = self.append(bytes);
            self.sealed = true;
            let tail = self.append(tail);
            self.sealed = true;
            Target::Split { head_df, head, tail }
        } else if bytes.len() <= INLINE_BYTES {
            Target::Inline(bytes)
        } else {
            let [file, offset, len] = self.append(bytes);
            Target::File { file, offset, len }
        };
        entry
    }

    /// Appends a list; returns its file, offset and length.
    fn append(&mut self, bytes: Vec<u8>) -> [usize; 3] {
        if self.sealed || self.files.last().is_none_or(|f| f.len() >= POSTINGS_FILE_BYTES) {
            self.files.push(Vec::new());
            self.sealed = false;
        }
        let file = self.files.len() - 1;
        let offset = self.files[file].len();
        let len = bytes.len();
        self.files[file].extend(bytes);
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
                let bytes = encode_postings(&Postings { docs, impacts: Vec::new() });
                let [file, offset, len] = packer.append(bytes);
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

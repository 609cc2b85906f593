//! Writes one language's static index (docs/search.md, "Files"): scores
//! every term of every document once, at build time, so that a reader only
//! adds small integers, and splits the result into files small enough that
//! a query downloads only the pieces it needs.

use super::analyzer::{Analyzer, normalize};
use super::docs::{Doc, FIELD_WEIGHTS};
use super::format::{Entry, FORMAT, Postings, Target, encode_postings, encode_shard};
use crate::output::OutputFile;
use crate::text::Lang;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A dictionary shard is closed once it reaches this many bytes.
pub const SHARD_BYTES: usize = 1024;
/// A posting file is closed once it reaches this many bytes.
pub const POSTINGS_FILE_BYTES: usize = 1024;
/// Posting lists this small live in their dictionary entry.
pub const INLINE_BYTES: usize = 48;
/// Documents per fragment file.
pub const FRAGMENT_DOCS: usize = 4;
/// The largest term scale; with impacts of at most 15 a posting scores < 2¹⁶.
pub const MAX_SCALE: f64 = 4095.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// `meta.json`: what a reader loads first.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    lang: &'a str,
    docs: usize,
    fragment_docs: usize,
    /// The first term of each dictionary shard `d/<i>.bin`.
    shards: Vec<String>,
}

/// A document's terms with their counts per field, and its field lengths.
struct Analysed {
    terms: HashMap<String, [u32; 3]>,
    lens: [u32; 3],
    aliases: Vec<(String, String)>,
}

/// The terms of one document (docs/search.md, "Terms").
fn analyse(a: &mut Analyzer, doc: &Doc) -> Analysed {
    let mut out = Analysed { terms: HashMap::new(), lens: [0; 3], aliases: Vec::new() };
    let mut key = String::new();
    let mut prev = String::new();
    for (f, text) in doc.fields.iter().enumerate() {
        let terms = &mut out.terms;
        let mut len = 0;
        prev.clear();
        a.each_word(&normalize(text), |w| {
            len += 1;
            bump(terms, w.loose, f);
            if w.exact != w.folded {
                key.clear();
                key.push('=');
                key.push_str(w.exact);
                bump(terms, &key, f);
            }
            if w.joined {
                key.clear();
                key.push('~');
                key.push_str(&prev);
                key.push(' ');
                key.push_str(w.loose);
                bump(terms, &key, f);
            }
            prev.clear();
            prev.push_str(w.loose);
        });
        out.lens[f] = len;
    }
    out.aliases =
        a.take_new_stems().into_iter().map(|(folded, loose)| (format!("^{folded}"), loose)).collect();
    out
}

/// Counts one occurrence of `term` in field `f`, allocating only for a new term.
fn bump(terms: &mut HashMap<String, [u32; 3]>, term: &str, f: usize) {
    match terms.get_mut(term) {
        Some(tf) => tf[f] += 1,
        None => {
            let mut tf = [0; 3];
            tf[f] = 1;
            terms.insert(term.to_string(), tf);
        }
    }
}

/// Per term, its documents with their counts per field.
type TermCounts<'a> = Vec<(&'a str, Vec<(u32, [u32; 3])>)>;

/// A fragment row: `[url, title, kind, plan, agencies, text]`.
type Row<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a [String], String);

/// A term's postings before quantisation.
struct Scored {
    term: String,
    docs: Vec<u32>,
    raw: Vec<f64>,
}

/// The index files of one language, under `search/<lang>/`.
pub fn write(lang: Lang, docs: &[Doc]) -> Vec<OutputFile> {
    let dir = format!("search/{}", lang.code());
    let analysed: Vec<Analysed> = docs.par_iter().map_init(|| Analyzer::new(lang), analyse).collect();
    let scored = score(&analysed);
    let global_max = scored.iter().flat_map(|s| s.raw.iter().copied()).fold(0.0_f64, f64::max);
    let entries: Vec<(Entry, Vec<u8>)> = scored.par_iter().map(|s| quantise(s, global_max)).collect();

    let mut packer = Packer::default();
    let mut dictionary: Vec<Entry> = entries.into_iter().map(|(e, bytes)| packer.place(e, bytes)).collect();
    let aliases: BTreeMap<String, String> = analysed.into_iter().flat_map(|a| a.aliases).collect();
    dictionary.extend(aliases.into_iter().map(|(term, to)| Entry {
        term,
        df: 0,
        scale: 0,
        target: Target::Alias(to),
    }));
    dictionary.sort_by(|a, b| a.term.cmp(&b.term));

    let filters = filters(docs, &mut packer);
    let mut files = packer.finish(&dir);
    let mut shards = Vec::new();
    let mut start = 0;
    for end in shard_ends(&dictionary) {
        files.push(OutputFile::new(
            format!("{dir}/d/{}.bin", shards.len()),
            encode_shard(&dictionary[start..end]),
        ));
        shards.push(dictionary[start].term.clone());
        start = end;
    }
    for (i, chunk) in docs.chunks(FRAGMENT_DOCS).enumerate() {
        files.push(OutputFile::new(format!("{dir}/f/{i}.json"), fragment(chunk)));
    }
    let meta =
        Meta { format: FORMAT, lang: lang.code(), docs: docs.len(), fragment_docs: FRAGMENT_DOCS, shards };
    files.push(OutputFile::new(format!("{dir}/meta.json"), json(&meta)));
    files.push(OutputFile::new(format!("{dir}/filters.json"), json(&filters)));
    files
}

/// BM25 with field weights (docs/search.md, "Scores"), for every term.
fn score(analysed: &[Analysed]) -> Vec<Scored> {
    let n = analysed.len().max(1) as f64;
    let mut avg = [0.0_f64; 3];
    for a in analysed {
        for (f, len) in a.lens.iter().enumerate() {
            avg[f] += f64::from(*len) / n;
        }
    }
    let mut postings: HashMap<&str, Vec<(u32, [u32; 3])>> = HashMap::new();
    for (d, a) in analysed.iter().enumerate() {
        for (term, tf) in &a.terms {
            postings.entry(term.as_str()).or_default().push((d as u32, *tf));
        }
    }
    let mut terms: TermCounts = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    terms
        .into_par_iter()
        .map(|(term, mut list)| {
            list.sort_unstable_by_key(|p| p.0);
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let raw = list
                .iter()
                .map(|(d, tf)| {
                    let lens = analysed[*d as usize].lens;
                    (0..3)
                        .filter(|&f| tf[f] > 0)
                        .map(|f| {
                            let tf = f64::from(tf[f]);
                            let norm = 1.0 - B + B * f64::from(lens[f]) / avg[f].max(1.0);
                            FIELD_WEIGHTS[f] * tf * (K1 + 1.0) / (tf + K1 * norm)
                        })
                        .sum::<f64>()
                        * idf
                })
                .collect();
            Scored { term: term.to_string(), docs: list.into_iter().map(|p| p.0).collect(), raw }
        })
        .collect()
}

/// A term's scale and 4-bit impacts, and its encoded postings.
fn quantise(s: &Scored, global_max: f64) -> (Entry, Vec<u8>) {
    let max = s.raw.iter().copied().fold(0.0_f64, f64::max);
    let scale = if global_max > 0.0 { (max / global_max * MAX_SCALE).round().max(1.0) } else { 1.0 };
    let impacts = s
        .raw
        .iter()
        .map(|r| if max > 0.0 { (r / max * 15.0).round().clamp(1.0, 15.0) as u8 } else { 1 })
        .collect();
    let bytes = encode_postings(&Postings { docs: s.docs.clone(), impacts });
    let entry = Entry {
        term: s.term.clone(),
        df: s.docs.len(),
        scale: scale as u32,
        target: Target::Inline(Vec::new()),
    };
    (entry, bytes)
}

/// Fills posting files in term order, keeping small lists inline.
#[derive(Default)]
struct Packer {
    files: Vec<Vec<u8>>,
}

impl Packer {
    fn place(&mut self, mut entry: Entry, bytes: Vec<u8>) -> Entry {
        entry.target = if bytes.len() <= INLINE_BYTES {
            Target::Inline(bytes)
        } else {
            let [file, offset, len] = self.append(bytes);
            Target::File { file, offset, len }
        };
        entry
    }

    /// Appends a list; returns its file, offset and length.
    fn append(&mut self, bytes: Vec<u8>) -> [usize; 3] {
        if self.files.last().is_none_or(|f| f.len() >= POSTINGS_FILE_BYTES) {
            self.files.push(Vec::new());
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

/// The filter lists (plan, agency, year, kind), placed in posting files.
fn filters(docs: &[Doc], packer: &mut Packer) -> FilterLists {
    let mut sets: BTreeMap<&'static str, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        let d = d as u32;
        let mut add = |filter: &'static str, value: String| {
            let list = sets.entry(filter).or_default().entry(value).or_default();
            if list.last() != Some(&d) {
                list.push(d);
            }
        };
        add("kind", doc.kind.to_string());
        if let Some(plan) = &doc.plan {
            add("plan", plan.clone());
        }
        doc.filter_agencies.iter().for_each(|a| add("agency", a.clone()));
        doc.years.iter().for_each(|y| add("year", y.to_string()));
    }
    sets.into_iter()
        .map(|(filter, values)| {
            let placed = values
                .into_iter()
                .map(|(value, docs)| {
                    let count = docs.len();
                    let bytes = encode_postings(&Postings { docs, impacts: Vec::new() });
                    let [file, offset, len] = packer.append(bytes);
                    (value, [file, offset, len, count])
                })
                .collect();
            (filter, placed)
        })
        .collect()
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

/// A fragment file: per document `[url, title, kind, plan, agencies, text]`.
fn fragment(docs: &[Doc]) -> Vec<u8> {
    let rows: Vec<Row> = docs
        .iter()
        .map(|d| {
            (
                d.url.as_str(),
                d.title.as_str(),
                d.kind,
                d.plan.as_deref(),
                d.agencies.as_slice(),
                normalize(&d.snippet_source()).into_owned(),
            )
        })
        .collect();
    json(&rows)
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain maps, strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

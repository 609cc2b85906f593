//! Documents ready to index, in parts that are kept whole between builds
//! (a plan's documents, or the agencies'): each part holds its postings
//! grouped by term, its filter values and its fragment rows, numbered
//! within the part, so the writer only stitches parts together.

use super::analyzer::normalize;
use super::docs::Doc;
use super::terms::Analysed;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::Hash;

/// The filters, each a file `filters/{name}.json`.
pub const FILTERS: [&str; 5] = ["agency", "kind", "plan", "year", "state"];

/// Consecutive documents, with everything the writer needs from them.
#[derive(Debug, Default)]
pub struct Part {
    /// Per document: field lengths in words.
    pub lens: Vec<[u32; 3]>,
    /// Per document: its kind, as its place in [`crate::web::SEARCH_KINDS`].
    pub kinds: Vec<u8>,
    /// Per document: its `[url, title, kind, plan, agencies, text, state]` row as JSON.
    pub rows: Vec<Vec<u8>>,
    /// Per term, in term order: its number and where its postings end in
    /// `postings`. Term order, so that the writer, going through the terms
    /// in order, reads each part's postings front to back.
    pub groups: Vec<(u32, u32)>,
    /// `(document in the part, counts per field)`, grouped by term, in
    /// document order within a group.
    pub postings: Vec<(u32, [u32; 3])>,
    /// Per document: its aliases (`^folded` terms).
    pub aliases: Vec<Vec<u32>>,
    /// Per filter of [`FILTERS`]: each value with its documents in the part.
    pub filters: [Vec<(String, Vec<u32>)>; 5],
}

/// A kind's place in [`crate::web::SEARCH_KINDS`], for the heads' quota
/// per kind (documents only have those kinds; any other would share the
/// first kind's quota).
fn kind_number(kind: &str) -> u8 {
    let place = crate::web::SEARCH_KINDS.iter().position(|&k| k == kind).unwrap_or(0);
    u8::try_from(place).unwrap_or(0)
}

impl Part {
    /// A part of `docs`, with their analyses; `rank` is the vocabulary's
    /// (their terms' places in term order). `scratch` is reused between parts
    /// made on one thread.
    pub fn new(docs: &[Doc], analysed: Vec<Analysed>, rank: &[u32], scratch: &mut Vec<u32>) -> Part {
        let (groups, postings) = group(&analysed, rank, scratch);
        let lens = analysed.iter().map(|a| a.lens).collect();
        Part {
            lens,
            kinds: docs.iter().map(|d| kind_number(d.kind)).collect(),
            rows: docs.iter().map(row).collect(),
            groups,
            postings,
            aliases: analysed.into_iter().map(|a| a.aliases).collect(),
            filters: filters(docs),
        }
    }

    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// The postings of the `g`-th term group, and the term.
    pub fn group(&self, g: usize) -> (u32, &[(u32, [u32; 3])]) {
        let start = if g == 0 { 0 } else { self.groups[g - 1].1 as usize };
        let (term, end) = self.groups[g];
        (term, &self.postings[start..end as usize])
    }

    /// Its documents' analyses again, to keep those whose fields did not change.
    pub fn analysed(&self) -> Vec<Analysed> {
        let mut out: Vec<Analysed> = self
            .lens
            .iter()
            .zip(&self.aliases)
            .map(|(&lens, aliases)| Analysed { terms: Vec::new(), lens, aliases: aliases.clone() })
            .collect();
        for g in 0..self.groups.len() {
            let (term, postings) = self.group(g);
            for &(d, tf) in postings {
                out[d as usize].terms.push((term, tf));
            }
        }
        out
    }
}

/// Postings grouped by term, in term order.
type Grouped = (Vec<(u32, u32)>, Vec<(u32, [u32; 3])>);

/// The documents' postings grouped by term, by counting each term's
/// documents first so that every posting lands in place. `scratch` gets a
/// slot per term number and is left zeroed.
fn group(analysed: &[Analysed], rank: &[u32], scratch: &mut Vec<u32>) -> Grouped {
    scratch.resize(rank.len().max(scratch.len()), 0);
    let mut seen = Vec::new();
    for a in analysed {
        for &(t, _) in &a.terms {
            if scratch[t as usize] == 0 {
                seen.push(t);
            }
            scratch[t as usize] += 1;
        }
    }
    seen.sort_unstable_by_key(|&t| rank[t as usize]);
    let mut groups = Vec::with_capacity(seen.len());
    let mut end = 0;
    for &t in &seen {
        let count = scratch[t as usize];
        scratch[t as usize] = end;
        end += count;
        groups.push((t, end));
    }
    let mut postings = vec![(0, [0; 3]); end as usize];
    for (d, a) in analysed.iter().enumerate() {
        for &(t, tf) in &a.terms {
            let at = &mut scratch[t as usize];
            postings[*at as usize] = (d as u32, tf);
            *at += 1;
        }
    }
    seen.iter().for_each(|&t| scratch[t as usize] = 0);
    (groups, postings)
}

/// Each filter's values (docs/search.md, "Files") with their documents.
fn filters(docs: &[Doc]) -> [Vec<(String, Vec<u32>)>; 5] {
    let (mut agency, mut kind, mut plan, mut year, mut state) =
        (HashMap::new(), HashMap::new(), HashMap::new(), HashMap::new(), HashMap::new());
    for (d, doc) in docs.iter().enumerate() {
        let d = d as u32;
        add(&mut kind, doc.kind, d);
        if let Some(p) = &doc.plan {
            add(&mut plan, p.as_str(), d);
        }
        doc.filter_agencies.iter().for_each(|a| add(&mut agency, a.as_str(), d));
        doc.years.iter().for_each(|&y| add(&mut year, y, d));
        if let Some(s) = doc.state {
            add(&mut state, s, d);
        }
    }
    let named = |m: HashMap<&str, Vec<u32>>| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let years = year.into_iter().map(|(y, v): (i32, _)| (y.to_string(), v)).collect();
    [named(agency), named(kind), named(plan), years, named(state)]
}

/// Adds document `d` to a filter value's list, once.
fn add<K: Hash + Eq>(lists: &mut HashMap<K, Vec<u32>>, key: K, d: u32) {
    let list = lists.entry(key).or_default();
    if list.last() != Some(&d) {
        list.push(d);
    }
}

/// A fragment row: `[url, title, kind, plan, agencies, text]`.
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a [String],
    String,
    Option<&'a str>,
    &'a str,
    bool,
    &'a str,
);

/// A document's row in its fragment file, as JSON.
fn row(d: &Doc) -> Vec<u8> {
    let row: Row = (
        d.url.as_str(),
        d.title.as_str(),
        d.kind,
        d.plan.as_deref(),
        d.agencies.as_slice(),
        normalize(&d.snippet_source()).into_owned(),
        d.state,
        d.place.as_str(),
        d.draft,
        d.lead.as_str(),
    );
    json(&row)
}

pub fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain maps, strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms::Vocab;
    use crate::text::Lang;

    fn doc(kind: &'static str, plan: &str, title: &str, years: Vec<i32>) -> Doc {
        Doc {
            kind,
            plan: Some(plan.into()),
            years,
            fields: [title.into(), "thực hiện".into(), String::new()],
            ..Doc::default()
        }
    }

    #[test]
    fn a_part_groups_postings_by_term_and_gives_its_analyses_back() {
        let docs = [
            doc("task", "p", "Đào tạo nhân lực", vec![2025, 2026]),
            doc("task", "p", "Nhân lực số", vec![2026]),
        ];
        let mut vocab = Vocab::default();
        let analysed = vocab.analyse(Lang::Vi, &docs.iter().collect::<Vec<_>>());
        let part = Part::new(&docs, analysed.clone(), vocab.rank(), &mut Vec::new());
        let terms: Vec<&str> = (0..part.groups.len()).map(|g| vocab.name(part.group(g).0)).collect();
        let mut sorted = terms.clone();
        sorted.sort_unstable();
        assert_eq!(terms, sorted, "groups in term order");
        let nhan = (0..part.groups.len()).find(|&g| vocab.name(part.group(g).0) == "nhan").expect("nhan");
        assert_eq!(part.group(nhan).1.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        let sort = |mut a: Vec<Analysed>| {
            a.iter_mut().for_each(|a| a.terms.sort_unstable());
            a
        };
        assert_eq!(sort(part.analysed()), sort(analysed));
        let years: Vec<(String, Vec<u32>)> = {
            let mut y = part.filters[3].clone();
            y.sort();
            y
        };
        assert_eq!(years, [("2025".to_string(), vec![0]), ("2026".to_string(), vec![0, 1])]);
    }
}

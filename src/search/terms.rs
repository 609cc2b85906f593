//! Documents as numbered terms (docs/search.md, "Terms"): each distinct term
//! of a language gets a number once, so that scoring a million postings
//! moves numbers instead of hashing strings, and a document analysed once
//! can be kept between builds (`SearchCache`).

use super::abbrev::Abbreviations;
use super::analyzer::{
    Analyzer, EXACT_MARK, MAX_COMPOUND_PARTS, MAX_TOKEN_BYTES, PHRASE_MARK, compound_gap, exact_term,
    merged_words, name_term, normalize, phrase_term,
};
use super::docs::Doc;
use crate::text::Lang;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// The alias target of a term that is not an alias.
const NONE: u32 = u32::MAX;

/// One document's terms, by number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysed {
    /// Each term once, with its counts in the title, body and metadata.
    pub terms: Vec<(u32, [u32; 3])>,
    /// Field lengths in words.
    pub lens: [u32; 3],
    /// The `^folded` aliases of its English word forms, each once.
    pub aliases: Vec<u32>,
}

/// Terms numbered in the order first seen; an alias knows its `loose` term.
#[derive(Default)]
struct Terms {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    alias_of: Vec<u32>,
}

impl Terms {
    fn id(&mut self, term: &str) -> u32 {
        match self.ids.get(term) {
            Some(&id) => id,
            None => self.insert(term.to_string()),
        }
    }

    fn id_owned(&mut self, term: String) -> u32 {
        match self.ids.get(&term) {
            Some(&id) => id,
            None => self.insert(term),
        }
    }

    fn insert(&mut self, term: String) -> u32 {
        let id = self.names.len() as u32;
        self.ids.insert(term.clone(), id);
        self.names.push(term);
        self.alias_of.push(NONE);
        id
    }
}

/// The terms of one language across builds: numbers never change, and the
/// numbers are also kept in term (byte) order, the order of the dictionary.
#[derive(Default)]
pub struct Vocab {
    /// The abbreviations whose other forms documents get as hidden words.
    pub abbrev: Abbreviations,
    terms: Terms,
    order: Vec<u32>,
    /// Per term number, its place in `order`.
    rank: Vec<u32>,
}

impl Vocab {
    /// How many terms have a number (some may no longer occur).
    pub fn len(&self) -> usize {
        self.terms.names.len()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.terms.names[id as usize]
    }

    /// The `loose` term an alias (`^folded`) stands for.
    pub fn alias_of(&self, id: u32) -> Option<u32> {
        Some(self.terms.alias_of[id as usize]).filter(|&to| to != NONE)
    }

    /// Every term number, in term order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Per term number, its place in term order. New terms shift places,
    /// but never the order of two terms.
    pub fn rank(&self) -> &[u32] {
        &self.rank
    }

    /// Analyses `docs` (in parallel batches) and numbers their terms.
    pub fn analyse(&mut self, lang: Lang, docs: &[&Doc]) -> Vec<Analysed> {
        let size = (docs.len() / (4 * rayon::current_num_threads())).max(64);
        let abbrev = &self.abbrev;
        let batches: Vec<Batch> = docs
            .par_chunks(size)
            .map_init(|| Analyzer::new(lang), |a, d| Batch::analyse(a, d, abbrev))
            .collect();
        let first_new = self.len();
        let mut out = Vec::with_capacity(docs.len());
        for batch in batches {
            out.extend(self.link(batch));
        }
        self.order_from(first_new);
        out
    }

    /// Renumbers a batch's documents with this vocabulary's numbers.
    fn link(&mut self, batch: Batch) -> Vec<Analysed> {
        let Batch { terms, mut docs, .. } = batch;
        let map: Vec<u32> = terms.names.into_iter().map(|t| self.terms.id_owned(t)).collect();
        for (local, &to) in terms.alias_of.iter().enumerate() {
            if to != NONE {
                self.terms.alias_of[map[local] as usize] = map[to as usize];
            }
        }
        for doc in &mut docs {
            doc.terms.iter_mut().for_each(|t| t.0 = map[t.0 as usize]);
            doc.aliases.iter_mut().for_each(|a| *a = map[*a as usize]);
        }
        docs
    }

    /// Merges the terms numbered from `first_new` on into the term order.
    fn order_from(&mut self, first_new: usize) {
        let names = &self.terms.names;
        let mut new: Vec<u32> = (first_new as u32..names.len() as u32).collect();
        if new.is_empty() {
            return;
        }
        new.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < new.len() {
            if names[old[i] as usize] <= names[new[j] as usize] {
                merged.push(old[i]);
                i += 1;
            } else {
                merged.push(new[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&new[j..]);
        self.rank = vec![0; merged.len()];
        for (place, &id) in merged.iter().enumerate() {
            self.rank[id as usize] = place as u32;
        }
        self.order = merged;
    }
}

/// Documents analysed on one thread, their terms numbered within the batch.
#[derive(Default)]
struct Batch {
    terms: Terms,
    docs: Vec<Analysed>,
    /// Per term: its place in the current document's terms, plus one.
    slot: Vec<u32>,
}

impl Batch {
    fn analyse(a: &mut Analyzer, docs: &[&Doc], abbrev: &Abbreviations) -> Batch {
        let mut batch = Batch::default();
        for doc in docs {
            let analysed = batch.doc(a, doc, abbrev);
            batch.docs.push(analysed);
        }
        batch
    }

    /// The terms of one document (docs/search.md, "Terms"): its fields, the
    /// hidden words of each field (counted with it, not in its length),
    /// and its names as whole-name terms.
    fn doc(&mut self, a: &mut Analyzer, doc: &Doc, abbrev: &Abbreviations) -> Analysed {
        let mut out = Analysed::default();
        // An agency's aliases already list the forms its name is written in.
        let table = (!abbrev.is_empty() && doc.kind != "agency").then_some(abbrev);
        for f in 0..3 {
            out.lens[f] = self.field(a, &mut out, &doc.fields[f], f, table);
            if !doc.extra[f].is_empty() {
                self.field(a, &mut out, &doc.extra[f], f, None);
            }
        }
        for name in &doc.names {
            // Compounds run together, as a query reads them.
            let words = merged_words(a, &normalize(name));
            let key = name_term(&words);
            if !key.is_empty() {
                self.count(&mut out, &key, 0);
            }
        }
        for &(t, _) in &out.terms {
            self.slot[t as usize] = 0;
        }
        out.aliases.sort_unstable();
        out.aliases.dedup();
        out
    }

    /// Counts the terms of `text` in field `f`, and those of the other forms
    /// of its abbreviations and long forms (`abbrev`); returns its length in
    /// words.
    fn field(
        &mut self,
        a: &mut Analyzer,
        out: &mut Analysed,
        text: &str,
        f: usize,
        abbrev: Option<&Abbreviations>,
    ) -> u32 {
        // With an abbreviation table: each word's folded and loose forms and
        // whether it is joined to the one before, to match and to place
        // the other forms.
        let mut seen: Vec<(String, String, bool)> = Vec::new();
        let mut len = 0;
        let mut key = String::new();
        let mut prev = String::new();
        // The compound being read ("Hue-S"): its parts run together.
        let (mut c_exact, mut c_folded, mut c_parts, mut c_start) =
            (String::new(), String::new(), 0usize, 0usize);
        let mut prev_end = 0;
        let text = normalize(text);
        // Compounds: exact and folded forms run together, first and end word.
        let mut wholes: Vec<(String, String, usize, usize)> = Vec::new();
        a.each_word(&text, |w| {
            len += 1;
            if c_parts > 0 && c_parts < MAX_COMPOUND_PARTS && compound_gap(&text[prev_end..w.start]) {
                c_exact.push_str(w.exact);
                c_folded.push_str(w.folded);
                c_parts += 1;
            } else {
                if c_parts > 1 {
                    wholes.push((
                        std::mem::take(&mut c_exact),
                        std::mem::take(&mut c_folded),
                        c_start,
                        c_start + c_parts,
                    ));
                }
                c_start = len as usize - 1;
                c_exact.clear();
                c_exact.push_str(w.exact);
                c_folded.clear();
                c_folded.push_str(w.folded);
                c_parts = 1;
            }
            prev_end = w.end;
            if abbrev.is_some() {
                seen.push((w.folded.to_string(), w.loose.to_string(), w.joined));
            }
            self.count(out, w.loose, f);
            if w.exact != w.folded {
                key.clear();
                key.push_str(w.loose);
                key.push(EXACT_MARK);
                key.push_str(w.exact);
                self.count(out, &key, f);
            }
            if w.joined {
                key.clear();
                key.push_str(&prev);
                key.push(PHRASE_MARK);
                key.push_str(w.loose);
                self.count(out, &key, f);
            }
            if w.folded != w.loose {
                self.alias(out, w.folded, w.loose);
            }
            prev.clear();
            prev.push_str(w.loose);
        });
        if c_parts > 1 {
            wholes.push((c_exact, c_folded, c_start, c_start + c_parts));
        }
        if let Some(table) = abbrev {
            self.expand(a, out, table, &seen, &wholes, f);
        }
        for (exact, folded, ..) in wholes {
            if folded.len() > MAX_TOKEN_BYTES {
                continue;
            }
            let whole = a.whole(&exact, &folded);
            self.count(out, &whole.loose, f);
            if whole.exact != whole.folded {
                self.count(out, &exact_term(&whole.loose, &whole.exact), f);
            }
            if whole.folded != whole.loose {
                self.alias(out, &whole.folded, &whole.loose);
            }
        }
        len
    }

    /// Counts the other forms of the abbreviations and long forms among a
    /// field's words (`seen`), and the phrases they make in that place with
    /// the words around them ("chuyển đổi số doanh nghiệp" also reads
    /// "CĐS doanh nghiệp").
    fn expand(
        &mut self,
        a: &mut Analyzer,
        out: &mut Analysed,
        table: &Abbreviations,
        seen: &[(String, String, bool)],
        wholes: &[(String, String, usize, usize)],
        f: usize,
    ) {
        let folded: Vec<String> = seen.iter().map(|w| w.0.clone()).collect();
        let compounds: Vec<(usize, usize, String)> =
            wholes.iter().map(|(_, w, s, e)| (*s, *e, w.clone())).collect();
        for (s, e, other) in table.expansions(&folded, &compounds) {
            self.field(a, out, other, f, None);
            let words = merged_words(a, &normalize(other));
            let (Some(first), Some(last)) = (words.first(), words.last()) else { continue };
            if s > 0 && seen[s].2 {
                self.count(out, &phrase_term(&seen[s - 1].1, &first.loose), f);
            }
            if e < seen.len() && seen[e].2 {
                self.count(out, &phrase_term(&last.loose, &seen[e].1), f);
            }
        }
    }

    /// Records the `^folded` alias of an English word form.
    fn alias(&mut self, out: &mut Analysed, folded: &str, loose: &str) {
        let alias = self.terms.id(&format!("^{folded}"));
        if self.terms.alias_of[alias as usize] == NONE {
            self.terms.alias_of[alias as usize] = self.terms.id(loose);
        }
        out.aliases.push(alias);
    }

    /// Counts one occurrence of `term` in field `f` of the current document.
    fn count(&mut self, out: &mut Analysed, term: &str, f: usize) {
        let id = self.terms.id(term) as usize;
        if id >= self.slot.len() {
            self.slot.resize(id + 1, 0);
        }
        match self.slot[id] {
            0 => {
                let mut tf = [0; 3];
                tf[f] = 1;
                out.terms.push((id as u32, tf));
                self.slot[id] = out.terms.len() as u32;
            }
            at => out.terms[at as usize - 1].1[f] += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Doc {
        Doc { fields: [title.into(), body.into(), String::new()], ..Doc::default() }
    }

    fn named(vocab: &Vocab, a: &Analysed) -> Vec<(String, [u32; 3])> {
        let mut terms: Vec<_> = a.terms.iter().map(|&(t, tf)| (vocab.name(t).to_string(), tf)).collect();
        terms.sort();
        terms
    }

    #[test]
    fn terms_are_counted_per_field_with_phrases_and_exact_forms() {
        let mut vocab = Vocab::default();
        let a = vocab.analyse(Lang::Vi, &[&doc("Khoa học", "khoa, học")]);
        let tf = |t: &str| named(&vocab, &a[0]).into_iter().find(|(n, _)| n == t).map(|(_, tf)| tf);
        assert_eq!(tf("khoa"), Some([1, 1, 0]));
        assert_eq!(tf("hoc\u{2}học"), Some([1, 1, 0]));
        assert_eq!(tf("khoa\u{3}hoc"), Some([1, 0, 0]), "a comma breaks the phrase");
        assert_eq!(a[0].lens, [2, 2, 0]);
    }

    #[test]
    fn numbers_stay_and_the_order_follows_the_bytes() {
        let mut vocab = Vocab::default();
        let first = vocab.analyse(Lang::En, &[&doc("planning zebra", "")]);
        let plan = first[0].terms[0].0;
        let second = vocab.analyse(Lang::En, &[&doc("the plans", "")]);
        assert!(second[0].terms.iter().any(|&(t, _)| t == plan), "the same term keeps its number");
        let names: Vec<&str> = vocab.order().iter().map(|&t| vocab.name(t)).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        let aliases: Vec<(&str, &str)> = second[0]
            .aliases
            .iter()
            .filter_map(|&a| Some((vocab.name(a), vocab.name(vocab.alias_of(a)?))))
            .collect();
        assert_eq!(aliases, [("^plans", "plan")]);
    }
}

//! The search index of a `plansite serve` session, kept between builds: a
//! rebuild collects and analyses again only the documents of plans that
//! changed, then scores and writes the whole index from term numbers, which
//! gives the bytes of a full build (every score depends on the whole site).

use super::abbrev::Abbreviations;
use super::docs::{self, Doc};
use super::part::Part;
use super::terms::{Analysed, Vocab};
use super::writer::{self, Scores};
use crate::error::Result;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::Lang;
use crate::web::base_path;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The search index kept between builds of one session, so that a rebuild
/// re-analyses only the documents of plans that changed.
///
/// Between two calls only the plans named in `changed` may have changed
/// content; anything else (site config, base URL, agencies, glossary,
/// theme) needs a fresh cache. Plans may be added, removed or reordered.
#[derive(Default)]
pub struct SearchCache {
    vi: LangCache,
    en: LangCache,
}

impl SearchCache {
    /// Every file `search::files(r)` would return, byte for byte, in the same order
    /// (the tests compare them), re-collecting and re-analysing only the documents of
    /// plans whose id is in `changed` or that the cache has not seen. Documents of
    /// other plans are taken from the cache. Agencies' documents are collected on the first call only.
    pub fn files(&mut self, r: &Resolved, changed: &BTreeSet<String>) -> Result<Vec<OutputFile>> {
        let base = base_path(&r.site.config.base_url);
        let SearchCache { vi, en } = self;
        let (vi, en) =
            rayon::join(|| vi.files(r, Lang::Vi, &base, changed), || en.files(r, Lang::En, &base, changed));
        Ok(super::with_client(vi, en))
    }
}

/// One language's documents in parts, its terms and their scores.
#[derive(Default)]
struct LangCache {
    vocab: Vocab,
    scores: Scores,
    /// Per part (plans, then agencies) at the last build: its plan id and
    /// number of documents, which number every document.
    layout: Vec<(String, usize)>,
    /// Per plan, in the last build's order: its id, documents and part.
    plans: Vec<(String, Stored)>,
    /// `None` until the first build.
    agencies: Option<Part>,
}

/// A plan's documents, kept to tell which ones changed, and its part.
#[derive(Default)]
struct Stored {
    docs: Vec<Doc>,
    part: Part,
}

impl LangCache {
    fn files(&mut self, r: &Resolved, lang: Lang, base: &str, changed: &BTreeSet<String>) -> Vec<OutputFile> {
        if self.agencies.is_none() {
            self.vocab.abbrev = Abbreviations::of(r.site, lang);
            let docs = docs::agency_docs(r, lang, base);
            self.agencies = self.store(lang, vec![(docs, None)]).0.pop().map(|s| s.part);
        }
        let edited = self.update_plans(r, lang, base, changed);
        let layout: Vec<(String, usize)> = (self.plans.iter().map(|(id, s)| (id.clone(), s.part.len())))
            .chain(self.agencies.iter().map(|a| (String::new(), a.len())))
            .collect();
        // Edited terms are all that changed only if every document kept its number.
        let edited = edited.filter(|_| layout == self.layout);
        self.layout = layout;
        let parts: Vec<&Part> =
            self.plans.iter().map(|(_, s)| &s.part).chain(self.agencies.as_ref()).collect();
        writer::write_parts(lang, &self.vocab, &parts, &mut self.scores, edited.as_ref())
    }

    /// Brings the plans' documents in line with the site: plans changed or
    /// not seen are collected again, the others kept, removed ones dropped.
    /// Returns the terms of the documents that changed in place, if every
    /// plan collected again had been seen with as many documents.
    fn update_plans(&mut self, r: &Resolved, lang: Lang, base: &str, changed: &BTreeSet<String>) -> Edited {
        let plans = &r.site.plans;
        let mut kept = unique(std::mem::take(&mut self.plans));
        let in_site = unique(plans.iter().map(|p| (p.id.clone(), ())).collect());
        let fresh: Vec<usize> = (0..plans.len())
            .filter(|&p| {
                let id = &plans[p].id;
                changed.contains(id) || !kept.contains_key(id) || !in_site.contains_key(id)
            })
            .collect();
        let assigned = docs::assigned(r, &fresh);
        let collected: Vec<(Vec<Doc>, Option<Stored>)> = fresh
            .par_iter()
            .map(|&p| docs::plan_docs(r, p, lang, base, &assigned))
            .collect::<Vec<_>>()
            .into_iter()
            .zip(&fresh)
            .map(|(docs, &p)| (docs, kept.remove(&plans[p].id)))
            .collect();
        let (stored, edited) = self.store(lang, collected);
        let mut stored = stored.into_iter();
        let mut fresh = fresh.into_iter().peekable();
        for (p, plan) in plans.iter().enumerate() {
            let docs = match fresh.next_if_eq(&p) {
                Some(_) => stored.next(),
                None => kept.remove(&plan.id),
            };
            self.plans.push((plan.id.clone(), docs.unwrap_or_default()));
        }
        edited
    }

    /// Makes a part of each group of documents, analysing only those whose
    /// fields differ from every document the group had before. Also returns
    /// the terms, before and after, of each document that differs from the
    /// one in its place before, if every group had as many documents before.
    fn store(&mut self, lang: Lang, groups: Vec<(Vec<Doc>, Option<Stored>)>) -> (Vec<Stored>, Edited) {
        let looked_up: Vec<(Vec<Option<Analysed>>, Edited)> = groups
            .par_iter()
            .map(|(docs, before)| {
                let Some(before) = before else { return (vec![None; docs.len()], None) };
                let old = before.part.analysed();
                let known: HashMap<Searched, &Analysed> =
                    before.docs.iter().map(searched).zip(&old).collect();
                let analysed = docs.iter().map(|d| known.get(&searched(d)).copied().cloned()).collect();
                (analysed, edited_terms(docs, &before.docs, &old, &known))
            })
            .collect();
        let (mut analysed, edited): (Vec<_>, Vec<Edited>) = looked_up.into_iter().unzip();
        let mut edited: Edited =
            edited.into_iter().collect::<Option<Vec<_>>>().map(|e| e.into_iter().flatten().collect());
        let missing: Vec<&Doc> = groups
            .iter()
            .zip(&analysed)
            .flat_map(|((docs, _), a)| docs.iter().zip(a).filter(|(_, a)| a.is_none()).map(|(d, _)| d))
            .collect();
        let mut new = self.vocab.analyse(lang, &missing).into_iter();
        for a in analysed.iter_mut().flatten().filter(|a| a.is_none()) {
            *a = new.next();
            if let (Some(all), Some(a)) = (&mut edited, a) {
                all.extend(a.terms.iter().map(|&(t, _)| t));
            }
        }
        let rank = self.vocab.rank();
        let stored = groups
            .into_par_iter()
            .zip(analysed)
            .map_init(Vec::new, |scratch, ((docs, _), analysed)| {
                let analysed = analysed.into_iter().map(Option::unwrap_or_default).collect();
                let part = Part::new(&docs, analysed, rank, scratch);
                Stored { docs, part }
            })
            .collect();
        (stored, edited)
    }
}

/// The terms of the documents of `docs` that differ from the one in their
/// place in `before` (whose analyses are `old`), as they were; `None` when
/// the number of documents changed. Their terms now are those of the
/// documents analysed afresh, or of the old document with their fields
/// (`known`).
fn edited_terms(
    docs: &[Doc],
    before: &[Doc],
    old: &[Analysed],
    known: &HashMap<Searched, &Analysed>,
) -> Option<HashSet<u32>> {
    if docs.len() != before.len() {
        return None;
    }
    let mut terms = HashSet::new();
    for ((doc, was), old) in docs.iter().zip(before).zip(old) {
        if searched(doc) != searched(was) {
            terms.extend(old.terms.iter().map(|&(t, _)| t));
            if let Some(now) = known.get(&searched(doc)) {
                terms.extend(now.terms.iter().map(|&(t, _)| t));
            }
        }
    }
    Some(terms)
}

/// The terms of the documents edited in place, or `None` when documents
/// were added or removed (every document may have a new number).
type Edited = Option<HashSet<u32>>;

/// Entries by id, without the ids that occur more than once (a cache
/// cannot tell such plans apart, so they are always collected again).
/// What a document's analysis depends on.
type Searched<'a> = (&'a [String; 3], &'a [String; 3], &'a [String]);

fn searched(d: &Doc) -> Searched<'_> {
    (&d.fields, &d.extra, &d.names)
}

fn unique<T>(entries: Vec<(String, T)>) -> HashMap<String, T> {
    let mut seen: HashMap<String, Option<T>> = HashMap::new();
    for (id, value) in entries {
        match seen.get_mut(&id) {
            Some(slot) => *slot = None,
            None => {
                seen.insert(id, Some(value));
            }
        }
    }
    seen.into_iter().filter_map(|(id, v)| Some((id, v?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, prepare};
    use crate::model::{Plan, Site};
    use std::path::Path;
    use std::sync::Arc;

    /// The repository's site, as a build publishes it.
    fn repo_site() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        let options = BuildOptions {
            out: root.join("public"),
            root,
            base_url: None,
            drafts: false,
            now: None,
            today: None,
        };
        prepare(crate::load::load(&options.root).expect("load content/"), &options).expect("prepare")
    }

    fn plan(site: &mut Site, p: usize) -> &mut Plan {
        Arc::make_mut(&mut site.plans[p])
    }

    /// Where two sets of index files first differ, if they do.
    fn difference(got: &[OutputFile], want: &[OutputFile]) -> Option<String> {
        let paths = |files: &[OutputFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        if paths(got) != paths(want) {
            return Some(format!("{} files instead of {}, or in another order", got.len(), want.len()));
        }
        let (g, w) = got.iter().zip(want).find(|(g, w)| g.bytes != w.bytes)?;
        Some(format!(
            "{} differs:\n  cached: {}\n  full:   {}",
            g.path,
            String::from_utf8_lossy(&g.bytes[..g.bytes.len().min(300)]),
            String::from_utf8_lossy(&w.bytes[..w.bytes.len().min(300)])
        ))
    }

    /// Runs `cache` on `site` with `changed` and checks it gives a full build's files.
    fn rebuild(cache: &mut SearchCache, site: &Site, changed: &[&str], step: &str) -> Vec<OutputFile> {
        let r = Resolved::new(site);
        let changed: BTreeSet<String> = changed.iter().map(|s| s.to_string()).collect();
        let got = cache.files(&r, &changed).expect("cached index");
        let want = super::super::files(&r).expect("full index");
        if let Some(diff) = difference(&got, &want) {
            panic!("{step}: the cached index is not a full build's: {diff}");
        }
        got
    }

    #[test]
    fn a_first_build_is_a_full_build() {
        let site = repo_site();
        let mut cache = SearchCache::default();
        let first = rebuild(&mut cache, &site, &[], "first build");
        assert!(first.iter().any(|f| f.path == "search/vi/meta.json"));
        assert_eq!(rebuild(&mut cache, &site, &[], "nothing changed"), first);
    }

    #[test]
    fn edits_in_one_plan_give_the_bytes_of_a_full_build() {
        let mut site = repo_site();
        let mut cache = SearchCache::default();
        let first = rebuild(&mut cache, &site, &[], "first build");
        let id = site.plans[1].id.clone();

        // One task's title, with a word no other document has (a new term).
        let title = site.plans[1].tasks[0].title.clone();
        plan(&mut site, 1).tasks[0].title.vi = format!("{} xyzzyquux", title.vi);
        let edited = rebuild(&mut cache, &site, &[&id], "a task title changed");
        assert!(edited.iter().any(|f| String::from_utf8_lossy(&f.bytes).contains("xyzzyquux")));

        // Only the edited task's terms were scored again (the English
        // title did not change: none there).
        let (scored, terms) = cache.vi.scores.last;
        assert!(scored > 0 && scored * 10 < terms, "vi: {scored} of {terms} terms scored again");
        assert_eq!(cache.en.scores.last.0, 0, "en: nothing changed");

        // The word goes again, and with it its term.
        plan(&mut site, 1).tasks[0].title = title;
        assert_eq!(rebuild(&mut cache, &site, &[&id], "the title changed back"), first);

        // A task added, and another's lead agency changed (the agency filter).
        let mut extra = site.plans[1].tasks[0].clone();
        extra.id = format!("{}-extra", extra.id);
        extra.title.vi.push_str(" bổ sung");
        plan(&mut site, 1).tasks.push(extra);
        let lead = &site.plans[1].tasks[1].lead;
        let other = site.agencies.iter().map(|a| a.id.clone()).find(|a| !lead.contains(a));
        plan(&mut site, 1).tasks[1].lead = other.into_iter().collect();
        rebuild(&mut cache, &site, &[&id], "a task added and a lead changed");
    }

    #[test]
    fn plans_removed_added_and_reordered_give_the_bytes_of_a_full_build() {
        let mut site = repo_site();
        assert!(site.plans.len() >= 3, "the repository has several plans");
        let mut cache = SearchCache::default();
        rebuild(&mut cache, &site, &[], "first build");

        // A plan removed: every later document's number shifts down.
        let removed = site.plans.remove(0);
        rebuild(&mut cache, &site, &[], "a plan removed");

        // A copy of it under a new id, first: numbers shift up.
        let mut copy = (*removed).clone();
        copy.id = format!("{}-copy", copy.id);
        site.plans.insert(0, Arc::new(copy));
        rebuild(&mut cache, &site, &[], "a copy of a plan added");

        // Plans reordered, then one id twice (which a cache cannot tell apart).
        site.plans.reverse();
        rebuild(&mut cache, &site, &[], "plans reordered");
        site.plans.push(site.plans[0].clone());
        rebuild(&mut cache, &site, &[], "an id twice");
        site.plans.pop();
        rebuild(&mut cache, &site, &[], "the id once again");
    }

    #[test]
    fn plans_not_named_changed_come_from_the_cache() {
        let mut site = repo_site();
        let mut cache = SearchCache::default();
        let first = rebuild(&mut cache, &site, &[], "first build");
        plan(&mut site, 0).tasks[0].title.vi.push_str(" xyzzyquux");
        let r = Resolved::new(&site);
        let kept = cache.files(&r, &BTreeSet::new()).expect("cached index");
        assert_eq!(kept, first, "the cache trusted that nothing changed");
        assert_ne!(kept, super::super::files(&r).expect("full index"));
    }
}

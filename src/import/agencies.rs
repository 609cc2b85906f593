//! Agency mentions → registry ids. Names are compared as folded words with
//! abbreviations spelled out (KH&CN, UBND, TTTT…), plural markers and
//! punctuation ignored, so "Sở KHCN", "Sở Khoa học, Công nghệ" and "Sở Khoa
//! học và Công nghệ" are one agency. A cell naming several agencies is split
//! by the longest matches, with or without separators between them. Nothing
//! is guessed: what no registry name covers is returned as unresolved.

use super::ImportError;
use crate::text::fold;
use regex::Regex;
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

/// Abbreviations seen in plans, by their folded form.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("kh&cn", "khoa hoc cong nghe"),
    ("khcn", "khoa hoc cong nghe"),
    ("kh&dt", "ke hoach dau tu"),
    ("khdt", "ke hoach dau tu"),
    ("gd&dt", "giao duc dao tao"),
    ("gddt", "giao duc dao tao"),
    ("tt&tt", "thong tin truyen thong"),
    ("tttt", "thong tin truyen thong"),
    ("tn&mt", "tai nguyen moi truong"),
    ("tnmt", "tai nguyen moi truong"),
    ("nn&ptnt", "nong nghiep phat trien nong thon"),
    ("nnptnt", "nong nghiep phat trien nong thon"),
    ("ldtb&xh", "lao dong thuong binh xa hoi"),
    ("ldtbxh", "lao dong thuong binh xa hoi"),
    ("vhttdl", "van hoa the thao du lich"),
    ("vhtt&dl", "van hoa the thao du lich"),
    ("vhtt", "van hoa the thao"),
    ("gtvt", "giao thong van tai"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("ubmt", "uy ban mat tran"),
    ("ub", "uy ban"),
    ("mttq", "mat tran to quoc"),
    ("tq", "to quoc"),
    ("vn", "viet nam"),
    ("tw", "trung uong"),
    ("tu", "trung uong"),
    ("tp", "thanh pho"),
    ("dh", "dai hoc"),
    ("dhyd", "dai hoc y duoc"),
    ("cnsh", "cong nghe sinh hoc"),
    ("ncpt", "nghien cuu phat trien"),
    ("dtcd", "di tich co do"),
    ("khkt", "khoa hoc ky thuat"),
    ("cntt", "cong nghe thong tin"),
    ("dlcl", "do luong chat luong"),
    ("nhnn", "ngan hang nha nuoc"),
    ("kkt", "khu kinh te"),
    ("bql", "ban quan ly"),
];

/// Words that begin the name of a body: an unknown name starting with one
/// is an unresolved agency, anything else is a qualifier ("theo phân công…").
const HEAD_NOUNS: &[&str] = &[
    "sở",
    "ban",
    "bộ",
    "viện",
    "trung tâm",
    "trường",
    "ủy ban",
    "uỷ ban",
    "công an",
    "cục",
    "chi cục",
    "phòng",
    "hội",
    "liên hiệp",
    "liên minh",
    "đài",
    "báo",
    "văn phòng",
    "đại học",
    "bệnh viện",
    "quỹ",
    "ngân hàng",
    "công ty",
    "tổng công ty",
    "hiệp hội",
    "đoàn",
    "thành ủy",
    "tỉnh ủy",
    "tòa án",
    "kho bạc",
    "chi nhánh",
    "học viện",
    "bộ chỉ huy",
];

/// A word, or a separator between words.
#[derive(Debug, Clone)]
pub struct Tok {
    /// The folded word; `None` for punctuation and "và".
    pub word: Option<String>,
    /// Ends a list of names (".", ":").
    pub hard: bool,
    /// A comma (names of one body may contain one).
    pub comma: bool,
    /// The word as written, lowercased (accents kept); the folded spelling
    /// for words an abbreviation stands for.
    pub lower: String,
    /// Written with a capital (or an abbreviation): names of bodies are.
    pub capital: bool,
    /// Byte span in the text.
    pub start: usize,
    pub end: usize,
    /// Where a "các" (dropped) right before this word starts, and whether
    /// it is written "Các": a plural opens a new phrase, a capital one a
    /// collective name ("Các sở, ngành").
    pub plural: Option<(usize, bool)>,
}

/// Splits text into folded words and separators. Plural and filler words
/// ("các", "có") are dropped; abbreviations are spelled out.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |toks: &mut Vec<Tok>, s: usize, e: usize| push_word(toks, &text[s..e], s, e);
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || c == '&' || unicode_normalization::char::is_combining_mark(c);
        if word_char {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            flush(&mut toks, s, i);
        }
        if !c.is_whitespace() {
            let hard = matches!(c, '.' | ':' | '!' | '?');
            toks.push(Tok {
                word: None,
                hard,
                comma: c == ',',
                lower: String::new(),
                capital: false,
                start: i,
                end: i + c.len_utf8(),
                plural: None,
            });
        }
    }
    if let Some(s) = start {
        flush(&mut toks, s, text.len());
    }
    for t in toks.iter_mut().filter(|t| t.word.is_some()) {
        let before = text[..t.start].trim_end();
        let plural = ["các", "Các"].iter().find(|p| {
            before.ends_with(*p)
                && !before[..before.len() - p.len()].chars().next_back().is_some_and(char::is_alphanumeric)
        });
        t.plural = plural.map(|p| (before.len() - p.len(), p.starts_with('C')));
    }
    toks
}

fn push_word(toks: &mut Vec<Tok>, raw: &str, start: usize, end: usize) {
    let lower = raw.to_lowercase();
    let capital = raw.chars().next().is_some_and(char::is_uppercase);
    if lower == "các" || lower == "có" {
        return;
    }
    if lower == "và" {
        toks.push(Tok {
            word: None,
            hard: false,
            comma: false,
            lower,
            capital: false,
            start,
            end,
            plural: None,
        });
        return;
    }
    let folded = fold(raw);
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    let abbreviation = raw.contains('&')
        || folded == "tp"
        || (letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()));
    let expansion = abbreviation.then(|| ABBREVIATIONS.iter().find(|(k, _)| *k == folded)).flatten();
    let words: Vec<(String, String)> = match expansion {
        Some((_, long)) => long.split(' ').map(|w| (w.to_string(), w.to_string())).collect(),
        None => vec![(folded.replace('&', " ").split_whitespace().collect::<Vec<_>>().join(" "), lower)],
    };
    for (w, lower) in words.into_iter().filter(|(w, _)| !w.is_empty()) {
        let repeated = toks.last().is_some_and(|t| t.word.as_deref() == Some(w.as_str()));
        if !repeated {
            toks.push(Tok {
                word: Some(w),
                hard: false,
                comma: false,
                lower,
                capital,
                start,
                end,
                plural: None,
            });
        }
    }
}

/// The words of a name, as compared.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().filter_map(|t| t.word).collect()
}

/// An agency or group of the registry.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    jurisdiction: String,
    forms: Vec<Vec<String>>,
}

/// A jurisdiction and the names it goes by.
#[derive(Debug, Clone)]
pub struct Jurisdiction {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The central government's registry applies to every jurisdiction.
    pub central: bool,
}

/// The agency registry of `content/agencies/`.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub jurisdictions: Vec<Jurisdiction>,
    entries: Vec<Entry>,
    /// (jurisdiction, id, name, aliases) of every group, as written.
    groups: Vec<(String, String, String, Vec<String>)>,
}

impl Registry {
    /// Reads every `content/agencies/*.toml` under `root`.
    pub fn load(root: &Path) -> Result<Registry, ImportError> {
        let dir = root.join("content").join("agencies");
        let listing = std::fs::read_dir(&dir).map_err(|e| {
            ImportError::new(None, format!("cannot read the agency registry {}: {e}", dir.display()))
                .hint("run plansite in a site folder, or pass --root DIR")
        })?;
        let mut paths: Vec<_> = listing
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for p in paths {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| ImportError::new(None, format!("cannot read {}: {e}", p.display())))?;
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            files.push((stem, text));
        }
        Registry::from_files(&files)
    }

    /// Builds a registry from (jurisdiction id, TOML text) pairs.
    pub fn from_files(files: &[(String, String)]) -> Result<Registry, ImportError> {
        let mut reg = Registry::default();
        for (jur, text) in files {
            reg.add_file(jur, text)?;
        }
        Ok(reg)
    }

    /// Adds one registry file (a jurisdiction id and its TOML text), such
    /// as one an import is about to write.
    pub fn add_file(&mut self, jur: &str, text: &str) -> Result<(), ImportError> {
        let reg = self;
        let jur = jur.to_string();
        let value: toml::Value = toml::from_str(text).map_err(|e| {
            ImportError::new(None, format!("content/agencies/{jur}.toml is not valid TOML: {e}"))
                .hint("run `plansite check` to see the problem")
        })?;
        let j = value.get("jurisdiction");
        let name = j.and_then(|j| j.get("name")).map(vi).unwrap_or_default();
        let aliases = j.and_then(|j| j.get("aliases")).map(strings).unwrap_or_default();
        let central = fold(&name).contains("trung uong");
        reg.jurisdictions.push(Jurisdiction { id: jur.clone(), name, aliases, central });
        for table in ["agencies", "groups"] {
            for a in value.get(table).and_then(|v| v.as_array()).into_iter().flatten() {
                let Some(id) = a.get("id").and_then(|v| v.as_str()) else { continue };
                let mut names = vec![a.get("name").map(vi).unwrap_or_default()];
                names.extend(a.get("aliases").map(strings).unwrap_or_default());
                let mut forms: Vec<Vec<String>> =
                    names.iter().map(|n| words(n)).filter(|w| !w.is_empty()).collect();
                forms.sort();
                forms.dedup();
                if table == "groups" {
                    reg.groups.push((jur.clone(), id.to_string(), names[0].clone(), names[1..].to_vec()));
                }
                reg.entries.push(Entry { id: id.to_string(), jurisdiction: jur.clone(), forms });
            }
        }
        Ok(())
    }

    /// The groups of every local registry, as (id, name, aliases): the
    /// collective assignees plans use everywhere ("Các sở, ban, ngành"),
    /// offered to a new jurisdiction's registry when its document names them.
    pub fn group_templates(&self) -> Vec<(String, String, Vec<String>)> {
        self.groups
            .iter()
            .filter(|g| self.jurisdictions.iter().any(|j| j.id == g.0 && !j.central))
            .map(|g| (g.1.clone(), g.2.clone(), g.3.clone()))
            .collect()
    }

    pub fn has_jurisdiction(&self, id: &str) -> bool {
        self.jurisdictions.iter().any(|j| j.id == id)
    }

    /// The names a jurisdiction's agencies use: its own and the central government's.
    pub fn scope(&self, jurisdiction: &str) -> Scope<'_> {
        Scope::new(self, jurisdiction)
    }

    /// The jurisdiction a place name ("Thừa Thiên Huế", "Hải Phòng") belongs to.
    pub fn jurisdiction_of_place(&self, place: &str) -> Option<String> {
        let place = words(place).join(" ");
        self.jurisdictions.iter().filter(|j| !j.central).find_map(|j| {
            let names = std::iter::once(&j.name).chain(&j.aliases);
            names
                .map(|n| core_place(n))
                .any(|n| !n.is_empty() && (place == n || place.ends_with(&format!(" {n}"))))
                .then(|| j.id.clone())
        })
    }

    /// The jurisdiction whose place names the text mentions most, and how often.
    pub fn most_mentioned(&self, text: &str) -> Option<(String, usize)> {
        let folded = format!(" {} ", words(text).join(" "));
        self.jurisdictions
            .iter()
            .filter(|j| !j.central)
            .map(|j| {
                let mut places: Vec<String> =
                    std::iter::once(&j.name).chain(&j.aliases).map(|n| core_place(n)).collect();
                places.sort();
                places.dedup();
                let count: usize = places
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| folded.matches(&format!(" {p} ")).count())
                    .max()
                    .unwrap_or(0);
                (count, j.id.clone())
            })
            .filter(|(c, _)| *c > 0)
            .max()
            .map(|(c, id)| (id, c))
    }
}

/// "Thành phố Huế" → "hue"; "tỉnh Thừa Thiên Huế" → "thua thien hue".
fn core_place(name: &str) -> String {
    let w = words(name);
    let skip = match w.as_slice() {
        [a, b, ..] if a == "thanh" && b == "pho" => 2,
        [a, ..] if a == "tinh" => 1,
        _ => 0,
    };
    w[skip..].join(" ")
}

/// "Thành phố Huế" → "Huế", "Tỉnh Nghệ An" → "Nghệ An": the place as written.
pub fn core_place_as_written(name: &str) -> String {
    let f = fold(name);
    let skip = if f.starts_with("thanh pho ") {
        2
    } else if f.starts_with("tinh ") {
        1
    } else {
        0
    };
    name.split_whitespace().skip(skip).collect::<Vec<_>>().join(" ")
}

fn vi(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.get("vi").and_then(|s| s.as_str()).unwrap_or_default().to_string(),
    }
}

fn strings(v: &toml::Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

/// One name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: String,
    /// Token span.
    pub start: usize,
    pub end: usize,
    /// Byte span of the words matched.
    pub from: usize,
    pub to: usize,
    /// A separator (comma, "và"…) stood between this name and the one before.
    pub separated: bool,
    /// Matched with a one-letter difference in some word.
    pub fuzzy: bool,
}

/// What an agency cell (or a list at the start of a sentence) names.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub hits: Vec<Hit>,
    /// Names that look like agencies but are in no registry.
    pub unresolved: Vec<String>,
    /// Where each unresolved name stands (byte span in the text read).
    pub unresolved_at: Vec<(usize, usize)>,
    /// Words after the names that qualify them ("theo phân công nhiệm vụ …").
    pub qualifier: Option<String>,
    /// Share of the text's words the names cover.
    pub coverage: f32,
}

impl Names {
    pub fn ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in &self.hits {
            if !out.contains(&h.id) {
                out.push(h.id.clone());
            }
        }
        out
    }
}

/// The best chain from a token: (words covered, names, the first name as
/// (entry, start, end, fuzzy)).
type Best = (usize, usize, Option<(usize, usize, usize, bool)>);

/// Candidate names by first word.
type Index = HashMap<String, Vec<(usize, usize, usize)>>;

/// The registry as seen from one jurisdiction.
pub struct Scope<'a> {
    reg: &'a Registry,
    /// first word → (entry, form, words skipped at the form's start)
    index: Index,
    /// The same, for names in a "Các Sở: A, B, C" list, without their "Sở".
    distributive: Index,
    /// Place words a name may be followed by ("tỉnh", "thành phố Huế").
    places: Vec<Vec<String>>,
}

static DISTRIBUTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:các\s+)?(sở|ban|bộ)\s*:\s*").unwrap_or_else(|e| panic!("{e}")));

impl<'a> Scope<'a> {
    fn new(reg: &'a Registry, jurisdiction: &str) -> Scope<'a> {
        let mut index: Index = HashMap::new();
        let mut distributive: Index = HashMap::new();
        let in_scope = |e: &Entry| {
            e.jurisdiction == jurisdiction
                || reg.jurisdictions.iter().any(|j| j.central && j.id == e.jurisdiction)
        };
        for (ei, e) in reg.entries.iter().enumerate().filter(|(_, e)| in_scope(e)) {
            for (fi, form) in e.forms.iter().enumerate() {
                index.entry(form[0].clone()).or_default().push((ei, fi, 0));
                if form.len() > 1 && ["so", "ban", "bo"].contains(&form[0].as_str()) {
                    distributive.entry(form[1].clone()).or_default().push((ei, fi, 1));
                }
            }
        }
        let mut places: Vec<Vec<String>> = vec![vec!["tinh".into()], vec!["thanh".into(), "pho".into()]];
        for j in reg.jurisdictions.iter().filter(|j| j.id == jurisdiction) {
            for n in std::iter::once(&j.name).chain(&j.aliases) {
                let core = core_place(n);
                if core.is_empty() {
                    continue;
                }
                let core: Vec<String> = core.split(' ').map(str::to_string).collect();
                for level in [vec![], vec!["tinh".to_string()], vec!["thanh".to_string(), "pho".to_string()]]
                {
                    places.push(level.into_iter().chain(core.iter().cloned()).collect());
                }
            }
        }
        places.sort_by_key(|p| std::cmp::Reverse(p.len()));
        places.dedup();
        Scope { reg, index, distributive, places }
    }

    fn entry_id(&self, ei: usize) -> &str {
        &self.reg.entries[ei].id
    }

    /// Names matching at token `i`: (entry, end token, fuzzy).
    fn candidates(&self, toks: &[Tok], i: usize, distributive: bool) -> Vec<(usize, usize, bool)> {
        let Some(first) = toks[i].word.as_deref() else { return Vec::new() };
        let mut out = Vec::new();
        let lists = [self.index.get(first), if distributive { self.distributive.get(first) } else { None }];
        for &(ei, fi, skip) in lists.into_iter().flatten().flatten() {
            let form = &self.reg.entries[ei].forms[fi][skip..];
            if let Some((end, fuzzy)) = match_form(toks, i, form) {
                out.push((ei, self.place_suffix(toks, end), fuzzy));
            }
        }
        // "các cơ quan, đơn vị liên quan": a collective noun put in front of
        // a name that itself begins with one reads as that name.
        if out.is_empty() {
            if let Some(j) = collective_prefix(toks, i) {
                out.extend(
                    self.candidates(toks, j, distributive).into_iter().map(|(ei, end, _)| (ei, end, true)),
                );
            }
        }
        out
    }

    /// Extends a match over a following place ("… tỉnh", "… thành phố Huế").
    fn place_suffix(&self, toks: &[Tok], end: usize) -> usize {
        for place in &self.places {
            let fits = place
                .iter()
                .enumerate()
                .all(|(k, w)| toks.get(end + k).and_then(|t| t.word.as_ref()) == Some(w));
            if fits {
                return other(toks, end + place.len());
            }
        }
        other(toks, end)
    }

    /// The best list of names starting at token `i`: most words covered, then fewest names.
    pub fn chain(&self, toks: &[Tok], i: usize, distributive: bool) -> Vec<Hit> {
        let n = toks.len();
        // best[p] = (words covered, names, first hit and where the rest starts)
        let mut best: Vec<Best> = vec![(0, 0, None); n + 1];
        for p in (i..n).rev() {
            let mut here = (0, 0, None);
            if toks[p].word.is_none() && !toks[p].hard {
                let (w, m, _) = best[p + 1];
                if w > 0 {
                    here = (w, m, None);
                }
            }
            for (ei, end, fuzzy) in self.candidates(toks, p, distributive) {
                let covered = toks[p..end].iter().filter(|t| t.word.is_some()).count();
                let (w, m, _) = best[end];
                let cand = (covered + w, 1 + m);
                if cand.0 > here.0 || (cand.0 == here.0 && cand.1 < here.1) {
                    here = (cand.0, cand.1, Some((ei, p, end, fuzzy)));
                }
            }
            best[p] = here;
        }
        let mut hits = Vec::new();
        let mut p = i;
        let mut separated = false;
        while p < n && best[p].0 > 0 {
            match best[p].2 {
                Some((ei, s, e, fuzzy)) => {
                    hits.push(Hit {
                        id: self.entry_id(ei).to_string(),
                        start: s,
                        end: e,
                        from: toks[s].start,
                        to: toks[e - 1].end,
                        separated: separated && !hits.is_empty(),
                        fuzzy,
                    });
                    separated = false;
                    p = e;
                }
                None => {
                    separated = true;
                    p += 1;
                }
            }
        }
        hits
    }

    /// Reads a cell that should name agencies: names, unknown names, and a
    /// trailing qualifier.
    pub fn cell(&self, full: &str) -> Names {
        let offset = distributive_prefix(full);
        let (text, distributive) = (&full[offset..], offset > 0);
        let toks = tokenize(text);
        let mut names = Names::default();
        let mut p = 0;
        let mut separated = false;
        while p < toks.len() {
            if toks[p].word.is_none() {
                separated = true;
                p += 1;
                continue;
            }
            let mut hits = self.chain(&toks, p, distributive);
            for h in &mut hits {
                h.from += offset;
                h.to += offset;
            }
            if let Some(last) = hits.last() {
                p = last.end;
                if let Some(first) = hits.first_mut() {
                    first.separated = separated && !names.hits.is_empty();
                }
                names.hits.append(&mut hits);
                separated = false;
                continue;
            }
            if head_noun(&toks, p) {
                let end = unknown_name_end(&toks, p);
                names.unresolved.push(text[toks[p].start..toks[end - 1].end].trim().to_string());
                names.unresolved_at.push((toks[p].start + offset, toks[end - 1].end + offset));
                p = end;
                continue;
            }
            // "Các Sở: Công Thương, …": a capitalised name after the shared
            // head word is that head's ("Sở Công Thương").
            if distributive && toks[p].capital {
                let end = name_end(&toks, p, false);
                let head = DISTRIBUTIVE.captures(full).map(|c| c[1].to_string()).unwrap_or_default();
                names.unresolved.push(format!("{head} {}", text[toks[p].start..toks[end - 1].end].trim()));
                names.unresolved_at.push((toks[p].start + offset, toks[end - 1].end + offset));
                p = end;
                continue;
            }
            // "Các sở, ngành …" that no group covers: a collective name.
            if let (Some((from, true)), true) = (toks[p].plural, collective_name_at(&toks, p)) {
                let end = collective_end(text, &toks, p);
                let last = (p..end).rev().find(|&k| toks[k].word.is_some()).unwrap_or(p);
                names.unresolved.push(text[from..toks[last].end].trim().to_string());
                names.unresolved_at.push((from + offset, toks[last].end + offset));
                p = end;
                continue;
            }
            names.qualifier = Some(text[toks[p].start..].trim().to_string());
            break;
        }
        let total = toks.iter().filter(|t| t.word.is_some()).count().max(1);
        let covered: usize =
            names.hits.iter().map(|h| toks[h.start..h.end].iter().filter(|t| t.word.is_some()).count()).sum();
        // Names no registry knows cover their words too: a cell of them is
        // still an agency cell.
        let unknown = toks
            .iter()
            .filter(|t| {
                t.word.is_some()
                    && names.unresolved_at.iter().any(|&(a, b)| (a..b).contains(&(t.start + offset)))
            })
            .count();
        names.coverage = (covered + unknown) as f32 / total as f32;
        names
    }
}

/// Where an unknown name that begins at `p` ends: at the next separator,
/// unless the name goes on past "và" or a comma with a capitalised word
/// that starts no other body ("Sở Khoa học và Công nghệ", "Sở Lao động,
/// Thương binh và Xã hội", but "Sở Y tế, Công an tỉnh").
pub fn unknown_name_end(toks: &[Tok], p: usize) -> usize {
    name_end(toks, p, true)
}

/// [`unknown_name_end`]; `commas`: a comma may be inside the name (not in
/// a "Các Sở: A, B" list, where commas part the names).
fn name_end(toks: &[Tok], p: usize, commas: bool) -> usize {
    let mut end = p;
    while end < toks.len() {
        if end > p && (verb_at(toks, end) || toks[end].plural.is_some_and(|(_, capital)| capital)) {
            break;
        }
        if toks[end].word.is_some() {
            end += 1;
            continue;
        }
        // Over a comma only when "và" follows the next words ("Lao động,
        // Thương binh và Xã hội"): else the comma lists another body.
        let and_follows = || {
            let next_sep = (end + 1..toks.len()).find(|&k| toks[k].word.is_none());
            next_sep.is_some_and(|k| toks[k].lower == "và")
        };
        let next_is_name_word = |capital: bool| {
            toks.get(end + 1).is_some_and(|t| {
                t.word.is_some() && (t.capital || !capital) && t.plural.is_none() && !head_noun(toks, end + 1)
            }) && !verb_at(toks, end + 1)
        };
        // Over "và" into the rest of the name ("Khoa học và kỹ thuật"); over a
        // comma only into a capitalised part that "và" follows.
        let joins_name = (toks[end].lower == "và" && next_is_name_word(false))
            || (commas && toks[end].comma && and_follows() && next_is_name_word(true));
        // "UBND các xã, phường": a collective goes on over a comma in lowercase.
        let collective = toks[p..end].iter().any(|t| t.plural.is_some())
            && toks[end].comma
            && toks.get(end + 1).is_some_and(|t| t.word.is_some() && !t.capital && !verb_at(toks, end + 1));
        let joins_name = joins_name || (commas && collective);
        if !joins_name {
            break;
        }
        end += 1;
    }
    end.max(p + 1)
}

/// Nouns a collective of bodies opens with ("Các sở", "Các cơ quan",
/// "Các doanh nghiệp"), not "Các nhiệm vụ".
const COLLECTIVE_NOUNS: &[&str] = &[
    "so",
    "ban",
    "nganh",
    "co quan",
    "don vi",
    "to chuc",
    "dia phuong",
    "hoi",
    "doanh nghiep",
    "vien",
    "truong",
    "uy ban",
    "xa",
    "phuong",
    "huyen",
    "quan",
    "doan the",
    "co so",
    "hiep hoi",
    "bo",
    "tinh",
    "cap",
    "chi cuc",
    "cuc",
    "phong",
    "trung tam",
    "dai hoc",
    "hop tac xa",
    "ngan hang",
    "chu dau tu",
];

/// Does a collective of bodies ("Các sở, ngành …") open at `p`?
pub fn collective_name_at(toks: &[Tok], p: usize) -> bool {
    toks.get(p).is_some_and(|t| t.plural.is_some_and(|(_, capital)| capital)) && collective_noun_at(toks, p)
}

/// Does a plural noun of bodies ("các sở", "các cơ quan") stand at `p`, in
/// either case?
pub fn collective_noun_at(toks: &[Tok], p: usize) -> bool {
    let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    toks.get(p).is_some_and(|t| t.plural.is_some())
        && COLLECTIVE_NOUNS.iter().any(|n| n.split(' ').enumerate().all(|(k, w)| word(p + k) == Some(w)))
}

/// Where a collective name no group covers ends ("Các sở, ngành, UBND các
/// xã, phường và các đơn vị liên quan"): at a full stop or ";", a verb,
/// another "Các …", after "liên quan (khác)", or after 14 words.
pub fn collective_end(text: &str, toks: &[Tok], p: usize) -> usize {
    let word = |k: usize| toks.get(k).and_then(|t| t.word.as_deref());
    let mut words = 0;
    let mut k = p;
    while k < toks.len() {
        let t = &toks[k];
        let stop = t.hard
            || text[t.start..t.end].starts_with(';')
            || (t.comma && head_noun(toks, k + 1))
            || (k > p && (verb_at(toks, k) || t.plural.is_some_and(|(_, capital)| capital)));
        if stop {
            break;
        }
        if t.word.is_some() {
            words += 1;
            if word(k) == Some("quan") && k > 0 && word(k - 1) == Some("lien") {
                return other(toks, k + 1);
            }
            if words >= 14 {
                return k + 1;
            }
        }
        k += 1;
    }
    k
}

/// Verbs that follow the names of those who act ("Sở X chủ trì", "… xây
/// dựng …"), written in lowercase: a name no registry knows ends there.
const VERBS: &[[&str; 2]] = &[
    ["chu", "tri"],
    ["trach", "nhiem"],
    ["phoi", "hop"],
    ["tham", "muu"],
    ["thuc", "hien"],
    ["trien", "khai"],
    ["xay", "dung"],
    ["huong", "dan"],
    ["to", "chuc"],
    ["ban", "hanh"],
    ["de", "xuat"],
    ["bao", "cao"],
    ["theo", "doi"],
    ["kiem", "tra"],
    ["ho", "tro"],
    ["day", "manh"],
    ["tang", "cuong"],
    ["hoan", "thien"],
    ["cung", "cap"],
    ["can", "cu"],
    ["chu", "dong"],
    ["tiep", "tuc"],
    ["phat", "huy"],
    ["quan", "triet"],
    ["tuyen", "truyen"],
];

/// Words that begin like a body's name and are none.
const NOT_BODIES: &[[&str; 2]] = &[
    ["hoi", "thao"],
    ["hoi", "nghi"],
    ["hoi", "cho"],
    ["hoi", "thi"],
    ["truong", "hop"],
    ["phong", "chong"],
    ["phong", "ngua"],
    ["bao", "dam"],
    ["bo", "tri"],
    ["bo", "sung"],
    ["cuc", "bo"],
    ["quy", "dinh"],
    ["quy", "trinh"],
    ["quy", "hoach"],
    ["doan", "ket"],
];

/// Does a lowercase verb phrase start at token `i`? Not after "các": "các
/// tổ chức" is a noun.
pub fn verb_at(toks: &[Tok], i: usize) -> bool {
    let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    toks.get(i).is_some_and(|t| !t.capital && t.word.is_some() && t.plural.is_none())
        && VERBS.iter().any(|v| word(i) == Some(v[0]) && word(i + 1) == Some(v[1]))
}

/// Collective nouns documents use interchangeably for "bodies".
const COLLECTIVE: &[[&str; 2]] = &[["co", "quan"], ["don", "vi"], ["to", "chuc"]];

fn collective_at(toks: &[Tok], p: usize) -> bool {
    COLLECTIVE.iter().any(|c| {
        c.iter().enumerate().all(|(k, w)| toks.get(p + k).and_then(|t| t.word.as_deref()) == Some(*w))
    })
}

/// Where the second of two collective nouns begins ("cơ quan, đơn vị …").
fn collective_prefix(toks: &[Tok], p: usize) -> Option<usize> {
    if !collective_at(toks, p) {
        return None;
    }
    let mut j = p + 2;
    while toks.get(j).is_some_and(|t| t.word.is_none() && !t.hard) {
        j += 1;
    }
    collective_at(toks, j).then_some(j)
}

/// "… khác" ("other …") after a name belongs to it.
fn other(toks: &[Tok], end: usize) -> usize {
    if toks.get(end).and_then(|t| t.word.as_deref()) == Some("khac") { end + 1 } else { end }
}

/// The length of a "Các Sở:" that shares its head word with the names after it.
pub fn distributive_prefix(text: &str) -> usize {
    DISTRIBUTIVE.find(text).map_or(0, |m| m.end())
}

/// Does an agency's name (of a kind the registry may lack) begin at `p`?
pub fn head_noun(toks: &[Tok], p: usize) -> bool {
    // Bodies are proper names: "Sở Lao động …", not "bố trí", "ban hành", "báo cáo".
    if !toks.get(p).is_some_and(|t| t.capital) {
        return false;
    }
    // A sentence may open with a verb or a noun that begins like a body:
    // "Ban hành …", "Báo cáo …", "Hội thảo …", "Trường hợp …".
    let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    if VERBS.iter().chain(NOT_BODIES).any(|v| word(p) == Some(v[0]) && word(p + 1) == Some(v[1])) {
        return false;
    }
    HEAD_NOUNS.iter().any(|h| {
        h.split(' ').enumerate().all(|(k, w)| {
            toks.get(p + k).is_some_and(|t| {
                t.lower == w || (t.word.as_deref() == Some(t.lower.as_str()) && t.lower == fold(w))
            })
        })
    })
}

/// Matches a name's words at token `i`, skipping separators inside it.
fn match_form(toks: &[Tok], i: usize, form: &[String]) -> Option<(usize, bool)> {
    let (mut j, mut k, mut fuzzy) = (i, 0, false);
    while k < form.len() {
        let tok = toks.get(j)?;
        match &tok.word {
            None if tok.hard || k == 0 => return None,
            None => j += 1,
            Some(w) if *w == form[k] => {
                j += 1;
                k += 1;
            }
            Some(w) if k > 0 && close(w, &form[k]) => {
                fuzzy = true;
                j += 1;
                k += 1;
            }
            Some(_) => return None,
        }
    }
    Some((j, fuzzy))
}

/// A one-letter typo in a long word.
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()] <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let hue = r#"
[jurisdiction]
name = { vi = "Thành phố Huế" }
aliases = ["Thừa Thiên Huế"]
[[agencies]]
id = "khcn"
name = { vi = "Sở Khoa học và Công nghệ" }
aliases = ["Sở KH&CN"]
[[agencies]]
id = "tttt"
name = { vi = "Sở Thông tin và Truyền thông" }
[[agencies]]
id = "cong-thuong"
name = { vi = "Sở Công Thương" }
[[agencies]]
id = "nnmt"
name = { vi = "Sở Nông nghiệp và Môi trường" }
[[agencies]]
id = "lhh"
name = { vi = "Liên hiệp các Hội Khoa học và Kỹ thuật" }
[[agencies]]
id = "cnsh"
name = { vi = "Viện Công nghệ sinh học, Đại học Huế" }
aliases = ["Viện CNSH"]
[[agencies]]
id = "dhh"
name = { vi = "Đại học Huế" }
[[groups]]
id = "snđp"
name = { vi = "Các sở, ban, ngành, địa phương" }
aliases = ["Các sở, ngành, địa phương"]
[[groups]]
id = "sn"
name = { vi = "Các sở, ban, ngành" }
aliases = ["Các Sở, ngành"]
[[groups]]
id = "xa"
name = { vi = "UBND các xã, phường" }
[[groups]]
id = "lq"
name = { vi = "Các cơ quan, tổ chức có liên quan" }
aliases = ["các đơn vị liên quan"]
"#;
        let vn = "[jurisdiction]\nname = { vi = \"Trung ương\" }\n[[agencies]]\nid = \"vtv\"\nname = \"Đài Truyền hình Việt Nam\"\naliases = [\"VTV\"]\n";
        Registry::from_files(&[("hue".into(), hue.into()), ("vn".into(), vn.into())]).expect("registry")
    }

    #[test]
    fn forms_of_one_name() {
        let reg = registry();
        let s = reg.scope("hue");
        for text in
            ["Sở KH&CN", "Sở KHCN", "Sở Khoa học, Công nghệ", "Sở Khoa học và Công nghệ tỉnh Thừa Thiên Huế"]
        {
            assert_eq!(s.cell(text).ids(), vec!["khcn"], "{text}");
        }
        assert_eq!(s.cell("Liên hiệp các Hội KHKT").ids(), vec!["lhh"]);
    }

    #[test]
    fn several_names_in_one_cell() {
        let reg = registry();
        let s = reg.scope("hue");
        let n = s.cell("Sở Thông tin và Truyền thông Sở Khoa học và Công nghệ");
        assert_eq!(n.ids(), vec!["tttt", "khcn"]);
        assert!(!n.hits[1].separated, "no separator between the two");
        let n = s.cell("Các sở, ban, ngành, UBND các xã, phường và các đơn vị liên quan, VTV");
        assert_eq!(n.ids(), vec!["sn", "xa", "lq", "vtv"]);
        assert!(n.hits[1].separated);
        // The longest name wins over two shorter ones.
        assert_eq!(s.cell("Viện CNSH, Đại học Huế").ids(), vec!["cnsh"]);
        assert_eq!(s.cell("Các sở, ngành, địa phương").ids(), vec!["snđp"]);
    }

    #[test]
    fn unknown_names_and_qualifiers() {
        let reg = registry();
        let s = reg.scope("hue");
        let n = s.cell("Sở KHCN, Sở Ngoại vụ, Đại học Huế theo phân công nhiệm vụ");
        assert_eq!(n.ids(), vec!["khcn", "dhh"]);
        assert_eq!(n.unresolved, vec!["Sở Ngoại vụ"]);
        assert_eq!(n.qualifier.as_deref(), Some("theo phân công nhiệm vụ"));
        assert!(s.cell("Quyết định của UBND thành phố").hits.is_empty());
    }

    #[test]
    fn a_list_sharing_its_head_word() {
        let reg = registry();
        let s = reg.scope("hue");
        let n = s.cell("Các Sở: Công Thương, Nông nghiệp và Môi trường, UBND các xã, phường");
        assert_eq!(n.ids(), vec!["cong-thuong", "nnmt", "xa"]);
    }

    #[test]
    fn places() {
        let reg = registry();
        assert_eq!(reg.jurisdiction_of_place("Thừa Thiên Huế").as_deref(), Some("hue"));
        assert_eq!(reg.most_mentioned("UBND thành phố Huế; Huế"), Some(("hue".to_string(), 1)));
        assert_eq!(reg.jurisdiction_of_place("Hà Nội"), None);
    }
}

//! The abbreviation table (docs/search.md, "Abbreviations"): pairs of an
//! abbreviation and its long form, from the glossary ("khoa học và công
//! nghệ (KH&CN, KHCN)") and from the agency registry, where an alias
//! abbreviates part of the name ("Sở KH&CN" for "Sở Khoa học và Công
//! nghệ"). A document that has one form is also found by the other: the
//! index adds the other form as hidden words of the same field.

use super::analyzer::{Analyzer, compounds, normalize};
use crate::model::Site;
use crate::text::Lang;
use std::collections::{BTreeSet, HashMap};

/// A long form's folded words and its abbreviations.
type LongForm = (Vec<String>, Vec<String>);

/// One language's abbreviations, ready to match against a field's words.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Abbreviations {
    /// Long forms by their first folded word: (folded words, abbreviations).
    long: HashMap<String, Vec<LongForm>>,
    /// Abbreviations by their folded letters run together ("khcn"): the
    /// long forms.
    short: HashMap<String, Vec<String>>,
}

impl Abbreviations {
    /// The table of `lang` for `site`.
    pub fn of(site: &Site, lang: Lang) -> Abbreviations {
        let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
        for (vi, en) in &site.glossary.terms {
            let text = match lang {
                Lang::Vi => vi,
                Lang::En => en,
            };
            if let Some((long, shorts)) = defined(text) {
                pairs.extend(shorts.into_iter().map(|s| (s, long.clone())));
            }
        }
        let mut a = Analyzer::new(lang);
        if lang == Lang::Vi {
            for agency in &site.agencies {
                for alias in &agency.aliases {
                    pairs.extend(from_alias(&mut a, &agency.name.vi, alias));
                }
            }
        }
        let mut table = Abbreviations::default();
        for (short, long) in pairs {
            let words: Vec<String> = a.tokens(&normalize(&long)).into_iter().map(|t| t.folded).collect();
            let letters = run_together(&mut a, &short);
            if words.len() < 2 || letters.len() < 2 {
                continue;
            }
            let entry = table.long.entry(words[0].clone()).or_default();
            match entry.iter_mut().find(|(w, _)| *w == words) {
                Some((_, shorts)) => shorts.push(short.clone()),
                None => entry.push((words, vec![short.clone()])),
            }
            table.short.entry(letters).or_default().push(long);
        }
        table
    }

    pub fn is_empty(&self) -> bool {
        self.long.is_empty()
    }

    /// The other forms of what a field contains, where: abbreviations of
    /// its long forms, long forms of its abbreviations, as (first word,
    /// end word, other form). `words` are the field's words folded,
    /// `compounds` its compounds (first word, end word, parts run together).
    pub fn expansions<'a>(
        &'a self,
        words: &[String],
        compounds: &[(usize, usize, String)],
    ) -> Vec<(usize, usize, &'a str)> {
        let mut out: Vec<(usize, usize, &str)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for (long, shorts) in self.long.get(w).into_iter().flatten() {
                if words[i..].starts_with(long) {
                    out.extend(shorts.iter().map(|s| (i, i + long.len(), s.as_str())));
                }
            }
        }
        let singles = words.iter().enumerate().map(|(i, w)| (i, i + 1, w.as_str()));
        for (s, e, w) in singles.chain(compounds.iter().map(|(s, e, w)| (*s, *e, w.as_str()))) {
            for long in self.short.get(w).into_iter().flatten() {
                out.push((s, e, long.as_str()));
            }
        }
        out
    }
}

/// The long form and abbreviations a glossary text defines:
/// "khoa học và công nghệ (KH&CN, KHCN)" → ("khoa học và công nghệ",
/// ["KH&CN", "KHCN"]).
fn defined(text: &str) -> Option<(String, Vec<String>)> {
    let open = text.rfind('(')?;
    let inner = text[open + 1..].trim_end().strip_suffix(')')?;
    let long = text[..open].trim().to_string();
    let shorts: Vec<String> =
        inner.split(',').map(str::trim).filter(|s| abbreviation_like(s)).map(str::to_string).collect();
    (!long.is_empty() && !shorts.is_empty()).then_some((long, shorts))
}

/// Written like an abbreviation: no space, at least two capitals, no
/// lowercase letter ("KH&CN", "TTTT", "R&D", not "Hue-S" or "nhiệm vụ").
fn abbreviation_like(s: &str) -> bool {
    !s.contains(char::is_whitespace)
        && s.chars().filter(|c| c.is_uppercase()).count() >= 2
        && !s.chars().any(char::is_lowercase)
}

/// The pair an alias gives when it abbreviates one stretch of the name,
/// the words before and after it the same ("Sở KH&CN" / "Sở Khoa học và
/// Công nghệ"), its letters the initials of that stretch, in order.
fn from_alias(an: &mut Analyzer, name: &str, alias: &str) -> Option<(String, String)> {
    let n: Vec<&str> = name.split_whitespace().collect();
    let a: Vec<&str> = alias.split_whitespace().collect();
    let same = |x: &str, y: &str| x.to_lowercase() == y.to_lowercase();
    let pre = n.iter().zip(&a).take_while(|(x, y)| same(x, y)).count();
    let max_suf = n.len().min(a.len()) - pre;
    let suf = n.iter().rev().zip(a.iter().rev()).take(max_suf).take_while(|(x, y)| same(x, y)).count();
    if a.len() != pre + suf + 1 || n.len() < pre + suf + 2 {
        return None;
    }
    let short = a[pre].trim_end_matches([',', '.']);
    if !abbreviation_like(short) {
        return None;
    }
    let long = n[pre..n.len() - suf].join(" ");
    let long = long.trim_end_matches([',', '.']).to_string();
    let initials: Vec<char> = long
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .filter_map(|c| fold_initial(an, c))
        .collect();
    let letters: Vec<char> =
        short.chars().filter(|c| c.is_alphanumeric()).filter_map(|c| fold_initial(an, c)).collect();
    let mut it = initials.iter();
    let ordered = letters.iter().all(|c| it.any(|i| i == c));
    (ordered && letters.first() == initials.first()).then_some((short.to_string(), long))
}

/// A letter lowercased without its marks (đ is d), for comparing initials.
fn fold_initial(a: &mut Analyzer, c: char) -> Option<char> {
    let lower = c.to_lowercase().next()?;
    a.fold(&lower.to_string()).chars().next()
}

/// An abbreviation's letters run together and folded: "KH&CN" → "khcn".
fn run_together(a: &mut Analyzer, short: &str) -> String {
    let text = normalize(short);
    let tokens = a.tokens(&text);
    let groups = compounds(&text, &tokens);
    match (tokens.len(), groups.first()) {
        (1, _) => tokens[0].folded.clone(),
        (n, Some(g)) if g.len() == n => tokens.iter().map(|t| t.folded.as_str()).collect(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_texts_define_abbreviations() {
        assert_eq!(
            defined("khoa học và công nghệ (KH&CN, KHCN)"),
            Some(("khoa học và công nghệ".into(), vec!["KH&CN".into(), "KHCN".into()]))
        );
        assert_eq!(defined("đặt hàng (nhiệm vụ)"), None);
        assert_eq!(defined("Quỹ"), None);
    }

    #[test]
    fn aliases_abbreviate_a_stretch_of_the_name() {
        let a = &mut Analyzer::new(Lang::Vi);
        assert_eq!(
            from_alias(a, "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
            Some(("NN&PTNT".into(), "Nông nghiệp và Phát triển nông thôn".into()))
        );
        assert_eq!(
            from_alias(a, "Viện Công nghệ sinh học, Đại học Huế", "Viện CNSH, Đại học Huế"),
            Some(("CNSH".into(), "Công nghệ sinh học".into()))
        );
        assert_eq!(from_alias(a, "Sở Công Thương", "Sở Công thương"), None);
        assert_eq!(
            from_alias(a, "Ủy ban nhân dân thành phố Huế", "UBND TP"),
            None,
            "TP is not the initials of Huế"
        );
    }

    #[test]
    fn a_field_gets_the_other_form() {
        let mut t = Abbreviations::default();
        let mut a = Analyzer::new(Lang::Vi);
        let words = |s: &str, a: &mut Analyzer| -> Vec<String> {
            a.tokens(s).into_iter().map(|t| t.folded).collect()
        };
        t.long.insert("khoa".into(), vec![(words("khoa học và công nghệ", &mut a), vec!["KH&CN".into()])]);
        t.short.insert("khcn".into(), vec!["khoa học và công nghệ".into()]);
        assert_eq!(t.expansions(&words("ứng dụng khoa học và công nghệ", &mut a), &[]), [(2, 7, "KH&CN")]);
        assert_eq!(
            t.expansions(&words("ứng dụng KH CN", &mut a), &[(2, 4, "khcn".into())]),
            [(2, 4, "khoa học và công nghệ")]
        );
        assert!(t.expansions(&words("khoa học", &mut a), &[]).is_empty());
    }
}

//! The word lists of query analysis: question and filler words, and English
//! spelling variants (docs/search.md, "Query words"). They are written once,
//! in the browser client's source, and read from there: the client compiled
//! into this binary is the one it publishes, so the two cannot disagree.

use super::{CLIENT, CLIENT_STEMMER};
use crate::text::Lang;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Where a filler may be dropped from a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Anywhere,
    /// Only as the query's first words ("ai …", "tìm …").
    Start,
    /// Only as its last words ("… không").
    End,
}

/// A filler phrase: its words (lowercase, NFC, with their marks), where it
/// may be dropped, and whether a word typed without marks matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filler {
    pub words: Vec<String>,
    pub place: Place,
    pub folded_ok: bool,
}

/// The value of the line `const NAME = "…";` in a client source.
fn constant(source: &str, name: &str) -> &'static str {
    let start = format!("const {name} = \"");
    let found = source
        .lines()
        .find_map(|l| l.trim().strip_prefix(start.as_str()).and_then(|rest| rest.strip_suffix("\";")));
    // The sources are compiled in and checked by the unit tests below.
    let value = found.unwrap_or_default().to_string();
    Box::leak(value.into_boxed_str())
}

/// Parses a filler list: phrases separated by `,`, each optionally marked
/// `^` (start only), `$` (end only) and `!` (only with its marks).
fn parse_fillers(list: &str) -> Vec<Filler> {
    list.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|raw| {
            let mut s = raw.trim();
            let mut place = Place::Anywhere;
            let mut folded_ok = true;
            loop {
                if let Some(rest) = s.strip_prefix('^') {
                    place = Place::Start;
                    s = rest;
                } else if let Some(rest) = s.strip_prefix('$') {
                    place = Place::End;
                    s = rest;
                } else if let Some(rest) = s.strip_prefix('!') {
                    folded_ok = false;
                    s = rest;
                } else {
                    break;
                }
            }
            Filler { words: s.split_whitespace().map(str::to_string).collect(), place, folded_ok }
        })
        .collect()
}

/// The filler phrases of a language, longest first.
pub fn fillers(lang: Lang) -> &'static [Filler] {
    static VI: LazyLock<Vec<Filler>> =
        LazyLock::new(|| sorted(parse_fillers(constant(CLIENT, "FILLERS_VI"))));
    static EN: LazyLock<Vec<Filler>> =
        LazyLock::new(|| sorted(parse_fillers(constant(CLIENT, "FILLERS_EN"))));
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

fn sorted(mut list: Vec<Filler>) -> Vec<Filler> {
    list.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
    list
}

/// The British spelling of a folded English word (`organize` → `organise`),
/// if it has another.
pub fn variant(folded: &str) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut table = HashMap::new();
        for root in constant(CLIENT_STEMMER, "VARIANT_IZE").split(' ').filter(|r| !r.is_empty()) {
            for end in ["e", "es", "ed", "ing", "ation", "ations", "er", "ers"] {
                let to: &'static str = Box::leak(format!("{root}is{end}").into_boxed_str());
                table.insert(format!("{root}iz{end}"), to);
            }
        }
        for pair in constant(CLIENT_STEMMER, "VARIANT_PAIRS").split('|') {
            if let Some((from, to)) = pair.split_once(' ') {
                let to: &'static str = Box::leak(to.to_string().into_boxed_str());
                table.insert(from.to_string(), to);
            }
        }
        table
    });
    TABLE.get(folded).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_read_from_the_client() {
        let vi = fillers(Lang::Vi);
        assert!(vi.len() > 20, "{vi:?}");
        assert!(vi.iter().any(|f| f.words == ["ai"] && f.place == Place::Start));
        assert!(vi.iter().any(|f| f.words == ["về"] && !f.folded_ok));
        assert!(fillers(Lang::En).iter().any(|f| f.words == ["which"]));
        assert_eq!(variant("organization"), Some("organisation"));
        assert_eq!(variant("center"), Some("centre"));
        assert_eq!(variant("centre"), None);
    }

    #[test]
    fn the_clients_vietnamese_letters_fold_as_the_exported_table() {
        // The client folds these without fetching fold.json.
        let table = crate::search::analyzer::fold_table();
        let groups = constant(CLIENT, "FOLD_VI");
        let mut letters = 0;
        for group in groups.split(',') {
            let mut chars = group.chars();
            let to = chars.next().map(String::from).unwrap_or_default();
            for c in chars {
                assert_eq!(table.get(&c), Some(&to), "{c}");
                letters += 1;
            }
        }
        assert_eq!(letters, 67, "every Vietnamese letter with a mark, lowercase: {groups}");
    }
}

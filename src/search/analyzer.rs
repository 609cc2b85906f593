//! Text analysis for search, built from tantivy's tokenizer and filters.
//!
//! Text is NFC-normalised, split into words (runs of alphanumeric
//! characters), words longer than [`MAX_TOKEN_BYTES`] are dropped and the
//! rest lowercased. Each word then has three forms (docs/search.md,
//! "Analysis"):
//!
//! - `exact`: lowercased, diacritics kept ("đường");
//! - `folded`: `exact` through tantivy's `AsciiFoldingFilter` ("duong"),
//!   which maps every Vietnamese vowel and đ to ASCII;
//! - `loose`: what documents are matched on: `folded` in Vietnamese,
//!   `folded` through tantivy's English (Snowball) stemmer in English.
//!
//! The browser client repeats these steps exactly (the folding table is
//! exported by [`fold_table`]); shared test vectors keep the two in step.

use crate::text::Lang;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use unicode_normalization::UnicodeNormalization;

/// Words longer than this (in UTF-8 bytes, before lowercasing) are dropped.
pub const MAX_TOKEN_BYTES: usize = 40;
/// A query is cut to this many characters before anything else.
pub const MAX_QUERY_CHARS: usize = 256;
/// A query keeps at most this many words.
pub const MAX_QUERY_WORDS: usize = 12;
/// An unfinished last word shorter than this is not completed; after other
/// words it is left out until it grows ("chuyển đổi s" searches "chuyển đổi").
pub const MIN_PREFIX_CHARS: usize = 2;

/// One word of a text: where it is (byte offsets in the NFC text) and its forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub exact: String,
    pub folded: String,
    pub loose: String,
    /// Only white space separates this word from the previous one, so the
    /// two form a phrase ("khoa học", not "khoa, học").
    pub joined: bool,
}

/// One word of a text, borrowed from the analyzer (see [`Token`]).
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub exact: &'a str,
    pub folded: &'a str,
    pub loose: &'a str,
    pub joined: bool,
}

/// The analyzer of one language. Cheap to make; one per thread.
pub struct Analyzer {
    words: TextAnalyzer,
    fold: TextAnalyzer,
    stem: Option<TextAnalyzer>,
    /// `exact` → (`folded`, `loose`): a site has a few thousand distinct
    /// words, so each goes through the filters once.
    forms: HashMap<String, (String, String)>,
    /// (`folded`, `loose`) pairs that differ, first seen since the last
    /// [`Analyzer::take_new_stems`].
    new_stems: Vec<(String, String)>,
}

impl Analyzer {
    pub fn new(lang: Lang) -> Analyzer {
        let words = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
            .filter(LowerCaser)
            .build();
        let fold = TextAnalyzer::builder(RawTokenizer::default()).filter(AsciiFoldingFilter).build();
        let stem = match lang {
            Lang::Vi => None,
            Lang::En => Some(
                TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build(),
            ),
        };
        Analyzer { words, fold, stem, forms: HashMap::new(), new_stems: Vec::new() }
    }

    /// The (`folded`, `loose`) pairs that differ and were first seen since
    /// the last call: the writer's English word forms (docs/search.md).
    pub fn take_new_stems(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.new_stems)
    }

    /// The words of `text`, which must already be NFC ([`normalize`]).
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.each_word(text, |w| {
            out.push(Token {
                start: w.start,
                end: w.end,
                exact: w.exact.to_string(),
                folded: w.folded.to_string(),
                loose: w.loose.to_string(),
                joined: w.joined,
            })
        });
        out
    }

    /// Calls `f` with each word of `text` (NFC), without copying it: the
    /// index writer's fast path.
    pub fn each_word(&mut self, text: &str, mut f: impl FnMut(Word<'_>)) {
        let Analyzer { words, fold, stem, forms, new_stems } = self;
        let mut stream = words.token_stream(text);
        let mut prev_end: Option<usize> = None;
        while let Some(t) = stream.next() {
            if !forms.contains_key(t.text.as_str()) {
                let folded = if t.text.is_ascii() { t.text.clone() } else { single(fold, &t.text) };
                let loose = match stem {
                    Some(stemmer) => single(stemmer, &folded),
                    None => folded.clone(),
                };
                if folded != loose {
                    new_stems.push((folded.clone(), loose.clone()));
                }
                forms.insert(t.text.clone(), (folded, loose));
            }
            let Some((folded, loose)) = forms.get(t.text.as_str()) else { continue };
            let joined = prev_end.is_some_and(|p| {
                let gap = &text[p..t.offset_from];
                !gap.is_empty() && gap.chars().all(char::is_whitespace)
            });
            f(Word { start: t.offset_from, end: t.offset_to, exact: &t.text, folded, loose, joined });
            prev_end = Some(t.offset_to);
        }
    }

    /// `exact` → `folded`: tantivy's ASCII folding.
    pub fn fold(&mut self, exact: &str) -> String {
        if exact.is_ascii() {
            return exact.to_string();
        }
        single(&mut self.fold, exact)
    }

    /// `folded` → `loose`: the English stemmer, or nothing in Vietnamese.
    pub fn stem(&mut self, folded: &str) -> String {
        match &mut self.stem {
            Some(stemmer) => single(stemmer, folded),
            None => folded.to_string(),
        }
    }
}

/// Runs a raw-token analyzer over `text` and returns its one token.
fn single(analyzer: &mut TextAnalyzer, text: &str) -> String {
    let mut stream = analyzer.token_stream(text);
    match stream.next() {
        Some(t) => t.text.clone(),
        None => text.to_string(),
    }
}

/// NFC, the form every text and query is analysed in.
pub fn normalize(text: &str) -> Cow<'_, str> {
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// A query's words, ready to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWords {
    pub words: Vec<Token>,
    /// The query ends inside its last word, which the reader may still be
    /// typing: it is also matched as a prefix.
    pub prefix: bool,
}

/// Analyses a query: cut to [`MAX_QUERY_CHARS`], NFC, words, at most
/// [`MAX_QUERY_WORDS`] of them.
pub fn query_words(analyzer: &mut Analyzer, query: &str) -> QueryWords {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let text = normalize(&cut);
    let mut words = analyzer.tokens(&text);
    let mut prefix = words.last().is_some_and(|w| w.end == text.len()) && words.len() <= MAX_QUERY_WORDS;
    words.truncate(MAX_QUERY_WORDS);
    if prefix && words.len() > 1 && words.last().is_some_and(|w| w.folded.chars().count() < MIN_PREFIX_CHARS)
    {
        words.pop();
        prefix = false;
    }
    QueryWords { words, prefix }
}

/// Every character that can occur in a lowercased word and that ASCII
/// folding changes, with what it becomes: the table the browser client
/// folds with, taken from tantivy itself so the two cannot disagree.
pub fn fold_table() -> BTreeMap<char, String> {
    let mut fold = TextAnalyzer::builder(RawTokenizer::default()).filter(AsciiFoldingFilter).build();
    let mut table = BTreeMap::new();
    let lowered = (0x80u32..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    for c in lowered {
        if c.is_ascii() || table.contains_key(&c) {
            continue;
        }
        let folded = single(&mut fold, c.encode_utf8(&mut [0; 4]));
        if folded.chars().ne(std::iter::once(c)) {
            table.insert(c, folded);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(lang: Lang, text: &str) -> Vec<(String, String, String)> {
        Analyzer::new(lang)
            .tokens(&normalize(text))
            .into_iter()
            .map(|t| (t.exact, t.folded, t.loose))
            .collect()
    }

    fn loose(lang: Lang, text: &str) -> Vec<String> {
        forms(lang, text).into_iter().map(|f| f.2).collect()
    }

    #[test]
    fn folds_every_vietnamese_mark_and_d() {
        assert_eq!(loose(Lang::Vi, "Đầu tư mạo hiểm"), loose(Lang::Vi, "dau tu mao hiem"));
        assert_eq!(loose(Lang::Vi, "ĐƯỜNG dương"), ["duong", "duong"]);
        let f = forms(Lang::Vi, "Đường");
        assert_eq!(f[0].0, "đường", "the exact form keeps the marks");
    }

    #[test]
    fn decomposed_text_is_composed_first() {
        // "hiểm" typed with combining marks (NFD) analyses like the composed form.
        let nfd: String = "hiểm".nfd().collect();
        assert_ne!(nfd, "hiểm");
        assert_eq!(forms(Lang::Vi, &nfd), forms(Lang::Vi, "hiểm"));
        assert_eq!(fold_table().get(&'ể').map(String::as_str), Some("e"));
    }

    #[test]
    fn english_stems_and_folds() {
        assert_eq!(loose(Lang::En, "Planning plans planned"), ["plan", "plan", "plan"]);
        assert_eq!(loose(Lang::En, "Huế investments"), ["hue", "invest"]);
    }

    #[test]
    fn phrases_are_joined_only_by_white_space() {
        let toks = Analyzer::new(Lang::Vi).tokens("khoa học, công  nghệ");
        let joined: Vec<bool> = toks.iter().map(|t| t.joined).collect();
        assert_eq!(joined, [false, true, false, true]);
    }

    #[test]
    fn long_words_are_dropped_and_queries_bounded() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(loose(Lang::Vi, &format!("x {long} y")), ["x", "y"]);
        let mut a = Analyzer::new(Lang::Vi);
        let q = query_words(&mut a, &"từ ".repeat(5000));
        assert_eq!(q.words.len(), MAX_QUERY_WORDS);
        assert!(!q.prefix);
        assert!(query_words(&mut a, "khoa ho").prefix);
        let typing = query_words(&mut a, "chuyển đổi s");
        assert_eq!((typing.words.len(), typing.prefix), (2, false), "a one-letter last word waits");
        assert!(!query_words(&mut a, "khoa ho ").prefix);
        assert!(query_words(&mut a, "<script>").words.iter().all(|w| w.loose == "script"));
    }
}

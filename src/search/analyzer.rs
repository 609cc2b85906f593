//! Text analysis for search, built from tantivy's tokenizer and filters.
//!
//! Text is NFC-normalised, split into words (runs of alphanumeric
//! characters), words longer than [`MAX_TOKEN_BYTES`] are dropped and the
//! rest lowercased. Each word then has three forms (docs/search.md,
//! "Analysis"):
//!
//! - `exact`: lowercased, diacritics kept ("đường"), the tone mark of a
//!   final "oa", "oe" or "uy" on its first vowel ("hoá" → "hóa");
//! - `folded`: `exact` through tantivy's `AsciiFoldingFilter` ("duong"),
//!   which maps every Vietnamese vowel and đ to ASCII;
//! - `loose`: what documents are matched on: `folded` in Vietnamese,
//!   `folded` spelled the British way ([`lexicon::variant`]) and through
//!   tantivy's English (Snowball) stemmer in English.
//!
//! The browser client repeats these steps exactly (the folding table is
//! exported by [`fold_table`]); shared test vectors keep the two in step.

use super::lexicon::{self, Place};
use crate::text::Lang;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
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
    pub lang: Lang,
    words: TextAnalyzer,
    fold: TextAnalyzer,
    stem: Option<TextAnalyzer>,
    /// lowercased word → (`exact`, `folded`, `loose`): a site has a few
    /// thousand distinct words, so each goes through the filters once.
    forms: HashMap<String, (String, String, String)>,
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
        Analyzer { lang, words, fold, stem, forms: HashMap::default(), new_stems: Vec::new() }
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
        let Analyzer { words, fold, stem, forms, new_stems, .. } = self;
        let mut stream = words.token_stream(text);
        let mut prev_end: Option<usize> = None;
        while let Some(t) = stream.next() {
            if !forms.contains_key(t.text.as_str()) {
                let exact = canonical_tone(&t.text).unwrap_or_else(|| t.text.clone());
                let folded = if exact.is_ascii() { exact.clone() } else { single(fold, &exact) };
                let loose = loose_of(stem, &folded);
                if folded != loose {
                    new_stems.push((folded.clone(), loose.clone()));
                }
                forms.insert(t.text.clone(), (exact, folded, loose));
            }
            let Some((exact, folded, loose)) = forms.get(t.text.as_str()) else { continue };
            let joined = prev_end.is_some_and(|p| {
                let gap = &text[p..t.offset_from];
                !gap.is_empty() && gap.chars().all(char::is_whitespace)
            });
            f(Word { start: t.offset_from, end: t.offset_to, exact, folded, loose, joined });
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

    /// `folded` → `loose`: the English variant and stemmer, or nothing in
    /// Vietnamese.
    pub fn stem(&mut self, folded: &str) -> String {
        loose_of(&mut self.stem, folded)
    }

    /// The forms of a compound ("Hue-S", "KH&CN", "start-up") as one word,
    /// from its parts' `exact` and `folded` forms run together.
    pub fn whole(&mut self, exact: &str, folded: &str) -> Token {
        let loose = self.stem(folded);
        Token { start: 0, end: 0, exact: exact.into(), folded: folded.into(), loose, joined: false }
    }
}

fn loose_of(stem: &mut Option<TextAnalyzer>, folded: &str) -> String {
    match stem {
        Some(stemmer) => single(stemmer, lexicon::variant(folded).unwrap_or(folded)),
        None => folded.to_string(),
    }
}

/// Tone marks (combining, after NFD): grave, acute, tilde, hook, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// One spelling for the two tone placements of a final "oa", "oe" or "uy":
/// "hoá" → "hóa", "thuỷ" → "thủy", "khoẻ" → "khỏe" (not after `q`, where
/// `u` is part of the consonant: "quý"). `None` if the word has no such
/// ending. Lowercase input.
pub fn canonical_tone(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let d: Vec<char> = word.nfd().collect();
    let n = d.len();
    if n < 3 || !TONES.contains(&d[n - 1]) {
        return None;
    }
    let (b1, b2) = (d[n - 3], d[n - 2]);
    if !matches!((b1, b2), ('o', 'a') | ('o', 'e') | ('u', 'y')) || (b1 == 'u' && n > 3 && d[n - 4] == 'q') {
        return None;
    }
    let mut out: Vec<char> = d[..n - 2].to_vec();
    out.push(d[n - 1]);
    out.push(b2);
    Some(out.into_iter().nfc().collect())
}

/// Characters that write two words as one: "Hue-S", "KH&CN", "start-up".
pub const COMPOUND_JOINERS: [char; 4] = ['-', '\u{2010}', '\u{2011}', '&'];
/// A compound has at most this many parts.
pub const MAX_COMPOUND_PARTS: usize = 4;

/// Whether only one compound joiner separates two words.
pub fn compound_gap(gap: &str) -> bool {
    let mut chars = gap.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if COMPOUND_JOINERS.contains(&c))
}

/// The compounds among `tokens` of `text`: ranges of at least two tokens,
/// each joined to the next by one joiner, at most [`MAX_COMPOUND_PARTS`].
pub fn compounds(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j + 1 < tokens.len()
            && j + 1 - i < MAX_COMPOUND_PARTS
            && compound_gap(&text[tokens[j].end..tokens[j + 1].start])
        {
            j += 1;
        }
        if j > i {
            out.push(i..j + 1);
        }
        i = j + 1;
    }
    out
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
    /// [`name_term`] of every word, fillers included: the term
    /// of a name that is exactly the query ("Sở Y tế").
    pub name: String,
}

/// Analyses a query: cut to [`MAX_QUERY_CHARS`], NFC, words, compounds as
/// one word, question and filler words dropped when others remain, at most
/// [`MAX_QUERY_WORDS`] words.
pub fn query_words(analyzer: &mut Analyzer, query: &str) -> QueryWords {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let text = normalize(&cut);
    let tokens = analyzer.tokens(&text);
    let words = merge_compounds(analyzer, &text, tokens);
    let ends_inside = words.last().is_some_and(|w| w.end == text.len());
    let name = name_term(&words[..words.len().min(MAX_QUERY_WORDS)]);
    let count = words.len();
    let mut words = drop_fillers(analyzer.lang, words);
    let mut prefix =
        ends_inside && count <= MAX_QUERY_WORDS && words.last().is_some_and(|w| w.end == text.len());
    words.truncate(MAX_QUERY_WORDS);
    if prefix && words.len() > 1 && words.last().is_some_and(|w| w.folded.chars().count() < MIN_PREFIX_CHARS)
    {
        words.pop();
        prefix = false;
    }
    QueryWords { words, prefix, name }
}

/// Marks a whole-name term; it sorts right after the name's first word, in
/// the shard a query reads for that word anyway.
pub const NAME_MARK: char = '\u{1}';
/// Join a word's `loose` form to its exact form (`hoc\u{2}học`), and the
/// two words of a phrase (`khoa\u{3}hoc`): these terms too sort right after
/// their first word, in the shard a query reads anyway.
pub const EXACT_MARK: char = '\u{2}';
pub const PHRASE_MARK: char = '\u{3}';

/// Whether a dictionary term is a word's (no mark of a name, an exact form
/// or a phrase): what completions and corrections choose from.
pub fn is_word_term(term: &str) -> bool {
    !term.bytes().any(|b| b < b' ')
}

/// The term of a word's exact form (docs/search.md, "Terms").
pub fn exact_term(loose: &str, exact: &str) -> String {
    format!("{loose}{EXACT_MARK}{exact}")
}

/// The term of the phrase `a b` (their `loose` forms).
pub fn phrase_term(a: &str, b: &str) -> String {
    format!("{a}{PHRASE_MARK}{b}")
}

/// The whole-name term of `words`: the first word's `loose`, [`NAME_MARK`],
/// then every word's `loose` joined by spaces (`so\u{1}so y te`); empty for
/// no words.
pub fn name_term(words: &[Token]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let all: Vec<&str> = words.iter().map(|w| w.loose.as_str()).collect();
    format!("{}{NAME_MARK}{}", first.loose, all.join(" "))
}

/// The words of `text` (NFC) with each compound as one word, as a query
/// reads them.
pub fn merged_words(analyzer: &mut Analyzer, text: &str) -> Vec<Token> {
    let tokens = analyzer.tokens(text);
    merge_compounds(analyzer, text, tokens)
}

/// Each compound of `tokens` as one word, its parts run together.
fn merge_compounds(analyzer: &mut Analyzer, text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let groups = compounds(text, &tokens);
    if groups.is_empty() {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    for g in groups {
        out.extend_from_slice(&tokens[i..g.start]);
        let parts = &tokens[g.clone()];
        let exact: String = parts.iter().map(|t| t.exact.as_str()).collect();
        let folded: String = parts.iter().map(|t| t.folded.as_str()).collect();
        let mut whole = analyzer.whole(&exact, &folded);
        whole.start = parts[0].start;
        whole.end = parts[parts.len() - 1].end;
        whole.joined = parts[0].joined;
        out.push(whole);
        i = g.end;
    }
    out.extend_from_slice(&tokens[i..]);
    out
}

/// Whether `word` is the filler word `filler` (exact, or typed without
/// marks when the filler allows it).
fn is_filler_word(word: &Token, filler: &str, folded_ok: bool) -> bool {
    word.exact == filler || (folded_ok && word.exact == word.folded && fold_str(filler) == word.folded)
}

/// A filler word without its marks (đ is d): its letters decomposed and
/// the marks dropped, which for Vietnamese letters is what folding does.
fn fold_str(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The words without question and filler words (docs/search.md, "Query
/// words"); all of them if nothing else would remain. The word after a
/// dropped one no longer forms a phrase with the word before.
fn drop_fillers(lang: Lang, words: Vec<Token>) -> Vec<Token> {
    let fillers = lexicon::fillers(lang);
    let n = words.len();
    let mut drop = vec![false; n];
    let matches_at = |i: usize, f: &lexicon::Filler| {
        i + f.words.len() <= n
            && f.words.iter().zip(&words[i..]).all(|(fw, w)| is_filler_word(w, fw, f.folded_ok))
    };
    // From the start: leading fillers, then any, repeatedly.
    let mut i = 0;
    while let Some(f) = fillers.iter().find(|f| f.place != Place::End && matches_at(i, f)) {
        drop[i..i + f.words.len()].iter_mut().for_each(|d| *d = true);
        i += f.words.len();
    }
    // From the end: trailing fillers, then any.
    let mut end = n;
    while let Some(f) = fillers.iter().find(|f| {
        f.place != Place::Start
            && f.words.len() <= end.saturating_sub(i)
            && matches_at(end - f.words.len(), f)
    }) {
        end -= f.words.len();
        drop[end..end + f.words.len()].iter_mut().for_each(|d| *d = true);
    }
    // In between: fillers that may stand anywhere.
    let mut k = i;
    while k < end {
        match fillers
            .iter()
            .find(|f| f.place == Place::Anywhere && k + f.words.len() <= end && matches_at(k, f))
        {
            Some(f) => {
                drop[k..k + f.words.len()].iter_mut().for_each(|d| *d = true);
                k += f.words.len();
            }
            None => k += 1,
        }
    }
    if drop.iter().all(|&d| d) {
        return words;
    }
    let mut out: Vec<Token> = Vec::with_capacity(n);
    let mut after_drop = false;
    for (w, d) in words.into_iter().zip(drop) {
        if d {
            after_drop = true;
            continue;
        }
        let mut w = w;
        w.joined = w.joined && !after_drop;
        after_drop = false;
        out.push(w);
    }
    out
}

/// Every character that can occur in a lowercased word and that ASCII
/// folding changes, with what it becomes: the table the browser client
/// folds with, taken from tantivy itself so the two cannot disagree.
///
/// Only the Basic Multilingual Plane is scanned: every character tantivy
/// folds is in it, and no character outside it lowercases into it (a test
/// scans all of Unicode to keep that true). Scanning all 1.1 million code
/// points instead took about 100 ms of every build.
pub fn fold_table() -> BTreeMap<char, String> {
    fold_table_of(0x80..=0xFFFF)
}

/// [`fold_table`] over the code points `scan`.
fn fold_table_of(scan: std::ops::RangeInclusive<u32>) -> BTreeMap<char, String> {
    let mut fold = TextAnalyzer::builder(RawTokenizer::default()).filter(AsciiFoldingFilter).build();
    let mut table = BTreeMap::new();
    let lowered =
        scan.filter_map(char::from_u32).filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase);
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
    fn the_fold_table_misses_nothing_outside_the_bmp() {
        assert_eq!(fold_table(), fold_table_of(0x80..=0x10FFFF));
        assert_eq!(fold_table().get(&'ự').map(String::as_str), Some("u"));
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

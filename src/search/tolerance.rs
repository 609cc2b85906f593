//! Near matches for a query with a word the index does not know
//! (docs/search.md, "Tolerance"): a Vietnamese word typed run together is split into the
//! syllables of a phrase the index knows ("khoinghiep" → "khoi nghiep"),
//! and a long word the index does not know becomes the most frequent word
//! one edit away ("inteligence" → "intelligence"). Nonsense stays empty:
//! every replacement must be in the dictionary.

use super::analyzer::{MIN_PREFIX_CHARS, QueryWords, Token, is_word_term, phrase_term};
use super::format::Target;
use super::query::Index;
use super::{analyzer::Analyzer, format::Entry};
use crate::error::Result;
use crate::text::Lang;

/// A word is corrected only if it has at least this many characters.
pub const MIN_CORRECTED_CHARS: usize = 5;
/// A correction keeps this many first characters as typed.
pub const KEPT_CHARS: usize = 3;

/// The query with its unknown words split or corrected, or `None` if no
/// word could be.
pub(super) fn near(index: &Index, analyzer: &mut Analyzer, q: &QueryWords) -> Result<Option<QueryWords>> {
    let mut words: Vec<Token> = Vec::with_capacity(q.words.len());
    let mut changed = false;
    let n = q.words.len();
    let typing = q.prefix && q.words.last().is_some_and(|w| w.folded.chars().count() >= MIN_PREFIX_CHARS);
    for (i, w) in q.words.iter().enumerate() {
        let known = index.lookup(&w.loose)?.is_some()
            || (typing && i + 1 == n && !super::query::completions(index, w)?.is_empty());
        if known {
            words.push(w.clone());
            continue;
        }
        if analyzer.lang == Lang::Vi {
            if let Some(parts) = split(index, &w.folded)? {
                for (k, part) in parts.into_iter().enumerate() {
                    let joined = if k == 0 { w.joined } else { true };
                    words.push(plain(part.clone(), part, joined));
                }
                changed = true;
                continue;
            }
        }
        if let Some((folded, loose)) = correct(index, &w.folded)? {
            words.push(plain(folded, loose, w.joined));
            changed = true;
            continue;
        }
        words.push(w.clone());
    }
    Ok(changed.then(|| QueryWords { words, prefix: q.prefix, name: String::new() }))
}

fn plain(folded: String, loose: String, joined: bool) -> Token {
    Token { start: 0, end: 0, exact: folded.clone(), folded, loose, joined }
}

/// The syllables of a run-together Vietnamese word, two or three, each of
/// a syllable's shape, that the index knows as consecutive words.
fn split(index: &Index, word: &str) -> Result<Option<Vec<String>>> {
    if !word.is_ascii() || word.len() < 4 {
        return Ok(None);
    }
    let n = word.len();
    let phrase = |a: &str, b: &str| -> Result<bool> { Ok(index.lookup(&phrase_term(a, b))?.is_some()) };
    for k in 1..n {
        let (a, b) = (&word[..k], &word[k..]);
        if syllable(a) && syllable(b) && phrase(a, b)? {
            return Ok(Some(vec![a.to_string(), b.to_string()]));
        }
    }
    for k in 1..n {
        let a = &word[..k];
        if !syllable(a) {
            continue;
        }
        for m in k + 1..n {
            let (b, c) = (&word[k..m], &word[m..]);
            if syllable(b) && syllable(c) && phrase(a, b)? && phrase(b, c)? {
                return Ok(Some(vec![a.to_string(), b.to_string(), c.to_string()]));
            }
        }
    }
    Ok(None)
}

/// Vietnamese initial consonants, folded (đ is d).
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l",
    "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Vietnamese rhymes, folded (ư is u, ơ and ô are o, â and ă are a).
const RHYMES: &str = "a ai ao au ay ac ach am an ang anh ap at e eo ec ech em en eng enh ep et eu i ia iu ic ich im in inh ip it iec iem ien ieng iep iet ieu o oa oai oan oang oanh oao oac oach oam oap oat oay oe oeo oen oet oi oc om on ong oong op ot u ua uan uang uanh uat uay uc ue uen uenh uet ui um un ung uo uoc uoi uom uon uong uop uot uou up ut uu uy uya uyen uyet uynh uyt uych uyu y yen yet yeu";

/// Whether `s` (folded, lowercase) has the shape of a Vietnamese syllable.
pub fn syllable(s: &str) -> bool {
    ONSETS
        .iter()
        .any(|o| s.strip_prefix(o).is_some_and(|r| !r.is_empty() && RHYMES.split(' ').any(|x| x == r)))
}

/// The most frequent term one edit from `word` (its first [`KEPT_CHARS`]
/// characters kept), as (`folded`, `loose`); English word forms through
/// their aliases.
fn correct(index: &Index, word: &str) -> Result<Option<(String, String)>> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < MIN_CORRECTED_CHARS {
        return Ok(None);
    }
    let kept: String = chars[..KEPT_CHARS].iter().collect();
    let mut best: Option<(usize, String, String)> = None;
    let mut consider = |df: usize, folded: &str, loose: &str| {
        if one_edit(word, folded)
            && best.as_ref().is_none_or(|(d, f, _)| df > *d || (df == *d && folded < f.as_str()))
        {
            best = Some((df, folded.to_string(), loose.to_string()));
        }
    };
    for e in index.range(&kept)?.into_iter().filter(|e| is_word_term(&e.term)) {
        consider(e.df, &e.term, &e.term);
    }
    for alias in index.range(&format!("^{kept}"))? {
        if let Target::Alias(to) = &alias.target {
            if let Some(Entry { df, .. }) = index.lookup(to)? {
                consider(df, &alias.term[1..], to);
            }
        }
    }
    Ok(best.map(|(_, folded, loose)| (folded, loose)))
}

/// Whether `a` and `b` differ by exactly one insertion, deletion,
/// substitution or swap of neighbours.
pub fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    let suffix = |x: &[char], y: &[char]| x == y;
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Less => suffix(ra, &rb[1..]),
        std::cmp::Ordering::Greater => suffix(&ra[1..], rb),
        std::cmp::Ordering::Equal => {
            suffix(&ra[1..], &rb[1..])
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_one_insertion_deletion_substitution_or_swap() {
        assert!(one_edit("inteligence", "intelligence"));
        assert!(one_edit("proprety", "property"));
        assert!(one_edit("cybersecurty", "cybersecurity"));
        assert!(one_edit("nghiepp", "nghiep"));
        assert!(!one_edit("same", "same"));
        assert!(!one_edit("blorft", "blurfe"));
    }

    #[test]
    fn syllables_have_an_onset_and_a_rhyme() {
        for s in ["san", "giao", "dich", "nghiep", "khoi", "thi", "phong", "quy", "a"] {
            assert!(syllable(s), "{s}");
        }
        for s in ["sangiao", "xyz", "kx", "nghiepp"] {
            assert!(!syllable(s), "{s}");
        }
    }
}

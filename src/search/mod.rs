//! Search: a static index written with the site, split so that a query
//! downloads only the pieces it needs, and read the same way by the browser
//! client (`search/plansite-search.mjs`) and by `plansite search`. The
//! format, the analysis and the ranking are specified in docs/search.md.

mod abbrev;
pub mod analyzer;
pub mod docs;
pub mod format;
mod incremental;
pub mod lexicon;
mod part;
pub mod query;
mod terms;
mod tolerance;
mod writer;

pub use incremental::SearchCache;

use crate::error::Result;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::Lang;
use crate::web::{SEARCH_CLIENT, base_path};
use abbrev::Abbreviations;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The browser client, served at a stable URL: `search/plansite-search.mjs`.
/// Compiled in, so it always reads the format this binary writes.
pub const CLIENT: &str = include_str!("../../themes/default/search/plansite-search.mjs");
/// The client's tolerance (near matches), which it loads only for a query
/// with a word the index does not know.
pub const CLIENT_NEAR: &str = include_str!("../../themes/default/search/plansite-near.mjs");
/// The client's English stemmer, which it loads only for English queries.
pub const CLIENT_STEMMER: &str = include_str!("../../themes/default/search/plansite-stem.mjs");

/// Every file of the search index, for both languages, plus the client.
pub fn files(r: &Resolved) -> Result<Vec<OutputFile>> {
    let base = base_path(&r.site.config.base_url);
    let (vi, en) = rayon::join(
        || writer::write(Lang::Vi, &docs::collect(r, Lang::Vi, &base), Abbreviations::of(r.site, Lang::Vi)),
        || writer::write(Lang::En, &docs::collect(r, Lang::En, &base), Abbreviations::of(r.site, Lang::En)),
    );
    Ok(with_client(vi, en))
}

/// Both languages' index files, then the client and its shared files.
fn with_client(vi: Vec<OutputFile>, en: Vec<OutputFile>) -> Vec<OutputFile> {
    let mut files = vi;
    files.extend(en);
    files.push(OutputFile::new(SEARCH_CLIENT, compact(CLIENT)));
    files.push(OutputFile::new("search/plansite-stem.mjs", compact(CLIENT_STEMMER)));
    files.push(OutputFile::new("search/plansite-near.mjs", compact(CLIENT_NEAR)));
    files.push(OutputFile::new("search/fold.json", fold_json()));
    files
}

/// The client as published: without comment lines and indentation, which
/// are a third of its bytes (the source keeps them), and without the line
/// break after a line ending in `{`, `;` or `,`, where JavaScript never
/// reads one (another 2–3 %). The client is written so that this is safe:
/// no template, string or code line starts a line with `//` or `/*`, no
/// template spans lines, and no comment shares a line with code.
fn compact(source: &str) -> String {
    let mut out = format!("// plansite search (format {}): docs/search.md\n", format::FORMAT);
    let mut in_block = false;
    for line in source.lines().map(str::trim) {
        if in_block || line.starts_with("/*") {
            in_block = !line.ends_with("*/");
        } else if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            if !line.ends_with(['{', ';', ',']) {
                out.push('\n');
            }
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The folding table as JSON, grouped by what characters become:
/// `{ "a": "àáâ…", "ae": "æǣǽ", … }`, characters in code point order.
fn fold_json() -> Vec<u8> {
    static JSON: LazyLock<Vec<u8>> = LazyLock::new(|| {
        let mut grouped: BTreeMap<String, String> = BTreeMap::new();
        for (c, to) in analyzer::fold_table() {
            grouped.entry(to).or_default().push(c);
        }
        serde_json::to_vec(&grouped).unwrap_or_default()
    });
    JSON.clone()
}

#[cfg(test)]
mod tests {
    use super::docs::Doc;
    use super::query::{Memory, Options, search};
    use super::*;

    fn doc(url: &str, title: &str, body: &str) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            kind: "task",
            plan: Some("p".into()),
            fields: [title.into(), body.into(), String::new()],
            ..Doc::default()
        }
    }

    /// The URLs `query` finds in an index of `docs`, best first.
    fn found(docs: &[Doc], lang: Lang, query: &str) -> Vec<String> {
        let mut files = writer::write(lang, docs, abbrev::Abbreviations::default());
        files.push(OutputFile::new("search/fold.json", fold_json()));
        let options = Options { lang, ..Options::default() };
        let results = search(&Memory::new(&files), query, &options).expect("search");
        results.hits.into_iter().map(|h| h.url).collect()
    }

    #[test]
    fn without_diacritics_finds_with() {
        let docs =
            [doc("/quy", "Thành lập Quỹ đầu tư mạo hiểm", ""), doc("/dao-tao", "Đào tạo nhân lực", "")];
        assert_eq!(found(&docs, Lang::Vi, "dau tu mao hiem"), ["/quy"]);
        assert_eq!(found(&docs, Lang::Vi, "ĐẦU TƯ MẠO HIỂM"), ["/quy"]);
    }

    #[test]
    fn exact_diacritics_rank_first() {
        // "dương" is in a short title and comes first; "đường" still wins.
        let docs = [
            doc("/hai-duong", "Tỉnh Hải Dương", ""),
            doc("/tuyen-duong", "Nâng cấp và mở rộng tuyến đường ven biển", ""),
        ];
        assert_eq!(found(&docs, Lang::Vi, "đường"), ["/tuyen-duong", "/hai-duong"]);
        assert_eq!(found(&docs, Lang::Vi, "dương"), ["/hai-duong", "/tuyen-duong"]);
        assert_eq!(found(&docs, Lang::Vi, "duong").len(), 2, "without marks both match");
    }

    #[test]
    fn adjacent_syllables_rank_above_scattered() {
        // The scattered one is shorter and has both syllables in its title.
        let docs = [
            doc("/scattered", "Học khoa", "Tổ chức học tập cho khoa"),
            doc("/adjacent", "Chương trình phát triển khoa học của thành phố", ""),
        ];
        assert_eq!(found(&docs, Lang::Vi, "khoa học"), ["/adjacent", "/scattered"]);
        assert_eq!(found(&docs, Lang::Vi, "khoa hoc"), ["/adjacent", "/scattered"]);
    }

    #[test]
    fn english_is_stemmed_and_completed() {
        let docs =
            [doc("/fund", "Establish a venture capital fund", ""), doc("/other", "Train civil servants", "")];
        assert_eq!(found(&docs, Lang::En, "funds"), ["/fund"]);
        assert_eq!(found(&docs, Lang::En, "training"), ["/other"]);
        assert_eq!(found(&docs, Lang::En, "vent"), ["/fund"], "the last word is a prefix while typing");
        assert!(found(&docs, Lang::En, "vent ").is_empty(), "a finished word is not");
    }

    fn agency(url: &str, name: &str, aliases: &str) -> Doc {
        Doc {
            url: url.into(),
            title: name.into(),
            kind: "agency",
            fields: [name.into(), aliases.into(), String::new()],
            names: vec![name.into()],
            ..Doc::default()
        }
    }

    #[test]
    fn questions_lose_their_filler_words() {
        let docs = [
            doc("/quy", "Thành lập Quỹ đầu tư mạo hiểm", ""),
            doc("/hoi", "Trả lời câu hỏi của người dân về đầu tư", "ai chịu trách nhiệm"),
        ];
        assert_eq!(found(&docs, Lang::Vi, "ai chịu trách nhiệm về quỹ đầu tư mạo hiểm")[0], "/quy");
        assert_eq!(found(&docs, Lang::Vi, "quy dau tu mao hiem la gi")[0], "/quy");
        let en = [doc("/fund", "Establish a venture capital fund", "")];
        assert_eq!(found(&en, Lang::En, "who is responsible for the venture fund"), ["/fund"]);
    }

    #[test]
    fn old_and_new_tone_placement_are_one_spelling() {
        let docs = [doc("/a", "Cổ phần hóa doanh nghiệp", ""), doc("/b", "Thủy lợi", "")];
        assert_eq!(found(&docs, Lang::Vi, "cổ phần hoá "), ["/a"]);
        assert_eq!(found(&docs, Lang::Vi, "thuỷ lợi"), ["/b"]);
    }

    #[test]
    fn compounds_are_found_whole_and_split() {
        let docs = [
            doc("/hue-s", "Phát triển nền tảng Hue-S", ""),
            doc("/hue", "Sở Y tế Huế", "Huế"),
            doc("/startup", "Innovative start-up centre", ""),
        ];
        assert_eq!(found(&docs, Lang::Vi, "hue-s"), ["/hue-s"]);
        assert_eq!(found(&docs, Lang::Vi, "hues"), ["/hue-s"]);
        assert!(
            found(&docs, Lang::Vi, "nen tang hue").contains(&"/hue-s".to_string()),
            "the parts still count"
        );
        assert_eq!(
            found(&docs, Lang::En, "startup center"),
            ["/startup"],
            "one word, and the American spelling"
        );
    }

    #[test]
    fn a_whole_word_ranks_above_completions_and_a_whole_name_first() {
        let docs = [
            doc("/som", "Hoàn thành sớm", ""),
            doc("/so", "Sở có nhiệm vụ", ""),
            agency("/a/y-te-huong", "Trung tâm Y tế huyện Sở", ""),
            agency("/a/y-te", "Sở Y tế", ""),
        ];
        let typing = found(&docs, Lang::Vi, "sở");
        assert_eq!(
            typing.last().map(String::as_str),
            Some("/som"),
            "the completion to sớm comes last: {typing:?}"
        );
        assert!(
            !found(&docs, Lang::Vi, "sở ").contains(&"/som".to_string()),
            "a finished word is not completed"
        );
        assert_eq!(found(&docs, Lang::Vi, "so y te")[0], "/a/y-te");
    }

    #[test]
    fn run_together_and_misspelt_words_find_near_matches_and_nonsense_nothing() {
        let docs =
            [doc("/kn", "Ngày hội khởi nghiệp", ""), doc("/ai", "Artificial intelligence applications", "")];
        assert_eq!(found(&docs, Lang::Vi, "khoinghiep"), ["/kn"]);
        assert_eq!(found(&docs, Lang::En, "artifical inteligence"), ["/ai"]);
        assert!(found(&docs, Lang::Vi, "blorftx").is_empty());
        assert!(found(&docs, Lang::En, "pokemon go").is_empty());
    }

    #[test]
    fn the_published_client_drops_only_comments_indentation_and_needless_line_breaks() {
        let out = compact(
            "// note\nconst a = 1;\n  /**\n   * doc\n   */\n  if (a) {\n    b(1,\n      2);\n  }\nreturn\nx\n",
        );
        assert_eq!(out.lines().skip(1).collect::<Vec<_>>(), ["const a = 1;if (a) {b(1,2);}", "return", "x"]);
    }
}

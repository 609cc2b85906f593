//! The document's parts: the preamble (number, date, title, legal bases),
//! the Roman-numbered sections, the distribution list and signature, and the
//! appendices. Sections keep their paragraphs (and tables) for the task
//! rules, and become Markdown with the document's own numbering.

use super::lines::{Marker, Para, mostly_upper, paragraphs};
use super::patterns::slug;
use super::shape::Shape;
use super::tables::{Purpose, Table};
use crate::text::fold;

/// What a section is about, from its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Basis,
    Objectives,
    Tasks,
    Funding,
    Implementation,
    /// "PHÂN CÔNG NHIỆM VỤ": assignments, read like the implementation section.
    Assignment,
    Appendix,
    Other,
}

/// A paragraph or a table, in document order.
#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(usize),
}

/// A section of the plan.
#[derive(Debug, Clone)]
pub struct Section {
    /// The Roman numeral as printed (without its dot), or the appendix's.
    pub number: Option<String>,
    pub heading: String,
    pub line: usize,
    pub kind: Kind,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn paras(&self) -> impl Iterator<Item = &Para> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Para(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// A stable id: the heading as a slug ("nhiem-vu-giai-phap", "phu-luc-ii").
    pub fn id(&self) -> String {
        if self.kind == Kind::Appendix {
            let n = self.number.as_deref().map(|n| format!("-{}", n.to_lowercase())).unwrap_or_default();
            return format!("phu-luc{n}");
        }
        let words: Vec<String> =
            slug(&self.heading).split('-').filter(|w| *w != "va").take(6).map(str::to_string).collect();
        let id = words.join("-");
        if id.is_empty() { "muc".to_string() } else { id }
    }
}

/// The plan document, in parts.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub preamble: Vec<Para>,
    pub sections: Vec<Section>,
    /// "Nơi nhận" and the signature block.
    pub closing: Vec<Para>,
}

fn kind_of(heading: &str) -> Kind {
    let h = fold(heading);
    let has = |k: &str| h.contains(k);
    if has("to chuc thuc hien") {
        Kind::Implementation
    } else if has("phan cong") {
        Kind::Assignment
    } else if has("nhiem vu") || has("giai phap") {
        Kind::Tasks
    } else if has("kinh phi") {
        Kind::Funding
    } else if has("muc tieu") || has("muc dich") || has("yeu cau") {
        Kind::Objectives
    } else if has("can cu") || has("co so xay dung") || has("co so phap ly") {
        Kind::Basis
    } else {
        Kind::Other
    }
}

/// The paragraphs and tables of the whole file, in order.
pub fn blocks(lines: &[&str], shape: &Shape) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(t) = shape.table_at(i + 1) {
            out.push(Block::Table(t));
            i = shape.tables[t].last;
            continue;
        }
        let start = i;
        while i < lines.len() && shape.table_at(i + 1).is_none() {
            i += 1;
        }
        out.extend(paragraphs(&lines[start..i], start + 1, shape.hard_wrapped).into_iter().map(Block::Para));
    }
    out
}

fn appendix_number(p: &Para) -> Option<Option<String>> {
    let full = p.full();
    let f = fold(&full);
    if !f.starts_with("phu luc") || full.chars().count() > 20 {
        return None;
    }
    let rest = full.split_whitespace().nth(2).map(|r| r.trim_end_matches('.').to_string());
    Some(rest.filter(|r| super::patterns::roman_value(r).is_some()))
}

fn is_closing(p: &Para) -> bool {
    let f = fold(&p.full());
    f.starts_with("noi nhan") || f.starts_with("tm.") || f.starts_with("tm ") && f.contains("uy ban")
}

/// Splits the blocks into preamble, sections, closing and appendices.
pub fn structure(blocks: Vec<Block>) -> Document {
    let mut doc = Document::default();
    let mut closing = false;
    let mut titling = false;
    for block in blocks {
        let p = match block {
            Block::Table(t) => {
                titling = false;
                if let Some(s) = doc.sections.last_mut().filter(|_| !closing) {
                    s.blocks.push(Block::Table(t));
                }
                continue;
            }
            Block::Para(p) => p,
        };
        if let Some(number) = appendix_number(&p) {
            let heading = match &number {
                Some(n) => format!("Phụ lục {n}"),
                None => "Phụ lục".to_string(),
            };
            doc.sections.push(Section {
                number,
                heading,
                line: p.line,
                kind: Kind::Appendix,
                blocks: Vec::new(),
            });
            closing = false;
            titling = true;
            continue;
        }
        if let Some(s) = doc.sections.last_mut().filter(|s| s.kind == Kind::Appendix) {
            if titling && !p.text.starts_with('(') && (mostly_upper(&p.text) || p.heading) {
                let sep = if s.heading.contains(':') { " " } else { ": " };
                s.heading = format!("{}{sep}{}", s.heading, p.full());
            } else {
                titling = false;
                s.blocks.push(Block::Para(p));
            }
            continue;
        }
        if closing || is_closing(&p) {
            closing = true;
            doc.closing.push(p);
            continue;
        }
        if let Marker::Roman(n) = &p.marker {
            let heading = p.text.trim_end_matches([':', '.']).trim().to_string();
            let kind = kind_of(&heading);
            doc.sections.push(Section {
                number: Some(n.clone()),
                heading,
                line: p.line,
                kind,
                blocks: Vec::new(),
            });
            continue;
        }
        match doc.sections.last_mut() {
            Some(s) => s.blocks.push(Block::Para(p)),
            None => doc.preamble.push(p),
        }
    }
    doc
}

/// A section's body as Markdown, keeping the document's numbering.
pub fn markdown(section: &Section, tables: &[Table]) -> String {
    let mut out = String::new();
    let mut prev_list = false;
    for block in &section.blocks {
        let (text, list) = match block {
            Block::Table(t) => match tables.get(*t) {
                Some(t) if t.purpose() == Purpose::Plain => (t.markdown().trim_end().to_string(), false),
                _ => continue,
            },
            Block::Para(p) => para_markdown(p),
        };
        if !out.is_empty() {
            out.push_str(if list && prev_list { "\n" } else { "\n\n" });
        }
        out.push_str(&text);
        prev_list = list;
    }
    out
}

/// (Markdown, whether it is a list item that may follow another without a blank line).
fn para_markdown(p: &Para) -> (String, bool) {
    let short_number = matches!(&p.marker, Marker::Number(n) if !n.contains('.'))
        && p.text.chars().count() <= 160
        && !p.text.ends_with(['.', ';', ':']);
    match &p.marker {
        _ if p.heading || short_number => (format!("### {}", p.full()), false),
        Marker::Bullet(_) => (format!("- {}", p.text), true),
        _ => (p.full(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(line: usize, text: &str) -> Block {
        let mut ps = paragraphs(&[text], line, false);
        Block::Para(ps.remove(0))
    }

    #[test]
    fn parts_of_a_plan() {
        let blocks = vec![
            para(1, "KẾ HOẠCH"),
            para(2, "I. MỤC TIÊU"),
            para(3, "- Đạt 50%."),
            para(4, "II. NHIỆM VỤ, GIẢI PHÁP"),
            para(5, "1. Hoàn thiện thể chế"),
            para(6, "Nơi nhận:"),
            para(7, "- Lưu: VT."),
            para(8, "PHỤ LỤC I"),
            para(9, "DANH MỤC CHỈ TIÊU"),
            para(10, "(Kèm theo Kế hoạch số 1/KH-UBND)"),
        ];
        let doc = structure(blocks);
        assert_eq!(doc.preamble.len(), 1);
        let kinds: Vec<Kind> = doc.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![Kind::Objectives, Kind::Tasks, Kind::Appendix]);
        assert_eq!(doc.sections[2].heading, "Phụ lục I: DANH MỤC CHỈ TIÊU");
        assert_eq!(doc.sections[2].id(), "phu-luc-i");
        assert_eq!(doc.sections[1].id(), "nhiem-vu-giai-phap");
        assert_eq!(doc.closing.len(), 2);
        assert_eq!(markdown(&doc.sections[1], &[]), "### 1. Hoàn thiện thể chế");
    }
}

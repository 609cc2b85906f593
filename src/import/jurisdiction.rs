//! Which jurisdiction issued the plan, and why: the place printed before
//! the date (on one line, over two, or in a table cell), else the body the
//! header names ("ỦY BAN NHÂN DÂN / TỈNH NINH BÌNH"), else — reported as a
//! guess — the place the text names most. A `--jurisdiction` the printed
//! place contradicts is refused unless forced; a place no registry knows
//! is an error that says how to start its registry (`--new-registry`).

use super::header::Header;
use super::patterns::slug;
use super::{ImportError, Registry};
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// The jurisdiction chosen, with the reason the report gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub id: String,
    pub reason: String,
    /// The line the reason rests on.
    pub line: Option<usize>,
    /// Not read from the document's header: the reviewer should check it.
    pub guessed: bool,
}

/// A place the document prints, with where and in what role.
#[derive(Debug, Clone)]
pub struct Printed {
    pub place: String,
    pub line: usize,
    /// "the place printed before the date" or "the issuing body in the header".
    pub what: &'static str,
    /// "tỉnh" or "thành phố", when the header says.
    pub level: Option<&'static str>,
}

static PLACE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\**([^,*|:]{2,40}),\s*ngày\b").unwrap_or_else(|e| panic!("{e}")));

/// The places the header prints: before the date, then the issuing body's.
pub fn printed(header: &Header, lines: &[&str]) -> Vec<Printed> {
    let mut out = Vec::new();
    let level = header.body.as_ref().map(|b| b.0);
    match &header.place {
        Some((place, line)) => out.push(Printed {
            place: place.clone(),
            line: *line,
            what: "the place printed before the date",
            level,
        }),
        None => {
            let found = lines
                .iter()
                .take(40)
                .enumerate()
                .find_map(|(i, l)| PLACE_DATE.captures(l).map(|c| (c[1].trim().to_string(), i + 1)));
            if let Some((place, line)) = found {
                out.push(Printed { place, line, what: "the place printed before the date", level });
            }
        }
    }
    if let Some((level, place, line)) = &header.body {
        out.push(Printed {
            place: place.clone(),
            line: *line,
            what: "the issuing body printed in the header",
            level: Some(level),
        });
    }
    out
}

fn known(registry: &Registry) -> String {
    registry.jurisdictions.iter().filter(|j| !j.central).map(|j| j.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// Chooses the jurisdiction; `given` is `--jurisdiction`, `force` lets it
/// override what the document prints.
pub fn choose(
    registry: &Registry,
    printed: &[Printed],
    text: &str,
    given: Option<&str>,
    force: bool,
) -> Result<Chosen, ImportError> {
    let resolved: Vec<(&Printed, Option<String>)> =
        printed.iter().map(|p| (p, registry.jurisdiction_of_place(&p.place))).collect();
    if let Some(j) = given {
        if !registry.has_jurisdiction(j) {
            return Err(ImportError::new(None, format!("unknown jurisdiction `{j}`")).hint(format!(
                "use one of: {} (files in content/agencies/); for a new province, import with --new-registry {j} to start content/agencies/{j}.toml from the document",
                known(registry)
            )));
        }
        let against = resolved.iter().find(|(_, r)| r.as_deref() != Some(j));
        return match against {
            Some((p, r)) if !force => {
                let belongs = match r {
                    Some(other) => format!("which is the jurisdiction `{other}`"),
                    None => "which no registry names".to_string(),
                };
                Err(ImportError::new(
                    Some(p.line),
                    format!("--jurisdiction {j} contradicts {}, “{}”, {belongs}", p.what, p.place),
                )
                .hint(format!(
                    "check that the right file was given; drop --jurisdiction to use the document's place, or pass --force to import it under `{j}` anyway"
                )))
            }
            Some((p, _)) => Ok(Chosen {
                id: j.to_string(),
                reason: format!("given with --jurisdiction and --force, against {} “{}”", p.what, p.place),
                line: Some(p.line),
                guessed: true,
            }),
            None => Ok(Chosen {
                id: j.to_string(),
                reason: match resolved.first() {
                    Some((p, _)) => format!("given with --jurisdiction; {} “{}” agrees", p.what, p.place),
                    None => "given with --jurisdiction (the document prints no place)".to_string(),
                },
                line: resolved.first().map(|(p, _)| p.line),
                guessed: false,
            }),
        };
    }
    if let Some((p, r)) = resolved.first() {
        return match r {
            Some(id) => Ok(Chosen {
                id: id.clone(),
                reason: format!("{}, “{}” (line {})", p.what, p.place, p.line),
                line: Some(p.line),
                guessed: false,
            }),
            None => Err(unknown_place(registry, p)),
        };
    }
    match registry.most_mentioned(text) {
        Some((id, count)) => Ok(Chosen {
            reason: format!(
                "no place printed in the header: the jurisdiction whose name the text uses most ({count} times)"
            ),
            id,
            line: None,
            guessed: true,
        }),
        None => Err(ImportError::new(None, "cannot tell which jurisdiction issued this plan: it prints no place").hint(
            format!(
                "pass --jurisdiction ID, one of: {}; or, for a new province, --new-registry ID to start its registry from the document",
                known(registry)
            ),
        )),
    }
}

/// The error for a place no registry names: say how to start one.
fn unknown_place(registry: &Registry, p: &Printed) -> ImportError {
    let id = slug(&p.place);
    ImportError::new(
        Some(p.line),
        format!("the plan is issued in “{}” ({}), and no registry in content/agencies/ names that place", p.place, p.what),
    )
    .hint(format!(
        "to start its registry from this document, import it with --new-registry {id} (writes content/agencies/{id}.toml, then imports against it; see docs/import.md, “A plan from a new province”); if the place is a former name of a jurisdiction you have ({}), add it to that file's [jurisdiction] aliases",
        known(registry)
    ))
}

/// The level of a new jurisdiction: what the header prints, else the one
/// the text puts before the place most often ("tỉnh Nghệ An").
pub fn level_of(printed: &Printed, text: &str) -> Option<&'static str> {
    if printed.level.is_some() {
        return printed.level;
    }
    let f = fold(text);
    let place = fold(&printed.place);
    let tinh = f.matches(&format!("tinh {place}")).count();
    let city = f.matches(&format!("thanh pho {place}")).count();
    match (tinh, city) {
        (0, 0) => None,
        (t, c) if t >= c => Some("tỉnh"),
        _ => Some("thành phố"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let hp = "[jurisdiction]\nname = { vi = \"Thành phố Hải Phòng\" }\n";
        let hue = "[jurisdiction]\nname = { vi = \"Thành phố Huế\" }\naliases = [\"Thừa Thiên Huế\"]\n";
        Registry::from_files(&[("hai-phong".into(), hp.into()), ("hue".into(), hue.into())])
            .expect("registry")
    }

    fn at(place: &str) -> Vec<Printed> {
        vec![Printed { place: place.into(), line: 3, what: "the place printed before the date", level: None }]
    }

    #[test]
    fn the_printed_place_wins_and_says_why() {
        let c = choose(&registry(), &at("Hải Phòng"), "Huế Huế Huế", None, false).expect("chosen");
        assert_eq!(c.id, "hai-phong");
        assert!(c.reason.contains("“Hải Phòng” (line 3)"), "{}", c.reason);
    }

    #[test]
    fn an_unknown_place_says_how_to_start_its_registry() {
        let e = choose(&registry(), &at("Bắc Ninh"), "Huế", None, false).expect_err("unknown");
        assert_eq!(e.line, Some(3));
        assert!(e.hint.as_deref().is_some_and(|h| h.contains("--new-registry bac-ninh")), "{e}");
    }

    #[test]
    fn a_contradicting_jurisdiction_needs_force() {
        let e = choose(&registry(), &at("Hải Phòng"), "", Some("hue"), false).expect_err("contradiction");
        assert!(e.message.contains("contradicts"), "{e}");
        let c = choose(&registry(), &at("Hải Phòng"), "", Some("hue"), true).expect("forced");
        assert!(c.guessed && c.id == "hue");
    }
}

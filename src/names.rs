//! The names people tell things apart by: each plan's short name (reviewed
//! in its file, or derived from its number, subject and place) and the place
//! added to an agency name that agencies of other places share ("Sở Khoa
//! học và Công nghệ · Huế"). Every output shows these, not the legal titles.

use crate::model::{Agency, Jurisdiction, Plan, Site, Status};
use crate::text::Text;

/// Short names of every plan and display names of every agency, in the
/// order of `site.plans` and `site.agencies`.
#[derive(Debug, Default)]
pub struct Names {
    pub plans: Vec<Text>,
    pub agencies: Vec<Text>,
}

impl Names {
    pub fn new(site: &Site) -> Names {
        let place_of = |id: &str| site.jurisdictions.iter().find(|j| j.id == id).map(place);
        let plans = site
            .plans
            .iter()
            .map(|p| p.short_name.clone().unwrap_or_else(|| derived_short_name(p, place_of(&p.jurisdiction))))
            .collect();
        let agencies = site
            .agencies
            .iter()
            .map(|a| match place_of(&a.jurisdiction) {
                Some(place) => with_place(site, a, &place),
                None => a.name.clone(),
            })
            .collect();
        Names { plans, agencies }
    }
}

/// An agency's name, in each language with " · {place}" where an agency of
/// another jurisdiction bears the same name and the name does not already
/// say its place ("Công an thành phố Hải Phòng" keeps its own).
fn with_place(site: &Site, agency: &Agency, place: &Text) -> Text {
    let others = || site.agencies.iter().filter(|o| o.jurisdiction != agency.jurisdiction);
    let place_en = place.en.as_deref().unwrap_or(&place.vi);
    let vi = &agency.name.vi;
    let vi = if others().any(|o| o.name.vi == *vi) && !vi.contains(&place.vi) {
        format!("{vi} · {}", place.vi)
    } else {
        vi.clone()
    };
    let en = agency.name.en.as_ref().map(|en| {
        if others().any(|o| o.name.en.as_ref() == Some(en)) && !en.contains(place_en) {
            format!("{en} · {place_en}")
        } else {
            en.clone()
        }
    });
    Text { vi, en }
}

/// A jurisdiction's place name without its administrative prefix:
/// "Thành phố Huế" → "Huế", "Hải Phòng City" → "Hải Phòng".
pub fn place(j: &Jurisdiction) -> Text {
    let strip = |name: &str, prefixes: &[&str], suffixes: &[&str]| {
        let mut s = name.trim();
        for p in prefixes {
            if let Some(rest) = s.strip_prefix(p) {
                s = rest;
            }
        }
        for x in suffixes {
            if let Some(rest) = s.strip_suffix(x) {
                s = rest;
            }
        }
        s.trim().to_string()
    };
    let vi = strip(&j.name.vi, &["Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "], &[]);
    let en = j.name.en.as_deref().map(|en| strip(en, &[], &[" City", " Province", " city", " province"]));
    Text { vi, en }
}

/// The default short name: the plan's number ("Kế hoạch 343/KH-UBND"), or
/// failing that the first document it implements, or its title's first
/// words; then its place. Drafts say so.
pub fn derived_short_name(plan: &Plan, place: Option<Text>) -> Text {
    let draft = plan.status == Status::Draft;
    let (vi, en) = match (&plan.number, plan.implements.first()) {
        (Some(n), _) => (format!("Kế hoạch {n}"), format!("Plan {n}")),
        (None, Some(doc)) => (format!("Kế hoạch thực hiện {doc}"), format!("Plan implementing {doc}")),
        (None, None) => {
            let vi = first_words(&plan.title.vi, 8);
            let en = plan.title.en.as_deref().map_or_else(|| vi.clone(), |t| first_words(t, 8));
            (vi, en)
        }
    };
    let (vi, en) = if draft { (format!("Dự thảo: {vi}"), format!("Draft: {en}")) } else { (vi, en) };
    match place {
        Some(p) => {
            let place_en = p.en.clone().unwrap_or_else(|| p.vi.clone());
            Text { vi: format!("{vi} · {}", p.vi), en: Some(format!("{en} · {place_en}")) }
        }
        None => Text { vi, en: Some(en) },
    }
}

/// The first `n` words of a title, with "…" when it goes on.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n { words.join(" ") } else { format!("{} …", words[..n].join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jurisdiction(vi: &str, en: &str) -> Jurisdiction {
        Jurisdiction { id: "j".into(), name: Text::both(vi, en), aliases: Vec::new() }
    }

    #[test]
    fn places_lose_their_administrative_prefix() {
        assert_eq!(place(&jurisdiction("Thành phố Huế", "Huế City")), Text::both("Huế", "Huế"));
        assert_eq!(
            place(&jurisdiction("Tỉnh Quảng Trị", "Quảng Trị Province")),
            Text::both("Quảng Trị", "Quảng Trị")
        );
        assert_eq!(
            place(&jurisdiction("Trung ương", "Central government")),
            Text::both("Trung ương", "Central government")
        );
    }

    #[test]
    fn short_names_come_from_number_then_implemented_document() {
        let mut plan = Plan::empty_for_tests();
        let hue = Some(Text::both("Huế", "Huế"));
        plan.number = Some("343/KH-UBND".into());
        assert_eq!(
            derived_short_name(&plan, hue.clone()),
            Text::both("Kế hoạch 343/KH-UBND · Huế", "Plan 343/KH-UBND · Huế")
        );
        plan.number = None;
        plan.implements = vec!["03/NQ-CP".into()];
        plan.status = Status::Draft;
        assert_eq!(
            derived_short_name(&plan, hue),
            Text::both(
                "Dự thảo: Kế hoạch thực hiện 03/NQ-CP · Huế",
                "Draft: Plan implementing 03/NQ-CP · Huế"
            )
        );
        plan.implements.clear();
        plan.title = Text::both("Một hai ba bốn năm sáu bảy tám chín mười", "One two");
        assert_eq!(
            derived_short_name(&plan, None),
            Text::both("Dự thảo: Một hai ba bốn năm sáu bảy tám …", "Draft: One two")
        );
    }
}

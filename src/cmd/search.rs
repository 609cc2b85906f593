//! `plansite search`: answers a query from the built site's search index,
//! exactly as the site's search page does.

use super::RootArg;
use anyhow::{Context, bail};
use plansite::search::query::{DEFAULT_LIMIT, Dir, Options, search};
use plansite::text::Lang;
use plansite::web::SEARCH_KINDS as KINDS;

use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(clap::Args)]
pub struct Args {
    /// What to search for, with or without diacritics
    query: String,
    #[command(flatten)]
    root: RootArg,
    /// The built site [default: <root>/public]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The language of the pages to search
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// Only results of this plan (its id)
    #[arg(long)]
    plan: Option<String>,
    /// Only results this agency leads or supports (its id)
    #[arg(long)]
    agency: Option<String>,
    /// Only tasks whose deadline falls in this year
    #[arg(long)]
    year: Option<i32>,
    /// Only results of this kind
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(KINDS))]
    kind: Option<String>,
    /// Only tasks in this state as of the build's date
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(plansite::state::State::ALL.map(|s| s.as_str())))]
    state: Option<String>,
    /// How many results to print (at most 100)
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    limit: usize,
    /// Print the results as JSON, the objects the browser client returns
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let out = args.out.unwrap_or_else(|| args.root.root.join("public"));
    let dir = out.join("search");
    if !dir.join("vi").join("meta.json").is_file() {
        bail!("no search index in {}; run `plansite build` first", dir.display());
    }
    if let Some(plan) = &args.plan {
        known_id(&out, "plan", plan)?;
    }
    if let Some(agency) = &args.agency {
        known_id(&out, "agency", agency)?;
    }
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    let options = Options {
        lang,
        plan: args.plan,
        agency: args.agency,
        year: args.year,
        kind: args.kind,
        state: args.state,
        limit: args.limit,
    };
    let results = search(&Dir::new(&dir), &args.query, &options)
        .with_context(|| format!("searching the index in {}", dir.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results.hits)?);
        return Ok(());
    }
    let plural = if results.total == 1 && !results.partial { "" } else { "s" };
    // Only the heads of long lists were read: at least that many.
    let total = format!("{}{}", results.total, if results.partial { "+" } else { "" });
    match &results.near {
        Some(near) => println!(
            "nothing for {:?}; {total} near match{} for {near:?}",
            args.query,
            if plural.is_empty() { "" } else { "es" }
        ),
        None => println!("{total} result{plural} for {:?}", args.query),
    }
    for (i, hit) in results.hits.iter().enumerate() {
        let mut meta: Vec<&str> = vec![hit.kind.as_str()];
        meta.extend(hit.state.as_deref());
        meta.extend(Some(hit.place.as_str()).filter(|p| !p.is_empty()));
        if hit.draft {
            meta.push("draft");
        }
        println!("{:>3}. [{}] {}", i + 1, meta.join(" · "), one_line(&hit.title));
        println!("     {}", hit.url);
        println!("     {}", one_line(&plain(&hit.snippet)));
    }
    Ok(())
}

/// Refuses a `--plan` or `--agency` id the built site does not have, which
/// would otherwise silently find nothing, naming the closest id.
fn known_id(out: &Path, what: &str, id: &str) -> anyhow::Result<()> {
    let (file, key) = if what == "plan" { ("plans.json", "plans") } else { ("agencies.json", "agencies") };
    let path = out.join("data").join(file);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}; run `plansite build` first", path.display()))?;
    let data: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not plansite's open data; run `plansite build`", path.display()))?;
    let ids: Vec<&str> =
        data[key].as_array().into_iter().flatten().filter_map(|r| r["id"].as_str()).collect();
    if ids.contains(&id) {
        return Ok(());
    }
    let closest = ids
        .iter()
        .map(|known| (strsim::levenshtein(id, known), *known))
        .filter(|(distance, known)| *distance <= 3.max(known.len() / 4))
        .min();
    let hint = match closest {
        Some((_, known)) => format!("did you mean `{known}`?"),
        None => format!("the ids are listed in {}", path.display()),
    };
    bail!("--{what} `{id}`: the built site has no {what} with this id\n     hint: {hint}")
}

/// Text on one terminal line: a title or snippet holding a line break (a
/// multi-line cell of an imported table) would break the layout.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A snippet for the terminal: matches in `*…*`, entities decoded.
fn plain(html: &str) -> String {
    html.replace("<mark>", "*")
        .replace("</mark>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

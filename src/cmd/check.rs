//! `plansite check`: validate the content like `build` does, then report
//! translation coverage and deadlines that were not understood.

use super::RootArg;
use plansite::build::{BuildOptions, Silent, prepare, render_prepared};
use plansite::check::{
    Coverage, Problem, coverage, site_problems, unclear_deadlines, vanished_ids, without_lead,
};
use plansite::load::load;
use plansite::web::base_path;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    #[command(flatten)]
    today: super::TodayArg,
    /// Print the report as JSON (for CI)
    #[arg(long)]
    json: bool,
    /// List every field without English (by default, the first 10 per plan)
    #[arg(long)]
    all: bool,
    /// The previous build, for id stability [default: <root>/public]
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = args.root.root;
    let site = load(&root)?;
    let coverage = coverage(&site);
    let deadlines = unclear_deadlines(&site);
    let leadless = without_lead(&site);
    let registry = plansite::import::Registry::load(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let inverted = plansite::check::inverted_roles(&site, &registry);
    let unresolved = plansite::check::unresolved_names(&site);
    let out = args.out.unwrap_or_else(|| root.join("public"));
    let options = BuildOptions {
        root: root.clone(),
        out: out.clone(),
        base_url: None,
        drafts: false,
        now: None,
        today: args.today.today,
    };
    let vanished = vanished_ids(&site, &out.join("data/tasks.json"))?;
    let (plans, tasks, agencies) =
        (site.plans.len(), site.plans.iter().map(|p| p.tasks.len()).sum::<usize>(), site.agencies.len());
    // The content is loaded once: what `build` would publish is rendered
    // from it in memory and checked.
    let site = prepare(site, &options)?;
    let (files, _) = render_prepared(&site, &options, &mut Silent, Instant::now())?;
    let mut problems = site_problems(&files, &base_path(&site.config.base_url));
    problems.extend(inverted);
    problems.extend(unresolved);
    let problems = plansite::check::vanished_first(vanished, problems);
    if args.json {
        let report = serde_json::json!({
            "ok": problems.is_empty(),
            "problems": problems,
            "plans": plans,
            "tasks": tasks,
            "agencies": agencies,
            "coverage": coverage,
            "unclear_deadlines": deadlines,
            "without_lead": leadless,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return verdict(&problems);
    }
    let verdict_word = if problems.is_empty() { "ok" } else { "problems found" };
    println!("{verdict_word}: {plans} plans, {tasks} tasks, {agencies} agencies, {} files", files.len());
    println!("\nEnglish translation coverage:");
    for c in &coverage {
        print_coverage(c, args.all);
    }
    if !deadlines.is_empty() {
        println!(
            "\nDeadlines kept as printed (not understood; add English by hand or a form to the parser):"
        );
        for d in &deadlines {
            println!("  {}: {:?}", d.task, d.text);
        }
    }
    if !leadless.is_empty() {
        println!("\nTasks the plan assigns to no lead agency (their pages say so):");
        for w in &leadless {
            println!("  {}: {} ({})", w.plan, w.tasks.len(), w.tasks.join(", "));
        }
    }
    if !problems.is_empty() {
        println!("\nProblems in the built site:");
        for (i, p) in problems.iter().enumerate() {
            println!("  {}. [{}] {}: {}\n     hint: {}", i + 1, p.kind, p.place, p.message, p.hint);
        }
    }
    verdict(&problems)
}

/// Links, twins and ids are errors: the exit status says so.
fn verdict(problems: &[Problem]) -> anyhow::Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "{} problem{} in the built site (listed above)",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )
    }
}

fn print_coverage(c: &Coverage, all: bool) {
    let glossary =
        if c.from_glossary > 0 { format!(", {} from the glossary", c.from_glossary) } else { String::new() };
    println!("  {:<32} {:>5}/{:<5} {:>6.1}%{glossary}", c.scope, c.translated, c.total, c.percent());
    let shown = if all { c.missing.len() } else { c.missing.len().min(10) };
    for m in &c.missing[..shown] {
        println!("      missing: {m}");
    }
    if shown < c.missing.len() {
        println!("      … and {} more (--all lists them)", c.missing.len() - shown);
    }
}

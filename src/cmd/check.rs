//! `plansite check`: validate the content like `build` does, then report
//! translation coverage and deadlines that were not understood.

use super::RootArg;
use plansite::check::{Coverage, coverage, unclear_deadlines};
use plansite::load::load;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Print the report as JSON (for CI)
    #[arg(long)]
    json: bool,
    /// List every field without English (by default, the first 10 per plan)
    #[arg(long)]
    all: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let site = load(&args.root.root)?;
    let coverage = coverage(&site);
    let deadlines = unclear_deadlines(&site);
    if args.json {
        let report = serde_json::json!({
            "ok": true,
            "plans": site.plans.len(),
            "tasks": site.plans.iter().map(|p| p.tasks.len()).sum::<usize>(),
            "agencies": site.agencies.len(),
            "coverage": coverage,
            "unclear_deadlines": deadlines,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    println!("ok: {} plans, {tasks} tasks, {} agencies", site.plans.len(), site.agencies.len());
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
    Ok(())
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

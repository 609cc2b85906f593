//! `plansite check`: load and validate the content, report every problem.

use super::RootArg;
use plansite::load::load;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let site = load(&args.root.root)?;
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    let untranslated: usize = site
        .plans
        .iter()
        .flat_map(|p| &p.tasks)
        .filter(|t| !t.title.is_translated())
        .count();
    println!(
        "ok: {} plans, {tasks} tasks ({untranslated} task titles without English), {} agencies",
        site.plans.len(),
        site.agencies.len()
    );
    Ok(())
}

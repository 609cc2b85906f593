//! `plansite build`: content/ → public/.

use super::RootArg;
use plansite::build::{BuildOptions, Progress, Silent, build};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    #[command(flatten)]
    today: super::TodayArg,
    /// Where to write the site [default: <root>/public]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The site's absolute URL, overriding base_url in content/site.toml
    #[arg(long)]
    base_url: Option<String>,
    /// Also publish plans whose status is "draft"
    #[arg(long)]
    drafts: bool,
    /// Print only errors
    #[arg(long, short)]
    quiet: bool,
}

/// Prints each stage as it finishes.
pub struct Stderr;

impl Progress for Stderr {
    fn stage(&mut self, name: &str, detail: &str, seconds: f64) {
        eprintln!("{name:>8}  {detail} ({:.0} ms)", seconds * 1000.0);
    }

    fn note(&mut self, message: &str) {
        eprintln!("{message}");
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = args.root.root;
    let options = BuildOptions {
        out: args.out.unwrap_or_else(|| root.join("public")),
        root,
        base_url: args.base_url,
        drafts: args.drafts,
        now: None,
        today: args.today.today,
    };
    let report = if args.quiet { build(&options, &mut Silent)? } else { build(&options, &mut Stderr)? };
    if !args.quiet {
        eprintln!(
            "built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {:.2} s",
            report.pages,
            report.files,
            report.write.written,
            report.write.unchanged,
            report.write.removed,
            options.out.display(),
            report.seconds
        );
    }
    Ok(())
}

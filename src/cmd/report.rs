//! `plansite report template`: a spreadsheet form of a plan's tasks for an
//! agency to fill.

use super::RootArg;
use plansite::load::load;
use plansite::report::template::{FileType, Options, form};
use plansite::resolve::Resolved;
use plansite::text::Lang;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Write an XLSX or CSV form of a plan's tasks for an agency to fill in
    Template(TemplateArgs),
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(clap::Args)]
struct TemplateArgs {
    /// The plan's id
    #[arg(long)]
    plan: String,
    /// Only the tasks this agency leads or supports, inherited ones included
    #[arg(long)]
    agency: Option<String>,
    /// The form to write: FILE.xlsx (Excel, LibreOffice) or FILE.csv
    #[arg(long)]
    out: PathBuf,
    /// The language of the headers and task titles
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// Replace the file if it exists (it may be a filled form!)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    root: RootArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Template(args) => template(args),
    }
}

fn template(args: TemplateArgs) -> anyhow::Result<()> {
    let file_type = FileType::of(&args.out)?;
    if args.out.exists() && !args.force {
        anyhow::bail!(
            "{} exists already (it may be a filled form); nothing was written\n     hint: pass --force to replace it, or choose another --out",
            args.out.display()
        );
    }
    let site = load(&args.root.root)?;
    let resolved = Resolved::new(&site);
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    let options = Options { plan: &args.plan, agency: args.agency.as_deref(), lang };
    let form = form(&resolved, &options)?;
    let bytes = match file_type {
        FileType::Xlsx => form.xlsx()?,
        FileType::Csv => form.csv()?,
    };
    write_atomically(&args.out, &bytes)?;
    println!("wrote {}: {} tasks of plan {}", args.out.display(), form.tasks, args.plan);
    Ok(())
}

/// Writes beside the target, then renames: a half-written form is never
/// left under the name given.
fn write_atomically(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("{}: cannot write: {e}", target.display())
    })
}

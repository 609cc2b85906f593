//! `plansite report template|import`: a spreadsheet form of a plan's tasks
//! for an agency to fill, and the filled form back as a progress file.

use super::RootArg;
use plansite::load::load;
use plansite::model::Date;
use plansite::report::template::{FileType, Options, form};
use plansite::report::{ImportOptions, import, write::save};
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
    /// Turn a filled form into content/progress/<plan>/<as-of>-<agency>.toml
    Import(ImportArgs),
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

#[derive(clap::Args)]
struct ImportArgs {
    /// The filled form: .xlsx (or .ods, .xls) or .csv
    file: PathBuf,
    /// The plan the form is for
    #[arg(long)]
    plan: String,
    /// The date the report describes, YYYY-MM-DD (not in the future)
    #[arg(long)]
    as_of: String,
    /// The reporting agency's id
    #[arg(long)]
    by: String,
    /// The report document it comes from, e.g. "Báo cáo số 123/BC-SKHCN"
    #[arg(long)]
    document: Option<String>,
    /// Where that document is published (http or https)
    #[arg(long)]
    url: Option<String>,
    /// Replace a report of the same agency and date imported before
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    root: RootArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Template(args) => template(args),
        Command::Import(args) => import_form(args),
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

fn import_form(args: ImportArgs) -> anyhow::Result<()> {
    let root = &args.root.root;
    let site = load(root)?;
    let options = ImportOptions {
        plan: &args.plan,
        as_of: &args.as_of,
        by: &args.by,
        document: args.document.as_deref(),
        url: args.url.as_deref(),
        today: Date::today(),
    };
    let imported = import(&site, &args.file, &options)?;
    for warning in &imported.warnings {
        eprintln!("warning: {warning}");
    }
    let path = imported.report.path(root);
    save(&path, &imported.report.toml(), args.force)?;
    let shown = path.strip_prefix(root).unwrap_or(&path);
    println!("{}", imported.summary(shown));
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

//! `plansite import FILE…`: plan documents → `content/plans/<id>.toml`, with
//! a report per file. Every file is read before anything is written: one bad
//! file, or one plan file that exists already (without `--force`), and
//! nothing in `content/` changes.

use super::RootArg;
use anyhow::bail;
use plansite::import::{Imported, Options, Registry, import};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Plan documents: text exported from Word or PDF, UTF-8
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    root: RootArg,
    /// Where to write the plan files [default: <root>/content/plans]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The jurisdiction (a file in content/agencies/), when the document does not say
    #[arg(long)]
    jurisdiction: Option<String>,
    /// Replace plan files that exist already
    #[arg(long)]
    force: bool,
    /// Print the reports without writing anything
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = &args.root.root;
    let registry = Registry::load(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let out = args.out.clone().unwrap_or_else(|| root.join("content").join("plans"));
    let mut imported = Vec::new();
    let mut problems = Vec::new();
    for file in &args.files {
        match import_file(file, root, &registry, args.jurisdiction.clone()) {
            Ok(i) => imported.push((file, i)),
            Err(e) => problems.push(e),
        }
    }
    for (file, i) in &imported {
        let target = out.join(format!("{}.toml", i.id));
        if let Some((other, _)) = imported.iter().find(|(f, j)| j.id == i.id && f != file) {
            problems.push(format!(
                "{} and {} both become the plan `{}`\n     hint: import them one at a time",
                other.display(),
                file.display(),
                i.id
            ));
        }
        if target.exists() && !args.force && !args.dry_run {
            problems.push(format!(
                "{}: {} exists already\n     hint: pass --force to replace it (the reviewed file will be lost), or --out DIR to write elsewhere",
                file.display(),
                target.display()
            ));
        }
    }
    problems.dedup();
    if !problems.is_empty() {
        let n = problems.len();
        bail!(
            "nothing was written; {n} problem{}:\n  {}",
            if n == 1 { "" } else { "s" },
            problems.join("\n  ")
        );
    }
    for (file, i) in &imported {
        let target = out.join(format!("{}.toml", i.id));
        let verb = match (args.dry_run, target.exists()) {
            (true, true) => "exists already: would need --force",
            (true, false) => "would write",
            (false, true) => "replaces",
            (false, false) => "writes",
        };
        println!("{} → {} ({verb})", file.display(), target.display());
        print!("{}", i.report);
    }
    if args.dry_run {
        println!("dry run: nothing written");
        return Ok(());
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", out.display()))?;
    for (_, i) in &imported {
        write_atomically(&out.join(format!("{}.toml", i.id)), &i.toml())?;
    }
    Ok(())
}

/// Reads and imports one file; errors carry the file and line.
fn import_file(
    file: &Path,
    root: &Path,
    registry: &Registry,
    jurisdiction: Option<String>,
) -> Result<Imported, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: cannot read the file: {e}", file.display()))?;
    let options = Options { registry, jurisdiction, source: source_path(file, root) };
    import(&bytes, &options).map_err(|e| {
        let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
        let hint = e.hint.as_ref().map(|h| format!("\n     hint: {h}")).unwrap_or_default();
        format!("{}{at}: {}{hint}", file.display(), e.message)
    })
}

/// The document's path relative to the site root, when it lies inside it.
fn source_path(file: &Path, root: &Path) -> Option<String> {
    let file = file.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = file.strip_prefix(&root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// Writes beside the target, then renames: a reader never sees half a file.
fn write_atomically(target: &Path, text: &str) -> anyhow::Result<()> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("{}: cannot write: {e}", target.display())
    })
}

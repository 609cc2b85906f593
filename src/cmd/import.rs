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
    /// Start content/agencies/ID.toml from the document (a province with no registry yet), then import against it
    #[arg(long, value_name = "ID", conflicts_with = "jurisdiction")]
    new_registry: Option<String>,
    /// Replace plan files that exist already; let --jurisdiction override the place the document prints
    #[arg(long)]
    force: bool,
    /// Print the reports without writing anything
    #[arg(long)]
    dry_run: bool,
    /// Print the reports as JSON (for tools)
    #[arg(long)]
    json: bool,
}

/// An imported document ready to write: the plan, its file and the text
/// that the loader has accepted.
struct Ready<'a> {
    file: &'a Path,
    imported: Imported,
    target: PathBuf,
    toml: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = &args.root.root;
    let registry = Registry::load(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let out = args.out.clone().unwrap_or_else(|| root.join("content").join("plans"));
    let mut ready = Vec::new();
    let mut problems = Vec::new();
    if args.new_registry.is_some() && args.files.len() > 1 {
        bail!(
            "--new-registry starts a registry from one document: give one file\n     hint: import the first document with --new-registry ID, then the others with --jurisdiction ID"
        );
    }
    for file in &args.files {
        let imported = import_file(file, root, &registry, &args);
        match imported.and_then(|i| checked(file, i, root, &out)) {
            Ok(r) => ready.push(r),
            Err(e) => problems.push(e),
        }
    }
    for r in &ready {
        if let Some(other) = ready.iter().find(|o| o.imported.id == r.imported.id && o.file != r.file) {
            problems.push(format!(
                "{} and {} both become the plan `{}`\n     hint: import them one at a time",
                other.file.display(),
                r.file.display(),
                r.imported.id
            ));
        }
        if let Some((id, _)) = &r.imported.registry {
            let path = root.join("content").join("agencies").join(format!("{id}.toml"));
            if path.exists() {
                problems.push(format!(
                    "{}: {} exists already\n     hint: import against it with --jurisdiction {id}",
                    r.file.display(),
                    path.display()
                ));
            }
        }
        if r.target.exists() && !args.force && !args.dry_run {
            problems.push(format!(
                "{}: {} exists already\n     hint: pass --force to replace it (the reviewed file will be lost), or --out DIR to write elsewhere",
                r.file.display(),
                r.target.display()
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
    let verb = |r: &Ready| match (args.dry_run, r.target.exists()) {
        (true, true) => "exists already: would need --force",
        (true, false) => "would write",
        (false, true) => "replaces",
        (false, false) => "writes",
    };
    if args.json {
        let imports: Vec<serde_json::Value> = ready
            .iter()
            .map(|r| {
                serde_json::json!({
                    "file": r.file.display().to_string(),
                    "plan": r.imported.id,
                    "target": r.target.display().to_string(),
                    "action": verb(r),
                    "report": r.imported.report,
                    "unresolved_entries": r.imported.report.paste(),
                })
            })
            .collect();
        let report = serde_json::json!({ "version": 1, "dry_run": args.dry_run, "imports": imports });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for r in &ready {
            println!("{} → {} ({})", r.file.display(), r.target.display(), verb(r));
            print!("{}", r.imported.report);
        }
    }
    if args.dry_run {
        if !args.json {
            println!("dry run: nothing written");
        }
        return Ok(());
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", out.display()))?;
    for r in &ready {
        if let Some((id, text)) = &r.imported.registry {
            let path = root.join("content").join("agencies").join(format!("{id}.toml"));
            write_atomically(&path, text)?;
        }
        write_atomically(&r.target, &r.toml)?;
    }
    Ok(())
}

/// The plan file checked as `build` will load it: a file the loader
/// refuses is not written, and the loader's problems say why.
fn checked<'a>(file: &'a Path, imported: Imported, root: &Path, out: &Path) -> Result<Ready<'a>, String> {
    let target = out.join(format!("{}.toml", imported.id));
    let rel = target.strip_prefix(root).unwrap_or(&target);
    match imported.checked_toml(root, rel) {
        Ok(toml) => Ok(Ready { file, imported, target, toml }),
        Err(problems) => Err(format!(
            "{}: the plan file it makes would not load, so it is not written:\n    {}\n     hint: fix what each problem names and import again (`plansite check` lists problems elsewhere in the site, such as a registry entry the loader refuses); if the document and the site are right, the importer is at fault: please report it with the document",
            file.display(),
            problems.iter().map(|p| p.replace('\n', "\n    ")).collect::<Vec<_>>().join("\n    ")
        )),
    }
}

/// Reads and imports one file; errors carry the file and line.
fn import_file(file: &Path, root: &Path, registry: &Registry, args: &Args) -> Result<Imported, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: cannot read the file: {e}", file.display()))?;
    let options = Options {
        registry,
        jurisdiction: args.jurisdiction.clone(),
        source: source_path(file, root),
        new_registry: args.new_registry.clone(),
        force: args.force,
    };
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

//! Subcommands, one file each.

mod build;
mod check;
mod import;
mod report;
mod search;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "plansite",
    version,
    about = "Publish Vietnamese government plans as a bilingual static website"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into public/
    Build(build::Args),
    /// Validate the content without writing anything
    Check(check::Args),
    /// Build, serve on 127.0.0.1, rebuild and reload pages on every change
    Serve(serve::Args),
    /// Search the built site's index, as its search page does
    Search(search::Args),
    /// Import plan documents (text from Word or PDF) into content/plans/
    Import(import::Args),
    /// Progress reports from spreadsheets: a form of a plan's tasks, and the filled form back
    Report(report::Args),
}

/// Options shared by commands that read a site.
#[derive(clap::Args)]
struct RootArg {
    /// The site folder (with content/ and themes/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// `--today`, the date task states are computed for.
#[derive(clap::Args)]
struct TodayArg {
    /// The date the site describes, YYYY-MM-DD: deadlines before it are
    /// overdue [default: SOURCE_DATE_EPOCH's date, else today]
    #[arg(long, value_parser = parse_date)]
    today: Option<plansite::model::Date>,
}

fn parse_date(s: &str) -> Result<plansite::model::Date, String> {
    plansite::model::Date::parse_iso(s)
        .ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD, like 2026-06-30"))
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    if !matches!(cli.command, Command::Serve(_)) {
        stop_quietly_on_a_closed_pipe();
    }
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Search(args) => search::run(args),
        Command::Import(args) => import::run(args),
        Command::Report(args) => report::run(args),
    }
}

/// `plansite check | head` closes the pipe early: like other command-line
/// tools, stop quietly then instead of panicking in `println!`. Rust ignores
/// SIGPIPE so that a server survives a client going away, so `serve` keeps
/// that.
fn stop_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default action, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

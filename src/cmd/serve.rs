//! `plansite serve`: build, serve on 127.0.0.1, rebuild and reload on change.

use super::RootArg;
use super::build::Stderr;
use plansite::build::{BuildOptions, Progress, Silent};
use plansite::serve::{ServeOptions, serve};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Port on 127.0.0.1 [default: a free one, printed]
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Also publish draft plans
    #[arg(long)]
    drafts: bool,
    /// Print only errors and the address
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = args.root.root;
    let build =
        BuildOptions { out: root.join("public"), root, base_url: None, drafts: args.drafts, now: None, today: None };
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    ctrlc::set_handler(move || handler_stop.store(true, Ordering::SeqCst))?;
    let quiet = args.quiet;
    let mut progress: Box<dyn Progress> = if quiet { Box::new(Silent) } else { Box::new(Stderr) };
    let mut report = |result: Result<String, String>| match result {
        Ok(summary) if !quiet => eprintln!("{summary}"),
        Ok(_) => {}
        Err(e) => eprintln!("error: {e}\n(still serving the last good build)"),
    };
    let mut ready = |url: &str| {
        println!("Serving {url} (Ctrl-C to stop)");
    };
    serve(ServeOptions { build, port: args.port }, progress.as_mut(), &mut report, &mut ready, stop)?;
    eprintln!("stopped");
    Ok(())
}

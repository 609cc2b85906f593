//! `plansite serve`: build a preview into `.plansite/preview/`, serve it on
//! 127.0.0.1 (or `--bind`), rebuild and reload on change.

use super::RootArg;
use super::build::Stderr;
use plansite::build::{BuildOptions, Progress, Silent};
use plansite::serve::{ServeOptions, serve};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    #[command(flatten)]
    today: super::TodayArg,
    /// Port to listen on; 0 picks a free one [default: a free one, printed]
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    port: u16,
    /// Address to listen on; anything but a loopback address lets other
    /// machines read the previews (drafts too with --drafts)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Also publish draft plans
    #[arg(long)]
    drafts: bool,
    /// Print only errors, warnings and the address
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let root = args.root.root;
    let published = root.join("public");
    let build = BuildOptions {
        out: plansite::serve::preview_folder(&root),
        root,
        base_url: None,
        drafts: args.drafts,
        now: None,
        today: args.today.today,
    };
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
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not a loopback address: other machines on the network can read the site{}",
            args.bind,
            if args.drafts { ", drafts included" } else { "" }
        );
    }
    let mut ready = |url: &str| {
        println!("Serving {url} (Ctrl-C to stop)");
    };
    let options = ServeOptions { build, published, bind: args.bind, port: args.port };
    serve(options, progress.as_mut(), &mut report, &mut ready, stop)?;
    eprintln!("stopped");
    Ok(())
}

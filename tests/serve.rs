//! `plansite serve`: start, fetch a page, edit content and see the change,
//! break the content and keep the last good site with an error to show, stop.

mod common;

use common::TempSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server process, killed if the test fails midway.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let code = response.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (code, body)
}

/// Polls until `check` holds, for at most 30 seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site() {
    let site = TempSite::copy_of_repo();
    let child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["serve", "--quiet", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut server = Server(child);
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().expect("stdout")).read_line(&mut first).expect("address line");
    let url = first.split_whitespace().nth(1).expect("url").to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_string();

    let page = "/en/plans/hue-2025-03-nq-cp/tasks/1/";
    let (code, body) = get(&address, page);
    assert_eq!(code, 200);
    assert!(body.contains("<script src=\"/__plansite/live.js\"></script></body>"), "live reload is injected");
    assert!(
        !site.read("public/en/plans/hue-2025-03-nq-cp/tasks/1/index.html").contains("live.js"),
        "not on disk"
    );
    let (code, _) = get(&address, "/en/no/such/page/");
    assert_eq!(code, 404);
    let (_, status) = get(&address, "/__plansite/status");
    let status: serde_json::Value = serde_json::from_str(&status).expect("status JSON");
    let version = status["version"].as_u64().expect("version");

    // An edit shows up without restarting.
    site.edit(
        &site.plan_file(),
        "Plan to implement a regular and extensive communication programme",
        "Plan for a regular, extensive communication programme",
    );
    eventually("the edited title", || {
        get(&address, page).1.contains("Plan for a regular, extensive communication programme")
    });
    eventually("a new version for open pages to reload", || {
        let (_, status) = get(&address, "/__plansite/status");
        serde_json::from_str::<serde_json::Value>(&status).expect("json")["version"].as_u64() > Some(version)
    });

    // A broken file: the error is reported, the last good site stays.
    site.edit(&site.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = [\"hue-so-nowhere\"]");
    eventually("the error in the status", || {
        get(&address, "/__plansite/status").1.contains("unknown agency `hue-so-nowhere`")
    });
    assert!(get(&address, page).1.contains("Plan for a regular, extensive communication programme"));

    // Ctrl-C stops it cleanly.
    let pid = server.0.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().expect("kill -INT");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

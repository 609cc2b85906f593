//! `plansite serve`: start, fetch a page, edit content and see the change,
//! break the content and keep the last good site with an error to show, stop.
//! And hostile clients: foreign Host names, oversized or endless requests,
//! idle connections and too many of them.

mod common;

use common::TempSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The server process, killed if the test fails midway.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `plansite serve` on a copy of the site; returns it and its address.
fn start(site: &TempSite, args: &[&str]) -> (Server, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["serve", "--quiet", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");
    let mut server = Server(child);
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().expect("stdout")).read_line(&mut first).expect("address line");
    let url = first.split_whitespace().nth(1).expect("url").to_string();
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    (server, address)
}

fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    stream
}

fn get(address: &str, path: &str) -> (u16, String) {
    get_as(address, address, path)
}

/// A GET on `address` naming `host` in its Host header.
fn get_as(address: &str, host: &str, path: &str) -> (u16, String) {
    exchange(connect(address), &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"))
}

/// Sends `request` (may be empty) and reads the response to its end.
fn exchange(mut stream: TcpStream, request: &str) -> (u16, String) {
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let response = String::from_utf8_lossy(&response);
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
    site.build().expect("the published build");
    let published = common::tree(&site.out());
    let (mut server, address) = start(&site, &[]);
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let page = PAGE;
    let (code, body) = get(&address, page);
    assert_eq!(code, 200);
    assert!(body.contains("<script src=\"/__plansite/live.js\"></script></body>"), "live reload is injected");
    let preview = site.preview().join("en/plans/hue-2025-03-nq-cp/tasks/1/index.html");
    assert!(!std::fs::read_to_string(preview).expect("the preview").contains("live.js"), "not on disk");
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
    let (_, changes) = get(&address, "/en/changes/");
    let unpublished = changes.split("id=\"unpublished\"").nth(1).expect("the trial edit, as unpublished");
    assert!(
        unpublished.contains("Not yet published") && unpublished.contains("1 tasks modified"),
        "{changes}"
    );
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
    common::assert_same_tree(&published, &common::tree(&site.out()), "serve never writes the published site");
}

const PAGE: &str = "/en/plans/hue-2025-03-nq-cp/tasks/1/";

#[test]
fn serve_answers_only_local_host_names() {
    let site = TempSite::copy_of_repo();
    let (_server, address) = start(&site, &["--drafts"]);
    let port = address.rsplit_once(':').expect("port").1;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LocalHost".into(),
    ] {
        let (code, body) = get_as(&address, &host, PAGE);
        assert_eq!(code, 200, "{host}");
        assert!(body.contains("/__plansite/live.js"), "{host}");
    }
    // A DNS-rebinding page: its own name, resolving to 127.0.0.1.
    for host in
        [format!("evil.example:{port}"), "evil.example".into(), format!("127.0.0.1.evil.example:{port}")]
    {
        for path in [PAGE, "/__plansite/status", "/"] {
            let (code, body) = get_as(&address, &host, path);
            assert_eq!(code, 421, "{host}{path}");
            assert!(!body.contains("<html") && !body.contains("version"), "no content for {host}: {body}");
        }
    }
    let (code, body) = exchange(connect(&address), "GET /__plansite/status HTTP/1.1\r\n\r\n");
    assert_eq!(code, 421, "HTTP/1.1 without a Host: {body}");
}

#[test]
fn serve_bounds_what_a_request_may_cost() {
    let site = TempSite::copy_of_repo();
    let (server, address) = start(&site, &[]);
    let idle = (connect(&address), Instant::now());

    let (code, _) = exchange(
        connect(&address),
        &format!("POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 5\r\n\r\nhello"),
    );
    assert_eq!(code, 413, "a request body");

    // A 16 MB request line: refused after its first 8 KiB, memory stays flat.
    let pid = server.0.id();
    let before = rss_kib(pid).unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(before));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (Arc::clone(&peak), Arc::clone(&sampling));
        std::thread::spawn(move || {
            while sampling.load(Ordering::SeqCst) {
                peak.fetch_max(rss_kib(pid).unwrap_or(0), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let stream = connect(&address);
    let mut writer = stream.try_clone().expect("clone");
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        let _ = writer.write_all(b"GET /");
        // Stops with an error once the server closes: it never reads it all.
        (0..16).all(|_| writer.write_all(&chunk).is_ok()) && writer.write_all(b" HTTP/1.1\r\n\r\n").is_ok()
    });
    let (code, body) = exchange(stream, "");
    assert_eq!(code, 414, "{body}");
    assert_eq!(get(&address, PAGE).0, 200, "other clients are still served");
    let _ = sender.join();
    sampling.store(false, Ordering::SeqCst);
    sampler.join().expect("sampler");
    let grown = peak.load(Ordering::SeqCst).saturating_sub(before);
    assert!(grown < 8 * 1024, "the server grew by {grown} KiB for a 16 MB request line");

    // The connection that never sent anything was closed (408, after 10 s).
    let (mut stream, opened) = idle;
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("closed by the server");
    assert!(response.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{response}");
    assert!(opened.elapsed() < Duration::from_secs(30), "closed within the timeout");
}

/// The resident set of process `pid`, in KiB, where there is a `/proc`
/// (elsewhere the memory check is vacuous).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn serve_answers_503_beyond_64_connections_and_serves_the_others() {
    let site = TempSite::copy_of_repo();
    // Linux routes all of 127/8 to the loopback; elsewhere only 127.0.0.1 is sure.
    let bind = if cfg!(target_os = "linux") { "127.0.0.2" } else { "127.0.0.1" };
    let (_server, address) = start(&site, &["--bind", bind]);
    assert!(address.starts_with(&format!("{bind}:")), "{address}");
    let port = address.rsplit_once(':').expect("port").1;
    assert_eq!(get_as(&address, &format!("{bind}:{port}"), "/").0, 200, "the bound address is a good Host");
    if bind != "127.0.0.1" {
        assert_eq!(get_as(&address, &format!("{bind}:1"), "/").0, 421, "with the server's port only");
    }

    // Accepted in order: the 65th and 66th find all places taken.
    let held: Vec<TcpStream> = (0..64).map(|_| connect(&address)).collect();
    for _ in 0..2 {
        let (code, body) = exchange(connect(&address), "");
        assert_eq!(code, 503, "{body}");
    }
    // All requests first: each head must be complete within 10 s of its connection.
    for mut stream in &held {
        write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").expect("send");
    }
    for stream in held {
        assert_eq!(exchange(stream, "").0, 200);
    }
    eventually("a place given back", || get(&address, "/").0 == 200);
}

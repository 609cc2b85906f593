//! The search page in a real browser: headless Chromium, driven over the
//! DevTools protocol by tests/search/browser.mjs, types a query into the
//! search box of the built site, sees the expected result, moves to it with
//! the arrow keys and follows it. Needs Node and Chromium; with CI=true a
//! missing one fails the test.

mod common;

use common::TempSite;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

#[test]
fn typing_a_query_shows_the_expected_result_and_following_it_opens_the_page() {
    let Some((node, chromium)) = tools() else { return };
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    let server = Server::start(site.out());
    let cases = [
        // Typed without diacritics; the second result, reached with ↓ ↓.
        ("vi", "dau tu mao hiem", "/vi/plans/hue-2025-03-nq-cp/tasks/16/", "quỹ đầu tư mạo hiểm"),
        ("en", "venture capital", "/en/plans/hai-phong-2026-709-qd-ttg/tasks/3-12/", "Venture Capital Fund"),
    ];
    for (lang, query, expected, heading) in cases {
        let page = format!("{}{lang}/search/", server.base());
        let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/browser.mjs");
        let out = Command::new(&node)
            .arg(driver)
            .arg(&chromium)
            .args([page.as_str(), query, expected])
            .output()
            .expect("run node");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the browser run failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let seen: serde_json::Value = serde_json::from_str(stdout.trim()).expect("a JSON report");
        assert_eq!(seen["landed"], expected, "{seen}");
        assert_eq!(seen["focused"], expected, "the arrow keys reach the result: {seen}");
        let h1 = seen["h1"].as_str().unwrap_or("");
        assert!(h1.to_lowercase().contains(&heading.to_lowercase()), "{h1}");
        assert!(seen["marks"].as_u64().unwrap_or(0) > 0, "matches are highlighted: {seen}");
        let status = seen["status"].as_str().unwrap_or("");
        assert!(status.contains(query), "the live region announces the count: {status}");
        assert_eq!(seen["live"], "polite");
        let url = seen["url"].as_str().unwrap_or("");
        assert!(url.starts_with(&format!("/{lang}/search/?q=")), "the query is kept in the URL: {url}");
    }
}

/// Node and Chromium (`PLANSITE_CHROMIUM`, else /usr/bin/chromium), or
/// `None` with the reason printed; with CI=true a missing tool fails.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("PLANSITE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let node = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("node")).find(|p| p.is_file()));
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (apt-get install -y chromium)", chromium.display()));
    }
    if node.is_none() {
        missing.push("node".to_string());
    }
    if let (Some(node), true) = (node, missing.is_empty()) {
        return Some((node, chromium));
    }
    let why = format!("the search page test needs {}", missing.join(" and "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true and {why}");
    let _ = writeln!(std::io::stderr(), "skipping: {why}");
    None
}

/// The built site on 127.0.0.1 and a free port, until dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || {
                        let _ = respond(stream, &root);
                    });
                }
            }
        });
        Server { addr, stop, thread: Some(thread) }
    }

    fn base(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves one GET: a file, or a folder's index.html.
fn respond(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && !line.trim().is_empty() {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = decode(path);
    let safe = path.starts_with('/') && !path.split('/').any(|s| s == "..");
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

/// `%xx` escapes in a URL path, as UTF-8.
fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

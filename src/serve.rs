//! `plansite serve`: build, serve the output on 127.0.0.1, rebuild when
//! content, themes or seeds change, and reload open pages. A failed rebuild
//! leaves the last good site being served (the atomic write guarantees it)
//! and shows the error in an overlay on every open page.

use crate::build::{BuildOptions, Progress};
use crate::error::{Error, Result};
use crate::session::Session;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What open pages poll for: a new version means reload, an error means
/// show the overlay.
#[derive(Debug, Default, Clone)]
struct Status {
    version: u64,
    error: Option<String>,
}

/// The script injected into served pages (never into the built files).
const LIVE_JS: &str = r#"(function () {
  var seen = null;
  function overlay(message) {
    var box = document.getElementById("plansite-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "plansite-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "plansite: the last change could not be built; the site shown is the last good build.\n\n" + message;
  }
  function poll() {
    fetch("/__plansite/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version;
      overlay(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"#;

/// Options for one serving session.
pub struct ServeOptions {
    pub build: BuildOptions,
    /// 0 picks a free port.
    pub port: u16,
}

/// Builds, then serves until `stop` is set; `ready` gets the address once
/// the server listens. Rebuild results go to `progress` and `report`.
pub fn serve(
    options: ServeOptions,
    progress: &mut dyn Progress,
    report: &mut dyn FnMut(std::result::Result<String, String>),
    ready: &mut dyn FnMut(&str),
    stop: Arc<AtomicBool>,
) -> Result<()> {
    let status = Arc::new(Mutex::new(Status::default()));
    let mut session = Session::new(options.build.clone());
    rebuild(&mut session, progress, report, &status);
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .map_err(|e| Error::Other(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let address = listener.local_addr().map_err(|e| Error::Other(e.to_string()))?;
    listener.set_nonblocking(true).map_err(|e| Error::Other(e.to_string()))?;
    let out = options.build.out.clone();
    let server_status = Arc::clone(&status);
    let server_stop = Arc::clone(&stop);
    std::thread::spawn(move || accept(listener, out, server_status, server_stop));
    ready(&format!("http://{address}/"));

    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;
    for dir in ["content", "themes", "seeds"] {
        let path = options.build.root.join(dir);
        if path.is_dir() {
            notify::Watcher::watch(&mut watcher, &path, notify::RecursiveMode::Recursive)
                .map_err(|e| Error::Other(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => {
                // Editors save in bursts: wait for the burst to end.
                while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
                rebuild(&mut session, progress, report, &status);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

fn rebuild(
    session: &mut Session,
    progress: &mut dyn Progress,
    report: &mut dyn FnMut(std::result::Result<String, String>),
    status: &Mutex<Status>,
) {
    let result = session.rebuild(progress);
    let mut s = status.lock().unwrap_or_else(|p| p.into_inner());
    match result {
        Ok(r) => {
            s.version += 1;
            s.error = None;
            report(Ok(format!(
                "built {} pages ({} rendered; files: {} written, {} unchanged, {} removed) in {:.3} s",
                r.pages, r.rendered, r.write.written, r.write.unchanged, r.write.removed, r.seconds
            )));
        }
        Err(e) => {
            let message = format!("{e}");
            s.error = Some(message.clone());
            report(Err(message));
        }
    }
}

fn accept(listener: TcpListener, out: PathBuf, status: Arc<Mutex<Status>>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (out, status) = (out.clone(), Arc::clone(&status));
                std::thread::spawn(move || {
                    let _ = respond(stream, &out, &status);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Answers one GET or HEAD request from the output folder.
fn respond(stream: TcpStream, out: &Path, status: &Mutex<Status>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (code, kind, body) = match (method, path) {
        ("GET" | "HEAD", "/__plansite/live.js") => {
            (200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec())
        }
        ("GET" | "HEAD", "/__plansite/status") => {
            let s = status.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let json = serde_json::json!({ "version": s.version, "error": s.error });
            (200, "application/json", json.to_string().into_bytes())
        }
        ("GET" | "HEAD", _) => file(out, path),
        _ => (405, "text/plain; charset=utf-8", b"method not allowed\n".to_vec()),
    };
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 {code} {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        if code == 200 {
            "OK"
        } else if code == 404 {
            "Not Found"
        } else {
            "Error"
        },
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// A file of the built site, with the live-reload script added to pages.
fn file(out: &Path, url_path: &str) -> (u16, &'static str, Vec<u8>) {
    let decoded = percent_decode(url_path);
    let safe = decoded.split('/').all(|part| part != ".." && !part.contains('\\'));
    let mut path = out.join(decoded.trim_start_matches('/'));
    if path.is_dir() {
        path = path.join("index.html");
    }
    let (code, path) = match (safe, path.is_file()) {
        (true, true) => (200, path),
        _ => (404, out.join("404.html")),
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|_| b"not found\n".to_vec());
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes);
        let script = "<script src=\"/__plansite/live.js\"></script>";
        let injected = match html.rfind("</body>") {
            Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
            None => format!("{html}{script}"),
        };
        return (code, kind, injected.into_bytes());
    }
    (code, kind, bytes)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%C4%91` → `đ`: browsers percent-encode non-ASCII paths.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_traversal() {
        assert_eq!(percent_decode("/a%20b/%C4%91"), "/a b/đ");
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("404.html"), "<html><body>nf</body></html>").expect("write");
        let (code, _, _) = file(dir.path(), "/../etc/passwd");
        assert_eq!(code, 404);
        let (code, kind, body) = file(dir.path(), "/missing/");
        assert_eq!((code, kind), (404, "text/html; charset=utf-8"));
        assert!(String::from_utf8_lossy(&body).contains("/__plansite/live.js"));
    }
}

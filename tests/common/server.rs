//! A static file server for a built site, for tests that open it in a
//! browser: 127.0.0.1 and a free port, a thread per connection (browsers
//! open several at once), stopped when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A static file server for the built site on 127.0.0.1 and a free port,
/// stopped when dropped. A thread per connection, since the browser opens
/// several at once and may leave some unused.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || {
                    // A client that hangs up early is its own business.
                    let _ = serve(stream, &root);
                });
            }
        });
        StaticServer { addr, stop, thread: Some(thread) }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request (GET or HEAD) on a connection, then closes it.
fn serve(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 0 && !header.trim().is_empty() {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, headers, body) = match method {
        "GET" | "HEAD" => respond(root, target),
        _ => ("405 Method Not Allowed", vec![("Allow", "GET, HEAD".to_string())], Vec::new()),
    };
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Cache-Control: no-store\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

type Response = (&'static str, Vec<(&'static str, String)>, Vec<u8>);

/// The file a URL path names: `dir/` serves `dir/index.html`, `dir` redirects to `dir/`.
fn respond(root: &Path, target: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(path) else { return ("400 Bad Request", Vec::new(), Vec::new()) };
    if !path.starts_with('/') || path.split('/').any(|seg| seg == ".." || seg == ".") {
        return ("400 Bad Request", Vec::new(), Vec::new());
    }
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        if !path.ends_with('/') {
            return ("301 Moved Permanently", vec![("Location", format!("{path}/"))], Vec::new());
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => ("200 OK", vec![("Content-Type", content_type(&file).to_string())], body),
        Err(_) => ("404 Not Found", vec![("Content-Type", "text/plain".to_string())], b"not found".to_vec()),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

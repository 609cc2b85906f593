//! `plansite serve`: build a preview, serve it (on 127.0.0.1 unless told
//! otherwise), rebuild when content, themes or seeds change, and reload open
//! pages. The preview is written into a folder of its own
//! ([`preview_folder`]), never into the published `public/`, and records
//! no change in the history: only `plansite build` publishes. A failed rebuild leaves the last good site being served (the
//! atomic write guarantees it) and shows the error in an overlay on every
//! open page.
//!
//! The HTTP side is a small HTTP/1.1 server on `std::net`, one request per
//! connection, written to withstand hostile clients: a request head, the
//! time it may take and the number of connections are all bounded
//! ([`ServerLimits`]), so no client can make it hold unbounded memory or
//! threads.

use crate::build::{BuildOptions, Progress};
use crate::error::{Error, Result};
use crate::session::Session;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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
    /// `build.out` is where the preview is written ([`preview_folder`]).
    pub build: BuildOptions,
    /// The published build (`public/`), read to show what is not yet
    /// published, never written.
    pub published: PathBuf,
    /// The address to listen on: 127.0.0.1 unless the user asked otherwise.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What one connection may cost the server. No client can go beyond them,
/// so a hostile one holds a few tens of KiB and one thread, for a bounded
/// time. Tests shrink them.
#[derive(Debug, Clone)]
struct ServerLimits {
    /// Longest request line, CR LF included (414 beyond).
    request_line: usize,
    /// Longest header line, CR LF included (431 beyond).
    header_line: usize,
    /// Most header lines (431 beyond).
    headers: usize,
    /// Most bytes in all header lines together (431 beyond).
    header_bytes: usize,
    /// Time for the whole request head, from the connection's start rather
    /// than per read, so a client trickling a byte at a time is cut off too
    /// (408).
    head_timeout: Duration,
    /// Time for writing the whole response to the client.
    write_timeout: Duration,
    /// How long the unread rest of a refused request is drained: closing
    /// with unread data resets the connection, and the client could lose
    /// the refusal.
    linger: Duration,
    /// Connections served at once; beyond them new ones get 503 at once.
    connections: usize,
}

impl Default for ServerLimits {
    fn default() -> ServerLimits {
        ServerLimits {
            request_line: 8 * 1024,
            header_line: 8 * 1024,
            headers: 100,
            header_bytes: 64 * 1024,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            linger: Duration::from_secs(2),
            connections: 64,
        }
    }
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
    // Requests read files under `gate.read()`, and the session holds
    // `gate.write()` while it commits a rebuild, so no request ever sees
    // half of one.
    let gate = Arc::new(RwLock::new(()));
    // Listen first: a busy port is known at once, not after a whole build.
    // Connections wait in the backlog until the first build is done.
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(wanted).map_err(|e| {
        Error::Other(format!(
            "cannot listen on {wanted}: {e}\n     hint: another program (perhaps another plansite serve) uses \
             port {}; stop it, or choose another port with --port N (or --port 0 for a free one)",
            options.port
        ))
    })?;
    mark_as_scratch(&options.build.out)?;
    let mut session =
        Session::new(options.build.clone(), options.published.clone()).with_gate(Arc::clone(&gate));
    rebuild(&mut session, progress, report, &status);
    let address = listener.local_addr().map_err(|e| Error::Other(e.to_string()))?;
    listener.set_nonblocking(true).map_err(|e| Error::Other(e.to_string()))?;
    let server = Arc::new(Server {
        out: options.build.out.clone(),
        status: Arc::clone(&status),
        gate,
        hosts: Hosts { bind: options.bind, port: address.port() },
        limits: ServerLimits::default(),
        active: AtomicUsize::new(0),
    });
    let server_stop = Arc::clone(&stop);
    std::thread::spawn(move || accept(listener, server, server_stop));
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

/// Where `serve` writes its preview of the site in `root`: a folder of its
/// own, so that trial edits never reach the published `public/` or its
/// change history.
pub fn preview_folder(root: &Path) -> PathBuf {
    root.join(".plansite").join("preview")
}

/// Puts a `.gitignore` that ignores everything in the preview's parent
/// folder (`.plansite/`), so a site kept in git never commits a preview.
fn mark_as_scratch(preview: &Path) -> Result<()> {
    let Some(parent) = preview.parent() else { return Ok(()) };
    let ignore = parent.join(".gitignore");
    if ignore.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    std::fs::write(&ignore, "# plansite serve's preview: never committed, never published\n*\n")
        .map_err(|e| Error::io(&ignore, e))
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

/// What the connection threads share.
struct Server {
    out: PathBuf,
    status: Arc<Mutex<Status>>,
    /// Held for reading while a file is resolved and read (not while it is
    /// sent), so a rebuild holding it for writing while it commits is never
    /// seen half done, and a slow client never holds up a rebuild.
    gate: Arc<RwLock<()>>,
    hosts: Hosts,
    limits: ServerLimits,
    /// Connections being served now, at most `limits.connections`.
    active: AtomicUsize,
}

fn accept(listener: TcpListener, server: Arc<Server>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => admit(stream, &server),
            // WouldBlock (nothing to accept), or out of descriptors.
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Serves a connection on a thread of its own, or answers 503 when all
/// `limits.connections` are taken: the threads stay bounded.
fn admit(stream: TcpStream, server: &Arc<Server>) {
    let start = Instant::now();
    let Some(slot) = Slot::take(server) else { return busy(stream) };
    // A failed spawn drops the closure, and with it the slot and stream.
    let _ = std::thread::Builder::new().name("plansite-http".into()).spawn(move || {
        let _ = connection(stream, &slot.0, start);
    });
}

/// One of the `limits.connections` places, given back when dropped (even
/// by a panicking thread).
struct Slot(Arc<Server>);

impl Slot {
    fn take(server: &Arc<Server>) -> Option<Slot> {
        let max = server.limits.connections;
        let taken =
            server.active.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < max).then_some(n + 1));
        taken.ok().map(|_| Slot(Arc::clone(server)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Refuses a connection over the limit on the accept thread, which must
/// never wait on a client: the socket is non-blocking and the short answer
/// fits its send buffer.
fn busy(stream: TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    // Whatever already came, so that closing does not reset the connection.
    let _ = (&stream).read(&mut [0; 4096]);
    let _ = send(&mut &stream, &Response::text(503, "too many connections, try again\n"), false);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Why a request gets no file: the client went away (nothing to answer), or
/// a refusal with its status code and a one-line reason.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Failure {
    Gone,
    Refuse(u16, &'static str),
}

impl Failure {
    fn io(e: io::Error) -> Failure {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Failure::Refuse(408, "request timeout\n"),
            _ => Failure::Gone,
        }
    }
}

/// Reads one request head within the limits, answers it, closes.
fn connection(stream: TcpStream, server: &Server, start: Instant) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    let limits = &server.limits;
    let timed = Timed { stream: &stream, until: start + limits.head_timeout };
    let mut reader = BufReader::with_capacity(READ_BUFFER, timed);
    let head = match read_head(&mut reader, limits) {
        Ok(head) => head,
        Err(failure) => return refuse(&stream, failure, false, limits),
    };
    let head_only = head.method == "HEAD";
    let response = match server.check(&head) {
        Ok(path) => server.answer(path),
        Err(failure) => return refuse(&stream, failure, head_only, limits),
    };
    send(&mut Timed { stream: &stream, until: Instant::now() + limits.write_timeout }, &response, head_only)
}

/// Answers a refusal, then drains what the client still sends for at most
/// `limits.linger`, through a fixed buffer, before closing.
fn refuse(stream: &TcpStream, failure: Failure, head_only: bool, limits: &ServerLimits) -> io::Result<()> {
    let Failure::Refuse(code, why) = failure else { return Ok(()) };
    let mut out = Timed { stream, until: Instant::now() + limits.write_timeout };
    send(&mut out, &Response::text(code, why), head_only)?;
    stream.shutdown(Shutdown::Write)?;
    let mut rest = Timed { stream, until: Instant::now() + limits.linger };
    let mut buffer = [0; READ_BUFFER];
    while matches!(rest.read(&mut buffer), Ok(n) if n > 0) {}
    Ok(())
}

/// The socket reads through: the largest read a connection buffers.
const READ_BUFFER: usize = 8 * 1024;

/// A stream whose reads or writes all end by `until`, however the client
/// paces them: each call gets only the time left.
struct Timed<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Timed<'_> {
    fn left(&self) -> io::Result<Duration> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() { Err(io::ErrorKind::TimedOut.into()) } else { Ok(left) }
    }
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

impl Write for Timed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        let mut stream = self.stream;
        stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The parts of a request head the server acts on; other headers are read
/// and dropped.
#[derive(Debug)]
struct Head {
    method: String,
    target: String,
    /// HTTP/1.0, where a Host header is optional.
    http10: bool,
    host: Option<String>,
    /// A body is announced (Content-Length above 0, or Transfer-Encoding).
    body: bool,
}

/// Reads a request head, never holding more of it than the limits allow.
fn read_head(reader: &mut impl BufRead, limits: &ServerLimits) -> std::result::Result<Head, Failure> {
    let long_line = Failure::Refuse(414, "request line too long\n");
    let long_head = Failure::Refuse(431, "request header fields too large\n");
    let mut line = Vec::new();
    read_line(reader, limits.request_line, &mut line, long_line)?;
    if line.is_empty() {
        // A stray CR LF may precede a request (RFC 9112, 2.2).
        read_line(reader, limits.request_line, &mut line, long_line)?;
    }
    let mut head = Head::new(&line)?;
    let (mut count, mut bytes) = (0, 0);
    loop {
        read_line(reader, limits.header_line, &mut line, long_head)?;
        if line.is_empty() {
            return Ok(head);
        }
        count += 1;
        bytes += line.len() + 2;
        if count > limits.headers || bytes > limits.header_bytes {
            return Err(long_head);
        }
        head.header(&line)?;
    }
}

/// Reads one line into `line` without its CR LF. Unlike `read_line`, a line
/// longer than `max` fails with `too_long` before more than `max` bytes of
/// it are held.
fn read_line(
    reader: &mut impl BufRead,
    max: usize,
    line: &mut Vec<u8>,
    too_long: Failure,
) -> std::result::Result<(), Failure> {
    line.clear();
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) => return Err(Failure::Gone),
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::io(e)),
        };
        let end = chunk.iter().position(|&b| b == b'\n');
        let take = end.map_or(chunk.len(), |i| i + 1);
        if line.len() + take > max {
            return Err(too_long);
        }
        line.extend_from_slice(&chunk[..take]);
        reader.consume(take);
        if end.is_some() {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(());
        }
    }
}

impl Head {
    /// `GET /path HTTP/1.1`: a method, an origin-form target (an absolute
    /// URL could name another host), HTTP/1.0 or 1.1.
    fn new(line: &[u8]) -> std::result::Result<Head, Failure> {
        let bad = Failure::Refuse(400, "bad request line\n");
        let text = std::str::from_utf8(line).map_err(|_| bad)?;
        let mut parts = text.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad);
        };
        let http10 = match version {
            "HTTP/1.1" => false,
            "HTTP/1.0" => true,
            _ => return Err(bad),
        };
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) || !target.starts_with('/') {
            return Err(bad);
        }
        Ok(Head { method: method.to_string(), target: target.to_string(), http10, host: None, body: false })
    }

    /// Notes the headers that matter: Host, and any sign of a body.
    fn header(&mut self, line: &[u8]) -> std::result::Result<(), Failure> {
        let bad = Failure::Refuse(400, "bad header line\n");
        let colon = line.iter().position(|&b| b == b':').ok_or(bad)?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        // No space before the colon, no folded continuation line (RFC 9112, 5).
        if name.is_empty() || !name.iter().all(u8::is_ascii_graphic) {
            return Err(bad);
        }
        let value = String::from_utf8_lossy(value);
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case(b"host") {
            if self.host.replace(value.to_string()).is_some() {
                return Err(Failure::Refuse(400, "more than one Host header\n"));
            }
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
            let length: u64 = match value.parse() {
                Ok(length) if digits => length,
                _ => return Err(Failure::Refuse(400, "bad Content-Length\n")),
            };
            self.body |= length > 0;
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            self.body = true;
        }
        Ok(())
    }
}

/// The Host names a request may carry. A DNS-rebinding page reaches the
/// server under the attacker's own name (evil.example resolving to
/// 127.0.0.1), so only loopback names and the bound address are answered.
#[derive(Debug)]
struct Hosts {
    bind: IpAddr,
    port: u16,
}

impl Hosts {
    /// `localhost`, `127.0.0.1`, `[::1]` (any port: a tunnel may forward
    /// another one), or the bound address with no port or the server's.
    /// Bound to all addresses (0.0.0.0, ::), any IP address is the bound
    /// one; a name never is, since only a name can be rebound.
    fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let Some((name, port)) = split_host(&host) else { return false };
        if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|v6| v6.strip_suffix(']')) {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
        };
        let same = ip.is_some_and(|ip| ip == self.bind || self.bind.is_unspecified());
        same && port.is_none_or(|port| port == self.port)
    }
}

/// `name[:port]` → the name and the port, `None` when the port is not a
/// number or an IPv6 address lacks its brackets.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let split = match host.starts_with('[') {
        true => host.find(']')? + 1,
        false => host.find(':').unwrap_or(host.len()),
    };
    let (name, rest) = host.split_at(split);
    let port = match rest.strip_prefix(':') {
        None if rest.is_empty() => None,
        Some("") => None,
        Some(port) if port.bytes().all(|b| b.is_ascii_digit()) => Some(port.parse().ok()?),
        _ => return None,
    };
    Some((name, port))
}

impl Server {
    /// The URL path a request head asks for, or why it is not answered:
    /// the Host first, so a foreign page learns nothing else.
    fn check<'h>(&self, head: &'h Head) -> std::result::Result<&'h str, Failure> {
        match &head.host {
            Some(host) if self.hosts.allows(host) => {}
            None if head.http10 => {}
            _ => {
                return Err(Failure::Refuse(
                    421,
                    "misdirected request: this server answers only localhost\n",
                ));
            }
        }
        if head.body {
            return Err(Failure::Refuse(413, "request bodies are not accepted\n"));
        }
        if !matches!(head.method.as_str(), "GET" | "HEAD") {
            return Err(Failure::Refuse(405, "method not allowed\n"));
        }
        Ok(head.target.split(['?', '#']).next().unwrap_or("/"))
    }

    /// The live-reload script and status, or a file of the built site.
    fn answer(&self, path: &str) -> Response {
        match path {
            "/__plansite/live.js" => Response {
                code: 200,
                kind: "text/javascript; charset=utf-8",
                body: LIVE_JS.as_bytes().to_vec(),
            },
            "/__plansite/status" => {
                let s = self.status.lock().unwrap_or_else(|p| p.into_inner()).clone();
                let json = serde_json::json!({ "version": s.version, "error": s.error });
                Response { code: 200, kind: "application/json", body: json.to_string().into_bytes() }
            }
            _ => {
                let _reading = self.gate.read().unwrap_or_else(|p| p.into_inner());
                file(&self.out, path)
            }
        }
    }
}

/// A response, sent whole with `Connection: close`.
#[derive(Debug)]
struct Response {
    code: u16,
    kind: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn text(code: u16, text: &str) -> Response {
        Response { code, kind: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
    }
}

/// Writes the status line, headers and (unless for HEAD) the body.
fn send(out: &mut impl Write, response: &Response, head_only: bool) -> io::Result<()> {
    let code = response.code;
    let extra = match code {
        405 => "Allow: GET, HEAD\r\n",
        503 => "Retry-After: 1\r\n",
        _ => "",
    };
    let head = format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{extra}Connection: close\r\n\r\n",
        reason(code),
        response.kind,
        response.body.len()
    );
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// The reason phrase of each status code the server sends (RFC 9110, 15).
fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// A file of the built site, with the live-reload script added to pages.
fn file(out: &Path, url_path: &str) -> Response {
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
        return Response { code, kind, body: injected.into_bytes() };
    }
    Response { code, kind, body: bytes }
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

    fn parse(request: &str) -> std::result::Result<Head, Failure> {
        read_head(&mut BufReader::new(request.as_bytes()), &ServerLimits::default())
    }

    fn localhost(port: u16) -> Hosts {
        Hosts { bind: IpAddr::from([127, 0, 0, 1]), port }
    }

    #[test]
    fn only_loopback_names_and_the_bound_address_are_answered() {
        let hosts = localhost(8000);
        for host in [
            "localhost",
            "localhost:8000",
            "LocalHost:8000",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:9",
            "[::1]",
            "[::1]:8000",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "::1",
            "[::1",
            "127.0.0.1:80a",
            "",
            "localhost:99999",
            "127.0.0.2:8000",
            "localhost:8000:1",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        let lan = Hosts { bind: IpAddr::from([192, 168, 1, 5]), port: 8000 };
        assert!(lan.allows("192.168.1.5") && lan.allows("192.168.1.5:8000") && lan.allows("localhost:8000"));
        assert!(!lan.allows("192.168.1.5:8001") && !lan.allows("192.168.1.6:8000"));
        let all = Hosts { bind: IpAddr::from([0, 0, 0, 0]), port: 8000 };
        assert!(all.allows("10.0.0.7:8000") && all.allows("[fe80::1]:8000"));
        assert!(!all.allows("10.0.0.7:8001") && !all.allows("plans.example:8000"));
    }

    #[test]
    fn request_heads_are_bounded_even_when_endless() {
        let limits = ServerLimits::default();
        let endless =
            |prefix: &'static [u8]| BufReader::with_capacity(READ_BUFFER, prefix.chain(io::repeat(b'a')));
        let code = |r: std::result::Result<Head, Failure>| match r {
            Err(Failure::Refuse(code, _)) => code,
            other => panic!("{other:?}"),
        };
        assert_eq!(code(read_head(&mut endless(b"GET /"), &limits)), 414);
        assert_eq!(code(read_head(&mut endless(b"GET / HTTP/1.1\r\nX-A: "), &limits)), 431);
        let line = |len: usize| format!("GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(len - 16));
        assert!(parse(&line(8 * 1024)).is_ok(), "a request line of exactly 8 KiB");
        assert_eq!(code(parse(&line(8 * 1024 + 1))), 414);
        let headers = |n: usize, len: usize| {
            let header = format!("X-A: {}\r\n", "b".repeat(len - 7));
            format!("GET / HTTP/1.1\r\n{}\r\n", header.repeat(n))
        };
        assert!(parse(&headers(100, 600)).is_ok());
        assert_eq!(code(parse(&headers(101, 20))), 431, "too many headers");
        assert_eq!(code(parse(&headers(1, 8 * 1024 + 1))), 431, "a header line too long");
        assert_eq!(code(parse(&headers(9, 8000))), 431, "headers too large together");
    }

    #[test]
    fn malformed_requests_and_bodies_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let server = server(dir.path(), 8000, ServerLimits::default());
        let outcome =
            |request: &str| match parse(request).and_then(|head| server.check(&head).map(str::to_string)) {
                Ok(path) => Ok(path),
                Err(Failure::Refuse(code, _)) => Err(code),
                Err(Failure::Gone) => Err(0),
            };
        let host = "Host: localhost:8000\r\n";
        assert_eq!(outcome(&format!("GET /a/?q=1 HTTP/1.1\r\n{host}\r\n")), Ok("/a/".into()));
        assert_eq!(outcome(&format!("\r\nHEAD / HTTP/1.1\r\n{host}\r\n")), Ok("/".into()));
        assert_eq!(outcome("GET / HTTP/1.0\r\n\r\n"), Ok("/".into()), "HTTP/1.0 needs no Host");
        assert_eq!(outcome(&format!("GET / HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n")), Ok("/".into()));
        assert_eq!(outcome("GET / HTTP/1.1\r\n\r\n"), Err(421), "HTTP/1.1 without a Host");
        assert_eq!(outcome("GET / HTTP/1.1\r\nHost: evil.example:8000\r\n\r\n"), Err(421));
        assert_eq!(outcome(&format!("GET / HTTP/1.1\r\n{host}{host}\r\n")), Err(400), "two Hosts");
        assert_eq!(outcome(&format!("POST / HTTP/1.1\r\n{host}Content-Length: 5\r\n\r\n")), Err(413));
        assert_eq!(outcome(&format!("GET / HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n")), Err(413));
        assert_eq!(outcome(&format!("GET / HTTP/1.1\r\n{host}Content-Length: +5\r\n\r\n")), Err(400));
        assert_eq!(outcome(&format!("POST / HTTP/1.1\r\n{host}\r\n")), Err(405));
        for line in [
            "GET http://evil.example/ HTTP/1.1",
            "GET /",
            "GET / HTTP/2.0",
            "GET  / HTTP/1.1",
            "G\u{e9}T / HTTP/1.1",
        ] {
            assert_eq!(outcome(&format!("{line}\r\n{host}\r\n")), Err(400), "{line}");
        }
        for header in ["Host localhost", "Host : localhost", " folded: line"] {
            assert_eq!(outcome(&format!("GET / HTTP/1.1\r\n{header}\r\n\r\n")), Err(400), "{header}");
        }
        assert_eq!(outcome("GET / HTTP/1.1\r\nHost: local"), Err(0), "a client that hangs up");
    }

    fn server(out: &Path, port: u16, limits: ServerLimits) -> Server {
        Server {
            out: out.to_path_buf(),
            status: Arc::default(),
            gate: Arc::default(),
            hosts: localhost(port),
            limits,
            active: AtomicUsize::new(0),
        }
    }

    /// A running accept loop over a folder with a home page, stopped when
    /// dropped.
    struct Running {
        server: Arc<Server>,
        address: SocketAddr,
        stop: Arc<AtomicBool>,
        dir: tempfile::TempDir,
    }

    impl Drop for Running {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
        }
    }

    fn run(limits: ServerLimits) -> Running {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("index.html"), "<html><body>home</body></html>").expect("write");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let address = listener.local_addr().expect("address");
        let server = Arc::new(server(dir.path(), address.port(), limits));
        let stop = Arc::new(AtomicBool::new(false));
        let (accepting, stopping) = (Arc::clone(&server), Arc::clone(&stop));
        std::thread::spawn(move || accept(listener, accepting, stopping));
        Running { server, address, stop, dir }
    }

    impl Running {
        fn connect(&self) -> TcpStream {
            let stream = TcpStream::connect(self.address).expect("connect");
            stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
            stream
        }

        /// Sends a GET for `path` with a good Host on `stream`, reads the whole response.
        fn get(&self, mut stream: TcpStream, path: &str) -> String {
            write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", self.address.port())
                .expect("send");
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("read");
            response
        }

        /// Waits (at most 20 s) until `n` connections are being served.
        fn wait_active(&self, n: usize) {
            let start = Instant::now();
            while self.server.active.load(Ordering::SeqCst) != n {
                assert!(start.elapsed() < Duration::from_secs(20), "never {n} connections");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    #[test]
    fn answers_get_and_head_with_reason_phrases() {
        let running = run(ServerLimits::default());
        let page = running.get(running.connect(), "/");
        assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
        assert!(page.ends_with("home<script src=\"/__plansite/live.js\"></script></body></html>"), "{page}");
        let mut stream = running.connect();
        write!(stream, "HEAD /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
        let mut head = String::new();
        stream.read_to_string(&mut head).expect("read");
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n") && head.ends_with("\r\n\r\n"), "{head}");
        let mut stream = running.connect();
        write!(stream, "GET /__plansite/status HTTP/1.1\r\nHost: evil.example\r\n\r\n").expect("send");
        let mut refused = String::new();
        stream.read_to_string(&mut refused).expect("read");
        assert!(refused.starts_with("HTTP/1.1 421 Misdirected Request\r\n"), "{refused}");
        assert!(!refused.contains("version"), "{refused}");
    }

    #[test]
    fn idle_and_trickling_connections_are_cut_off() {
        let limits = ServerLimits {
            head_timeout: Duration::from_millis(500),
            linger: Duration::from_millis(200),
            ..ServerLimits::default()
        };
        let running = run(limits);
        let started = Instant::now();
        let mut idle = String::new();
        running.connect().read_to_string(&mut idle).expect("read");
        assert!(idle.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{idle}");
        assert!(started.elapsed() < Duration::from_secs(10), "closed within the timeout");

        // A byte every 50 ms: the head would take 20 s, the server cuts it off at 0.5 s.
        let stream = running.connect();
        let mut writer = stream.try_clone().expect("clone");
        let trickle = std::thread::spawn(move || {
            let head = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(400));
            head.bytes()
                .take_while(|b| {
                    std::thread::sleep(Duration::from_millis(50));
                    writer.write_all(&[*b]).is_ok()
                })
                .count()
        });
        let mut cut = String::new();
        (&stream).read_to_string(&mut cut).expect("read");
        assert!(cut.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{cut}");
        drop(stream);
        assert!(trickle.join().expect("trickle") < 400, "cut off before the head was complete");
    }

    #[test]
    fn connections_beyond_the_limit_get_503_while_the_others_are_served() {
        let running = run(ServerLimits { connections: 2, ..ServerLimits::default() });
        let held = [running.connect(), running.connect()];
        running.wait_active(2);
        let extra = running.get(running.connect(), "/");
        assert!(extra.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{extra}");
        assert!(extra.contains("\r\nRetry-After: 1\r\n"), "{extra}");
        for stream in held {
            assert!(running.get(stream, "/").starts_with("HTTP/1.1 200 OK\r\n"));
        }
        running.wait_active(0);
        assert!(
            running.get(running.connect(), "/").starts_with("HTTP/1.1 200 OK\r\n"),
            "the places are given back"
        );
    }

    #[test]
    fn a_client_that_never_reads_is_cut_off_by_the_write_timeout() {
        let running = run(ServerLimits { write_timeout: Duration::from_secs(1), ..ServerLimits::default() });
        // Far more than the socket buffers hold, so the writes block.
        std::fs::write(running.dir.path().join("big.bin"), vec![0; 32 << 20]).expect("write");
        let mut stream = running.connect();
        write!(stream, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        running.wait_active(1);
        running.wait_active(0);
        drop(stream);
    }

    #[test]
    fn files_are_read_under_the_gate() {
        let running = run(ServerLimits::default());
        let committing = running.server.gate.write().expect("write lock");
        let stream = running.connect();
        let port = running.address.port();
        let request = std::thread::spawn(move || {
            let mut stream = stream;
            write!(stream, "GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").expect("send");
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("read");
            response
        });
        std::thread::sleep(Duration::from_millis(300));
        assert!(!request.is_finished(), "a page was served while a rebuild was committing");
        drop(committing);
        assert!(request.join().expect("request").starts_with("HTTP/1.1 200 OK\r\n"));
    }

    #[test]
    fn decodes_and_refuses_traversal() {
        assert_eq!(percent_decode("/a%20b/%C4%91"), "/a b/đ");
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("404.html"), "<html><body>nf</body></html>").expect("write");
        assert_eq!(file(dir.path(), "/../etc/passwd").code, 404);
        let missing = file(dir.path(), "/missing/");
        assert_eq!((missing.code, missing.kind), (404, "text/html; charset=utf-8"));
        assert!(String::from_utf8_lossy(&missing.body).contains("/__plansite/live.js"));
    }
}

//! The published site survives concurrent writers, killed builds and a
//! mistaken `--out`: at every moment `public/` is a whole site, the old or
//! the new, and a build leaves nothing behind beside it.

mod common;

use common::{TempSite, tree};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn plansite() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plansite"))
}

fn spawn_build(site: &TempSite) -> Child {
    plansite()
        .args(["build", "--quiet", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start build")
}

/// The published site is whole: the marker, the home pages, and exactly
/// the files a build of this content writes, none of them empty.
fn assert_whole(out: &Path, files: usize, when: &str) {
    let now = tree(out);
    assert!(now.contains_key(".plansite-output"), "{when}: no marker");
    assert!(now.contains_key("vi/index.html") && now.contains_key("en/index.html"), "{when}: no home page");
    let pages: Vec<_> = now.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.iter().all(|(_, (bytes, _))| !bytes.is_empty()), "{when}: an empty page");
    assert_eq!(now.len(), files, "{when}: {} files, expected {files}", now.len());
}

/// What is beside the output folder apart from it and the lock file.
fn leftovers(site: &TempSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .expect("ls root")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect()
}

#[test]
fn concurrent_builds_into_one_output_each_publish_a_whole_site() {
    let site = TempSite::copy_of_repo();
    site.build().expect("first build");
    let files = tree(&site.out()).len();
    let builds: Vec<Child> = (0..4).map(|_| spawn_build(&site)).collect();
    for child in builds {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "a concurrent build failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_whole(&site.out(), files, "after four concurrent builds");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn builds_killed_at_any_moment_leave_the_last_whole_site() {
    let site = TempSite::copy_of_repo();
    site.build().expect("first build");
    let files = tree(&site.out()).len();
    // Delays spread over a whole build, so that kills land in every stage,
    // the swap included.
    let mut delay = 37u64;
    for round in 0..12 {
        let mut child = spawn_build(&site);
        delay = (delay * 7919 + 311) % 1500;
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        assert_whole(&site.out(), files, &format!("after kill {round} at {delay} ms"));
    }
    site.build().expect("a build after the kills");
    assert_whole(&site.out(), files, "after the recovering build");
    assert_eq!(leftovers(&site), Vec::<String>::new(), "the next build cleans up what killed ones left");
}

/// The server process, killed if the test fails midway.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> u16 {
    let Ok(mut stream) = TcpStream::connect(address) else { return 0 };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn builds_beside_a_running_serve_all_succeed_and_pages_stay_up() {
    let site = TempSite::copy_of_repo();
    let mut server = Server(
        plansite()
            .args(["serve", "--quiet", "--port", "0", "--root"])
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve"),
    );
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().expect("stdout")).read_line(&mut first).expect("address");
    let address =
        first.split_whitespace().nth(1).expect("url").trim_start_matches("http://").trim_end_matches('/');
    let address = address.to_string();
    // serve writes its preview, never public/: a build makes the same files.
    let files = tree(&site.preview()).len();
    let page = "/vi/plans/hue-2025-03-nq-cp/";
    for round in 0..6 {
        // Each edit makes serve rebuild while the build runs.
        let n = round % 2;
        site.edit(
            &site.plan_file(),
            if n == 0 { "Plan to implement" } else { "Plan to carry out" },
            if n == 0 { "Plan to carry out" } else { "Plan to implement" },
        );
        let build = spawn_build(&site);
        for _ in 0..5 {
            assert_eq!(get(&address, page), 200, "round {round}: the page went away");
        }
        let out = build.wait_with_output().expect("wait");
        assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::thread::sleep(Duration::from_millis(800)); // serve's last rebuild
    let _ = server.0.kill();
    let _ = server.0.wait();
    let out = spawn_build(&site).wait_with_output().expect("last build");
    assert!(out.status.success());
    assert_whole(&site.out(), files, "after builds beside serve");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn an_output_folder_among_the_sources_is_refused() {
    let site = TempSite::copy_of_repo();
    for (out, says) in [
        (site.root().to_path_buf(), "contains the site's root"),
        (site.root().join(".."), "contains the site's root"),
        (site.path("content"), "is inside the site's sources"),
        (site.path("seeds/site"), "is inside the site's sources"),
        (site.path("themes/default/public"), "is inside the site's sources"),
    ] {
        let before = tree(&site.path("content"));
        let run = site.cli(&["build", "--out", out.to_str().expect("utf-8")]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "--out {} was accepted", out.display());
        assert!(stderr.contains(says) && stderr.contains("choose a folder of its own"), "{stderr}");
        assert_eq!(tree(&site.path("content")).len(), before.len(), "the content is untouched");
    }
}

#[test]
fn out_dot_from_inside_the_output_folder_rebuilds_it_in_place() {
    let site = TempSite::copy_of_repo();
    site.build().expect("first build");
    let files = tree(&site.out()).len();
    let run = plansite()
        .current_dir(site.out())
        .args(["build", "--quiet", "--out", ".", "--root", ".."])
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_whole(&site.out(), files, "after --out . from inside public/");
    assert!(!site.out().join("public").exists() && !site.out().join(".public.staging").exists());
}

#[test]
fn a_source_outside_seeds_is_a_content_error_and_nothing_is_published() {
    let site = TempSite::copy_of_repo();
    let name = format!("secret-{}.txt", std::process::id());
    let secret = site.root().parent().expect("parent").join(&name);
    std::fs::write(&secret, "CI_TOKEN=hunter2\n").expect("secret");
    std::os::unix::fs::symlink(&secret, site.path("seeds/link.txt")).expect("symlink");
    std::os::unix::fs::symlink(site.root().parent().expect("parent"), site.path("seeds/up"))
        .expect("dir link");
    let original = "source = \"seeds/002_cbe0290e39b6ed9a.txt\"";
    for (source, says) in [
        ("/etc/passwd", "is an absolute path"),
        ("../secret.txt", "contains `..`"),
        ("seeds/../content/site.toml", "contains `..`"),
        ("content/site.toml", "is not in seeds/"),
        ("seeds/link.txt", "leads out of seeds/"),
        (&*format!("seeds/up/{name}"), "leads out of seeds/"),
        ("seeds", "is not a file"),
    ] {
        site.edit(&site.plan_file(), original, &format!("source = {source:?}"));
        let run = site.cli(&["build"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "source = {source} was published");
        assert!(stderr.contains("content/plans/hue-2025-03-nq-cp.toml:6: the source document"), "{stderr}");
        assert!(stderr.contains(says), "{source}: {stderr}");
        assert!(!site.out().exists(), "nothing is published");
        site.edit(&site.plan_file(), &format!("source = {source:?}"), original);
    }
    let _ = std::fs::remove_file(&secret);
    site.build().expect("the real source builds");
    assert!(!site.read("public/en/plans/hue-2025-03-nq-cp/source/index.html").contains("hunter2"));
}

#[test]
fn an_os_error_is_printed_once_with_its_path() {
    let missing = std::env::temp_dir().join(format!("plansite-no-such-root-{}", std::process::id()));
    let run = plansite().args(["build", "--root"]).arg(&missing).output().expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
}

//! Incremental rebuilds: a session (what `plansite serve` runs) that
//! rebuilds after each edit must write exactly what a full build of the
//! same content writes, while rendering and writing only what the edit
//! touched; and it never writes the published site or its history.

mod common;

use common::{TempSite, tree};
use plansite::build::{BuildOptions, BuildReport, Silent, build};
use plansite::session::Session;
use std::collections::BTreeMap;
use std::path::Path;

const PLAN: &str = "content/plans/hue-261-kh-ubnd-2024.toml";
const NOW: &str = "2026-03-01T00:00:00Z";

/// A session's options: its preview folder, as `serve` writes it.
fn options(site: &TempSite) -> BuildOptions {
    BuildOptions { now: Some(NOW.to_string()), out: site.preview(), ..site.options() }
}

/// Path → bytes (mtimes differ between the two folders by nature).
fn bytes(out: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(out).into_iter().map(|(path, (bytes, _))| (path, bytes)).collect()
}

/// The same content, rebuilt by one session after each edit, and built
/// from scratch by a new session each time; both compare with the build
/// published in `live`'s `public/`.
struct Twins {
    live: TempSite,
    session: Session,
    fresh: TempSite,
}

impl Twins {
    fn new() -> Twins {
        let live = TempSite::copy_of_repo();
        let fresh = TempSite::copy_of_repo();
        let mut session = Session::new(options(&live), live.out());
        session.rebuild(&mut Silent).expect("first session build");
        // Nothing published yet, so no history: a preview is what a build makes.
        build(&fresh.options(), &mut Silent).expect("a full build");
        assert_eq!(bytes(&live.preview()), bytes(&fresh.out()), "the first preview and a build differ");
        let mut twins = Twins { live, session, fresh };
        twins.fresh_build("the first build");
        twins
    }

    /// A new session's first build of `fresh`, in a new folder.
    fn fresh_build(&mut self, what: &str) {
        let preview = self.fresh.preview();
        if preview.exists() {
            std::fs::remove_dir_all(&preview).expect("remove the fresh preview");
        }
        Session::new(options(&self.fresh), self.live.out())
            .rebuild(&mut Silent)
            .unwrap_or_else(|e| panic!("{what}: full build: {e}"));
        self.assert_same(what);
    }

    /// Applies `change` to both sites and rebuilds both; returns the
    /// session's report.
    fn step(&mut self, what: &str, change: impl Fn(&TempSite)) -> BuildReport {
        change(&self.live);
        change(&self.fresh);
        let report = self.session.rebuild(&mut Silent).unwrap_or_else(|e| panic!("{what}: session: {e}"));
        self.fresh_build(what);
        report
    }

    fn assert_same(&self, what: &str) {
        let (live, fresh) = (bytes(&self.live.preview()), bytes(&self.fresh.preview()));
        let paths: std::collections::BTreeSet<&String> = live.keys().chain(fresh.keys()).collect();
        let differ: Vec<&&String> =
            paths.iter().filter(|p| live.get(**p) != fresh.get(**p)).take(10).collect();
        assert!(
            differ.is_empty(),
            "after {what}, the session's output differs from a full build: {differ:?}"
        );
    }
}

#[test]
fn a_session_publishes_what_a_full_build_publishes_after_every_kind_of_edit() {
    let mut twins = Twins::new();
    let all_pages = twins.session.rebuild(&mut Silent).expect("rebuild").pages;

    let title = twins.step("a task title edit", |s| {
        s.edit(
            PLAN,
            "vi = \"Sở Thông tin và Truyền thông chủ trì",
            "vi = \"Sở Thông tin và Truyền thông (sửa) chủ trì",
        )
    });
    assert!(
        title.rendered * 10 < all_pages,
        "a one-task edit rendered {} of {all_pages} pages",
        title.rendered
    );
    assert!(
        title.write.written * 10 < title.files,
        "a one-task edit wrote {} of {} files",
        title.write.written,
        title.files
    );

    twins.step("a new lead agency", |s| {
        s.edit(PLAN, "lead = [\"hue-so-tttt\"]\nsupport", "lead = [\"hue-so-noi-vu\"]\nsupport")
    });
    let added = "\n[[tasks]]\nid = \"moi-1\"\nnumber = \"-\"\nheading = \"II.2\"\n\
                 title = { vi = \"Nhiệm vụ mới\", en = \"A new task\" }\nlead = [\"hue-so-khcn\"]\n";
    twins.step("a task added", |s| s.write(PLAN, &format!("{}{added}", s.read(PLAN))));
    twins.step("a task removed", |s| s.edit(PLAN, added, ""));
    twins.step("a plan title edit", |s| {
        s.edit(
            PLAN,
            "en = \"Plan to implement Plan No. 183-KH/TU",
            "en = \"The plan to implement Plan No. 183-KH/TU",
        )
    });
    twins.step("a plan added", |s| s.write("content/plans/hue-copy-2024.toml", &s.read(PLAN)));
    twins.step("a plan removed", |s| {
        std::fs::remove_file(s.path("content/plans/hue-copy-2024.toml")).expect("remove plan")
    });
    twins.step("an agency renamed in the registry", |s| {
        s.edit(
            "content/agencies/hue.toml",
            "en = \"Department of Science and Technology\"",
            "en = \"Provincial Department of Science and Technology\"",
        )
    });
    twins.step("a theme string changed", |s| {
        s.edit("themes/default/i18n/en.toml", "plans = \"Plans\"", "plans = \"All plans\"")
    });
    let unchanged = twins.step("nothing", |_| {});
    assert_eq!(unchanged.write.written, 0, "a rebuild without changes writes nothing");
    assert_eq!(unchanged.rendered, 0, "a rebuild without changes renders nothing");
}

#[test]
fn a_failed_rebuild_keeps_the_published_site_and_the_next_one_recovers() {
    let mut twins = Twins::new();
    let before = tree(&twins.live.preview());
    let good = twins.live.read(PLAN);
    twins.live.write(PLAN, &good.replacen("[[tasks]]", "[[tasks]\n", 1));
    let error = twins.session.rebuild(&mut Silent).expect_err("broken TOML fails");
    assert!(format!("{error}").contains("hue-261-kh-ubnd-2024.toml"), "the error names the file: {error}");
    common::assert_same_tree(&before, &tree(&twins.live.preview()), "a failed rebuild");
    twins.live.write(PLAN, &good);
    twins.step("a fix after the error", |s| {
        s.edit(PLAN, "vi = \"Sở Thông tin và Truyền thông chủ trì", "vi = \"Sở TT&TT chủ trì")
    });
}

#[test]
fn files_a_rebuild_does_not_change_keep_their_mtime() {
    let mut twins = Twins::new();
    let before = tree(&twins.live.preview());
    twins.step("a task title edit", |s| {
        s.edit(
            PLAN,
            "vi = \"Sở Thông tin và Truyền thông chủ trì",
            "vi = \"Sở Thông tin và Truyền thông (sửa) chủ trì",
        )
    });
    let after = tree(&twins.live.preview());
    let mut changed = 0;
    for (path, (bytes, mtime)) in &after {
        match before.get(path) {
            Some((old, old_mtime)) if old == bytes => {
                assert_eq!(old_mtime, mtime, "{path} did not change but was rewritten")
            }
            _ => changed += 1,
        }
    }
    assert!(changed > 0, "the edit changed some files");
    // Besides the search index (whose scores depend on every document's
    // length), only what shows the task or the change log changed (the home,
    // plans and agencies pages say when the site last changed).
    let site_wide = ["index.html", "plans/index.html", "agencies/index.html"];
    let shows_it = |p: &str| {
        p.starts_with("search/")
            || site_wide.iter().any(|w| p == format!("vi/{w}") || p == format!("en/{w}"))
            || p.contains("hue-261-kh-ubnd-2024/")
            || p.contains("changes")
            || p.ends_with("feed.xml")
            || p.starts_with("data/tasks.")
            || ["hue-so-tttt", "hue-so-khcn", "hue-cac-so-nganh-lien-quan"].iter().any(|a| p.contains(a))
    };
    let elsewhere: Vec<&String> = after
        .iter()
        .filter(|(p, (b, _))| before.get(*p).map(|x| &x.0) != Some(b) && !shows_it(p))
        .map(|(p, _)| p)
        .collect();
    assert!(elsewhere.is_empty(), "a task title edit changed unrelated files: {elsewhere:?}");
    assert!(!after.keys().any(|p| p.contains(".plansite-new")), "no temporary files are left");
}

#[test]
fn a_session_whose_output_folder_was_deleted_writes_it_all_again() {
    let mut twins = Twins::new();
    std::fs::remove_dir_all(twins.live.preview()).expect("delete the output");
    twins.step("a build after the output was deleted", |s| {
        s.edit(PLAN, "vi = \"Sở Thông tin và Truyền thông chủ trì", "vi = \"Sở TT&TT chủ trì")
    });
    assert!(twins.live.preview().join("vi/index.html").is_file());
}

#[test]
fn a_session_writes_everything_again_after_another_build_replaced_its_output() {
    let mut twins = Twins::new();
    // Another session of the same site (a second `serve`) wrote the preview.
    let other = BuildOptions { base_url: Some("https://elsewhere.example/".into()), ..options(&twins.live) };
    build(&other, &mut Silent).expect("another writer of the preview");
    twins.step("an edit after another build", |s| {
        s.edit(PLAN, "vi = \"Sở Thông tin và Truyền thông chủ trì", "vi = \"Sở TT&TT chủ trì")
    });
    let sitemap = std::fs::read_to_string(twins.live.preview().join("sitemap.xml")).expect("sitemap");
    assert!(!sitemap.contains("elsewhere.example"), "nothing of the other build is left");
}

#[test]
fn editor_scratch_files_are_not_content_and_do_not_force_a_full_rebuild() {
    let mut twins = Twins::new();
    let report = twins.step("an editor's swap and lock files beside a plan", |s| {
        s.write("content/plans/.hue-261-kh-ubnd-2024.toml.swp", "binary swap data");
        s.write("content/plans/.#hue-261-kh-ubnd-2024.toml", "lock");
        s.write("content/agencies/hue.toml~", "backup");
    });
    assert_eq!(report.rendered, 0, "scratch files change nothing");
}

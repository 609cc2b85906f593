//! Writes a synthetic plansite site of any size, for benchmarks:
//!
//!     cargo run --release --example synth -- --plans 100 --tasks-per-plan 200 --out /tmp/synth
//!
//! The site root gets `content/` (site.toml, agencies, plans with Vietnamese
//! and English text, sections, indicators, tasks with agencies and
//! deadlines), `seeds/` (a source text per plan) and a copy of this
//! repository's `themes/`. The same arguments always give the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Args {
    plans: usize,
    tasks_per_plan: usize,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { plans: 10, tasks_per_plan: 100, out: PathBuf::from("target/synth") };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--plans" => args.plans = value()?.parse().map_err(|e| format!("--plans: {e}"))?,
            "--tasks-per-plan" => {
                args.tasks_per_plan = value()?.parse().map_err(|e| format!("--tasks-per-plan: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                return Err("usage: synth --plans N --tasks-per-plan M --out DIR".to_string());
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    Ok(args)
}

/// A small deterministic generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const VERBS: &[(&str, &str)] = &[
    ("Xây dựng", "Develop"),
    ("Triển khai", "Implement"),
    ("Rà soát, sửa đổi", "Review and amend"),
    ("Tổ chức thực hiện", "Carry out"),
    ("Nghiên cứu, đề xuất", "Study and propose"),
    ("Đẩy mạnh", "Promote"),
    ("Nâng cấp", "Upgrade"),
    ("Hỗ trợ", "Support"),
    ("Ban hành", "Issue"),
    ("Thí điểm", "Pilot"),
];

const OBJECTS: &[(&str, &str)] = &[
    ("kế hoạch chuyển đổi số", "the digital transformation plan"),
    ("nền tảng đào tạo trực tuyến mở", "an open online training platform"),
    ("cơ sở dữ liệu về chuyên gia, nhà khoa học", "a database of experts and scientists"),
    ("chính sách thu hút đầu tư mạo hiểm", "policies to attract venture capital investment"),
    ("trung tâm đổi mới sáng tạo", "an innovation centre"),
    ("hạ tầng số và trung tâm dữ liệu", "digital infrastructure and a data centre"),
    ("chương trình hỗ trợ khởi nghiệp sáng tạo", "a programme supporting innovative start-ups"),
    ("dịch vụ công trực tuyến toàn trình", "end-to-end online public services"),
    ("quy định về trách nhiệm người đứng đầu", "rules on the responsibility of heads of agencies"),
    ("mạng lưới đô thị thông minh", "a smart city network"),
    ("ứng dụng trí tuệ nhân tạo trong y tế", "applications of artificial intelligence in health care"),
    ("phòng thí nghiệm trọng điểm", "key laboratories"),
];

const QUALIFIERS: &[(&str, &str)] = &[
    ("trên địa bàn thành phố", "in the city"),
    ("cho doanh nghiệp nhỏ và vừa", "for small and medium-sized enterprises"),
    ("trong các cơ quan nhà nước", "in state agencies"),
    ("giai đoạn 2026-2030", "for the period 2026-2030"),
    ("gắn với phát triển kinh tế số", "linked to the development of the digital economy"),
    ("theo Nghị quyết số 57-NQ/TW", "under Resolution 57-NQ/TW"),
];

const OUTPUTS: &[(&str, &str)] = &[
    ("Kế hoạch", "Plan"),
    ("Quyết định của UBND thành phố", "Decision of the City People's Committee"),
    ("Đề án", "Scheme"),
    ("Báo cáo", "Report"),
    ("Nền tảng số", "Digital platform"),
    ("Chương trình", "Programme"),
];

const DEADLINES: &[&str] = &[
    "2026",
    "Năm 2027",
    "12/2026",
    "Tháng 6/2027",
    "Quý I/2027",
    "Quý III/2026",
    "2026-2030",
    "Giai đoạn 2026-2028",
    "Thường xuyên",
    "Hằng năm",
    "2026 và các năm tiếp theo",
    "Sau khi có hướng dẫn của Bộ Khoa học và Công nghệ",
];

const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("so-tai-chinh", "Sở Tài chính", "Department of Finance"),
    ("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("so-y-te", "Sở Y tế", "Department of Health"),
    ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade"),
    ("so-xay-dung", "Sở Xây dựng", "Department of Construction"),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("so-tu-phap", "Sở Tư pháp", "Department of Justice"),
    ("so-ngoai-vu", "Sở Ngoại vụ", "Department of Foreign Affairs"),
    ("so-vhtt", "Sở Văn hóa và Thể thao", "Department of Culture and Sports"),
    ("so-du-lich", "Sở Du lịch", "Department of Tourism"),
    ("van-phong-ubnd", "Văn phòng UBND thành phố", "Office of the City People's Committee"),
    ("cong-an", "Công an thành phố", "City Police"),
    ("dai-hoc", "Đại học thành phố", "City University"),
];

/// Departments merged away in 2025: (id, vi, en, successor id).
const MERGED: &[(&str, &str, &str, &str)] = &[
    ("so-tttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications", "so-khcn"),
    ("so-khdt", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "so-tai-chinh"),
];

const CITIES: &[(&str, &str, &str)] = &[
    ("tp-a", "Thành phố A", "City A"),
    ("tp-b", "Thành phố B", "City B"),
    ("tp-c", "Thành phố C", "City C"),
    ("tinh-d", "Tỉnh D", "D Province"),
];

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = generate(&args) {
        eprintln!("synth: {e}");
        std::process::exit(1);
    }
}

fn generate(args: &Args) -> Result<(), String> {
    let content = args.out.join("content");
    for dir in [content.join("agencies"), content.join("plans"), args.out.join("seeds")] {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write(
        &content.join("site.toml"),
        "title = { vi = \"Kế hoạch tổng hợp\", en = \"Synthetic plans\" }\n\
         base_url = \"https://synth.example.org/\"\ntheme = \"default\"\n",
    )?;
    for city in CITIES {
        write(&content.join(format!("agencies/{}.toml", city.0)), &registry(city))?;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("themes"), &args.out.join("themes"))?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for p in 0..args.plans {
        let city = CITIES[p % CITIES.len()];
        let id = format!("{}-{}-kh-{}", city.0, 2026 + p % 5, p + 1);
        let (plan, source) = plan(&mut rng, city, &id, p, args.tasks_per_plan);
        write(&content.join(format!("plans/{id}.toml")), &plan)?;
        write(&args.out.join(format!("seeds/{id}.txt")), &source)?;
    }
    eprintln!(
        "wrote {} plans × {} tasks ({} tasks) into {}",
        args.plans,
        args.tasks_per_plan,
        args.plans * args.tasks_per_plan,
        args.out.display()
    );
    Ok(())
}

fn registry(city: &(&str, &str, &str)) -> String {
    let (cid, vi, en) = *city;
    let mut s = format!("[jurisdiction]\nname = {{ vi = \"{vi}\", en = \"{en}\" }}\n");
    for (id, vi, en) in DEPARTMENTS {
        let _ = write!(
            s,
            "\n[[agencies]]\nid = \"{cid}-{id}\"\nname = {{ vi = \"{vi}\", en = \"{en}\" }}\n\
             aliases = [\"{vi} {cid}\"]\nkind = \"department\"\n"
        );
    }
    for (id, vi, en, next) in MERGED {
        let _ = write!(
            s,
            "\n[[agencies]]\nid = \"{cid}-{id}\"\nname = {{ vi = \"{vi}\", en = \"{en}\" }}\nkind = \"department\"\n\
             succeeded_by = {{ agency = \"{cid}-{next}\", date = \"2025-03-01\" }}\n"
        );
    }
    let _ = write!(
        s,
        "\n[[groups]]\nid = \"{cid}-cac-so-nganh\"\n\
         name = {{ vi = \"Các sở, ban, ngành, địa phương\", en = \"Departments, agencies and localities\" }}\n"
    );
    s
}

fn agency(rng: &mut Rng, city: &str) -> String {
    match rng.below(10) {
        0 => format!("{city}-{}", rng.pick(MERGED).0),
        1 => format!("{city}-cac-so-nganh"),
        _ => format!("{city}-{}", rng.pick(DEPARTMENTS).0),
    }
}

fn toml_str(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn plan(rng: &mut Rng, city: (&str, &str, &str), id: &str, n: usize, tasks: usize) -> (String, String) {
    let year = 2026 + n % 5;
    let mut src = vec![
        format!("ỦY BAN NHÂN DÂN {}", city.1.to_uppercase()),
        format!("Số: {}/KH-UBND", 100 + n),
        format!("KẾ HOẠCH phát triển khoa học, công nghệ số {} năm {year}", n + 1),
        "I. MỤC ĐÍCH, YÊU CẦU".to_string(),
        "1. Cụ thể hóa các mục tiêu, nhiệm vụ của Nghị quyết số 57-NQ/TW.".to_string(),
        "II. CHỈ TIÊU".to_string(),
    ];
    let mut s = format!(
        "number = \"{}/KH-UBND\"\ndate = \"{year}-0{}-15\"\njurisdiction = \"{}\"\n\
         issuer = {{ vi = \"Ủy ban nhân dân {}\", en = \"People's Committee of {}\" }}\n\
         status = \"issued\"\nsource = \"seeds/{id}.txt\"\n\
         title = {{ vi = \"Kế hoạch phát triển khoa học, công nghệ số {} năm {year}\", en = \"Science and technology development plan no. {} for {year}\" }}\n\
         implements = [\"57-NQ/TW\", \"03/NQ-CP\"]\n\n\
         [[sections]]\nid = \"muc-dich\"\nnumber = \"I\"\nheading = {{ vi = \"MỤC ĐÍCH, YÊU CẦU\", en = \"PURPOSE AND REQUIREMENTS\" }}\nline = 4\n\
         body = {{ vi = \"\"\"\n1. Cụ thể hóa các mục tiêu, nhiệm vụ của Nghị quyết số 57-NQ/TW.\n\"\"\", en = \"\"\"\n1. Give concrete form to the objectives and tasks of Resolution 57-NQ/TW.\n\"\"\" }}\n",
        100 + n,
        1 + n % 9,
        city.0,
        city.1,
        city.2,
        n + 1,
        n + 1
    );
    for i in 1..=5 {
        src.push(format!("{i}. Chỉ tiêu {i}"));
        let _ = write!(
            s,
            "\n[[indicators]]\nnumber = \"{i}\"\nname = {{ vi = \"Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo {i}\", en = \"Share of enterprises with innovation activities {i}\" }}\n\
             unit = \"%\"\ntarget = \"≥ {}\"\nmonitors = [\"{}-so-khcn\"]\nline = {}\n",
            10 * i,
            city.0,
            src.len()
        );
    }
    src.push("III. NHIỆM VỤ".to_string());
    let groups = tasks.div_ceil(25).max(1);
    for g in 1..=groups {
        src.push(format!("{g}. Nhóm nhiệm vụ {g}"));
        let _ = write!(
            s,
            "\n[[headings]]\nnumber = \"{g}\"\ntitle = {{ vi = \"Nhóm nhiệm vụ {g}: phát triển hạ tầng và nguồn nhân lực\", en = \"Group of tasks {g}: infrastructure and human resources\" }}\nline = {}\n",
            src.len()
        );
    }
    for t in 1..=tasks {
        let (v, o, q) = (*rng.pick(VERBS), *rng.pick(OBJECTS), *rng.pick(QUALIFIERS));
        let title_vi = format!("{} {} {}", v.0, o.0, q.0);
        let title_en = format!("{} {} {}", v.1, o.1, q.1);
        let lead = agency(rng, city.0);
        let mut support: Vec<String> = (0..rng.below(4)).map(|_| agency(rng, city.0)).collect();
        support.retain(|a| *a != lead);
        support.sort();
        support.dedup();
        let output = rng.pick(OUTPUTS);
        let deadline = rng.pick(DEADLINES);
        src.push(format!("{t}. {title_vi}\t{lead}\t{}\t{}\t{deadline}", support.join(", "), output.0));
        let support_list: Vec<String> = support.iter().map(|a| format!("\"{a}\"")).collect();
        let _ = write!(
            s,
            "\n[[tasks]]\nid = \"{t}\"\nnumber = \"{t}.\"\nheading = \"{}\"\n\
             title = {{ vi = \"{}\", en = \"{}\" }}\nlead = [\"{lead}\"]\nsupport = [{}]\n\
             output = {{ vi = \"{}\", en = \"{}\" }}\ndeadline = \"{deadline}\"\nline = {}\n",
            1 + (t - 1) * groups / tasks,
            toml_str(&title_vi),
            toml_str(&title_en),
            support_list.join(", "),
            output.0,
            output.1,
            src.len()
        );
    }
    src.push("TM. ỦY BAN NHÂN DÂN".to_string());
    (s, src.join("\n") + "\n")
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| e.to_string())?;
        let rel = entry.path().strip_prefix(from).map_err(|e| e.to_string())?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

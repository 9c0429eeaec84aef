//! Charts and the HTML report: every file exists, decodes and shows
//! something; the report opens in a headless browser without console errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli::{hallsim, temp_dir};

const CHARTS: [&str; 8] = [
    "completion_times",
    "within_target_by_hour",
    "queue_by_hour",
    "utilization_by_hour",
    "stage_budgets",
    "stage_budgets_by_hour",
    "waits_by_hour",
    "overtime",
];

fn run_municipal(name: &str, extra: &[&str]) -> PathBuf {
    let dir = temp_dir(name);
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");
    let mut args = vec!["run", scenario, "-r", "20", "-o", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = hallsim(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join("municipal")
}

/// Share of pixels that are not white, and the number of distinct colours.
fn png_ink(path: &Path) -> (f64, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (960, 540));
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let ink = px.iter().filter(|p| p != &&[255, 255, 255]).count() as f64 / px.len() as f64;
    let colours: std::collections::BTreeSet<&[u8]> = px.into_iter().collect();
    (ink, colours.len())
}

#[test]
fn every_chart_is_written_decodes_and_is_not_blank() {
    let out = run_municipal("charts", &[]);
    for name in CHARTS {
        let (ink, colours) = png_ink(&out.join("charts").join(format!("{name}.png")));
        assert!(ink > 0.02, "{name}.png is nearly blank ({:.1}% ink)", ink * 100.0);
        assert!(colours > 8, "{name}.png has only {colours} colours");
        let svg = std::fs::read_to_string(out.join("charts").join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{name}.svg is not a whole SVG");
        assert!(svg.contains("@font-face") && svg.contains("<text"), "{name}.svg lacks its font or text");
        assert!(svg.matches("<rect").count() + svg.matches("<polyline").count() + svg.matches("<polygon").count() > 3);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("completed within target") && html.contains("<svg"));
    for remote in ["src=\"http", "href=\"http", "url(http"] {
        assert!(!html.contains(remote), "the report loads something from the network: {remote}");
    }
}

#[test]
fn chinese_labels_with_lang_zh() {
    let out = run_municipal("zh", &["--lang", "zh"]);
    let svg = std::fs::read_to_string(out.join("charts/within_target_by_hour.svg")).unwrap();
    assert!(svg.contains("取号时段"), "the hour axis is labelled in Chinese");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("目标时限内办结"));
    // The shipped labels name stages and pools in Chinese reports, the names in English ones.
    assert!(html.contains("<td>受理窗口</td>") && !html.contains("<td>accept_windows</td>"), "Chinese labels");
    // Every figure has a Chinese name, with its key beneath it.
    for key in ["completed", "stage.accept.missed_by_service", "type.mortgage_first.stage.accept.within_budget"] {
        assert!(html.contains(&format!("<span class=\"meta\">{key}</span>")), "{key} has no Chinese name");
    }
    assert!(html.contains("受理因办理超时比例") && html.contains("抵押权首次登记·受理时限内完成率"));
}

/// The browser, or None on a developer's machine without it (CI installs
/// Chromium in `.ci/run`, and there, with `CI` set, a missing browser fails).
fn chromium() -> Option<&'static str> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists());
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must run the browser tests: Chromium is not installed");
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
    }
    found
}

fn headless(chromium: &str, width: u32, profile: &Path) -> Command {
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--window-size={width},2400"))
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Checks a page as a reader's browser shows it, run after it loads: the page
/// is no wider than the window, every image loaded, and every text of every
/// chart lies inside its chart.
const CHECKS: &str = r#"<script>
window.addEventListener('load', () => {
  const out = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) {
    const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'));
    out.push('page ' + page.scrollWidth + 'px wide in a ' + window.innerWidth + 'px window: ' + wide.slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + e.textContent.slice(0, 40)).join(' | '));
  }
  for (const img of document.images) if (!img.complete || img.naturalWidth === 0) out.push('image not loaded: ' + img.src.slice(0, 80));
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || t.textContent.trim() === '') continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push('text outside chart ' + svg.parentNode.id + ': ' + t.textContent.trim());
    }
  }
  parent.postMessage('RESULT' + '=' + JSON.stringify(out) + '=' + 'END', '*');
});
</script>"#;

/// A page that shows `checked.html` in a frame `width` px wide (a phone's
/// viewport: headless windows are at least 500 px) and writes what the
/// frame's checks report into its own page.
fn frame(width: u32) -> String {
    format!(
        r#"<!DOCTYPE html><html><body style="margin:0"><iframe src="checked.html" style="width:{width}px;height:2400px;border:0"></iframe>
<script>addEventListener('message', e => {{ const p = document.createElement('pre'); p.textContent = e.data; document.body.appendChild(p); }});</script>
</body></html>"#
    )
}

/// Every report (run, comparison, sweep, plan and roster; English and
/// Chinese) in headless Chromium at 1400 and 390 px: no console message, no
/// horizontal overflow, every image loaded, no chart text outside its chart.
#[test]
fn every_report_reads_in_a_browser_at_desktop_and_phone_width() {
    let Some(chromium) = chromium() else { return };
    let dir = temp_dir("browser");
    let out = dir.to_str().unwrap();
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let county = format!("{scenarios}/county.toml");
    let lunch = format!("{scenarios}/pairs/municipal_lunch.toml");
    let municipal = format!("{scenarios}/municipal.toml");
    let mut reports = Vec::new();
    for lang in ["en", "zh"] {
        let o = format!("{out}/{lang}");
        let target = "within_60_min >= 0.95";
        let commands: [&[&str]; 5] = [
            &["run", &county, "-r", "5"],
            &["compare", &municipal, &lunch, "-r", "5"],
            &["sweep", &county, "--set", "pool.accept_windows.count=11..13", "-r", "5"],
            &["plan", &county, "--target", target, "-r", "5"],
            &["plan", &county, "--shifts", "--target", target, "-r", "5"],
        ];
        for args in commands {
            let mut args = args.to_vec();
            args.extend(["--lang", lang, "-q", "-o", &o]);
            let run = hallsim(&args);
            // A plan that cannot confirm its claim ends with 4 and still writes its report.
            assert!(matches!(run.status.code(), Some(0 | 4)), "{args:?}: {}", String::from_utf8_lossy(&run.stderr));
        }
        for name in ["county", "comparison", "county-sweep", "county-plan", "county-roster"] {
            reports.push(Path::new(&o).join(name).join("report.html"));
        }
    }
    // The fit's report, from a traced run of the county.
    let o = format!("{out}/fit");
    let traced = hallsim(&["run", &county, "-r", "5", "--trace", "1-5", "--no-charts", "-q", "-o", &o]);
    assert!(traced.status.success(), "{}", String::from_utf8_lossy(&traced.stderr));
    let visits = format!("{o}/county/visits.csv");
    let fit = hallsim(&["fit", &visits, "--base", &county, "-r", "5", "-q", "-o", &o]);
    assert!(fit.status.success(), "{}", String::from_utf8_lossy(&fit.stderr));
    reports.push(Path::new(&o).join("county-fit/report.html"));
    let profile = temp_dir("browser-profile");
    for report in &reports {
        let html = std::fs::read_to_string(report).unwrap_or_else(|e| panic!("{}: {e}", report.display()));
        assert!(html.contains("<section id=\"verdict\">"), "{}: no verdict", report.display());
        let checked = report.with_file_name("checked.html");
        std::fs::write(&checked, html.replace("</body>", &format!("{CHECKS}</body>"))).unwrap();
        for width in [1400, 390] {
            let wrapper = report.with_file_name(format!("frame-{width}.html"));
            std::fs::write(&wrapper, frame(width)).unwrap();
            let result = headless(chromium, 1500, &profile)
                .args(["--dump-dom", "--virtual-time-budget=5000"])
                .arg(format!("file://{}", wrapper.display()))
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&result.stderr);
            let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
            assert!(console.is_empty(), "{} at {width} px: console messages {console:?}", report.display());
            let dom = String::from_utf8_lossy(&result.stdout);
            let found = dom.split("RESULT=").nth(1).and_then(|r| r.split("=END").next());
            assert_eq!(found, Some("[]"), "{} at {width} px", report.display());
        }
    }
}

/// Headless Chromium draws the report: the screenshot is not blank.
#[test]
fn report_screenshot_is_not_blank() {
    let Some(chromium) = chromium() else { return };
    let out = run_municipal("chromium", &[]);
    let shot = out.join("report-screenshot.png");
    let profile = temp_dir("chromium-profile");
    let result = headless(chromium, 1200, &profile)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let (ink, colours) = {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).expect("a screenshot")));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let step = info.color_type.samples();
        let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(step).map(|p| &p[..3]).collect();
        let plain = px.iter().filter(|p| p[0] > 245 && p[1] > 245 && p[2] > 245).count() as f64;
        (1.0 - plain / px.len() as f64, px.into_iter().collect::<std::collections::BTreeSet<_>>().len())
    };
    assert!(ink > 0.05 && colours > 50, "the screenshot looks empty: {:.1}% ink, {colours} colours", ink * 100.0);
}

/// Every file under `dir` with one of these extensions, sorted.
fn files_with(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_with(&path, exts, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)) {
            out.push(path);
        }
    }
    out.sort();
}

#[test]
fn every_svg_and_html_file_is_well_formed_xml() {
    let dir = temp_dir("xml");
    let o = dir.to_str().unwrap();
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tiny.toml");
    let tiny_more = dir.join("tiny_more.toml");
    let text = std::fs::read_to_string(tiny).unwrap();
    std::fs::write(
        &tiny_more,
        text.replace("name = \"tiny\"", "name = \"tiny_more\"").replace("count = 2", "count = 3"),
    )
    .unwrap();
    for lang in ["en", "zh"] {
        let runs: [&[&str]; 4] = [
            &["run", tiny, "-r", "4"],
            &["compare", tiny, tiny_more.to_str().unwrap(), "-r", "4"],
            &["sweep", tiny, "--set", "pool.windows.count=2..3", "-r", "4"],
            &["plan", tiny, "--target", "wait_p90 <= 10", "-r", "4"],
        ];
        for args in runs {
            let mut args = args.to_vec();
            args.extend(["-o", o, "-q", "--lang", lang]);
            let out = hallsim(&args);
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let mut files = Vec::new();
        files_with(&dir, &["svg", "html"], &mut files);
        assert!(files.len() >= 10, "{files:?}");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            if let Err(e) = roxmltree::Document::parse_with_options(
                &text,
                roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
            ) {
                panic!("{} ({lang}) is not well-formed XML: {e}", f.display());
            }
        }
    }
}

/// The `<section id="verdict">` of a report, its lines one per row.
fn verdict_of(report: &Path) -> String {
    let html = std::fs::read_to_string(report).unwrap();
    let start = html.find("<section id=\"verdict\">").expect("a verdict block");
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end].replace("<li", "\n<li")
}

#[test]
fn the_verdict_says_which_target_is_missed_and_why() {
    // Tickets every 10 minutes from 09:00 to 11:00. Accept takes 25 minutes against its
    // 20-minute budget at 3 windows: nobody waits, everyone misses it by the service alone,
    // and everyone completes within 60 minutes. Issue takes 1 minute: always in budget.
    let by_service = r#"
[hall]
opens = "09:00"
last_ticket = "11:00"
[arrivals]
interarrival = { dist = "deterministic", value = 10 }
[[stage]]
name = "accept"
[[stage]]
name = "issue"
[[pool]]
name = "w"
count = 3
stages = ["accept"]
[[pool]]
name = "i"
count = 1
stages = ["issue"]
[[case_type]]
name = "c"
share = 1
route = ["accept", "issue"]
service.accept = { dist = "deterministic", value = 25 }
service.issue = { dist = "deterministic", value = 1 }
"#;
    // A ticket every 5 minutes at one window of 9 minutes: each waits 4 minutes more than
    // the one before, so from the 4th on accept's budget is missed by waiting alone, and
    // from the 14th on (a wait over 51 minutes) the 60-minute target too.
    let by_waiting = by_service
        .replace("value = 10", "value = 5")
        .replace("count = 3", "count = 1")
        .replace("value = 25", "value = 9");
    let dir = temp_dir("verdict");
    let cases = [
        (
            by_service.to_string(),
            "en",
            vec![
                "2 of 3 targets met.",
                "accept: 0.0% within its 20-minute budget",
                "not met. Mostly the service itself: 100.0% of the people",
                "issue: 100.0% within",
            ],
        ),
        (
            by_service.to_string(),
            "zh",
            vec![
                "3 项目标中 2 项达标。",
                "accept：0.0% 在 20 分钟时限内",
                "未达标。主要在办理本身：经过该环节的人中 100.0%",
            ],
        ),
        (
            by_waiting,
            "en",
            vec![
                "1 of 3 targets met.",
                "within 60 minutes of entering the hall",
                "the target asks 95.0%: not met",
                "not met. Mostly the queue: ",
                "0.0% by a service over 20 minutes",
            ],
        ),
    ];
    for (toml, lang, words) in cases {
        let file = dir.join("v.toml");
        std::fs::write(&file, toml).unwrap();
        let out =
            hallsim(&["run", file.to_str().unwrap(), "-r", "2", "--lang", lang, "-q", "-o", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let verdict = verdict_of(&dir.join("v/report.html"));
        for w in words {
            assert!(verdict.contains(w), "{lang}: {w:?} not in\n{verdict}");
        }
    }
}

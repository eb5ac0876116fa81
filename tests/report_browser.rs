//! The HTML report in a real headless Chromium (Debian package `chromium`):
//! - every corpus report loads, with its Content-Security-Policy, without a console message,
//!   and its script renders the tables and the side-by-side view;
//! - the filters, the pager and the `#findings?code=...` links give the counts `report.json`
//!   gives;
//! - hostile names, comments, strings, messages and file names (`</script><script>...`,
//!   `"><img onerror=...>` ...) show as text and run nothing;
//! - a screenshot of the summary is saved as a test artifact
//!   (`target/test-artifacts/report-summary.png`, or `$SCHEMAC_ARTIFACTS/`).
//!
//! The harness is `chromium --headless --dump-dom` with a virtual time budget: console messages
//! come on stderr (`--enable-logging=stderr`), and a probe script appended to a copy of the
//! report writes its results into the DOM. Without Chromium the tests are skipped with a loud
//! message, except under `CI=true`, where they fail. `SCHEMAC_CHROMIUM` names the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use schemac::diag::Finding;
use schemac::ir::{Ident, Module, Object, ObjectKind, QName, Stmt};
use schemac::report;
use schemac::rules::codes;
use schemac::source::{SourceMap, Span};
use schemac::{Options, Output, Placement, Script, SourceDialect, Target};
use serde_json::Value;

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_browser")
        .join(format!("{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCHEMAC_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The Chromium binary; `None` (after a loud message) when it is missing outside CI.
fn chromium() -> Option<PathBuf> {
    match find_chromium() {
        Some(p) => Some(p),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("chromium is required under CI=true (Debian package `chromium`)")
        }
        None => {
            eprintln!(
                "\n*** SKIPPED: browser test needs Chromium (apt-get install chromium), \
                 or set SCHEMAC_CHROMIUM ***\n"
            );
            None
        }
    }
}

/// Runs headless Chromium with a fresh profile; returns stdout and stderr.
fn run_chromium(bin: &Path, extra: &[String], url: &str) -> (String, String) {
    let dir = temp_dir("profile");
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium timed out on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = String::from_utf8_lossy(&std::fs::read(&out_path).unwrap()).into_owned();
    let err = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    (out, err)
}

struct Page {
    dom: String,
    /// Console messages (any level: the report logs nothing).
    console: Vec<String>,
}

fn load(bin: &Path, file: &Path, fragment: &str) -> Page {
    let url = format!(
        "file://{}{fragment}",
        file.canonicalize().unwrap().display()
    );
    let (dom, err) = run_chromium(
        bin,
        &[
            "--virtual-time-budget=10000".to_string(),
            "--dump-dom".to_string(),
        ],
        &url,
    );
    let console = err
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    assert!(dom.contains("</html>"), "no DOM for {url}: {err}");
    Page { dom, console }
}

/// A copy of the report without its CSP, with `probe` appended: the probe writes
/// `JSON.stringify(result)` into `<pre id="schemac-test-result">`.
fn instrument(html: &str, probe: &str) -> String {
    let mut h = html.to_string();
    if let Some(i) = h.find("<meta http-equiv=\"Content-Security-Policy\"") {
        let end = i + h[i..].find('>').unwrap() + 1;
        h.replace_range(i..end, "");
    }
    let at = h.rfind("</body>").expect("</body>");
    h.insert_str(at, &format!("<script>{probe}</script>\n"));
    h
}

/// The probe's result from a dumped DOM.
fn probe_result(page: &Page) -> Value {
    let open = "<pre id=\"schemac-test-result\">";
    let start = page
        .dom
        .find(open)
        .unwrap_or_else(|| panic!("no probe result; console: {:?}", page.console))
        + open.len();
    let end = start + page.dom[start..].find("</pre>").unwrap();
    let text = page.dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// JavaScript that writes `expr` (an object) as the probe result once timers have run.
fn probe(body: &str) -> String {
    format!(
        "(function () {{ var R = window.schemacReport; var res = {{}}; \
         res.ready = document.documentElement.getAttribute('data-ready'); \
         {body}\n\
         setTimeout(function () {{ res.pwned = window.__pwned || 0; \
           var pre = document.createElement('pre'); pre.id = 'schemac-test-result'; \
           pre.textContent = JSON.stringify(res); document.body.appendChild(pre); }}, 300); }}());"
    )
}

fn assess(from: &str, input: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_schemac"))
        .args(["assess", "--from", from, "--to", "postgres"])
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["--format", "html,json", "--quiet", "--force"])
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn corpus() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("SCHEMAC_CORPUS") {
        return Some(PathBuf::from(p)).filter(|p| p.is_dir());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .take(3)
        .map(|a| a.join("shared/corpus"))
        .find(|p| p.is_dir())
}

fn corpus_sources() -> Vec<(String, PathBuf)> {
    let Some(root) = corpus() else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/corpus is required under CI=true");
        }
        eprintln!("\n*** SKIPPED (corpus part): ../shared/corpus not found ***\n");
        return vec![];
    };
    let mut out = Vec::new();
    for dialect in ["oracle", "tsql", "ase"] {
        let Ok(entries) = std::fs::read_dir(root.join(dialect)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        out.extend(dirs.into_iter().map(|d| (dialect.to_string(), d)));
    }
    out
}

fn small_oracle_input(dir: &Path) -> PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("hr.sql"),
        "CREATE TABLE hr.regions (region_id NUMBER PRIMARY KEY, name VARCHAR2(25), d DATE, r ROWID);\n\
         CREATE SEQUENCE hr.regions_seq;\n\
         CREATE VIEW hr.v AS SELECT region_id FROM hr.regions CONNECT BY PRIOR region_id = region_id;\n\
         SET ECHO ON\nCREATE TABLE broken (;\n\
         CREATE OR REPLACE PROCEDURE hr.p IS BEGIN NULL; END;\n/\n",
    )
    .unwrap();
    src
}

fn artifacts_dir() -> PathBuf {
    match std::env::var_os("SCHEMAC_ARTIFACTS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("test-artifacts"),
    }
}

#[test]
fn corpus_reports_load_without_console_errors() {
    let Some(bin) = chromium() else { return };
    let dir = temp_dir("corpus");
    let mut sources = corpus_sources();
    if sources.is_empty() {
        sources.push(("oracle".into(), small_oracle_input(&dir)));
    }
    for (i, (from, src)) in sources.iter().enumerate() {
        let out = dir.join(format!("r{i}"));
        assess(from, src, &out);
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        let objects = json["objects"].as_array().unwrap().len();
        // The report as written (CSP in force), with the side-by-side view of the first object.
        let fragment = if objects > 0 { "#obj-0" } else { "" };
        let page = load(&bin, &out.join("report.html"), fragment);
        assert!(
            page.console.is_empty(),
            "{}: console messages: {:#?}",
            src.display(),
            page.console
        );
        assert!(
            page.dom.contains("data-ready=\"1\""),
            "{}: the report's script did not finish",
            src.display()
        );
        let rows = page.dom.matches("<tr data-finding=").count();
        let findings = json["findings"].as_array().unwrap().len();
        assert_eq!(rows, findings.min(100), "{}", src.display());
        if objects > 0 {
            assert!(
                page.dom
                    .contains("<section id=\"detail\" data-object=\"0\">"),
                "{}: no side-by-side view",
                src.display()
            );
            assert!(page.dom.contains("class=\"pane\""));
        }
        eprintln!(
            "{}: loaded, {objects} objects, {findings} findings",
            src.display()
        );
    }
}

#[test]
fn summary_screenshot_is_saved() {
    let Some(bin) = chromium() else { return };
    let dir = temp_dir("screenshot");
    let (from, src) = corpus_sources()
        .into_iter()
        .find(|(_, p)| p.ends_with("hr"))
        .unwrap_or_else(|| ("oracle".into(), small_oracle_input(&dir)));
    let out = dir.join("out");
    assess(&from, &src, &out);
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = artifacts.join("report-summary.png");
    let _ = std::fs::remove_file(&png);
    let url = format!(
        "file://{}",
        out.join("report.html").canonicalize().unwrap().display()
    );
    let (_, err) = run_chromium(
        &bin,
        &[
            "--window-size=1280,1600".to_string(),
            "--hide-scrollbars".to_string(),
            format!("--screenshot={}", png.display()),
        ],
        &url,
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}\n{err}", png.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(bytes.len() > 10_000, "suspiciously small screenshot");
    eprintln!("screenshot of the summary: {}", png.display());
}

/// A hand-built output with many codes, severities, categories, schemas and kinds.
fn rich_output(n: usize) -> Output {
    let cs = [
        &codes::NUMBER_UNBOUNDED,
        &codes::ROWID_TYPE,
        &codes::CONNECT_BY,
        &codes::PLSQL_NOT_CONVERTED,
        &codes::RESERVED_WORD,
        &codes::SYNTAX_ERROR,
    ];
    let kinds = [
        ObjectKind::Table,
        ObjectKind::View,
        ObjectKind::Procedure,
        ObjectKind::Index,
    ];
    let mut sources = SourceMap::default();
    let mut text = String::new();
    let mut spans = Vec::new();
    for i in 0..n {
        let start = text.len() as u32;
        text.push_str(&format!("CREATE THING s{}.o{i} (x rowid);\n", i % 3));
        spans.push((start, text.len() as u32 - 1));
    }
    let file = sources.add_text("db/things.sql", text);
    let mut script = String::from("-- schemac 0.1.0: oracle -> postgres, 30_tables.sql\n");
    let mut line = 1u32;
    let mut objects = Vec::new();
    let mut placements = Vec::new();
    for (i, (start, end)) in spans.into_iter().enumerate() {
        let span = Span::new(file, start, end);
        let name = QName {
            parts: vec![
                Ident::new(format!("S{}", i % 3), span),
                Ident::new(format!("O{i}"), span),
            ],
            dblink: None,
        };
        let mut o = Object::new(
            kinds[i % kinds.len()],
            Some(name),
            span,
            Stmt::Opaque {
                text: String::new(),
            },
        );
        for j in 0..(i % 3) {
            let c = cs[(i + j) % cs.len()];
            o.findings.push(Finding::new(
                c,
                Span::new(file, start + 16 + j as u32, start + 22),
                &["rowid", "b", "c"],
            ));
        }
        script.push_str(&format!(
            "\n-- schemac: THING {} (db/things.sql:{})\n",
            o.display_name(),
            i + 1
        ));
        line += 2;
        for f in &o.findings {
            script.push_str(&format!(
                "-- {} {}: {}\n",
                f.code.code,
                f.severity.as_str(),
                f.message
            ));
            line += 1;
        }
        placements.push(Some(Placement {
            file: "postgres/30_tables.sql".into(),
            line: line + 1,
        }));
        script.push_str(&format!("CREATE THING {};\n", o.display_name()));
        line += 1;
        objects.push(o);
    }
    Output {
        sources,
        module: Module { objects },
        scripts: vec![Script {
            name: "postgres/30_tables.sql".into(),
            text: script,
        }],
        placements,
    }
}

fn count_by<'a>(items: impl Iterator<Item = &'a str>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i.to_string()).or_default() += 1;
    }
    m
}

#[test]
fn filters_and_pager_work() {
    let Some(bin) = chromium() else { return };
    let dir = temp_dir("filters");
    let out = rich_output(400);
    let opts = Options::new(SourceDialect::Oracle, Target::Postgres);
    let rep = report::build(&out, &opts);
    let f = &rep.findings;
    let expect = serde_json::json!({
        "code": count_by(f.iter().map(|x| x.code)),
        "severity": count_by(f.iter().map(|x| x.severity.as_str())),
        "category": count_by(f.iter().map(|x| x.category)),
        "schema": count_by(f.iter().map(|x| x.schema.as_str())),
        "kind": count_by(f.iter().map(|x| x.object_kind.as_str())),
        "status": count_by(rep.objects.iter().map(|o| o.status.as_str())),
        "okind": count_by(rep.objects.iter().map(|o| o.kind.as_str())),
    });
    let combo = f
        .iter()
        .filter(|x| x.severity.as_str() == "manual" && x.schema == "S1")
        .count();
    let text = f
        .iter()
        .filter(|x| x.message.to_lowercase().contains("rowid"))
        .count();
    assert!(f.len() > 200, "enough findings for three pages");
    let body = format!(
        "var E = {expect}; res.got = {{}};\n\
         ['code', 'severity', 'category', 'schema', 'kind'].forEach(function (k) {{\n\
           res.got[k] = {{}};\n\
           Object.keys(E[k]).forEach(function (v) {{ var q = {{}}; q[k] = v; res.got[k][v] = R.filterFindings(q); }});\n\
         }});\n\
         res.got.status = {{}}; Object.keys(E.status).forEach(function (v) {{ res.got.status[v] = R.filterObjects({{status: v}}); }});\n\
         res.got.okind = {{}}; Object.keys(E.okind).forEach(function (v) {{ res.got.okind[v] = R.filterObjects({{kind: v}}); }});\n\
         res.combo = R.filterFindings({{severity: 'manual', schema: 'S1'}});\n\
         res.text = R.filterFindings({{text: 'ROWID'}});\n\
         res.unknown = R.filterFindings({{code: 'NOPE999'}});\n\
         res.all = R.filterFindings({{}});\n\
         res.page1 = document.querySelectorAll('#findings-table tbody tr').length;\n\
         var next = document.querySelectorAll('#f-pager button')[1]; next.click();\n\
         res.page2first = document.querySelector('#findings-table tbody tr').getAttribute('data-finding');\n\
         var sel = document.getElementById('f-severity');\n\
         for (var i = 0; i < sel.options.length; i++) {{ if (sel.options[i].textContent === 'manual') {{ sel.selectedIndex = i; }} }}\n\
         sel.dispatchEvent(new Event('change'));\n\
         res.domManual = R.shownFindings();\n\
         res.domManualRows = document.querySelectorAll('#findings-table tbody tr').length;\n\
         R.showObject(4);\n\
         res.panes = document.querySelectorAll('#detail .pane').length;\n\
         res.marks = document.querySelectorAll('#detail mark').length;\n\
         res.findingLines = document.querySelectorAll('#detail .finding-line').length;\n\
         location.hash = '#findings?code=TYP002';\n\
         setTimeout(function () {{ res.hashFilter = R.shownFindings(); }}, 100);",
        expect = serde_json::to_string(&expect).unwrap(),
    );
    let html = instrument(&report::to_html(&rep), &probe(&body));
    let path = dir.join("report.html");
    std::fs::write(&path, html).unwrap();
    let page = load(&bin, &path, "");
    assert!(page.console.is_empty(), "{:#?}", page.console);
    let r = probe_result(&page);
    assert_eq!(r["ready"], "1");
    for k in [
        "code", "severity", "category", "schema", "kind", "status", "okind",
    ] {
        assert_eq!(r["got"][k], expect[k], "filter by {k}");
    }
    assert_eq!(r["combo"], combo);
    assert_eq!(r["text"], text);
    assert_eq!(r["unknown"], -1);
    assert_eq!(r["all"], f.len());
    assert_eq!(r["page1"], 100);
    assert_eq!(r["page2first"], "100");
    assert_eq!(r["domManual"], expect["severity"]["manual"]);
    assert_eq!(
        r["domManualRows"].as_u64(),
        expect["severity"]["manual"].as_u64().map(|n| n.min(100))
    );
    // Object 4 has one finding: both panes, its mark, its comment line in the output.
    assert_eq!(rep.objects[4].findings.len(), 1);
    assert_eq!(r["panes"], 2);
    assert_eq!(r["marks"], 1);
    assert_eq!(r["findingLines"], 1);
    assert_eq!(r["hashFilter"], expect["code"]["TYP002"]);
}

const PAYLOADS: &[&str] = &[
    "</script><script>window.__pwned=(window.__pwned||0)+1</script>",
    "\"><img src=x onerror=\"window.__pwned=(window.__pwned||0)+1\">",
    "'><svg onload=window.__pwned=(window.__pwned||0)+1>",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    "<!--<script>window.__pwned=1</script>-->",
    "</textarea></title><img src=x onerror=window.__pwned=1>",
];

/// The probe of the XSS tests: renders every object's side-by-side view, collects the text
/// shown, the elements and the event-handler attributes found.
fn xss_probe() -> String {
    probe(
        "var seen = [];\n\
         for (var i = 0; i < R.data.objects.length; i++) { R.showObject(i); seen.push(document.getElementById('detail').innerText); }\n\
         R.filterFindings({}); R.filterObjects({});\n\
         seen.push(document.body.innerText);\n\
         res.text = seen.join('\\n');\n\
         res.active = document.querySelectorAll('img, iframe, object, embed, frame, video, audio, textarea').length;\n\
         res.scripts = document.querySelectorAll('script').length;\n\
         var handlers = [];\n\
         document.querySelectorAll('*').forEach(function (e) { for (var a = 0; a < e.attributes.length; a++) { if (/^on/i.test(e.attributes[a].name)) { handlers.push(e.tagName + ' ' + e.attributes[a].name); } } });\n\
         res.handlers = handlers;",
    )
}

fn check_xss(bin: &Path, html: &str, dir: &Path, shown: &[&str]) {
    let path = dir.join("probe.html");
    std::fs::write(&path, instrument(html, &xss_probe())).unwrap();
    let page = load(bin, &path, "");
    assert!(page.console.is_empty(), "{:#?}", page.console);
    let r = probe_result(&page);
    assert_eq!(r["ready"], "1");
    assert_eq!(r["pwned"], 0, "a payload ran");
    assert_eq!(r["active"], 0, "a payload made an element");
    assert_eq!(
        r["handlers"],
        serde_json::json!([]),
        "a payload made a handler"
    );
    // The data island, the report's script and the probe.
    assert_eq!(r["scripts"], 3);
    let text = r["text"].as_str().unwrap();
    for p in shown {
        assert!(text.contains(p), "{p:?} is not shown literally");
    }
}

#[test]
fn hostile_source_text_is_shown_not_run() {
    let Some(bin) = chromium() else { return };
    let dir = temp_dir("xss-cli");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let [p0, p1, p2, p3, p4, p5] = [
        PAYLOADS[0],
        PAYLOADS[1],
        PAYLOADS[2],
        PAYLOADS[3],
        PAYLOADS[4],
        PAYLOADS[5],
    ];
    let ddl = format!(
        "CREATE TABLE \"{p0}\" (\n  c VARCHAR2(90) DEFAULT '{p1}',\n  /* {p3} */ d NUMBER, r ROWID\n);\n\
         COMMENT ON TABLE \"{p0}\" IS '{p2}';\n\
         CREATE VIEW v AS SELECT '{p4}' AS x FROM dual CONNECT BY LEVEL < 3; -- {p5}\n\
         {p0};\n"
    );
    // The file name is hostile too.
    let name = "x\"><img src=x onerror=window.__pwned=1>.sql";
    std::fs::write(src.join(name), &ddl).unwrap();
    let out = dir.join("out");
    assess("oracle", &src, &out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    check_xss(&bin, &html, &dir, &[p0, p1, p2, p3, p4, name]);
}

#[test]
fn hostile_names_messages_and_files_are_shown_not_run() {
    let Some(bin) = chromium() else { return };
    let dir = temp_dir("xss-lib");
    let mut sources = SourceMap::default();
    let text = format!("CREATE TABLE t (x {});\n", PAYLOADS[1]);
    let file = sources.add_text(format!("dir/{}.sql", PAYLOADS[2]), text.clone());
    let span = Span::new(file, 0, text.len() as u32 - 1);
    let mut objects = Vec::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        let name = QName {
            parts: vec![Ident::new(*p, span), Ident::new(format!("{p}{i}"), span)],
            dblink: None,
        };
        let mut o = Object::new(
            ObjectKind::Table,
            Some(name),
            span,
            Stmt::Opaque {
                text: String::new(),
            },
        );
        let mut f = Finding::new(&codes::UNKNOWN_TYPE, Span::new(file, 18, 30), &[p]);
        f.message = format!("message {p}");
        o.findings.push(f);
        objects.push(o);
    }
    let script = format!(
        "-- schemac 0.1.0: oracle -> postgres, 30_tables.sql\n\n-- schemac: TABLE x (y:1)\n\
         -- TYP011 manual: {p}\nCREATE TABLE t (x text /* {p} */);\n",
        p = PAYLOADS[0]
    );
    let out = Output {
        sources,
        module: Module { objects },
        scripts: vec![Script {
            name: "postgres/30_tables.sql".into(),
            text: script,
        }],
        placements: vec![
            Some(Placement {
                file: "postgres/30_tables.sql".into(),
                line: 5,
            });
            PAYLOADS.len()
        ],
    };
    let opts = Options::new(SourceDialect::Oracle, Target::Postgres);
    let html = report::to_html(&report::build(&out, &opts));
    let mut shown: Vec<String> = PAYLOADS.iter().map(|p| format!("message {p}")).collect();
    shown.push(format!("dir/{}.sql", PAYLOADS[2]));
    shown.push(format!("{}.{}0", PAYLOADS[0], PAYLOADS[0]));
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    check_xss(&bin, &html, &dir, &shown);
}

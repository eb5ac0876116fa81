//! End-to-end tests of the `schemac` binary: arguments, exit status, output directory rules,
//! reports and determinism.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_schemac"))
}

/// A fresh empty directory under Cargo's target tmp dir (kept after the run for inspection).
fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(format!("{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs schemac in `cwd`.
fn run(cwd: &Path, args: &[&str]) -> Output {
    bin().current_dir(cwd).args(args).output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`: relative `/`-separated path -> bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            m.insert(key, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

/// A T-SQL source: until its front end lands, every file yields a PRS003 (manual) finding.
/// Two T-SQL files whose statements are not known (one PRS003 manual finding each), so the
/// CLI contract tests do not depend on what the front end converts.
fn tsql_input(dir: &Path) {
    write(&dir.join("src/tables.sql"), b"FROBNICATE dbo.t;\nGO\n");
    write(&dir.join("src/procs/p.prc"), b"FROBNICATE dbo.p;\nGO\n");
}

#[test]
fn explain_prints_the_catalog_page() {
    let dir = temp_dir("explain");
    let o = run(&dir, &["explain", "PRS001"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.contains("code = \"PRS001\""));
    for h in [
        "## What it flags",
        "## Why it matters",
        "## Example",
        "## What to do",
    ] {
        assert!(page.contains(h), "{h}");
    }
    // Case-insensitive.
    let o = run(&dir, &["explain", "typ001"]);
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("TYP001"));
}

#[test]
fn explain_unknown_code_exits_2() {
    let dir = temp_dir("explain-unknown");
    let o = run(&dir, &["explain", "XYZ999"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("XYZ999"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = temp_dir("usage");
    tsql_input(&dir);
    for args in [
        &["convert", "--to", "postgres", "src", "-o", "out"][..],
        &["convert", "--from", "tsql", "--to", "postgres", "src"],
        &[
            "convert", "--from", "tsql", "--to", "oracle", "src", "-o", "out",
        ],
        &["convert", "--from", "tsql", "--to", "postgres", "-o", "out"],
        &[
            "convert",
            "--from",
            "tsql",
            "--to",
            "postgres",
            "src",
            "-o",
            "out",
            "--fail-on",
            "fatal",
        ],
        &["frobnicate"],
    ] {
        let o = run(&dir, args);
        assert_eq!(code(&o), 2, "{args:?}");
    }
    assert!(!dir.join("out").exists());
}

#[test]
fn missing_input_exits_2_and_writes_nothing() {
    let dir = temp_dir("missing");
    tsql_input(&dir);
    let o = run(
        &dir,
        &[
            "convert", "--from", "tsql", "--to", "postgres", "src", "nope.sql", "-o", "out",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nope.sql"), "{}", stderr(&o));
    assert!(!dir.join("out").exists());
}

#[test]
fn convert_writes_scripts_and_reports() {
    let dir = temp_dir("convert");
    tsql_input(&dir);
    let o = run(
        &dir,
        &[
            "convert", "--from", "tsql", "--to", "postgres", "src", "-o", "out",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files: Vec<String> = snapshot(&dir.join("out")).into_keys().collect();
    assert_eq!(
        files,
        ["postgres/35_data.sql", "report.html", "report.json"]
    );
    let err = stderr(&o);
    assert!(
        err.contains("schemac: 2 objects (0 converted, 0 review, 2 manual, 0 blocker), 2 findings; wrote out/postgres (1 file), out/report.json, out/report.html"),
        "{err}"
    );
    // The syntax diagnostics point at file:line:col.
    assert!(err.contains("PRS003"), "{err}");
    assert!(err.contains("src/tables.sql:1:1"), "{err}");
}

#[test]
fn assess_writes_only_the_reports() {
    let dir = temp_dir("assess");
    tsql_input(&dir);
    let o = run(
        &dir,
        &[
            "assess", "--from", "tsql", "--to", "mysql", "src", "-o", "out",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files: Vec<String> = snapshot(&dir.join("out")).into_keys().collect();
    assert_eq!(files, ["report.html", "report.json"]);
}

#[test]
fn report_json_contract() {
    let dir = temp_dir("json");
    tsql_input(&dir);
    let o = run(
        &dir,
        &[
            "convert", "--from", "tsql", "--to", "postgres", "src", "-o", "out",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("out/report.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "schemac");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["source"], "tsql");
    assert_eq!(v["target"], "postgres");
    let summary = v["summary"].as_object().unwrap();
    for k in [
        "sentence",
        "objects",
        "objects_by_kind",
        "storage",
        "code",
        "findings",
        "findings_by_category",
        "complex_actions",
        "effort",
    ] {
        assert!(summary.contains_key(k), "summary.{k}");
    }
    let objects = v["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 2);
    for k in [
        "kind", "name", "file", "line", "status", "output", "findings",
    ] {
        assert!(objects[0].get(k).is_some(), "objects[].{k}");
    }
    assert_eq!(objects[0]["status"], "manual");
    assert_eq!(objects[0]["output"]["file"], "postgres/35_data.sql");
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for k in [
        "code", "severity", "message", "file", "line", "column", "object",
    ] {
        assert!(findings[0].get(k).is_some(), "findings[].{k}");
    }
    // Directory inputs are walked in path order; names are the directory argument joined with
    // the relative path.
    let names: Vec<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["src/procs/p.prc", "src/tables.sql"]);
    assert_eq!(findings[0]["code"], "PRS003");
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    // No absolute path anywhere.
    assert!(!text.contains(dir.to_str().unwrap()));
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains("src/tables.sql:1:1"));
    assert!(!html.contains(dir.to_str().unwrap()));
}

#[test]
fn directory_walk_takes_scripts_only() {
    let dir = temp_dir("walk");
    write(&dir.join("db/b.SQL"), b"select 1;\n");
    write(&dir.join("db/a/x.pkb"), b"x\n");
    write(&dir.join("db/install"), b"select 2;\n");
    write(&dir.join("db/README"), b"docs\n");
    write(&dir.join("db/LICENSE-MIT"), b"text\n");
    write(&dir.join("db/blob"), b"\x00\x01\x02");
    write(&dir.join("db/notes.txt"), b"not sql\n");
    write(&dir.join("db/.git/config.sql"), b"hidden\n");
    write(
        &dir.join("single.txt"),
        b"explicit files are always taken\n",
    );
    let o = run(
        &dir,
        &[
            "assess",
            "--from",
            "tsql",
            "--to",
            "postgres",
            "db",
            "single.txt",
            "-o",
            "out",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap();
    let names: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["db/a/x.pkb", "db/b.SQL", "db/install", "single.txt"]
    );
}

#[test]
fn fail_on_sets_exit_status_1() {
    let dir = temp_dir("fail-on");
    tsql_input(&dir);
    let args = |out: &'static str, extra: &'static [&'static str]| {
        let mut a = vec![
            "convert", "--from", "tsql", "--to", "postgres", "src", "-o", out,
        ];
        a.extend_from_slice(extra);
        a
    };
    // The T-SQL input yields PRS003 (manual) findings.
    assert_eq!(code(&run(&dir, &args("o1", &["--fail-on", "manual"]))), 1);
    assert_eq!(code(&run(&dir, &args("o2", &["--fail-on", "review"]))), 1);
    assert_eq!(code(&run(&dir, &args("o3", &["--fail-on", "blocker"]))), 0);
    assert_eq!(code(&run(&dir, &args("o4", &[]))), 0);
    // Exit 1 still writes everything.
    assert!(dir.join("o1/report.json").is_file());
    assert!(dir.join("o1/postgres/35_data.sql").is_file());
}

#[test]
fn quiet_prints_nothing() {
    let dir = temp_dir("quiet");
    tsql_input(&dir);
    let o = run(
        &dir,
        &[
            "convert",
            "--from",
            "tsql",
            "--to",
            "postgres",
            "src",
            "-o",
            "out",
            "--quiet",
            "--fail-on",
            "manual",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn existing_output_needs_force_and_user_files_survive() {
    let dir = temp_dir("force");
    tsql_input(&dir);
    let out = dir.join("out");
    let user_note = b"my notes \xE2\x9C\x93\n".to_vec();
    write(&out.join("notes.txt"), &user_note);
    write(&out.join("postgres/99_old.sql"), b"-- stale script\n");
    write(&out.join("postgres/35_data.sql"), b"-- previous run\n");
    write(&out.join("postgres/My_Fix.sql"), b"-- hand-written\n");
    write(&out.join("postgres/README.md"), b"keep\n");
    write(&out.join("mysql/30_tables.sql"), b"-- other target\n");
    let before = snapshot(&out);

    let args = [
        "convert", "--from", "tsql", "--to", "postgres", "src", "-o", "out",
    ];
    let o = run(&dir, &args);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before, "a refused run must not touch OUT");

    let mut forced = args.to_vec();
    forced.push("--force");
    let o = run(&dir, &forced);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let after = snapshot(&out);
    let files: Vec<&str> = after.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        [
            "mysql/30_tables.sql",
            "notes.txt",
            "postgres/35_data.sql",
            "postgres/My_Fix.sql",
            "postgres/README.md",
            "report.html",
            "report.json",
        ]
    );
    assert_eq!(after["notes.txt"], user_note);
    assert_eq!(after["postgres/My_Fix.sql"], b"-- hand-written\n");
    assert_eq!(after["postgres/README.md"], b"keep\n");
    assert_eq!(after["mysql/30_tables.sql"], b"-- other target\n");
    assert_ne!(after["postgres/35_data.sql"], b"-- previous run\n");
    // No temporary file left behind.
    assert!(!after.keys().any(|k| k.contains(".tmp")));
}

#[test]
fn out_that_is_a_file_is_refused() {
    let dir = temp_dir("out-file");
    tsql_input(&dir);
    write(&dir.join("out"), b"a file\n");
    let o = run(
        &dir,
        &[
            "convert", "--from", "tsql", "--to", "postgres", "src", "-o", "out", "--force",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_eq!(std::fs::read(dir.join("out")).unwrap(), b"a file\n");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let dir = temp_dir("determinism");
    tsql_input(&dir);
    write(
        &dir.join("ora/hr.sql"),
        b"CREATE TABLE hr.regions (region_id NUMBER(9) PRIMARY KEY, name VARCHAR2(25));\n\
          CREATE SEQUENCE hr.regions_seq;\nSET ECHO ON\nCREATE TABLE broken (;\n",
    );
    for (from, to, input) in [("tsql", "mysql", "src"), ("oracle", "postgres", "ora")] {
        let a = format!("{from}-a");
        let b = format!("{from}-b");
        for out in [&a, &b] {
            let o = run(
                &dir,
                &["convert", "--from", from, "--to", to, input, "-o", out],
            );
            assert_eq!(code(&o), 0, "{}", stderr(&o));
        }
        let (sa, sb) = (snapshot(&dir.join(&a)), snapshot(&dir.join(&b)));
        assert!(sa.len() >= 3);
        assert_eq!(sa, sb, "{from} -> {to}");
    }
}

// ---------------------------------------------------------------------------------------------
// Report formats, templates, effort configuration and the CI gate
// ---------------------------------------------------------------------------------------------

fn assess_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "assess", "--from", "tsql", "--to", "postgres", "src", "-o", out,
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn format_selects_the_reports() {
    let dir = temp_dir("formats");
    tsql_input(&dir);
    for (out, extra, want) in [
        ("o1", &["--format", "sarif"][..], &["report.sarif"][..]),
        (
            "o2",
            &["--format", "csv,json"],
            &["report.csv", "report.json", "report_summary.csv"],
        ),
        (
            "o3",
            &["--format", "html", "--format", "sarif"],
            &["report.html", "report.sarif"],
        ),
        (
            "o4",
            &["--format", "all"],
            &[
                "report.csv",
                "report.html",
                "report.json",
                "report.sarif",
                "report_summary.csv",
            ],
        ),
    ] {
        let o = run(&dir, &assess_args(out, extra));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let files: Vec<String> = snapshot(&dir.join(out)).into_keys().collect();
        assert_eq!(files, want, "{extra:?}");
    }
    let o = run(&dir, &assess_args("o5", &["--format", "pdf"]));
    assert_eq!(code(&o), 2);
    assert!(!dir.join("o5").exists());
}

#[test]
fn force_removes_reports_of_other_formats() {
    let dir = temp_dir("stale-reports");
    tsql_input(&dir);
    let o = run(&dir, &assess_args("out", &["--format", "all"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    write(&dir.join("out/notes.txt"), b"mine\n");
    let o = run(&dir, &assess_args("out", &["--format", "json", "--force"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files: Vec<String> = snapshot(&dir.join("out")).into_keys().collect();
    assert_eq!(files, ["notes.txt", "report.json"]);
}

#[test]
fn assess_is_a_ci_gate() {
    let dir = temp_dir("gate");
    tsql_input(&dir);
    // The T-SQL input yields PRS003 (manual) findings only.
    for (out, sev, want) in [
        ("g1", "info", 1),
        ("g2", "review", 1),
        ("g3", "manual", 1),
        ("g4", "blocker", 0),
    ] {
        let o = run(&dir, &assess_args(out, &["--fail-on", sev]));
        assert_eq!(code(&o), want, "--fail-on {sev}: {}", stderr(&o));
        let err = stderr(&o);
        let line = err
            .lines()
            .find(|l| l.starts_with("schemac: "))
            .unwrap_or_else(|| panic!("no summary line: {err}"));
        assert!(
            line.contains("; effort ") && line.contains(" h ("),
            "{line}"
        );
        assert!(line.contains("person-days), level "), "{line}");
        assert_eq!(
            line.contains(&format!("FAILED: 2 finding(s) at or above {sev}")),
            want == 1,
            "{line}"
        );
        assert!(dir.join(out).join("report.json").is_file());
    }
}

#[test]
fn effort_config_overrides_hours() {
    let dir = temp_dir("effort");
    tsql_input(&dir);
    write(
        &dir.join("effort.toml"),
        b"hours_per_day = 6\nlevel_b_max_days = 1\n[hours]\nprs003 = 4.5\n",
    );
    let o = run(
        &dir,
        &assess_args("out", &["--effort-config", "effort.toml"]),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/report.json")).unwrap()).unwrap();
    let e = &v["summary"]["effort"];
    assert_eq!(e["hours"], 9.0);
    assert_eq!(e["person_days"], 1.5);
    assert_eq!(e["hours_per_day"], 6.0);
    assert_eq!(e["level"]["level"], "C");
    assert_eq!(e["overrides"]["PRS003"], 4.5);
    assert_eq!(v["findings"][0]["hours"], 4.5);
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains("overridden by --effort-config"));

    // Unknown codes, bad values and missing files are usage errors; nothing is written.
    write(&dir.join("bad.toml"), b"[hours]\nXYZ999 = 1\n");
    write(&dir.join("bad2.toml"), b"hours_per_day = 0\n");
    for (out, file) in [("b1", "bad.toml"), ("b2", "bad2.toml"), ("b3", "none.toml")] {
        let o = run(&dir, &assess_args(out, &["--effort-config", file]));
        assert_eq!(code(&o), 2, "{file}");
        assert!(stderr(&o).contains(file), "{}", stderr(&o));
        assert!(!dir.join(out).exists());
    }
}

#[test]
fn report_template_replaces_the_templates() {
    let dir = temp_dir("template");
    tsql_input(&dir);
    write(
        &dir.join("tpl/report.html.hbs"),
        b"<!DOCTYPE html><html><head><style>{{{css}}}</style></head><body>\
          <h1>ACME migration</h1>{{> footer}}<p id=s>{{summary.sentence}}</p>\
          <p>{{summary.effort.level.level}}</p></body></html>\n",
    );
    write(
        &dir.join("tpl/footer.hbs"),
        b"<footer>team {{target}}</footer>",
    );
    write(&dir.join("tpl/report.css"), b"h1 { color: teal; }");
    let o = run(&dir, &assess_args("out", &["--report-template", "tpl"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert!(html.contains("<h1>ACME migration</h1>"), "{html}");
    assert!(html.contains("<footer>team postgres</footer>"), "{html}");
    assert!(html.contains("h1 { color: teal; }"));
    assert!(html.contains("Of the total"));

    // A broken template, an empty directory and a missing one are usage errors.
    write(&dir.join("broken/report.html.hbs"), b"{{#each summary}}");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    for (out, tpl) in [("b1", "broken"), ("b2", "empty"), ("b3", "missing")] {
        let o = run(&dir, &assess_args(out, &["--report-template", tpl]));
        assert_eq!(code(&o), 2, "{tpl}: {}", stderr(&o));
        assert!(stderr(&o).contains(tpl), "{}", stderr(&o));
        assert!(!dir.join(out).exists());
    }
}

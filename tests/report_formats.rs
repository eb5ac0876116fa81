//! The report formats agree: `report.json`, `report.csv`, `report_summary.csv`, `report.sarif`
//! and `report.html` (its summary numbers and its data island) are cross-checked against each
//! other, on a small input and on every source of `../shared/corpus` (when present), through
//! `schemac assess --format all --fail-on manual`, which also checks the CI-gate exit status.
//!
//! No test depends on specific counts: the converter is changing; the formats must agree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_formats")
        .join(format!("{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `../shared/corpus` from the repository (or a worktree of it), or `SCHEMAC_CORPUS`.
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

/// `(dialect, source directory)` of every corpus source: `corpus/<dialect>/<source>/`.
fn corpus_sources() -> Vec<(String, PathBuf)> {
    let Some(root) = corpus() else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("../shared/corpus is required under CI=true");
        }
        eprintln!("\n*** SKIPPED: ../shared/corpus not found (set SCHEMAC_CORPUS) ***\n");
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

struct Run {
    code: i32,
    stderr: String,
}

fn assess(from: &str, input: &Path, out: &Path, extra: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_schemac"))
        .args(["assess", "--from", from, "--to", "postgres"])
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    schemac::report::csv::parse(text)
}

/// Undoes the CSV formula guard (a `'` before `=`, `+`, `-`, `@`, tab, CR).
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&amp;", "&")
}

/// Percent-decoding of a SARIF relative URI.
fn uri_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(h, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// `data-n="key">value<` pairs of the HTML report.
fn html_numbers(html: &str) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-n=\"") {
        rest = &rest[i + 8..];
        let Some(q) = rest.find('"') else { break };
        let key = html_unescape(&rest[..q]);
        let after = &rest[q..];
        let gt = after.find('>').unwrap();
        let lt = after[gt..].find('<').unwrap();
        m.insert(key, html_unescape(after[gt + 1..gt + lt].trim()));
        rest = &after[gt..];
    }
    m
}

fn island(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"schemac-data\">";
    let start = html.find(open).expect("data island") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let raw = &html[start..end];
    assert!(!raw.contains('<') && !raw.contains('>') && !raw.contains('&'));
    serde_json::from_str(raw).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.011
}

/// Cross-checks every report in `out` against `report.json`; returns the JSON.
fn check_agree(out: &Path) -> Value {
    let json: Value = serde_json::from_str(&read(&out.join("report.json"))).unwrap();
    let s = &json["summary"];
    let findings = json["findings"].as_array().unwrap();
    let objects = json["objects"].as_array().unwrap();
    let ctx = out.display().to_string();

    // JSON is consistent with itself.
    let mut by_sev: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_code: BTreeMap<String, u64> = BTreeMap::new();
    let mut hours = 0.0;
    for f in findings {
        *by_sev
            .entry(f["severity"].as_str().unwrap().into())
            .or_default() += 1;
        *by_code
            .entry(f["code"].as_str().unwrap().into())
            .or_default() += 1;
        hours += num(&f["hours"]);
    }
    assert_eq!(s["findings"]["total"], findings.len(), "{ctx}");
    for sev in ["info", "review", "manual", "blocker"] {
        assert_eq!(
            s["findings"][sev].as_u64(),
            Some(by_sev.get(sev).copied().unwrap_or(0)),
            "{ctx}: {sev}"
        );
    }
    for c in s["findings_by_code"].as_array().unwrap() {
        assert_eq!(
            c["count"].as_u64(),
            by_code.get(c["code"].as_str().unwrap()).copied(),
            "{ctx}"
        );
    }
    assert!(close(num(&s["effort"]["hours"]), hours), "{ctx}");
    assert_eq!(s["objects"]["total"], objects.len(), "{ctx}");
    // Each schema's hours are rounded to two decimals.
    let by_schema = s["effort"]["by_schema"].as_array().unwrap();
    let by_schema_hours: f64 = by_schema.iter().map(|e| num(&e["hours"])).sum();
    let tolerance = 0.005 * (by_schema.len() as f64 + 2.0);
    assert!((by_schema_hours - hours).abs() <= tolerance, "{ctx}");

    // report.csv: one row per finding, same order and values.
    let csv = parse_csv(&read(&out.join("report.csv")));
    let cols: Vec<&str> = csv[0].iter().map(String::as_str).collect();
    assert_eq!(cols, schemac::report::csv::FINDING_COLUMNS, "{ctx}");
    assert_eq!(csv.len() - 1, findings.len(), "{ctx}: report.csv rows");
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let mut csv_hours = 0.0;
    for (row, f) in csv[1..].iter().zip(findings) {
        assert_eq!(row.len(), cols.len(), "{ctx}: {row:?}");
        for (c, k) in [
            ("code", "code"),
            ("severity", "severity"),
            ("category", "category"),
            ("message", "message"),
            ("file", "file"),
            ("object", "object"),
            ("object_kind", "object_kind"),
            ("schema", "schema"),
        ] {
            assert_eq!(unguard(&row[col(c)]), f[k].as_str().unwrap(), "{ctx}: {c}");
        }
        for c in ["line", "column", "end_line", "end_column"] {
            assert_eq!(row[col(c)].parse::<u64>().ok(), f[c].as_u64(), "{ctx}: {c}");
        }
        let h: f64 = row[col("hours")].parse().unwrap();
        assert!(close(h, num(&f["hours"])), "{ctx}");
        csv_hours += h;
    }
    assert!(close(csv_hours, num(&s["effort"]["hours"])), "{ctx}");

    // report_summary.csv: one row per kind, then the total.
    let sum = parse_csv(&read(&out.join("report_summary.csv")));
    let kinds = s["objects_by_kind"].as_array().unwrap();
    assert_eq!(sum.len(), kinds.len() + 2, "{ctx}: report_summary.csv rows");
    for (row, k) in sum[1..].iter().zip(kinds) {
        assert_eq!(row[0], k["kind"].as_str().unwrap());
        for (i, c) in ["total", "converted", "review", "manual", "blocker"]
            .iter()
            .enumerate()
        {
            assert_eq!(row[2 + i].parse::<u64>().ok(), k[*c].as_u64(), "{ctx}: {c}");
        }
    }
    let total = sum.last().unwrap();
    assert_eq!(total[0], "total");
    assert_eq!(total[2].parse::<u64>().ok(), s["objects"]["total"].as_u64());
    let storage: u64 = sum[1..sum.len() - 1]
        .iter()
        .filter(|r| r[1] == "storage")
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(Some(storage), s["storage"]["total"].as_u64(), "{ctx}");
    let code: u64 = sum[1..sum.len() - 1]
        .iter()
        .filter(|r| r[1] == "code")
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(Some(code), s["code"]["total"].as_u64(), "{ctx}");

    // report.sarif: one result per finding.
    let sarif: Value = serde_json::from_str(&read(&out.join("report.sarif"))).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "schemac");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), by_code.len(), "{ctx}: one rule per code found");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len(), "{ctx}: SARIF results");
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["code"]);
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], f["code"]);
        let level = match f["severity"].as_str().unwrap() {
            "info" => "note",
            "review" => "warning",
            _ => "error",
        };
        assert_eq!(r["level"], level);
        assert_eq!(r["message"]["text"], f["message"]);
        assert_eq!(r["properties"]["severity"], f["severity"]);
        if f["file"].as_str().unwrap().is_empty() {
            continue;
        }
        let phys = &r["locations"][0]["physicalLocation"];
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
        let path = uri_decode(uri.strip_prefix("file://").unwrap_or(uri));
        assert_eq!(path, f["file"].as_str().unwrap(), "{ctx}");
        assert_eq!(phys["region"]["startLine"], f["line"]);
        assert_eq!(
            phys["region"]["startColumn"].as_u64(),
            f["column"].as_u64().map(|c| c.max(1))
        );
    }
    let props = &run["properties"]["schemac"];
    assert_eq!(props["findings"], s["findings"]);
    assert_eq!(props["objects"], s["objects"]);
    assert_eq!(props["sentence"], s["sentence"]);

    // report.html: the summary numbers and the data island.
    let html = read(&out.join("report.html"));
    assert!(
        html.contains(&html_escape(s["sentence"].as_str().unwrap())),
        "{ctx}"
    );
    let n = html_numbers(&html);
    let want = |key: &str, v: &Value| {
        let got = n
            .get(key)
            .unwrap_or_else(|| panic!("{ctx}: no data-n={key}"));
        let ok = match v {
            Value::String(s) => got == s,
            v => close(got.parse::<f64>().unwrap(), num(v)),
        };
        assert!(ok, "{ctx}: HTML {key} = {got}, JSON {v}");
    };
    for k in ["total", "info", "review", "manual", "blocker"] {
        want(&format!("findings.{k}"), &s["findings"][k]);
    }
    for k in ["total", "converted", "review", "manual", "blocker"] {
        want(&format!("objects.{k}"), &s["objects"][k]);
    }
    for class in ["storage", "code"] {
        for k in ["total", "automatic", "percent"] {
            want(&format!("{class}.{k}"), &s[class][k]);
        }
    }
    for k in ["objects", "findings"] {
        want(&format!("complex_actions.{k}"), &s["complex_actions"][k]);
    }
    for k in ["hours", "person_days", "simple", "medium", "complex"] {
        want(&format!("effort.{k}"), &s["effort"][k]);
    }
    want("effort.level", &s["effort"]["level"]["level"]);
    for k in kinds {
        for c in ["total", "converted", "review", "manual", "blocker"] {
            want(&format!("kind.{}.{c}", k["kind"].as_str().unwrap()), &k[c]);
        }
    }
    for c in s["findings_by_category"].as_array().unwrap() {
        let cat = c["category"].as_str().unwrap();
        want(&format!("category.{cat}.total"), &c["total"]);
        want(&format!("category.{cat}.hours"), &c["hours"]);
    }
    for c in s["findings_by_code"].as_array().unwrap() {
        want(
            &format!("code.{}.count", c["code"].as_str().unwrap()),
            &c["count"],
        );
    }
    let isl = island(&html);
    let files: Vec<&str> = isl["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let hf = isl["findings"].as_array().unwrap();
    assert_eq!(hf.len(), findings.len(), "{ctx}: island findings");
    for (h, f) in hf.iter().zip(findings) {
        assert_eq!(h[0], f["code"]);
        assert_eq!(h[1], f["severity"]);
        assert_eq!(h[3], f["message"]);
        assert_eq!(files[h[4].as_u64().unwrap() as usize], f["file"]);
        assert_eq!(h[5], f["line"]);
        assert_eq!(h[6], f["column"]);
        let obj = f["object_index"].as_i64().unwrap_or(-1);
        assert_eq!(h[7].as_i64(), Some(obj));
    }
    let ho = isl["objects"].as_array().unwrap();
    assert_eq!(ho.len(), objects.len(), "{ctx}: island objects");
    assert_eq!(isl["texts"].as_array().unwrap().len(), objects.len());
    for (h, o) in ho.iter().zip(objects) {
        assert_eq!(h[0], o["kind"]);
        assert_eq!(h[1], o["name"]);
        assert_eq!(h[5], o["status"]);
        assert_eq!(
            h[10].as_array().unwrap().len(),
            o["findings"].as_array().unwrap().len()
        );
    }
    json
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('`', "&#x60;")
        .replace('=', "&#x3D;")
}

/// The exit status `--fail-on manual` must give for this report.
fn gate(json: &Value) -> i32 {
    let s = &json["summary"]["findings"];
    if s["manual"].as_u64().unwrap() + s["blocker"].as_u64().unwrap() > 0 {
        1
    } else {
        0
    }
}

fn small_input(dir: &Path) -> PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("hr.sql"),
        "CREATE TABLE hr.regions (region_id NUMBER PRIMARY KEY, name VARCHAR2(25), d DATE, r ROWID);\n\
         CREATE SEQUENCE hr.regions_seq;\n\
         CREATE TABLE \"=cmd|' /C calc'!A0\" (x NUMBER(5), \"-2+3\" VARCHAR2(10));\n\
         CREATE VIEW hr.v AS SELECT region_id FROM hr.regions CONNECT BY PRIOR region_id = region_id;\n\
         SET ECHO ON\nCREATE TABLE broken (;\n\
         CREATE OR REPLACE PROCEDURE hr.p IS BEGIN NULL; END;\n/\n",
    )
    .unwrap();
    std::fs::write(
        src.join("more, \"quoted\" é.sql"),
        "COMMENT ON TABLE hr.regions IS 'a, \"b\"\nc';\nGRANT SELECT ON hr.regions TO app;\n",
    )
    .unwrap();
    src
}

#[test]
fn formats_agree_on_a_small_input() {
    let dir = temp_dir("small");
    let src = small_input(&dir);
    let out = dir.join("out");
    let r = assess(
        "oracle",
        &src,
        &out,
        &["--format", "all", "--fail-on", "manual"],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let json = check_agree(&out);
    assert_eq!(r.code, gate(&json), "{}", r.stderr);
    assert!(!json["findings"].as_array().unwrap().is_empty());
}

#[test]
fn formats_agree_on_every_corpus_source() {
    let sources = corpus_sources();
    if sources.is_empty() {
        return;
    }
    let dir = temp_dir("corpus");
    std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .iter()
            .enumerate()
            .map(|(i, (from, path))| {
                let out = dir.join(format!(
                    "{i}-{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
                scope.spawn(move || {
                    let r = assess(from, path, &out, &["--format", "all", "--fail-on", "manual"]);
                    assert!(
                        r.code == 0 || r.code == 1,
                        "{}: exit {}\n{}",
                        path.display(),
                        r.code,
                        r.stderr
                    );
                    let json = check_agree(&out);
                    // The CI gate: exit 1 exactly when a finding is manual or worse.
                    assert_eq!(r.code, gate(&json), "{}", path.display());
                    // The summary line agrees with the report.
                    let s = &json["summary"];
                    let line = format!(
                        "schemac: {} objects ({} converted, {} review, {} manual, {} blocker), {} findings;",
                        s["objects"]["total"],
                        s["objects"]["converted"],
                        s["objects"]["review"],
                        s["objects"]["manual"],
                        s["objects"]["blocker"],
                        s["findings"]["total"]
                    );
                    assert!(r.stderr.contains(&line), "{}\n{}", line, r.stderr);
                    eprintln!(
                        "{}: {} objects, {} findings, level {}, exit {}",
                        path.display(),
                        s["objects"]["total"],
                        s["findings"]["total"],
                        s["effort"]["level"]["level"],
                        r.code
                    );
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join() {
                std::panic::resume_unwind(e);
            }
        }
    });
}

#[test]
fn csv_neutralizes_formulas() {
    let dir = temp_dir("formula");
    let src = small_input(&dir);
    let out = dir.join("out");
    let r = assess("oracle", &src, &out, &["--format", "csv"]);
    assert!(r.code == 0, "{}", r.stderr);
    for row in parse_csv(&read(&out.join("report.csv"))) {
        for field in row {
            assert!(
                !field.starts_with(['=', '+', '-', '@']),
                "formula-like CSV field {field:?}"
            );
        }
    }
}

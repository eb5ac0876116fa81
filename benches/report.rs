//! Report benchmark: a synthetic output of 50,000 objects (tables, views, procedures in 20
//! schemas, 1 to 3 findings each, with their output scripts), timed through `build`, and the
//! JSON, HTML, CSV and SARIF renderers. Run with `cargo bench --bench report`; the target is
//! `build` + `to_html` under 2 seconds for 50,000 objects.
//!
//! `SCHEMAC_BENCH_OBJECTS=N` changes the number of objects; `SCHEMAC_BENCH_OUT=DIR` writes the
//! rendered reports there (to open the HTML in a browser).

use std::time::{Duration, Instant};

use schemac::diag::{Code, Finding};
use schemac::ir::{Ident, Module, Object, ObjectKind, QName, Stmt};
use schemac::report;
use schemac::rules::codes;
use schemac::source::{SourceMap, Span};
use schemac::{Options, Output, Placement, Script, SourceDialect, Target};

const FILES: usize = 50;
const SCHEMAS: usize = 20;

fn synthetic(n: usize) -> Output {
    let codes: [&'static Code; 6] = [
        &codes::NUMBER_UNBOUNDED,
        &codes::DATE_HAS_TIME,
        &codes::CONNECT_BY,
        &codes::PLSQL_NOT_CONVERTED,
        &codes::UNKNOWN_TYPE,
        &codes::RESERVED_WORD,
    ];
    let mut sources = SourceMap::default();
    let per_file = n.div_ceil(FILES);
    let mut objects = Vec::with_capacity(n);
    let mut placements = Vec::with_capacity(n);
    let mut scripts: Vec<(String, String, u32)> =
        ["30_tables.sql", "40_routines.sql", "50_views.sql"]
            .iter()
            .map(|f| {
                (
                    format!("postgres/{f}"),
                    format!("-- schemac 0.1.0: oracle -> postgres, {f}\n"),
                    1,
                )
            })
            .collect();
    let mut made = 0;
    for f in 0..FILES {
        let mut text = String::new();
        let mut spans = Vec::new();
        for i in 0..per_file {
            if made + spans.len() >= n {
                break;
            }
            let k = made + spans.len();
            let schema = format!("S{}", k % SCHEMAS);
            let start = text.len() as u32;
            let (kind, body) = match k % 10 {
                0..=6 => (
                    ObjectKind::Table,
                    format!(
                        "CREATE TABLE {schema}.T{k} (\n  id NUMBER PRIMARY KEY,\n  name VARCHAR2(100),\n  created DATE\n);\n"
                    ),
                ),
                7 | 8 => (
                    ObjectKind::View,
                    format!(
                        "CREATE VIEW {schema}.V{k} AS\n  SELECT id, name FROM {schema}.T{}\n  CONNECT BY PRIOR id = name;\n",
                        k.saturating_sub(1)
                    ),
                ),
                _ => (
                    ObjectKind::Procedure,
                    format!(
                        "CREATE OR REPLACE PROCEDURE {schema}.P{k} IS\nBEGIN\n  UPDATE {schema}.T1 SET name = 'x' WHERE id = {i};\nEND;\n/\n"
                    ),
                ),
            };
            text.push_str(&body);
            spans.push((k, kind, schema, start, text.len() as u32));
        }
        let file = sources.add_text(format!("src/file{f:02}.sql"), text);
        for (k, kind, schema, start, end) in spans {
            let span = Span::new(file, start, end);
            let name = QName {
                parts: vec![
                    Ident::new(schema, span),
                    Ident::new(format!("OBJ{k}"), span),
                ],
                dblink: None,
            };
            let mut o = Object::new(
                kind,
                Some(name),
                span,
                Stmt::Opaque {
                    text: String::new(),
                },
            );
            for j in 0..(1 + k % 3) {
                let c = codes[(k + j * 3) % codes.len()];
                let fs = start + 14 + j as u32;
                o.findings.push(Finding::new(
                    c,
                    Span::new(file, fs, fs + 10),
                    &["a", "b", "c"],
                ));
            }
            let si = match kind {
                ObjectKind::Table => 0,
                ObjectKind::Procedure => 1,
                _ => 2,
            };
            let (sname, stext, lines) = &mut scripts[si];
            let display = o.display_name();
            stext.push_str(&format!(
                "\n-- schemac: {} {display} (src/file{f:02}.sql:1)\n",
                kind.as_str().to_uppercase()
            ));
            *lines += 2;
            for fi in &o.findings {
                stext.push_str(&format!(
                    "-- {} {}: {}\n",
                    fi.code.code,
                    fi.severity.as_str(),
                    fi.message
                ));
                *lines += 1;
            }
            placements.push(Some(Placement {
                file: sname.clone(),
                line: *lines + 1,
            }));
            stext.push_str(&format!(
                "CREATE TABLE {display} (\n  id numeric PRIMARY KEY,\n  name varchar(100)\n);\n"
            ));
            *lines += 4;
            objects.push(o);
        }
        made = objects.len();
    }
    Output {
        sources,
        module: Module { objects },
        scripts: scripts
            .into_iter()
            .map(|(name, text, _)| Script { name, text })
            .collect(),
        placements,
    }
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    let d = t.elapsed();
    println!("  {label:<22} {:>9.1} ms", d.as_secs_f64() * 1000.0);
    (v, d)
}

fn main() {
    let n: usize = std::env::var("SCHEMAC_BENCH_OBJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let opts = Options::new(SourceDialect::Oracle, Target::Postgres);
    let out = synthetic(n);
    let findings: usize = out.module.objects.iter().map(|o| o.findings.len()).sum();
    println!("report benchmark: {n} objects, {findings} findings");
    // One warm-up run, then the measured one.
    let _ = report::to_html(&report::build(&out, &opts));
    let (rep, t_build) = time("build", || report::build(&out, &opts));
    let (html, t_html) = time("to_html", || report::to_html(&rep));
    let (json, _) = time("to_json", || report::to_json(&rep));
    let (csv, _) = time("to_csv + summary", || {
        (report::csv::to_csv(&rep), report::csv::to_summary_csv(&rep))
    });
    let (sarif, _) = time("to_sarif", || report::sarif::to_sarif(&rep));
    let total = t_build + t_html;
    println!(
        "  build + to_html        {:>9.1} ms (target < 2000 ms)",
        total.as_secs_f64() * 1000.0
    );
    let mb = |s: &str| s.len() as f64 / 1e6;
    println!(
        "  sizes: report.html {:.1} MB, report.json {:.1} MB, report.csv {:.1} MB, report.sarif {:.1} MB",
        mb(&html),
        mb(&json),
        mb(&csv.0),
        mb(&sarif)
    );
    if let Ok(dir) = std::env::var("SCHEMAC_BENCH_OUT") {
        let dir = std::path::Path::new(&dir);
        let _ = std::fs::create_dir_all(dir);
        for (name, text) in [
            ("report.html", &html),
            ("report.json", &json),
            ("report.csv", &csv.0),
            ("report_summary.csv", &csv.1),
            ("report.sarif", &sarif),
        ] {
            if let Err(e) = std::fs::write(dir.join(name), text) {
                eprintln!("{}: {e}", dir.join(name).display());
            }
        }
    }
}

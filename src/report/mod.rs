//! Findings -> report (JSON, HTML).
//!
//! [`build`] turns an [`Output`] into a [`Report`]: the assessment summary (objects by kind and
//! status, storage vs code objects, findings by severity and category, effort), the reported
//! objects and every finding. [`to_json`] and [`to_html`] render it.
//!
//! Invariant: a report depends only on the output (no clock, no absolute path, no hash-map
//! order), so the same input gives byte-identical `report.json` and `report.html`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Severity;
use crate::ir::{Object, ObjectKind, Status};
use crate::source::{SourceMap, Span};
use crate::{Options, Output, SourceDialect, Target};

/// Version of the `report.json` layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Hours of one person-day in the effort estimate.
pub const HOURS_PER_DAY: f64 = 8.0;
/// An object whose findings add up to less than this many hours is simple.
pub const SIMPLE_BELOW_HOURS: f64 = 2.0;
/// An object whose findings add up to more than this many hours is complex.
pub const COMPLEX_ABOVE_HOURS: f64 = 6.0;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub source: SourceDialect,
    pub target: Target,
    pub summary: Summary,
    pub objects: Vec<ObjectEntry>,
    pub findings: Vec<FindingEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The assessment sentence ("Of the total N database storage object(s) ...").
    pub sentence: String,
    /// Reported objects (see [`Report::objects`]) by status.
    pub objects: StatusCounts,
    /// Reported objects by kind (in `ObjectKind` order) and status.
    pub objects_by_kind: Vec<KindCounts>,
    /// Storage objects (`ObjectKind::is_storage`).
    pub storage: Share,
    /// Code objects (`ObjectKind::is_code`).
    pub code: Share,
    /// Every finding by severity.
    pub findings: SeverityCounts,
    /// Every finding by category (code prefix), in alphabetical order.
    pub findings_by_category: Vec<CategoryCounts>,
    /// Objects and findings that need a person (`manual` or `blocker`).
    pub complex_actions: ComplexActions,
    pub effort: Effort,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StatusCounts {
    pub total: u64,
    pub converted: u64,
    pub review: u64,
    pub manual: u64,
    pub blocker: u64,
}

impl StatusCounts {
    fn add(&mut self, s: Status) {
        self.total += 1;
        match s {
            Status::Converted => self.converted += 1,
            Status::Review => self.review += 1,
            Status::Manual => self.manual += 1,
            Status::Blocker => self.blocker += 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KindCounts {
    pub kind: ObjectKind,
    #[serde(flatten)]
    pub counts: StatusCounts,
}

/// How many objects of a class convert automatically or with minimal changes (status
/// `converted` or `review`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    pub total: u64,
    pub automatic: u64,
    /// `automatic / total` in percent, one decimal; 0 when there is no object.
    pub percent: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SeverityCounts {
    pub total: u64,
    pub info: u64,
    pub review: u64,
    pub manual: u64,
    pub blocker: u64,
}

impl SeverityCounts {
    fn add(&mut self, s: Severity) {
        self.total += 1;
        match s {
            Severity::Info => self.info += 1,
            Severity::Review => self.review += 1,
            Severity::Manual => self.manual += 1,
            Severity::Blocker => self.blocker += 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryCounts {
    /// The code prefix (`PRS`, `TYP` ...).
    pub category: String,
    /// What the category covers.
    pub description: &'static str,
    #[serde(flatten)]
    pub counts: SeverityCounts,
    /// Sum of the efforts of the category's findings, hours.
    pub hours: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ComplexActions {
    /// Reported objects with at least one `manual` or `blocker` finding.
    pub objects: u64,
    /// `manual` and `blocker` findings.
    pub findings: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effort {
    /// Sum of the catalog effort of every finding, hours (two decimals).
    pub hours: f64,
    /// `hours / hours_per_day`, two decimals.
    pub person_days: f64,
    pub hours_per_day: f64,
    /// Reported objects whose findings add up to less than 2 h (including none).
    pub simple: u64,
    /// Reported objects with 2 h to 6 h.
    pub medium: u64,
    /// Reported objects with more than 6 h.
    pub complex: u64,
    /// The formula, in words.
    pub formula: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectEntry {
    pub kind: ObjectKind,
    pub name: String,
    pub file: String,
    pub line: u32,
    pub status: Status,
    pub output: Option<OutputPos>,
    /// The codes of the object's findings, in order.
    pub findings: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputPos {
    /// Relative to the output directory: `postgres/30_tables.sql`.
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingEntry {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The display name of the object the finding is on, `""` if none.
    pub object: String,
}

/// What each category prefix covers (unknown prefixes get an empty description).
pub fn category_description(category: &str) -> &'static str {
    match category {
        "PRS" => "parsing and scripts",
        "TYP" => "data types",
        "FUN" => "built-in functions",
        "DDL" => "storage objects",
        "QRY" => "queries",
        "PLS" => "procedural code",
        "SEC" => "privileges",
        "TGT" => "target limits and naming",
        _ => "",
    }
}

/// Whether an object is listed in `objects[]` and counted in the summary: every object but
/// script statements, which are listed only when they carry a finding of severity review or
/// above.
pub fn is_reported(obj: &Object) -> bool {
    obj.kind != ObjectKind::Statement || obj.findings.iter().any(|f| f.severity >= Severity::Review)
}

/// File name, line and column of a span; tolerant of spans that name no file of `sources`.
fn position(sources: &SourceMap, span: Span) -> (String, u32, u32) {
    match sources.files.get(span.file.0 as usize) {
        Some(f) => {
            let (line, col) = f.line_col(span.start);
            (f.name.clone(), line, col)
        }
        None => (String::new(), 0, 0),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn percent(part: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

/// `97` or `96.5`.
fn fmt_percent(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

fn object_hours(obj: &Object) -> f64 {
    obj.findings.iter().map(|f| f64::from(f.code.effort)).sum()
}

pub fn build(out: &Output, opts: &Options) -> Report {
    let sources = &out.sources;
    let mut objects = Vec::new();
    let mut findings = Vec::new();
    let mut by_status = StatusCounts::default();
    let mut by_kind: BTreeMap<ObjectKind, StatusCounts> = BTreeMap::new();
    let mut storage = Share::default();
    let mut code = Share::default();
    let mut sev = SeverityCounts::default();
    let mut by_cat: BTreeMap<&'static str, (SeverityCounts, f64)> = BTreeMap::new();
    let mut complex_actions = ComplexActions::default();
    let mut hours = 0.0f64;
    let (mut simple, mut medium, mut complex) = (0u64, 0u64, 0u64);

    for (i, obj) in out.module.objects.iter().enumerate() {
        let name = obj.display_name();
        for f in &obj.findings {
            let (file, line, column) = position(sources, f.span);
            sev.add(f.severity);
            let cat = by_cat.entry(f.code.category()).or_default();
            cat.0.add(f.severity);
            cat.1 += f64::from(f.code.effort);
            hours += f64::from(f.code.effort);
            if f.severity >= Severity::Manual {
                complex_actions.findings += 1;
            }
            findings.push(FindingEntry {
                code: f.code.code,
                severity: f.severity,
                message: f.message.clone(),
                file,
                line,
                column,
                object: name.clone(),
            });
        }
        if !is_reported(obj) {
            continue;
        }
        let status = obj.status();
        by_status.add(status);
        by_kind.entry(obj.kind).or_default().add(status);
        let automatic = matches!(status, Status::Converted | Status::Review);
        for (class, is) in [
            (&mut storage, obj.kind.is_storage()),
            (&mut code, obj.kind.is_code()),
        ] {
            if is {
                class.total += 1;
                class.automatic += u64::from(automatic);
            }
        }
        if status >= Status::Manual {
            complex_actions.objects += 1;
        }
        let h = object_hours(obj);
        if h < SIMPLE_BELOW_HOURS {
            simple += 1;
        } else if h <= COMPLEX_ABOVE_HOURS {
            medium += 1;
        } else {
            complex += 1;
        }
        let (file, line, _) = position(sources, obj.span);
        let output = out
            .placements
            .get(i)
            .and_then(Option::as_ref)
            .map(|p| OutputPos {
                file: p.file.clone(),
                line: p.line,
            });
        objects.push(ObjectEntry {
            kind: obj.kind,
            name,
            file,
            line,
            status,
            output,
            findings: obj.findings.iter().map(|f| f.code.code).collect(),
        });
    }
    storage.percent = percent(storage.automatic, storage.total);
    code.percent = percent(code.automatic, code.total);

    let sentence = format!(
        "Of the total {} database storage object(s) and {} database code object(s) in the \
         source, {} ({}%) database storage object(s) and {} ({}%) database code object(s) can be \
         converted automatically or with minimal changes. {} object(s) require {} complex user \
         action(s).",
        storage.total,
        code.total,
        storage.automatic,
        fmt_percent(storage.percent),
        code.automatic,
        fmt_percent(code.percent),
        complex_actions.objects,
        complex_actions.findings,
    );
    let effort = Effort {
        hours: round2(hours),
        person_days: round2(hours / HOURS_PER_DAY),
        hours_per_day: HOURS_PER_DAY,
        simple,
        medium,
        complex,
        formula: format!(
            "hours = sum of the catalog effort of every finding; person-days = hours / {HOURS_PER_DAY}; \
             an object is simple below {SIMPLE_BELOW_HOURS} h, medium from {SIMPLE_BELOW_HOURS} h to \
             {COMPLEX_ABOVE_HOURS} h, complex above {COMPLEX_ABOVE_HOURS} h (the sum of its findings' efforts)"
        ),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "schemac",
            version: env!("CARGO_PKG_VERSION"),
        },
        source: opts.from,
        target: opts.to,
        summary: Summary {
            sentence,
            objects: by_status,
            objects_by_kind: by_kind
                .into_iter()
                .map(|(kind, counts)| KindCounts { kind, counts })
                .collect(),
            storage,
            code,
            findings: sev,
            findings_by_category: by_cat
                .into_iter()
                .map(|(c, (counts, h))| CategoryCounts {
                    category: c.to_string(),
                    description: category_description(c),
                    counts,
                    hours: round2(h),
                })
                .collect(),
            complex_actions,
            effort,
        },
        objects,
        findings,
    }
}

/// Pretty-printed `report.json`, ending with a newline.
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

const TEMPLATE: &str = include_str!("../../templates/report.html.hbs");

/// The self-contained HTML report (inline CSS, no script, no network). Every text is escaped.
pub fn to_html(report: &Report) -> String {
    let mut hb = handlebars::Handlebars::new();
    hb.set_strict_mode(true);
    let rendered = hb
        .register_template_string("report", TEMPLATE)
        .map_err(|e| e.to_string())
        .and_then(|()| hb.render("report", report).map_err(|e| e.to_string()));
    match rendered {
        Ok(s) => s,
        Err(e) => format!(
            "<!DOCTYPE html>\n<html><body><p>schemac could not render the report: {}</p></body></html>\n",
            handlebars::html_escape(&e)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Finding;
    use crate::ir::{Ident, Module, Object, QName, Stmt};
    use crate::rules::codes;
    use crate::{Placement, Script};

    fn obj(
        kind: ObjectKind,
        name: &str,
        span: Span,
        findings: &[&'static crate::diag::Code],
    ) -> Object {
        let qn = (!name.is_empty()).then(|| QName::single(Ident::new(name, span)));
        let mut o = Object::new(
            kind,
            qn,
            span,
            Stmt::Opaque {
                text: String::new(),
            },
        );
        for c in findings {
            o.findings.push(Finding::new(c, span, &["x", "y", "z"]));
        }
        o
    }

    /// Two files; tables, an index, a view, a procedure, statements.
    fn sample() -> Output {
        let mut sources = SourceMap::default();
        let a = sources.add_text(
            "hr/a.sql",
            "create table t1 (x int);\ncreate table t2 (y <b>);\n  create index i on t1 (x);\n",
        );
        let b = sources.add_text(
            "b.sql",
            "set echo on\ncreate view v as select 1;\nproc\nGARBAGE\n",
        );
        let s = |f, start, end| Span::new(f, start, end);
        let objects = vec![
            obj(
                ObjectKind::Table,
                "T1",
                s(a, 0, 24),
                &[&codes::NUMBER_UNBOUNDED],
            ),
            obj(
                ObjectKind::Table,
                "T2",
                s(a, 25, 49),
                &[&codes::UNKNOWN_TYPE, &codes::ROWID_TYPE],
            ),
            obj(ObjectKind::Index, "I", s(a, 52, 77), &[]),
            obj(
                ObjectKind::Statement,
                "",
                s(b, 0, 11),
                &[&codes::SQLPLUS_COMMAND],
            ),
            obj(ObjectKind::View, "V", s(b, 12, 38), &[&codes::CONNECT_BY]),
            obj(
                ObjectKind::Procedure,
                "P",
                s(b, 39, 43),
                &[&codes::PLSQL_NOT_CONVERTED, &codes::CONNECT_BY_UNSUPPORTED],
            ),
            obj(
                ObjectKind::Statement,
                "",
                s(b, 44, 51),
                &[&codes::SYNTAX_ERROR],
            ),
        ];
        let placements = vec![
            Some(Placement {
                file: "postgres/30_tables.sql".into(),
                line: 4,
            }),
            Some(Placement {
                file: "postgres/30_tables.sql".into(),
                line: 9,
            }),
            Some(Placement {
                file: "postgres/80_indexes.sql".into(),
                line: 3,
            }),
            None,
            Some(Placement {
                file: "postgres/50_views.sql".into(),
                line: 3,
            }),
            Some(Placement {
                file: "postgres/40_routines.sql".into(),
                line: 4,
            }),
            Some(Placement {
                file: "postgres/35_data.sql".into(),
                line: 4,
            }),
        ];
        Output {
            sources,
            module: Module { objects },
            scripts: vec![Script {
                name: "postgres/30_tables.sql".into(),
                text: String::new(),
            }],
            placements,
        }
    }

    fn opts() -> Options {
        Options::new(SourceDialect::Oracle, Target::Postgres)
    }

    #[test]
    fn counts() {
        let r = build(&sample(), &opts());
        let s = &r.summary;
        // The SET statement (info only) is not reported; the unparsable one is.
        assert_eq!(r.objects.len(), 6);
        assert_eq!(
            s.objects,
            StatusCounts {
                total: 6,
                converted: 2,
                review: 1,
                manual: 3,
                blocker: 0
            }
        );
        let kinds: Vec<(ObjectKind, u64)> = s
            .objects_by_kind
            .iter()
            .map(|k| (k.kind, k.counts.total))
            .collect();
        assert_eq!(
            kinds,
            [
                (ObjectKind::Table, 2),
                (ObjectKind::Procedure, 1),
                (ObjectKind::View, 1),
                (ObjectKind::Index, 1),
                (ObjectKind::Statement, 1),
            ]
        );
        // Storage: T1 converted, T2 manual, I converted. Code: V review, P manual.
        assert_eq!(
            s.storage,
            Share {
                total: 3,
                automatic: 2,
                percent: 66.7
            }
        );
        assert_eq!(
            s.code,
            Share {
                total: 2,
                automatic: 1,
                percent: 50.0
            }
        );
        assert_eq!(
            s.findings,
            SeverityCounts {
                total: 8,
                info: 2,
                review: 1,
                manual: 5,
                blocker: 0
            }
        );
        let cats: Vec<(&str, u64)> = s
            .findings_by_category
            .iter()
            .map(|c| (c.category.as_str(), c.counts.total))
            .collect();
        assert_eq!(cats, [("PLS", 1), ("PRS", 2), ("QRY", 2), ("TYP", 3)]);
        assert_eq!(
            s.complex_actions,
            ComplexActions {
                objects: 3,
                findings: 5
            }
        );
        // 0 + (1 + 2) + 0 + 0 + 2 + (4 + 3) + 1 = 13 h.
        assert_eq!(s.effort.hours, 13.0);
        assert_eq!(s.effort.person_days, 1.63);
        // T1 0h, T2 3h, I 0h, V 2h, P 7h, statement 1h.
        assert_eq!(
            (s.effort.simple, s.effort.medium, s.effort.complex),
            (3, 2, 1)
        );
        assert_eq!(
            s.sentence,
            "Of the total 3 database storage object(s) and 2 database code object(s) in the \
             source, 2 (66.7%) database storage object(s) and 1 (50%) database code object(s) \
             can be converted automatically or with minimal changes. 3 object(s) require 5 \
             complex user action(s)."
        );
    }

    #[test]
    fn objects_and_findings() {
        let r = build(&sample(), &opts());
        let t2 = &r.objects[1];
        assert_eq!(
            (t2.name.as_str(), t2.file.as_str(), t2.line),
            ("T2", "hr/a.sql", 2)
        );
        assert_eq!(t2.status, Status::Manual);
        assert_eq!(t2.findings, ["TYP011", "TYP002"]);
        assert_eq!(
            t2.output,
            Some(OutputPos {
                file: "postgres/30_tables.sql".into(),
                line: 9
            })
        );
        let idx = &r.objects[2];
        assert_eq!((idx.line, idx.status), (3, Status::Converted));
        let stmt = &r.objects[5];
        assert_eq!((stmt.kind, stmt.name.as_str()), (ObjectKind::Statement, ""));
        assert_eq!(r.findings.len(), 8);
        let set = &r.findings[3];
        assert_eq!(
            (set.code, set.file.as_str(), set.line, set.column),
            ("PRS002", "b.sql", 1, 1)
        );
        assert_eq!(set.object, "");
        assert_eq!(r.findings[0].object, "T1");
        assert_eq!(
            r.findings[0].message,
            codes::NUMBER_UNBOUNDED.format(&["x"])
        );
    }

    #[test]
    fn json_contract() {
        let r = build(&sample(), &opts());
        let j = to_json(&r);
        assert_eq!(j, to_json(&build(&sample(), &opts())));
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = [
            "schema_version",
            "tool",
            "source",
            "target",
            "summary",
            "objects",
            "findings",
        ];
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["tool"]["name"], "schemac");
        assert_eq!(v["source"], "oracle");
        assert_eq!(v["target"], "postgres");
        assert_eq!(v["objects"][0]["kind"], "table");
        assert_eq!(v["objects"][0]["output"]["file"], "postgres/30_tables.sql");
        assert!(v["objects"][5]["output"].is_object());
        assert_eq!(v["findings"][1]["severity"], "manual");
        assert_eq!(v["summary"]["objects_by_kind"][0]["converted"], 1);
        for k in ["file", "line", "column", "object", "code", "message"] {
            assert!(v["findings"][0].get(k).is_some(), "{k}");
        }
        assert!(j.ends_with("}\n"));
    }

    #[test]
    fn html_escapes_and_is_self_contained() {
        let mut out = sample();
        out.module.objects[1].findings[0].message = "type <script>alert('x')</script> & co".into();
        out.module.objects[1].name = Some(QName::single(Ident::new(
            "\"Weird<Name>\"",
            Span::default(),
        )));
        let h = to_html(&build(&out, &opts()));
        assert!(h.starts_with("<!DOCTYPE html>"), "{h}");
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;"));
        assert!(h.contains("&lt;Name&gt;"));
        assert!(!h.contains("could not render"));
        assert!(!h.contains("http://") && !h.contains("https://"));
        assert!(h.contains("hr/a.sql:2:1"));
        assert!(h.contains("Of the total 3 database storage object(s)"));
        assert_eq!(h, to_html(&build(&out, &opts())));
    }

    #[test]
    fn empty_output() {
        let out = Output {
            sources: SourceMap::default(),
            module: Module::default(),
            scripts: vec![],
            placements: vec![],
        };
        let r = build(&out, &opts());
        assert_eq!(r.summary.storage.percent, 0.0);
        assert!(
            r.summary
                .sentence
                .starts_with("Of the total 0 database storage object(s)")
        );
        assert!(to_html(&r).contains("</html>"));
    }

    #[test]
    fn findings_on_spans_outside_the_sources_do_not_panic() {
        let mut out = sample();
        out.module.objects[0].findings[0].span = Span::new(crate::source::FileId(99), 5, 6);
        out.module.objects[0].span = Span::new(crate::source::FileId(0), 10_000, 10_001);
        out.placements.truncate(2);
        let r = build(&out, &opts());
        assert_eq!((r.findings[0].file.as_str(), r.findings[0].line), ("", 0));
        assert_eq!(r.objects[2].output, None);
    }
}

//! Findings -> report (JSON, HTML, CSV, SARIF).
//!
//! [`build`] turns an [`Output`] into a [`Report`]: the assessment summary (objects by kind and
//! status, storage vs code objects, findings by severity, category and code, effort and the
//! migration level), the reported objects and every finding, plus (not serialized) the source
//! and converted text of each object for the HTML report. [`to_json`], [`html::to_html`],
//! [`csv::to_csv`], [`csv::to_summary_csv`] and [`sarif::to_sarif`] render it; every format is
//! rendered from the same [`Report`], so their numbers agree.
//!
//! Invariant: a report depends only on the output and the effort configuration (no clock, no
//! absolute path, no hash-map order), so the same input gives byte-identical reports.

pub mod csv;
pub mod effort;
pub mod html;
mod markdown;
pub mod sarif;
mod sha256;
mod svg;
mod texts;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Severity;
use crate::ir::{Object, ObjectKind, Status};
use crate::source::{SourceMap, Span};
use crate::{Options, Output, SourceDialect, Target};

pub use effort::{
    COMPLEX_ABOVE_HOURS, Complexity, EffortConfig, HOURS_PER_DAY, Level, SIMPLE_BELOW_HOURS,
};
pub use html::{Templates, to_html, to_html_with};

/// Version of the `report.json` layout; bumped on any incompatible change (adding fields is
/// compatible).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub source: SourceDialect,
    pub target: Target,
    pub summary: Summary,
    pub objects: Vec<ObjectEntry>,
    pub findings: Vec<FindingEntry>,
    /// Source and converted text of each entry of `objects` (same order), for the HTML report.
    #[serde(skip)]
    pub texts: Vec<ObjectText>,
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
    /// Every finding by action-item code, in code order.
    pub findings_by_code: Vec<CodeCounts>,
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
    /// Sum of the hours of the findings on objects of this kind.
    pub hours: f64,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeCounts {
    pub code: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    /// Findings with this code.
    pub count: u64,
    /// Hours of one occurrence (catalog effort or `--effort-config` override).
    pub hours_each: f64,
    /// Whether `hours_each` comes from `--effort-config`.
    pub overridden: bool,
    /// `count * hours_each`, two decimals.
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
    /// Sum of the effort of every finding, hours (two decimals).
    pub hours: f64,
    /// `hours / hours_per_day`, two decimals.
    pub person_days: f64,
    pub hours_per_day: f64,
    /// Reported objects whose findings add up to less than `simple_below` hours (including
    /// none).
    pub simple: u64,
    /// Reported objects with `simple_below` to `complex_above` hours.
    pub medium: u64,
    /// Reported objects with more than `complex_above` hours.
    pub complex: u64,
    pub simple_below: f64,
    pub complex_above: f64,
    /// The formula, in words.
    pub formula: String,
    /// The overall migration level (ora2pg style).
    pub level: LevelInfo,
    /// Hours by schema of the object the findings are on (`""`: unqualified names and
    /// statements), in schema order.
    pub by_schema: Vec<SchemaEffort>,
    /// `--effort-config` overrides of the catalog's hours, by code.
    pub overrides: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelInfo {
    pub level: Level,
    pub description: String,
    pub formula: String,
    pub level_b_max_days: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemaEffort {
    pub schema: String,
    /// Reported objects in the schema.
    pub objects: u64,
    /// Findings on objects of the schema (reported or not).
    pub findings: u64,
    pub hours: f64,
    pub person_days: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectEntry {
    pub kind: ObjectKind,
    pub name: String,
    /// The schema part of the name, `""` when unqualified.
    pub schema: String,
    pub file: String,
    pub line: u32,
    pub status: Status,
    pub output: Option<OutputPos>,
    /// The codes of the object's findings, in order.
    pub findings: Vec<&'static str>,
    /// Sum of the hours of the object's findings.
    pub hours: f64,
    pub complexity: Complexity,
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
    /// Where the finding's span ends (1-based, the column after the last character).
    pub end_line: u32,
    pub end_column: u32,
    /// The display name of the object the finding is on, `""` if none.
    pub object: String,
    /// Index into `objects[]` of that object, `null` when it is not reported.
    pub object_index: Option<usize>,
    pub object_kind: ObjectKind,
    /// The schema of that object, `""` when unqualified.
    pub schema: String,
    pub category: &'static str,
    /// Hours of this occurrence.
    pub hours: f64,
}

/// Source and converted text of one reported object (not in `report.json`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectText {
    /// The object's source, from the start of its first line to the end of its span.
    pub source: String,
    /// Line number of the first line of `source`.
    pub source_line: u32,
    /// Spans of the object's findings in `source`, in UTF-16 code units (for the browser):
    /// `(start, end, index into findings[])`.
    pub marks: Vec<(u32, u32, usize)>,
    /// The object's part of its output script (header, finding comments, statements).
    pub output: String,
    /// Line number of the first line of `output` in its script.
    pub output_line: u32,
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

/// File name, line and column of a span's start and end; tolerant of spans that name no file
/// of `sources`.
fn position(sources: &SourceMap, span: Span) -> (String, u32, u32, u32, u32) {
    match sources.files.get(span.file.0 as usize) {
        Some(f) => {
            let (line, col) = f.line_col(span.start);
            let (end_line, end_col) = if span.end <= span.start {
                (line, col)
            } else {
                f.line_col(span.end)
            };
            (f.name.clone(), line, col, end_line, end_col)
        }
        None => (String::new(), 0, 0, 0, 0),
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

/// The schema part of an object's name: the part before the object's own name (before
/// `table.column` for column-level objects).
fn schema_of(obj: &Object) -> String {
    let Some(name) = obj.name.as_ref() else {
        return String::new();
    };
    // Constraints are named `[schema.]table.constraint`, like column-level objects.
    let column_level = obj.kind == ObjectKind::Column
        || obj.kind == ObjectKind::Constraint
        || matches!(&obj.stmt, crate::ir::Stmt::Comment(c) if c.on == crate::ir::CommentTarget::Column);
    let skip = if column_level { 3 } else { 2 };
    name.parts
        .len()
        .checked_sub(skip)
        .and_then(|i| name.parts.get(i))
        .map(|s| s.value.clone())
        .unwrap_or_default()
}

/// The report with the catalog's hours (see [`build_with`]).
pub fn build(out: &Output, opts: &Options) -> Report {
    build_with(out, opts, &EffortConfig::default())
}

/// The report, with the hours and thresholds of `cfg`.
pub fn build_with(out: &Output, opts: &Options, cfg: &EffortConfig) -> Report {
    let sources = &out.sources;
    let scripts = texts::ScriptIndex::new(&out.scripts);
    let mut objects = Vec::new();
    let mut object_texts = Vec::new();
    let mut findings = Vec::new();
    let mut by_status = StatusCounts::default();
    let mut by_kind: BTreeMap<ObjectKind, (StatusCounts, f64)> = BTreeMap::new();
    let mut storage = Share::default();
    let mut code = Share::default();
    let mut sev = SeverityCounts::default();
    let mut by_cat: BTreeMap<&'static str, (SeverityCounts, f64)> = BTreeMap::new();
    let mut by_code: BTreeMap<&'static str, (&'static crate::diag::Code, u64)> = BTreeMap::new();
    let mut by_schema: BTreeMap<String, SchemaEffort> = BTreeMap::new();
    let mut complex_actions = ComplexActions::default();
    let mut hours = 0.0f64;
    let (mut simple, mut medium, mut complex) = (0u64, 0u64, 0u64);

    for (i, obj) in out.module.objects.iter().enumerate() {
        let name = obj.display_name();
        let schema = schema_of(obj);
        let reported = is_reported(obj);
        let object_index = reported.then_some(objects.len());
        let first_finding = findings.len();
        let mut obj_hours = 0.0f64;
        for f in &obj.findings {
            let (file, line, column, end_line, end_column) = position(sources, f.span);
            let h = cfg.hours(f.code);
            sev.add(f.severity);
            let cat = by_cat.entry(f.code.category()).or_default();
            cat.0.add(f.severity);
            cat.1 += h;
            by_code.entry(f.code.code).or_insert((f.code, 0)).1 += 1;
            hours += h;
            obj_hours += h;
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
                end_line,
                end_column,
                object: name.clone(),
                object_index,
                object_kind: obj.kind,
                schema: schema.clone(),
                category: f.code.category(),
                hours: h,
            });
        }
        let se = by_schema
            .entry(schema.clone())
            .or_insert_with(|| SchemaEffort {
                schema: schema.clone(),
                objects: 0,
                findings: 0,
                hours: 0.0,
                person_days: 0.0,
            });
        se.findings += obj.findings.len() as u64;
        se.hours += obj_hours;
        if !reported {
            continue;
        }
        se.objects += 1;
        let status = obj.status();
        by_status.add(status);
        let k = by_kind.entry(obj.kind).or_default();
        k.0.add(status);
        k.1 += obj_hours;
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
        let complexity = cfg.complexity(obj_hours);
        match complexity {
            Complexity::Simple => simple += 1,
            Complexity::Medium => medium += 1,
            Complexity::Complex => complex += 1,
        }
        let (file, line, _, _, _) = position(sources, obj.span);
        let placement = out.placements.get(i).and_then(Option::as_ref);
        let output = placement.map(|p| OutputPos {
            file: p.file.clone(),
            line: p.line,
        });
        let mut text = texts::source_text(sources, obj, first_finding);
        if let Some(p) = placement {
            (text.output, text.output_line) = scripts.object_text(&p.file, p.line);
        }
        object_texts.push(text);
        objects.push(ObjectEntry {
            kind: obj.kind,
            name,
            schema,
            file,
            line,
            status,
            output,
            findings: obj.findings.iter().map(|f| f.code.code).collect(),
            hours: round2(obj_hours),
            complexity,
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
    let person_days = round2(hours / cfg.hours_per_day);
    let level = cfg.level(complex_actions.findings, person_days);
    let effort = Effort {
        hours: round2(hours),
        person_days,
        hours_per_day: cfg.hours_per_day,
        simple,
        medium,
        complex,
        simple_below: cfg.simple_below,
        complex_above: cfg.complex_above,
        formula: cfg.formula(),
        level: LevelInfo {
            level,
            description: level.description(cfg),
            formula: cfg.level_formula(),
            level_b_max_days: cfg.level_b_max_days,
        },
        by_schema: by_schema
            .into_values()
            .filter(|s| s.objects > 0 || s.findings > 0)
            .map(|mut s| {
                s.hours = round2(s.hours);
                s.person_days = round2(s.hours / cfg.hours_per_day);
                s
            })
            .collect(),
        overrides: cfg.hours.clone(),
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
                .map(|(kind, (counts, h))| KindCounts {
                    kind,
                    counts,
                    hours: round2(h),
                })
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
            findings_by_code: by_code
                .into_values()
                .map(|(c, count)| {
                    let each = cfg.hours(c);
                    CodeCounts {
                        code: c.code,
                        name: c.name,
                        category: c.category(),
                        severity: c.severity,
                        count,
                        hours_each: each,
                        overridden: cfg.is_overridden(c),
                        hours: round2(each * count as f64),
                    }
                })
                .collect(),
            complex_actions,
            effort,
        },
        objects,
        findings,
        texts: object_texts,
    }
}

/// Pretty-printed `report.json`, ending with a newline.
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::sha256;
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

    /// The data island of a rendered page, unescaped and parsed.
    fn island(h: &str) -> serde_json::Value {
        let open = "<script type=\"application/json\" id=\"schemac-data\">";
        let start = h.find(open).expect("data island") + open.len();
        let end = start + h[start..].find("</script>").expect("end of island");
        serde_json::from_str(&h[start..end]).expect("island is JSON")
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
        // Exactly two script elements: the data island and the report's own script.
        assert_eq!(h.matches("<script").count(), 2);
        assert_eq!(h.matches("</script>").count(), 2);
        assert!(!h.contains("<script>alert"));
        assert!(!h.contains("could not render"));
        // No network: the only URL is the SVG namespace.
        let urls = h.matches("http://").count() + h.matches("https://").count();
        assert_eq!(urls, h.matches("http://www.w3.org/2000/svg").count());
        assert!(h.contains("Of the total 3 database storage object(s)"));
        assert_eq!(h, to_html(&build(&out, &opts())));
        // The hostile text is in the island, escaped, and parses back to the same string.
        assert!(h.contains("\\u003cscript\\u003ealert"));
        let v = island(&h);
        assert_eq!(v["findings"][1][3], "type <script>alert('x')</script> & co");
        assert_eq!(v["objects"][1][1], "\"Weird<Name>\"");
        assert_eq!(
            v["files"][v["findings"][1][4].as_u64().unwrap() as usize],
            "hr/a.sql"
        );
        assert_eq!(
            (v["findings"][1][5].as_u64(), v["findings"][1][6].as_u64()),
            (Some(2), Some(1))
        );
    }

    #[test]
    fn data_island_cannot_close_its_script_element() {
        let json = serde_json::to_string(&[
            "</script><script>alert(1)</script>",
            "<!--",
            "a&b",
            "\u{2028}",
        ])
        .unwrap();
        let e = html::escape_json_for_script(&json);
        assert!(
            !e.contains('<') && !e.contains('>') && !e.contains('&'),
            "{e}"
        );
        assert!(!e.contains('\u{2028}'));
        assert_eq!(
            e,
            r#"["\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","\u003c!--","a\u0026b","\u2028"]"#
        );
        let back: Vec<String> = serde_json::from_str(&e).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
        assert_eq!(back[3], "\u{2028}");
    }

    #[test]
    fn csp_allows_exactly_the_inline_script_and_style() {
        let h = to_html(&build(&sample(), &opts()));
        let t = Templates::builtin();
        let csp_start = h.find("Content-Security-Policy\" content=\"").unwrap();
        // The attribute is HTML-escaped (`'` as `&#x27;`); the browser reads it unescaped.
        let csp = h[csp_start..csp_start + h[csp_start..].find("\">").unwrap()]
            .replace("&#x27;", "'")
            .replace("&#x3D;", "=");
        assert!(csp.contains(&sha256::csp_hash(&t.js)), "{csp}");
        assert!(csp.contains(&sha256::csp_hash(&t.css)), "{csp}");
        assert!(csp.contains("default-src 'none'"));
        assert!(h.contains(&format!("<script>{}</script>", t.js)));
        assert!(h.contains(&format!("<style>{}</style>", t.css)));
    }

    #[test]
    fn side_by_side_texts() {
        let mut out = sample();
        out.scripts = vec![Script {
            name: "postgres/30_tables.sql".into(),
            text: "-- schemac 0.1.0: oracle -> postgres, 30_tables.sql\n\n\
                   -- schemac: TABLE T1 (hr/a.sql:1)\n-- TYP001 info: m\nCREATE TABLE t1 (x int);\n\n\
                   -- schemac: TABLE T2 (hr/a.sql:2)\n-- TYP011 manual: m\n-- TYP002 manual: m\n\
                   CREATE TABLE t2 (y text);\n"
                .into(),
        }];
        out.placements[0] = Some(Placement {
            file: "postgres/30_tables.sql".into(),
            line: 5,
        });
        // A finding on `<b>` in T2's source.
        out.module.objects[1].findings[0].span = Span::new(crate::source::FileId(0), 44, 47);
        let r = build(&out, &opts());
        let t1 = &r.texts[0];
        assert_eq!(t1.source, "create table t1 (x int);");
        assert_eq!(t1.source_line, 1);
        assert_eq!(t1.output_line, 3);
        assert!(t1.output.starts_with("-- schemac: TABLE T1"));
        assert!(t1.output.ends_with("CREATE TABLE t1 (x int);"));
        let t2 = &r.texts[1];
        assert_eq!(&t2.source[19..22], "<b>");
        assert_eq!(t2.marks[0], (19, 22, 1));
        assert!(t2.output.ends_with("CREATE TABLE t2 (y text);"));
        // The index starts mid-line: its text starts at the line start.
        assert_eq!(r.texts[2].source, "  create index i on t1 (x);");
        // Placements into scripts that are not in the output give no text.
        assert_eq!(r.texts[2].output, "");
        let v = island(&to_html(&r));
        assert_eq!(v["texts"][1][2][0], 19);
        assert_eq!(v["texts"][1][2][2], 1);
    }

    #[test]
    fn effort_config_changes_hours_buckets_and_level() {
        let out = sample();
        let r = build(&out, &opts());
        assert_eq!(r.summary.effort.level.level, Level::B);
        assert_eq!(r.summary.effort.by_schema.len(), 1);
        assert_eq!(r.summary.effort.by_schema[0].hours, 13.0);
        let cfg = EffortConfig::parse("level_b_max_days = 1\n[hours]\nPLS001 = 40\n").unwrap();
        let r = build_with(&out, &opts(), &cfg);
        assert_eq!(r.summary.effort.hours, 49.0);
        assert_eq!(r.summary.effort.level.level, Level::C);
        let pls = r
            .summary
            .findings_by_code
            .iter()
            .find(|c| c.code == "PLS001")
            .unwrap();
        assert_eq!((pls.hours_each, pls.overridden, pls.count), (40.0, true, 1));
        let p = r.objects.iter().find(|o| o.name == "P").unwrap();
        assert_eq!((p.hours, p.complexity), (43.0, Complexity::Complex));
        let sum: f64 = r.summary.findings_by_code.iter().map(|c| c.hours).sum();
        assert_eq!(sum, r.summary.effort.hours);
        let h = to_html(&r);
        assert!(h.contains("set by --effort-config"));
        assert!(h.contains(">C</div>"));
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

//! `report.html`: one self-contained file (inline CSS, inline SVG charts, a little vanilla JS,
//! no network), rendered with handlebars from `templates/` (or a team's own templates,
//! `--report-template DIR`).
//!
//! Lean at scale: the summary, charts, effort tables and catalog pages are rendered on the
//! server side (they are small and print well); the per-finding and per-object tables and the
//! side-by-side view are rendered in the browser, page by page, from a JSON data island
//! (`<script type="application/json" id="schemac-data">`). The island escapes `<`, `>` and `&`
//! as `\u003c`, `\u003e`, `\u0026` (and U+2028/U+2029), so no source text can close the script
//! element; the script puts text in the page only through `textContent`/text nodes, never
//! `innerHTML`. A Content-Security-Policy allows only the report's own script and style
//! (by hash): no network, no other script even if something slipped through.
//!
//! Template context (what a custom template can use): everything of `report.json` except
//! `objects` and `findings` (`schema_version`, `tool`, `source`, `target`, `summary`), plus
//! `charts.{status_by_kind,findings_by_category,effort_by_schema}` (SVG, use `{{{ }}}`),
//! `catalog[]` (`code`, `name`, `severity`, `category`, `hours`, `sources`, `targets`,
//! `html`), `findings_page[]` and `objects_page[]` (the first rows of each table, for reading
//! without script), `data` (the escaped JSON island), `css`, `js` and `csp` (the policy, which holds
//! the hashes of exactly `css` and `js`: put them verbatim in `<style>`/`<script>`).

use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;

use super::effort::fmt_num;
use super::{Report, markdown, sarif, sha256, svg};

const MAIN: &str = "report.html.hbs";
const BUILTIN_MAIN: &str = include_str!("../../templates/report.html.hbs");
const BUILTIN_CSS: &str = include_str!("../../templates/report.css");
const BUILTIN_JS: &str = include_str!("../../templates/report.js");

/// At most this many schemas get their own bar in the effort chart; the rest are summed.
const CHART_SCHEMAS: usize = 15;

/// The templates the HTML report is rendered with.
#[derive(Clone, Debug)]
pub struct Templates {
    pub main: String,
    /// Partials by name (`{{> name}}`): the other `*.hbs` files of a template directory.
    pub partials: Vec<(String, String)>,
    pub css: String,
    pub js: String,
}

impl Default for Templates {
    fn default() -> Templates {
        Templates::builtin()
    }
}

impl Templates {
    /// The templates embedded from `templates/` at build time.
    pub fn builtin() -> Templates {
        Templates {
            main: BUILTIN_MAIN.to_string(),
            partials: Vec::new(),
            css: BUILTIN_CSS.to_string(),
            js: BUILTIN_JS.to_string(),
        }
    }

    /// A team's templates: `DIR/report.html.hbs`, `DIR/report.css`, `DIR/report.js` replace the
    /// built-in ones (each is optional, but the directory must hold at least one of them); every
    /// other `DIR/*.hbs` is registered as a partial named after its file stem. The templates are
    /// compiled here, so a broken template is an error before any work is done.
    pub fn load(dir: &Path) -> Result<Templates, String> {
        let shown = dir.display();
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{shown}: {e}"))?;
        let mut t = Templates::builtin();
        let mut names = Vec::new();
        for e in entries {
            let e = e.map_err(|e| format!("{shown}: {e}"))?;
            if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{shown}/{name}: {e}"))
        };
        let mut used = 0;
        for name in &names {
            if name == MAIN {
                t.main = read(name)?;
            } else if name == "report.css" {
                t.css = read(name)?;
            } else if name == "report.js" {
                t.js = read(name)?;
            } else if let Some(stem) = name.strip_suffix(".hbs") {
                t.partials.push((stem.to_string(), read(name)?));
            } else {
                continue;
            }
            used += 1;
        }
        if used == 0 {
            return Err(format!(
                "{shown}: no template found (expected {MAIN}, report.css, report.js or *.hbs partials)"
            ));
        }
        t.registry().map_err(|e| format!("{shown}: {e}"))?;
        Ok(t)
    }

    fn registry(&self) -> Result<Handlebars<'static>, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        for (name, text) in &self.partials {
            hb.register_partial(name, text.as_str())
                .map_err(|e| format!("template {name}.hbs: {e}"))?;
        }
        hb.register_template_string("report", &self.main)
            .map_err(|e| format!("template {MAIN}: {e}"))?;
        Ok(hb)
    }
}

#[derive(Serialize)]
struct Context<'a> {
    schema_version: u32,
    tool: &'a super::Tool,
    source: crate::SourceDialect,
    target: crate::Target,
    summary: &'a super::Summary,
    charts: Charts,
    catalog: Vec<CatalogPage>,
    /// The first page of the findings table, rendered on the server (read without script and
    /// in print; the script re-renders it).
    findings_page: Vec<FindingRow<'a>>,
    objects_page: Vec<ObjectRow<'a>>,
    data: String,
    css: &'a str,
    js: &'a str,
    csp: String,
}

#[derive(Serialize)]
struct FindingRow<'a> {
    index: usize,
    code: &'static str,
    severity: &'static str,
    category: &'static str,
    location: String,
    object_index: Option<usize>,
    object: &'a str,
    kind: &'static str,
    schema: &'a str,
    hours: String,
    message: &'a str,
}

#[derive(Serialize)]
struct ObjectRow<'a> {
    index: usize,
    kind: &'static str,
    name: &'a str,
    schema: &'a str,
    status: &'static str,
    complexity: &'static str,
    hours: String,
    source: String,
    output: String,
    codes: Vec<&'static str>,
}

/// Rows of the first page of each table (the script's default page size).
const FIRST_PAGE: usize = 100;

fn first_pages(report: &Report) -> (Vec<FindingRow<'_>>, Vec<ObjectRow<'_>>) {
    let findings = report
        .findings
        .iter()
        .take(FIRST_PAGE)
        .enumerate()
        .map(|(index, f)| FindingRow {
            index,
            code: f.code,
            severity: f.severity.as_str(),
            category: f.category,
            location: format!("{}:{}:{}", f.file, f.line, f.column),
            object_index: f.object_index,
            object: &f.object,
            kind: f.object_kind.as_str(),
            schema: &f.schema,
            hours: fmt_num(f.hours),
            message: &f.message,
        })
        .collect();
    let objects = report
        .objects
        .iter()
        .take(FIRST_PAGE)
        .enumerate()
        .map(|(index, o)| {
            let mut codes: Vec<&'static str> = o.findings.clone();
            codes.sort_unstable();
            codes.dedup();
            ObjectRow {
                index,
                kind: o.kind.as_str(),
                name: &o.name,
                schema: &o.schema,
                status: o.status.as_str(),
                complexity: o.complexity.as_str(),
                hours: fmt_num(o.hours),
                source: format!("{}:{}", o.file, o.line),
                output: o.output.as_ref().map_or_else(
                    || "\u{2014}".to_string(),
                    |p| format!("{}:{}", p.file, p.line),
                ),
                codes,
            }
        })
        .collect();
    (findings, objects)
}

#[derive(Serialize)]
struct Charts {
    status_by_kind: String,
    findings_by_category: String,
    effort_by_schema: String,
}

#[derive(Serialize)]
struct CatalogPage {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    hours: String,
    catalog_hours: String,
    sources: String,
    targets: String,
    html: String,
}

/// The report with the built-in templates (see [`to_html_with`]).
pub fn to_html(report: &Report) -> String {
    to_html_with(report, &Templates::builtin())
}

/// The report rendered with `templates`; never fails: a template error gives a page that says
/// so (templates loaded with [`Templates::load`] have been compiled already).
pub fn to_html_with(report: &Report, templates: &Templates) -> String {
    match render(report, templates) {
        Ok(s) => s,
        Err(e) => format!(
            "<!DOCTYPE html>\n<html><body><p>schemac could not render the report: {}</p></body></html>\n",
            handlebars::html_escape(&e)
        ),
    }
}

pub fn render(report: &Report, templates: &Templates) -> Result<String, String> {
    let hb = templates.registry()?;
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        sha256::csp_hash(&templates.js),
        sha256::csp_hash(&templates.css)
    );
    let (findings_page, objects_page) = first_pages(report);
    let ctx = Context {
        schema_version: report.schema_version,
        tool: &report.tool,
        source: report.source,
        target: report.target,
        summary: &report.summary,
        charts: charts(report),
        catalog: catalog(report),
        findings_page,
        objects_page,
        data: data_island(report),
        css: &templates.css,
        js: &templates.js,
        csp,
    };
    hb.render("report", &ctx).map_err(|e| e.to_string())
}

fn charts(report: &Report) -> Charts {
    let s = &report.summary;
    let by_kind: Vec<(String, Vec<f64>)> = s
        .objects_by_kind
        .iter()
        .map(|k| {
            let c = &k.counts;
            (
                k.kind.as_str().replace('_', " "),
                vec![
                    c.converted as f64,
                    c.review as f64,
                    c.manual as f64,
                    c.blocker as f64,
                ],
            )
        })
        .collect();
    let by_cat: Vec<(String, Vec<f64>)> = s
        .findings_by_category
        .iter()
        .map(|c| {
            let n = &c.counts;
            let label = if c.description.is_empty() {
                c.category.clone()
            } else {
                format!("{} {}", c.category, c.description)
            };
            (
                label,
                vec![
                    n.info as f64,
                    n.review as f64,
                    n.manual as f64,
                    n.blocker as f64,
                ],
            )
        })
        .collect();
    let mut schemas: Vec<&super::SchemaEffort> = s.effort.by_schema.iter().collect();
    schemas.sort_by(|a, b| {
        b.hours
            .partial_cmp(&a.hours)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.schema.cmp(&b.schema))
    });
    let mut by_schema: Vec<(String, Vec<f64>)> = schemas
        .iter()
        .take(CHART_SCHEMAS)
        .map(|e| (schema_label(&e.schema), vec![e.hours]))
        .collect();
    if schemas.len() > CHART_SCHEMAS {
        let rest: f64 = schemas[CHART_SCHEMAS..].iter().map(|e| e.hours).sum();
        by_schema.push((
            format!("{} other schemas", schemas.len() - CHART_SCHEMAS),
            vec![rest],
        ));
    }
    Charts {
        status_by_kind: svg::stacked_bars(
            "Conversion status by object kind",
            &svg::STATUS,
            &by_kind,
        ),
        findings_by_category: svg::stacked_bars(
            "Findings by category and severity",
            &svg::SEVERITY,
            &by_cat,
        ),
        effort_by_schema: svg::stacked_bars("Effort by schema (hours)", &svg::HOURS, &by_schema),
    }
}

fn schema_label(s: &str) -> String {
    if s.is_empty() {
        "(no schema)".to_string()
    } else {
        s.to_string()
    }
}

/// The catalog pages of the codes found, in code order.
fn catalog(report: &Report) -> Vec<CatalogPage> {
    #[derive(serde::Deserialize, Default)]
    struct Front {
        #[serde(default)]
        sources: Vec<String>,
        #[serde(default)]
        targets: Vec<String>,
    }
    report
        .summary
        .findings_by_code
        .iter()
        .filter_map(|c| {
            let code = crate::rules::lookup(c.code)?;
            let page = crate::rules::doc(c.code)?;
            let front: Front = page
                .strip_prefix("+++")
                .and_then(|r| r.find("\n+++").map(|end| &r[..end]))
                .and_then(|f| toml::from_str(f).ok())
                .unwrap_or_default();
            Some(CatalogPage {
                code: code.code,
                name: code.name,
                severity: code.severity.as_str(),
                category: code.category(),
                hours: fmt_num(c.hours_each),
                catalog_hours: fmt_num(f64::from(code.effort)),
                sources: front.sources.join(", "),
                targets: front.targets.join(", "),
                html: markdown::to_html(sarif::page_body(page), 2),
            })
        })
        .collect()
}

/// Escapes serialized JSON for a `<script type="application/json">` element: `<`, `>`, `&`
/// and the line separators become `\uXXXX` escapes (they only occur inside JSON strings, where
/// the escapes mean the same characters), so `</script>` or `<!--` in a string cannot end or
/// change the element.
pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

type IslandObject<'a> = (
    &'static str,
    &'a str,
    &'a str,
    usize,
    u32,
    &'static str,
    &'a str,
    u32,
    f64,
    &'static str,
    Vec<usize>,
);

type IslandFinding<'a> = (
    &'static str,
    &'static str,
    &'static str,
    &'a str,
    usize,
    u32,
    u32,
    i64,
    &'static str,
    &'a str,
    f64,
    &'a str,
);

/// The data island (see `templates/report.js` for the layout; arrays keep it lean).
#[derive(Serialize)]
struct Island<'a> {
    /// Source file names; objects and findings refer to them by index.
    files: Vec<&'a str>,
    /// `[kind, name, schema, file, line, status, output file, output line, hours, complexity,
    ///   [finding indices]]`
    objects: Vec<IslandObject<'a>>,
    /// `[code, severity, category, message, file, line, column, object index or -1, kind,
    ///   schema, hours, object name]`
    findings: Vec<IslandFinding<'a>>,
    /// Per object: `[source, first source line, [start, end, finding, ...], output, first
    ///   output line]` (mark offsets in UTF-16 code units of `source`).
    texts: Vec<(&'a str, u32, Vec<u64>, &'a str, u32)>,
    /// Per code: `[code, name, severity, category, hours each]`.
    codes: Vec<(&'static str, &'static str, &'static str, &'static str, f64)>,
}

pub(super) fn data_island(report: &Report) -> String {
    let mut ids = std::collections::HashMap::<String, usize>::new();
    let mut names: Vec<String> = Vec::new();
    let mut id = |name: &str| -> usize {
        if let Some(i) = ids.get(name) {
            return *i;
        }
        let i = names.len();
        names.push(name.to_string());
        ids.insert(name.to_string(), i);
        i
    };
    let mut finding_lists: Vec<Vec<usize>> = vec![Vec::new(); report.objects.len()];
    for (i, f) in report.findings.iter().enumerate() {
        if let Some(o) = f.object_index
            && let Some(list) = finding_lists.get_mut(o)
        {
            list.push(i);
        }
    }
    let objects = report
        .objects
        .iter()
        .zip(finding_lists)
        .map(|(o, fl)| {
            let (out_file, out_line) = o
                .output
                .as_ref()
                .map_or(("", 0), |p| (p.file.as_str(), p.line));
            (
                o.kind.as_str(),
                o.name.as_str(),
                o.schema.as_str(),
                id(&o.file),
                o.line,
                o.status.as_str(),
                out_file,
                out_line,
                o.hours,
                o.complexity.as_str(),
                fl,
            )
        })
        .collect();
    let findings = report
        .findings
        .iter()
        .map(|f| {
            (
                f.code,
                f.severity.as_str(),
                f.category,
                f.message.as_str(),
                id(&f.file),
                f.line,
                f.column,
                f.object_index.map_or(-1, |i| i as i64),
                f.object_kind.as_str(),
                f.schema.as_str(),
                f.hours,
                f.object.as_str(),
            )
        })
        .collect();
    let texts = report
        .texts
        .iter()
        .map(|t| {
            let marks = t
                .marks
                .iter()
                .flat_map(|&(s, e, f)| [u64::from(s), u64::from(e), f as u64])
                .collect();
            (
                t.source.as_str(),
                t.source_line,
                marks,
                t.output.as_str(),
                t.output_line,
            )
        })
        .collect();
    let codes = report
        .summary
        .findings_by_code
        .iter()
        .map(|c| {
            (
                c.code,
                c.name,
                c.severity.as_str(),
                c.category,
                c.hours_each,
            )
        })
        .collect();
    let island = Island {
        files: names.iter().map(String::as_str).collect(),
        objects,
        findings,
        texts,
        codes,
    };
    let json = serde_json::to_string(&island).unwrap_or_else(|_| "{}".to_string());
    escape_json_for_script(&json)
}

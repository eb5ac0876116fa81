//! `report.sarif`: the findings as SARIF 2.1.0, so CI systems (code scanning, merge-request
//! widgets) show them inline on the source files.
//!
//! One run; the driver's `rules` are the catalog entries of the codes found (with the catalog
//! page as help); one result per finding, in `findings[]` order. Locations are relative to the
//! directory schemac ran in (`uriBaseId` `SRCROOT`); columns count Unicode code points, as in
//! `report.json`. Severities map to levels: info -> note, review -> warning, manual and
//! blocker -> error. The run's `properties.schemac` carries the summary counts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::Report;
use crate::diag::Severity;

pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Info => "note",
        Severity::Review => "warning",
        Severity::Manual | Severity::Blocker => "error",
    }
}

/// A source name as a URI reference: relative names are percent-encoded paths (resolved
/// against `SRCROOT`), absolute ones become `file://` URIs.
fn uri(name: &str) -> (String, bool) {
    let b = name.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    let mut enc = String::with_capacity(name.len());
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_alphanumeric() || b"-._~/".contains(&c) || (drive && i == 1) {
            enc.push(c as char);
        } else {
            enc.push_str(&format!("%{c:02X}"));
        }
    }
    if name.starts_with('/') {
        (format!("file://{enc}"), true)
    } else if drive {
        (format!("file:///{enc}"), true)
    } else {
        (enc, false)
    }
}

/// The first paragraph of a section (`## What it flags`) of a catalog page.
fn section_paragraph(page: &str, heading: &str) -> Option<String> {
    let start = page.find(heading)? + heading.len();
    let rest = &page[start..];
    let para: Vec<&str> = rest
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

/// The body of a catalog page, without its TOML front matter.
pub(super) fn page_body(page: &str) -> &str {
    if let Some(rest) = page.strip_prefix("+++")
        && let Some(end) = rest.find("\n+++")
    {
        return rest[end + 4..].trim_start_matches(['\r', '\n']);
    }
    page
}

#[derive(Serialize)]
struct Doc<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: serde_json::Value,
    original_uri_base_ids: serde_json::Value,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message<'a>,
    locations: Vec<Location<'a>>,
    properties: ResultProps<'a>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<Physical>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[Logical<'a>; 1]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProps<'a> {
    severity: &'static str,
    category: &'static str,
    hours: f64,
    object_kind: &'static str,
    schema: &'a str,
}

/// `report.sarif` (compact JSON: large assessments give large logs).
pub fn to_sarif(report: &Report) -> String {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for c in &report.summary.findings_by_code {
        let Some(code) = crate::rules::lookup(c.code) else {
            continue;
        };
        let page = crate::rules::doc(c.code).unwrap_or("");
        let body = page_body(page);
        let short = code.name.replace('-', " ");
        let full = section_paragraph(body, "## What it flags").unwrap_or_else(|| short.clone());
        rule_index.insert(c.code, rules.len());
        rules.push(json!({
            "id": c.code,
            "name": code.name,
            "shortDescription": { "text": short },
            "fullDescription": { "text": full },
            "help": { "text": body, "markdown": body },
            "defaultConfiguration": { "level": level(code.severity) },
            "properties": {
                "category": c.category,
                "severity": code.severity.as_str(),
                "hours": c.hours_each,
                "tags": [c.category, code.severity.as_str()],
            },
        }));
    }
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let physical = (!f.file.is_empty()).then(|| {
                let (u, absolute) = uri(&f.file);
                Physical {
                    artifact_location: Artifact {
                        uri: u,
                        uri_base_id: (!absolute).then_some("SRCROOT"),
                    },
                    region: (f.line > 0).then(|| Region {
                        start_line: f.line,
                        start_column: f.column.max(1),
                        end_line: f.end_line.max(f.line),
                        end_column: f.end_column.max(1),
                    }),
                }
            });
            let logical = (!f.object.is_empty()).then(|| {
                [Logical {
                    fully_qualified_name: &f.object,
                    kind: f.object_kind.as_str(),
                }]
            });
            let locations = if physical.is_none() && logical.is_none() {
                vec![]
            } else {
                vec![Location {
                    physical_location: physical,
                    logical_locations: logical,
                }]
            };
            SarifResult {
                rule_id: f.code,
                rule_index: rule_index.get(f.code).copied(),
                level: level(f.severity),
                message: Message { text: &f.message },
                locations,
                properties: ResultProps {
                    severity: f.severity.as_str(),
                    category: f.category,
                    hours: f.hours,
                    object_kind: f.object_kind.as_str(),
                    schema: &f.schema,
                },
            }
        })
        .collect();
    let s = &report.summary;
    let doc = Doc {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({ "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }}),
            original_uri_base_ids: json!({
                "SRCROOT": { "description": { "text": "The directory schemac was run in." } }
            }),
            column_kind: "unicodeCodePoints",
            results,
            properties: json!({ "schemac": {
                "source": report.source,
                "target": report.target,
                "sentence": s.sentence,
                "objects": s.objects,
                "findings": s.findings,
                "effort": {
                    "hours": s.effort.hours,
                    "person_days": s.effort.person_days,
                    "level": s.effort.level.level,
                },
            }}),
        }],
    };
    let mut out = serde_json::to_string(&doc)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("hr/a b.sql"), ("hr/a%20b.sql".into(), false));
        assert_eq!(uri("/abs/x#1.sql"), ("file:///abs/x%231.sql".into(), true));
        assert_eq!(uri("C:/db/x.sql"), ("file:///C:/db/x.sql".into(), true));
        assert_eq!(uri("é.sql"), ("%C3%A9.sql".into(), false));
        assert_eq!(uri("a:b.sql").0, "a%3Ab.sql");
    }

    #[test]
    fn catalog_text() {
        let page = crate::rules::doc("PLS001").unwrap();
        let body = page_body(page);
        assert!(body.starts_with("# PLS001"), "{body}");
        let p = section_paragraph(body, "## What it flags").unwrap();
        assert!(p.starts_with("A procedural object"), "{p}");
        assert_eq!(page_body("no front matter"), "no front matter");
    }
}

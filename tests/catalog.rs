//! The action-item catalog (`rules/actions/<PREFIX>/<CODE>-<name>.md`) is the source of truth
//! for `src/rules/codes.rs`. This test validates every page and checks that the committed
//! `codes.rs` is the rendering of the catalog.
//!
//! After adding or editing a page: `UPDATE_EXPECT=1 cargo test --test catalog`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

const HEADINGS: [&str; 4] = [
    "## What it flags",
    "## Why it matters",
    "## Example",
    "## What to do",
];
const SEVERITIES: [&str; 4] = ["info", "review", "manual", "blocker"];
const SOURCES: [&str; 3] = ["oracle", "tsql", "ase"];
const TARGETS: [&str; 2] = ["postgres", "mysql"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    code: String,
    name: String,
    const_name: String,
    severity: String,
    effort: f64,
    sources: Vec<String>,
    targets: Vec<String>,
    message: String,
}

#[derive(Debug)]
struct Entry {
    front: Front,
    /// Path relative to the crate root, `/`-separated.
    rel: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Splits `+++\n<toml>\n+++\n<body>`.
fn split_front(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++\n")?;
    Some((&rest[..end + 1], &rest[end + 5..]))
}

fn is_code(s: &str) -> bool {
    let letters = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &s[letters..];
    (2..=5).contains(&letters) && digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit())
}

fn prefix(code: &str) -> &str {
    let n = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    &code[..n]
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_const_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Checks `{N}` placeholders: only `{digits}` braces, and the indices used are exactly 0..n.
fn check_placeholders(msg: &str) -> Result<usize, String> {
    let mut used = BTreeSet::new();
    let mut rest = msg;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            return Err(format!("stray `}}` in message {msg:?}"));
        }
        let after = &rest[i + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed `{{` in message {msg:?}"))?;
        let n: usize = after[..close]
            .parse()
            .map_err(|_| format!("`{{{}}}` is not a placeholder in {msg:?}", &after[..close]))?;
        used.insert(n);
        rest = &after[close + 1..];
    }
    let n = used.len();
    if used.iter().copied().ne(0..n) {
        return Err(format!(
            "placeholders must be {{0}}..{{{}}} without gaps, found {used:?} in {msg:?}",
            n.saturating_sub(1)
        ));
    }
    Ok(n)
}

fn check_body(body: &str) -> Result<(), String> {
    let found: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with("## "))
        .map(str::trim_end)
        .collect();
    if found != HEADINGS {
        return Err(format!(
            "the body must have exactly the headings {HEADINGS:?} in this order, found {found:?}"
        ));
    }
    // Each section has some text.
    let mut sections = body.split("\n## ").skip(1);
    for h in HEADINGS {
        let s = sections.next().unwrap_or_default();
        let text = s.split_once('\n').map(|x| x.1).unwrap_or("");
        if text.trim().is_empty() {
            return Err(format!("section `{h}` is empty"));
        }
    }
    Ok(())
}

fn check_entry(path: &Path, text: &str) -> Result<Front, String> {
    let (toml_text, body) = split_front(text)
        .ok_or("the file must start with TOML front matter between `+++` lines")?;
    let front: Front = toml::from_str(toml_text).map_err(|e| format!("front matter: {e}"))?;
    if !is_code(&front.code) {
        return Err(format!(
            "code {:?} must be 2-5 upper-case letters and 3 digits",
            front.code
        ));
    }
    if !is_kebab(&front.name) {
        return Err(format!("name {:?} must be lower-case-kebab", front.name));
    }
    if !is_const_name(&front.const_name) {
        return Err(format!(
            "const_name {:?} must be an UPPER_SNAKE Rust identifier",
            front.const_name
        ));
    }
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let want = format!("{}-{}.md", front.code, front.name);
    if file != want {
        return Err(format!("the file must be named {want}"));
    }
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .unwrap_or_default()
        .to_string_lossy();
    if folder != prefix(&front.code) {
        return Err(format!(
            "the file must be in rules/actions/{}/",
            prefix(&front.code)
        ));
    }
    if !SEVERITIES.contains(&front.severity.as_str()) {
        return Err(format!(
            "severity {:?} is not one of {SEVERITIES:?}",
            front.severity
        ));
    }
    if !(front.effort.is_finite() && front.effort >= 0.0) {
        return Err(format!(
            "effort must be a number of hours >= 0, got {}",
            front.effort
        ));
    }
    check_list("sources", &front.sources, &SOURCES)?;
    check_list("targets", &front.targets, &TARGETS)?;
    if front.message.trim().is_empty() || front.message.contains(['\n', '\r']) {
        return Err("message must be one non-empty line".into());
    }
    check_placeholders(&front.message)?;
    check_body(body)?;
    Ok(front)
}

fn check_list(key: &str, list: &[String], known: &[&str]) -> Result<(), String> {
    if list.is_empty() {
        return Err(format!("{key} must not be empty"));
    }
    let mut seen = BTreeSet::new();
    for s in list {
        if !known.contains(&s.as_str()) {
            return Err(format!("{key}: {s:?} is not one of {known:?}"));
        }
        if !seen.insert(s) {
            return Err(format!("{key}: {s:?} is listed twice"));
        }
    }
    Ok(())
}

/// Reads and validates the whole catalog; collects every problem before failing.
fn load() -> Vec<Entry> {
    let dir = root().join("rules/actions");
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let mut walk: Vec<PathBuf> = Vec::new();
    for e in walkdir::WalkDir::new(&dir) {
        match e {
            Ok(e) if e.file_type().is_file() => walk.push(e.into_path()),
            Ok(_) => {}
            Err(e) => errors.push(format!("{}: {e}", dir.display())),
        }
    }
    walk.sort();
    for path in walk {
        let r = rel(&path);
        if path.extension().is_none_or(|x| x != "md") {
            errors.push(format!("{r}: only .md pages belong in rules/actions"));
            continue;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{r}: {e}"));
                continue;
            }
        };
        match check_entry(&path, &text) {
            Ok(front) => entries.push(Entry { front, rel: r }),
            Err(e) => errors.push(format!("{r}: {e}")),
        }
    }
    let mut codes = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut consts = BTreeMap::new();
    for e in &entries {
        for (map, key, what) in [
            (&mut codes, &e.front.code, "code"),
            (&mut names, &e.front.name, "name"),
            (&mut consts, &e.front.const_name, "const_name"),
        ] {
            if let Some(prev) = map.insert(key.clone(), e.rel.clone()) {
                errors.push(format!("{}: {what} {key} is also used by {prev}", e.rel));
            }
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push("rules/actions/ holds no page".into());
    }
    assert!(
        errors.is_empty(),
        "the action-item catalog has {} problem(s):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
    entries.sort_by(|a, b| a.front.code.cmp(&b.front.code));
    entries
}

fn rust_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn severity_variant(s: &str) -> &'static str {
    match s {
        "info" => "Info",
        "review" => "Review",
        "manual" => "Manual",
        _ => "Blocker",
    }
}

fn render(entries: &[Entry]) -> String {
    let mut s = String::new();
    s.push_str(
        "// @generated by `cargo test --test catalog` from rules/actions/**/*.md: do not edit by hand.\n\
         // Regenerate with `UPDATE_EXPECT=1 cargo test --test catalog`.\n\
         \n\
         use crate::diag::{Code, Severity};\n\
         \n\
         macro_rules! code {\n    \
         ($id:ident, $code:literal, $name:literal, $sev:ident, $effort:literal, $msg:literal) => {\n        \
         pub static $id: Code = Code {\n            \
         code: $code,\n            \
         name: $name,\n            \
         severity: Severity::$sev,\n            \
         effort: $effort,\n            \
         message: $msg,\n        \
         };\n    \
         };\n\
         }\n",
    );
    let mut last_prefix = "";
    for e in entries {
        let f = &e.front;
        let p = prefix(&f.code);
        if p != last_prefix {
            s.push('\n');
            last_prefix = p;
        }
        let _ = writeln!(
            s,
            "code!(\n    {},\n    {},\n    {},\n    {},\n    {:?},\n    {}\n);",
            f.const_name,
            rust_str(&f.code),
            rust_str(&f.name),
            severity_variant(&f.severity),
            f.effort,
            rust_str(&f.message)
        );
    }
    s.push_str("\n/// Every catalog entry, in code order.\npub static ALL: &[&Code] = &[\n");
    for e in entries {
        let _ = writeln!(s, "    &{},", e.front.const_name);
    }
    s.push_str("];\n");
    s.push_str(
        "\n/// The catalog page (Markdown with TOML front matter) of every entry, in code order.\n\
         pub static DOCS: &[(&str, &str)] = &[\n",
    );
    for e in entries {
        let _ = writeln!(
            s,
            "    (\n        {},\n        include_str!({}),\n    ),",
            rust_str(&e.front.code),
            rust_str(&format!("../../{}", e.rel))
        );
    }
    s.push_str("];\n");
    rustfmt(s)
}

/// Formats like `cargo fmt` would, so that `cargo fmt` and this test agree on the file. Without
/// rustfmt on the machine the text is used as rendered (it is written in rustfmt's style).
fn rustfmt(text: String) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return text };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait_with_output() {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => {
            String::from_utf8(out.stdout).unwrap_or(text)
        }
        _ => text,
    }
}

#[test]
fn codes_rs_is_generated_from_the_catalog() {
    let entries = load();
    let want = render(&entries);
    let path = root().join("src/rules/codes.rs");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        std::fs::write(&path, &want).expect("cannot write src/rules/codes.rs");
        eprintln!("catalog: rewrote src/rules/codes.rs");
        return;
    }
    let (n, (h, w)) = have
        .lines()
        .chain(std::iter::repeat("<end of file>"))
        .zip(want.lines().chain(std::iter::repeat("<end of file>")))
        .enumerate()
        .find(|(_, (h, w))| h != w)
        .unwrap_or((0, ("", "")));
    panic!(
        "src/rules/codes.rs is stale: it does not match rules/actions/**/*.md.\n\
         first difference at line {}:\n  committed: {h}\n  expected:  {w}\n\
         Run `UPDATE_EXPECT=1 cargo test --test catalog` and commit the result.",
        n + 1
    );
}

#[test]
fn placeholders_are_checked() {
    assert_eq!(check_placeholders("a {0} b {1} {0}"), Ok(2));
    assert_eq!(check_placeholders("none"), Ok(0));
    assert!(check_placeholders("gap {0} {2}").is_err());
    assert!(check_placeholders("stray }").is_err());
    assert!(check_placeholders("{x}").is_err());
    assert!(check_placeholders("{0").is_err());
}

#[test]
fn front_matter_is_split() {
    let (f, b) = split_front("+++\ncode = \"X\"\n+++\n## A\n").unwrap();
    assert_eq!(f, "code = \"X\"\n");
    assert_eq!(b, "## A\n");
    assert!(split_front("no front matter").is_none());
    assert!(is_code("PRS001") && !is_code("PRS01") && !is_code("prs001"));
}

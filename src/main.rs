//! The `schemac` command line: arguments -> `schemac::convert` -> files.
//!
//! Exit status: 0 done; 1 done, but a finding at or above `--fail-on`; 2 usage or I/O error.
//! `schemac assess ... --fail-on manual` is the CI gate: it writes the reports and fails the
//! job when a finding needs a person.
//! Nothing is written before every input has been read and converted, and nothing is written
//! into a non-empty output directory without `--force`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{IsTerminal, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use schemac::diag::Severity;
use schemac::report;
use schemac::source::SourceMap;
use schemac::{Options, Output, SourceDialect, Target};

const EXIT_STATUS: &str = "Exit status: 0 done; 1 done, but a finding at or above --fail-on (CI gate); \
2 usage or I/O error (nothing written).";

#[derive(Parser)]
#[command(
    name = "schemac",
    version,
    about = "Converts Oracle, SQL Server and SAP ASE schemas to PostgreSQL or MySQL scripts, with an assessment report",
    after_help = EXIT_STATUS
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Convert the inputs: writes OUT/<target>/NN_*.sql and the reports (OUT/report.*).
    #[command(after_help = EXIT_STATUS)]
    Convert(RunArgs),
    /// Assess the inputs: writes only the reports (OUT/report.*) and prints the summary line.
    #[command(after_help = EXIT_STATUS)]
    Assess(RunArgs),
    /// Print the catalog page of an action item (e.g. PRS001).
    Explain {
        /// The action-item code.
        code: String,
    },
}

#[derive(Args)]
struct RunArgs {
    /// Source dialect.
    #[arg(long, value_enum)]
    from: SourceDialect,
    /// Target database.
    #[arg(long, value_enum)]
    to: Target,
    /// Input files and directories (directories are searched recursively).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output directory.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    out: PathBuf,
    /// SQL*Plus substitution variable (repeatable).
    #[arg(long = "define", value_name = "NAME=VALUE", value_parser = parse_define)]
    defines: Vec<(String, String)>,
    /// Exit with status 1 when a finding has this severity or a higher one.
    #[arg(long, value_name = "SEVERITY", value_parser = ["info", "review", "manual", "blocker"])]
    fail_on: Option<String>,
    /// Write into a non-empty output directory (replaces schemac's files, removes stale scripts).
    #[arg(long)]
    force: bool,
    /// Print nothing on stderr unless an error stops the run.
    #[arg(short, long)]
    quiet: bool,
    /// Reports to write, comma-separated or repeated: json, html, csv (report.csv and
    /// report_summary.csv), sarif, or all [default: json,html].
    #[arg(long = "format", value_name = "FORMAT", value_delimiter = ',',
          value_parser = ["json", "html", "csv", "sarif", "all"])]
    formats: Vec<String>,
    /// Render report.html with the templates of DIR (report.html.hbs, report.css, report.js,
    /// partials *.hbs) instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    report_template: Option<PathBuf>,
    /// Effort model overrides (TOML): hours per action-item code under [hours], hours_per_day,
    /// simple_below, complex_above, level_b_max_days.
    #[arg(long, value_name = "FILE")]
    effort_config: Option<PathBuf>,
}

/// Which reports to write.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Formats {
    json: bool,
    html: bool,
    csv: bool,
    sarif: bool,
}

impl Formats {
    fn from_args(list: &[String]) -> Formats {
        if list.is_empty() {
            return Formats {
                json: true,
                html: true,
                csv: false,
                sarif: false,
            };
        }
        let has = |f: &str| list.iter().any(|x| x == f || x == "all");
        Formats {
            json: has("json"),
            html: has("html"),
            csv: has("csv"),
            sarif: has("sarif"),
        }
    }
}

/// Every report file name schemac writes (stale ones are removed under `--force`).
const REPORT_FILES: &[&str] = &[
    "report.json",
    "report.html",
    "report.csv",
    "report_summary.csv",
    "report.sarif",
];

fn parse_define(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

/// An error that stops the run (exit status 2).
struct Fatal(String);

impl<E: std::fmt::Display> From<(String, E)> for Fatal {
    fn from((what, e): (String, E)) -> Fatal {
        Fatal(format!("{what}: {e}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Explain { code } => explain(&code),
        Cmd::Convert(args) => run(args, true),
        Cmd::Assess(args) => run(args, false),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(msg)) => {
            eprintln!("schemac: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn explain(code: &str) -> Result<ExitCode, Fatal> {
    match schemac::rules::doc(code) {
        Some(page) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`schemac explain X | head`) is not an error worth reporting.
            let _ = out.write_all(page.as_bytes()).and_then(|()| out.flush());
            Ok(ExitCode::SUCCESS)
        }
        None => Err(Fatal(format!(
            "unknown action item {code:?}; codes look like PRS001 (see rules/actions/)"
        ))),
    }
}

fn run(args: RunArgs, convert: bool) -> Result<ExitCode, Fatal> {
    let fail_on = args.fail_on.as_deref().and_then(Severity::parse);
    let formats = Formats::from_args(&args.formats);
    let templates = match &args.report_template {
        Some(dir) => report::Templates::load(dir).map_err(Fatal)?,
        None => report::Templates::builtin(),
    };
    let effort = match &args.effort_config {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| (slash(file), e))?;
            report::EffortConfig::parse(&text)
                .map_err(|e| Fatal(format!("{}: {e}", slash(file))))?
        }
        None => report::EffortConfig::default(),
    };
    check_out_dir(&args.out, args.force)?;
    let sources = read_inputs(&args.inputs)?;
    let mut opts = Options::new(args.from, args.to);
    opts.defines = args.defines.clone();

    let spinner = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let s = indicatif::ProgressBar::new_spinner();
        s.set_message(format!("converting {} file(s)", sources.files.len()));
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    });
    let output = schemac::convert(sources, &opts);
    let rep = report::build_with(&output, &opts, &effort);
    let mut reports: Vec<(&str, String)> = Vec::new();
    if formats.json {
        reports.push(("report.json", report::to_json(&rep)));
    }
    if formats.html {
        reports.push(("report.html", report::to_html_with(&rep, &templates)));
    }
    if formats.csv {
        reports.push(("report.csv", report::csv::to_csv(&rep)));
        reports.push(("report_summary.csv", report::csv::to_summary_csv(&rep)));
    }
    if formats.sarif {
        reports.push(("report.sarif", report::sarif::to_sarif(&rep)));
    }
    if let Some(s) = spinner {
        s.finish_and_clear();
    }

    let written = write_outputs(&args, convert, &output, &reports)?;
    let failing = fail_on.map_or(0, |min| {
        output
            .module
            .objects
            .iter()
            .flat_map(|o| &o.findings)
            .filter(|f| f.severity >= min)
            .count()
    });

    if !args.quiet {
        print_diagnostics(&output);
        let s = &rep.summary;
        let o = &s.objects;
        let gate = match (&args.fail_on, failing) {
            (Some(min), n) if n > 0 => format!("; FAILED: {n} finding(s) at or above {min}"),
            _ => String::new(),
        };
        eprintln!(
            "schemac: {} objects ({} converted, {} review, {} manual, {} blocker), {} findings; wrote {}; effort {} h ({} person-days), level {}{gate}",
            o.total,
            o.converted,
            o.review,
            o.manual,
            o.blocker,
            s.findings.total,
            written.join(", "),
            report::effort::fmt_num(s.effort.hours),
            report::effort::fmt_num(s.effort.person_days),
            s.effort.level.level.as_str(),
        );
    }
    Ok(if failing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// File extensions taken from directories (case-insensitive).
const EXTENSIONS: &[&str] = &[
    "sql", "tab", "vw", "pkg", "pks", "pkb", "pls", "plb", "prc", "fnc", "trg", "tps", "tpb",
    "typ", "syn", "seq", "ddl", "dml", "con", "idx",
];

/// Extension-less files in directories whose names start with one of these are documentation
/// or build files, not scripts.
const NOT_SCRIPTS: &[&str] = &[
    "readme",
    "license",
    "licence",
    "notice",
    "changelog",
    "changes",
    "copying",
    "authors",
    "contributors",
    "history",
    "news",
    "todo",
    "makefile",
    "dockerfile",
    "jenkinsfile",
    "codeowners",
];

/// Inputs over this size cannot be addressed by `u32` spans.
const MAX_FILE: u64 = u32::MAX as u64;

/// `/`-separated display form of a path.
fn slash(p: &Path) -> String {
    let mut parts = Vec::new();
    let mut root = false;
    for c in p.components() {
        match c {
            Component::RootDir => root = true,
            Component::Prefix(x) => parts.push(x.as_os_str().to_string_lossy().into_owned()),
            c => parts.push(c.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let s = parts.join("/");
    if root { format!("/{s}") } else { s }
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn read_inputs(inputs: &[PathBuf]) -> Result<SourceMap, Fatal> {
    let mut sources = SourceMap::default();
    let mut seen = BTreeSet::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| (slash(input), e))?;
        if meta.is_dir() {
            let walk = walkdir::WalkDir::new(input)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            for entry in walk {
                let entry = entry.map_err(|e| {
                    let p = e.path().unwrap_or(input).to_path_buf();
                    (slash(&p), e)
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let rel = path.strip_prefix(input).unwrap_or(path);
                let name = slash(&input.join(rel));
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                let take_by_ext = match &ext {
                    Some(e) => EXTENSIONS.contains(&e.as_str()),
                    None => {
                        !is_not_script(&entry.file_name().to_string_lossy())
                            && !looks_binary(path).map_err(|e| (name.clone(), e))?
                    }
                };
                if !take_by_ext {
                    continue;
                }
                let bytes = read_file(path, &name)?;
                add(&mut sources, &mut seen, path, name, bytes);
            }
        } else {
            let name = slash(input);
            let bytes = read_file(input, &name)?;
            add(&mut sources, &mut seen, input, name, bytes);
        }
    }
    Ok(sources)
}

/// `README`, `LICENSE-MIT`, `CHANGELOG_old` ...
fn is_not_script(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    NOT_SCRIPTS.iter().any(|n| {
        lower
            .strip_prefix(n)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']))
    })
}

/// A NUL byte in the first 8 KiB: not a text file.
fn looks_binary(path: &Path) -> std::io::Result<bool> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)?
        .take(8192)
        .read_to_end(&mut head)?;
    Ok(head.contains(&0))
}

fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, Fatal> {
    let mut f = std::fs::File::open(path).map_err(|e| (name.to_string(), e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE {
        return Err(Fatal(format!("{name}: files over 4 GiB are not supported")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    f.read_to_end(&mut bytes)
        .map_err(|e| (name.to_string(), e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Fatal(format!("{name}: files over 4 GiB are not supported")));
    }
    Ok(bytes)
}

/// Adds a file once: the same file reached twice (given explicitly and inside a directory) is
/// read only the first time.
fn add(
    sources: &mut SourceMap,
    seen: &mut BTreeSet<PathBuf>,
    path: &Path,
    name: String,
    bytes: Vec<u8>,
) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        sources.add(name, Some(path.to_path_buf()), &bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

fn check_out_dir(out: &Path, force: bool) -> Result<(), Fatal> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err((slash(out), e).into()),
        Ok(_) => {
            let meta = std::fs::metadata(out).map_err(|e| (slash(out), e))?;
            if !meta.is_dir() {
                return Err(Fatal(format!(
                    "{}: exists and is not a directory",
                    slash(out)
                )));
            }
            let mut entries = std::fs::read_dir(out).map_err(|e| (slash(out), e))?;
            if entries.next().is_some() && !force {
                return Err(Fatal(format!(
                    "{} exists and is not empty; use --force to write into it",
                    slash(out)
                )));
            }
            Ok(())
        }
    }
}

/// A script name this tool writes: two digits, `_`, a lower-case name, `.sql`.
fn is_script_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".sql") else {
        return false;
    };
    let b = stem.as_bytes();
    b.len() > 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b'_'
        && b[3..]
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// Writes the scripts (convert only) and the reports; returns what was written, for the
/// summary line.
fn write_outputs(
    args: &RunArgs,
    convert: bool,
    output: &Output,
    reports: &[(&str, String)],
) -> Result<Vec<String>, Fatal> {
    let out = &args.out;
    std::fs::create_dir_all(out).map_err(|e| (slash(out), e))?;
    let mut written = Vec::new();
    if convert {
        let dir = out.join(args.to.as_str());
        let mut names = BTreeSet::new();
        for s in &output.scripts {
            let path = out.join(&s.name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| (slash(parent), e))?;
            }
            write_atomic(&path, s.text.as_bytes())?;
            if let Some(n) = path.file_name() {
                names.insert(n.to_os_string());
            }
        }
        if args.force && dir.is_dir() {
            remove_stale(&dir, &names)?;
        }
        let n = output.scripts.len();
        let plural = if n == 1 { "" } else { "s" };
        written.push(format!("{} ({n} file{plural})", slash(&dir)));
    }
    for (name, text) in reports {
        let path = out.join(name);
        write_atomic(&path, text.as_bytes())?;
        written.push(slash(&path));
    }
    if args.force {
        // Reports of an earlier run in other formats would contradict this one.
        for name in REPORT_FILES {
            let path = out.join(name);
            if !reports.iter().any(|(n, _)| n == name) && path.is_file() {
                std::fs::remove_file(&path).map_err(|e| (slash(&path), e))?;
            }
        }
    }
    Ok(written)
}

/// Removes `NN_name.sql` files of a previous run that this run did not write.
fn remove_stale(dir: &Path, keep: &BTreeSet<std::ffi::OsString>) -> Result<(), Fatal> {
    let entries = std::fs::read_dir(dir).map_err(|e| (slash(dir), e))?;
    let mut stale = Vec::new();
    for e in entries {
        let e = e.map_err(|e| (slash(dir), e))?;
        let name = e.file_name();
        let is_file = e.file_type().map(|t| t.is_file()).unwrap_or(false);
        if is_file && !keep.contains(&name) && name.to_str().is_some_and(is_script_name) {
            stale.push(e.path());
        }
    }
    stale.sort();
    for p in stale {
        std::fs::remove_file(&p).map_err(|e| (slash(&p), e))?;
    }
    Ok(())
}

/// Writes through a temporary file in the same directory, then renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.schemac-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err((slash(path), e).into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Syntax diagnostics
// ---------------------------------------------------------------------------------------------

/// Codes shown as source diagnostics on stderr.
const SHOWN: &[&str] = &["PRS001", "PRS003", "PRS005", "PRS009"];
const MAX_SHOWN: usize = 20;

fn print_diagnostics(output: &Output) {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor};

    let shown: Vec<_> = output
        .module
        .objects
        .iter()
        .flat_map(|o| &o.findings)
        .filter(|f| SHOWN.contains(&f.code.code))
        .collect();
    if shown.is_empty() {
        return;
    }
    let mut files = SimpleFiles::new();
    let mut ids = std::collections::BTreeMap::new();
    let color = if std::io::stderr().is_terminal() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let stream = termcolor::StandardStream::stderr(color);
    let mut w = stream.lock();
    let config = term::Config::default();
    for f in shown.iter().take(MAX_SHOWN) {
        let Some(src) = output.sources.files.get(f.span.file.0 as usize) else {
            continue;
        };
        let id = *ids
            .entry(f.span.file)
            .or_insert_with(|| files.add(src.name.as_str(), src.text.as_str()));
        // Underline the span on its first line only: a whole-file span would print the file.
        let text = &src.text;
        let mut start = (f.span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let mut end = (f.span.end as usize).clamp(start, line_end);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let severity = if f.severity >= Severity::Manual {
            codespan_reporting::diagnostic::Severity::Error
        } else {
            codespan_reporting::diagnostic::Severity::Warning
        };
        let d = Diagnostic::new(severity)
            .with_code(f.code.code)
            .with_message(f.message.replace(['\n', '\r'], " "))
            .with_labels(vec![Label::primary(id, start..end)]);
        let _ = term::emit_to_write_style(&mut w, &config, &files, &d);
    }
    if shown.len() > MAX_SHOWN {
        let _ = writeln!(w, "... and {} more", shown.len() - MAX_SHOWN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_names() {
        assert!(is_script_name("30_tables.sql"));
        assert!(is_script_name("35_data.sql"));
        assert!(!is_script_name("30_Tables.sql"));
        assert!(!is_script_name("3_tables.sql"));
        assert!(!is_script_name("30_.sql"));
        assert!(!is_script_name("notes.sql"));
        assert!(!is_script_name("30_tables.sql.bak"));
    }

    #[test]
    fn defines() {
        assert_eq!(parse_define("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_define("x="), Ok(("x".into(), String::new())));
        assert!(parse_define("novalue").is_err());
        assert!(parse_define("=v").is_err());
    }

    #[test]
    fn documentation_files() {
        for n in ["README", "LICENSE-MIT", "ChangeLog", "NOTICE", "Makefile"] {
            assert!(is_not_script(n), "{n}");
        }
        for n in ["create_tables", "newsletter", "install"] {
            assert!(!is_not_script(n), "{n}");
        }
    }

    #[test]
    fn slashes() {
        assert_eq!(slash(Path::new("a/b/../c.sql")), "a/b/../c.sql");
        assert_eq!(slash(Path::new("./x//y")), "./x/y");
        assert_eq!(slash(Path::new("/abs/p")), "/abs/p");
    }
}

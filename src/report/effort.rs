//! The effort model: hours per action item, complexity buckets, person-days and the overall
//! migration level.
//!
//! Everything is configurable with `--effort-config FILE` (TOML):
//!
//! ```toml
//! hours_per_day = 8.0        # one person-day
//! simple_below = 2.0         # an object under this many hours is simple
//! complex_above = 6.0        # an object over this many hours is complex
//! level_b_max_days = 5.0     # level B up to this many person-days, C above
//!
//! [hours]                    # hours per occurrence, overriding the catalog's `effort`
//! PLS001 = 8.0
//! TYP011 = 0.5
//! ```
//!
//! Every key is optional; unknown keys and unknown codes are errors (a typo must not silently
//! leave the catalog value in place).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::Code;

/// Hours of one person-day by default.
pub const HOURS_PER_DAY: f64 = 8.0;
/// An object whose findings add up to less than this many hours is simple.
pub const SIMPLE_BELOW_HOURS: f64 = 2.0;
/// An object whose findings add up to more than this many hours is complex.
pub const COMPLEX_ABOVE_HOURS: f64 = 6.0;
/// Level B covers rewrites up to this many person-days (as ora2pg's migration levels do).
pub const LEVEL_B_MAX_DAYS: f64 = 5.0;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffortConfig {
    pub hours_per_day: f64,
    pub simple_below: f64,
    pub complex_above: f64,
    pub level_b_max_days: f64,
    /// Overrides of the catalog's hours, by upper-case code.
    pub hours: BTreeMap<String, f64>,
}

impl Default for EffortConfig {
    fn default() -> EffortConfig {
        EffortConfig {
            hours_per_day: HOURS_PER_DAY,
            simple_below: SIMPLE_BELOW_HOURS,
            complex_above: COMPLEX_ABOVE_HOURS,
            level_b_max_days: LEVEL_B_MAX_DAYS,
            hours: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    hours_per_day: Option<f64>,
    simple_below: Option<f64>,
    complex_above: Option<f64>,
    level_b_max_days: Option<f64>,
    #[serde(default)]
    hours: BTreeMap<String, f64>,
}

fn check(name: &str, v: f64, allow_zero: bool) -> Result<f64, String> {
    if !v.is_finite() || v < 0.0 || (!allow_zero && v == 0.0) {
        let want = if allow_zero { ">= 0" } else { "> 0" };
        return Err(format!("{name} = {v}: expected a finite number {want}"));
    }
    Ok(v)
}

impl EffortConfig {
    /// Parses an effort configuration (TOML text, see the module docs).
    pub fn parse(text: &str) -> Result<EffortConfig, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        let d = EffortConfig::default();
        let mut c = EffortConfig {
            hours_per_day: check(
                "hours_per_day",
                f.hours_per_day.unwrap_or(d.hours_per_day),
                false,
            )?,
            simple_below: check(
                "simple_below",
                f.simple_below.unwrap_or(d.simple_below),
                true,
            )?,
            complex_above: check(
                "complex_above",
                f.complex_above.unwrap_or(d.complex_above),
                true,
            )?,
            level_b_max_days: check(
                "level_b_max_days",
                f.level_b_max_days.unwrap_or(d.level_b_max_days),
                true,
            )?,
            hours: BTreeMap::new(),
        };
        if c.complex_above < c.simple_below {
            return Err(format!(
                "complex_above ({}) must not be below simple_below ({})",
                c.complex_above, c.simple_below
            ));
        }
        for (code, h) in f.hours {
            let Some(entry) = crate::rules::lookup(&code) else {
                return Err(format!(
                    "[hours] {code}: unknown action item (see `schemac explain CODE`)"
                ));
            };
            let h = check(&format!("[hours] {code}"), h, true)?;
            c.hours.insert(entry.code.to_string(), h);
        }
        Ok(c)
    }

    /// Hours of one occurrence of `code`: the override, else the catalog's effort.
    pub fn hours(&self, code: &Code) -> f64 {
        match self.hours.get(code.code) {
            Some(h) => *h,
            None => f64::from(code.effort),
        }
    }

    pub fn is_overridden(&self, code: &Code) -> bool {
        self.hours.contains_key(code.code)
    }

    pub fn complexity(&self, hours: f64) -> Complexity {
        if hours < self.simple_below {
            Complexity::Simple
        } else if hours <= self.complex_above {
            Complexity::Medium
        } else {
            Complexity::Complex
        }
    }

    /// The overall migration level: A when no finding needs a person (`manual` or `blocker`),
    /// else B up to `level_b_max_days` person-days, else C.
    pub fn level(&self, complex_findings: u64, person_days: f64) -> Level {
        if complex_findings == 0 {
            Level::A
        } else if person_days <= self.level_b_max_days {
            Level::B
        } else {
            Level::C
        }
    }

    /// The formulas, in words, with the values in force.
    pub fn formula(&self) -> String {
        format!(
            "hours = sum over every finding of the hours of its action item (catalog effort{}); \
             person-days = hours / {}; an object is simple below {} h, medium from {} h to {} h, \
             complex above {} h (the sum of its findings' hours)",
            if self.hours.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} code(s) overridden by --effort-config",
                    self.hours.len()
                )
            },
            fmt_num(self.hours_per_day),
            fmt_num(self.simple_below),
            fmt_num(self.simple_below),
            fmt_num(self.complex_above),
            fmt_num(self.complex_above),
        )
    }

    pub fn level_formula(&self) -> String {
        format!(
            "A if no finding is manual or blocker; otherwise B if person-days <= {}; otherwise C",
            fmt_num(self.level_b_max_days)
        )
    }
}

/// `8` or `2.5`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    Simple,
    Medium,
    Complex,
}

impl Complexity {
    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Simple => "simple",
            Complexity::Medium => "medium",
            Complexity::Complex => "complex",
        }
    }
}

/// ora2pg-style migration level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    A,
    B,
    C,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::B => "B",
            Level::C => "C",
        }
    }
    pub fn description(self, cfg: &EffortConfig) -> String {
        match self {
            Level::A => "migration that can run automatically (at most review)".to_string(),
            Level::B => format!(
                "migration with code rewrite, up to {} person-day(s)",
                fmt_num(cfg.level_b_max_days)
            ),
            Level::C => format!(
                "migration with code rewrite, more than {} person-day(s)",
                fmt_num(cfg.level_b_max_days)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::codes;

    #[test]
    fn defaults_and_overrides() {
        let d = EffortConfig::default();
        assert_eq!(d.hours(&codes::PLSQL_NOT_CONVERTED), 4.0);
        let c = EffortConfig::parse(
            "hours_per_day = 7.5\nlevel_b_max_days = 10\n[hours]\npls001 = 12\nTYP001 = 0.25\n",
        )
        .unwrap();
        assert_eq!(c.hours_per_day, 7.5);
        assert_eq!(c.simple_below, 2.0);
        assert_eq!(c.hours(&codes::PLSQL_NOT_CONVERTED), 12.0);
        assert_eq!(c.hours(&codes::NUMBER_UNBOUNDED), 0.25);
        assert!(c.is_overridden(&codes::PLSQL_NOT_CONVERTED));
        assert!(c.formula().contains("2 code(s) overridden"));
        assert!(c.level_formula().contains("<= 10"));
        assert_eq!(EffortConfig::parse("").unwrap(), d);
    }

    #[test]
    fn errors() {
        for bad in [
            "[hours]\nXYZ999 = 1\n",
            "hours_per_day = 0\n",
            "hours_per_day = -1\n",
            "bogus = 1\n",
            "simple_below = 8\ncomplex_above = 2\n",
            "[hours]\nPLS001 = \"lots\"\n",
            "[hours]\nPLS001 = nan\n",
            "not toml at all [",
        ] {
            assert!(EffortConfig::parse(bad).is_err(), "{bad}");
        }
        let e = EffortConfig::parse("[hours]\nXYZ999 = 1\n").unwrap_err();
        assert!(e.contains("XYZ999"), "{e}");
    }

    #[test]
    fn buckets_and_levels() {
        let d = EffortConfig::default();
        assert_eq!(d.complexity(0.0), Complexity::Simple);
        assert_eq!(d.complexity(1.99), Complexity::Simple);
        assert_eq!(d.complexity(2.0), Complexity::Medium);
        assert_eq!(d.complexity(6.0), Complexity::Medium);
        assert_eq!(d.complexity(6.5), Complexity::Complex);
        assert_eq!(d.level(0, 100.0), Level::A);
        assert_eq!(d.level(3, 5.0), Level::B);
        assert_eq!(d.level(3, 5.01), Level::C);
        assert_eq!(fmt_num(8.0), "8");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(1.626), "1.63");
    }
}

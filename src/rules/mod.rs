//! Typed access to the declarative data in `rules/` (embedded at compile time).

pub mod codes;

use crate::diag::Code;

/// The catalog entry of a code (`"PRS001"`, case-insensitive).
pub fn lookup(code: &str) -> Option<&'static Code> {
    codes::ALL
        .iter()
        .copied()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The catalog page (Markdown with its TOML front matter) of a code (case-insensitive).
pub fn doc(code: &str) -> Option<&'static str> {
    codes::DOCS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_page() {
        assert_eq!(codes::ALL.len(), codes::DOCS.len());
        for c in codes::ALL {
            let page = doc(c.code).expect("page");
            assert!(page.contains(&format!("code = \"{}\"", c.code)));
            assert!(std::ptr::eq(lookup(c.code).unwrap(), *c));
        }
        assert_eq!(lookup("prs001").map(|c| c.name), Some("syntax-error"));
        assert!(lookup("XYZ999").is_none());
        assert!(doc("").is_none());
    }
}

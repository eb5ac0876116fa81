//! Source files, file ids, byte spans and the line index.
//!
//! Invariant: a [`Span`] is a half-open byte range `[start, end)` into the text of the
//! [`SourceFile`] named by its `file`; offsets are `u32` (inputs over 4 GiB are refused).
//! Text is always valid UTF-8 after decoding (see [`decode`]).

use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }
    /// The smallest span covering both (same file assumed; `self`'s file wins).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How the bytes of a file were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Invalid UTF-8, read as Latin-1 (ISO 8859-1): every byte is one character.
    Latin1Fallback,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as given by the user (or relative to the input root), `/`-separated; used in
    /// reports and output headers.
    pub name: String,
    /// Where the file is on disk, if it came from disk (used to resolve `@@file` includes).
    pub path: Option<PathBuf>,
    pub text: String,
    pub encoding: Encoding,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(id: FileId, name: impl Into<String>, text: String) -> SourceFile {
        let line_starts = line_starts(&text);
        SourceFile {
            id,
            name: name.into(),
            path: None,
            text,
            encoding: Encoding::Utf8,
            line_starts,
        }
    }

    pub fn from_bytes(id: FileId, name: impl Into<String>, bytes: &[u8]) -> SourceFile {
        let (text, encoding) = decode(bytes);
        let mut f = SourceFile::new(id, name, text);
        f.encoding = encoding;
        f
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() as u32 + 1;
        (line as u32 + 1, col)
    }

    /// The 1-based line of a byte offset (no column: no character count).
    pub fn line(&self, offset: u32) -> u32 {
        let offset = offset.min(self.text.len() as u32);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// [`SourceFile::line`] for offsets that mostly grow: `hint` is the previous answer of
    /// this file (0 at first) and is updated; the search gallops forward from it.
    pub fn line_hinted(&self, offset: u32, hint: &mut u32) -> u32 {
        let offset = offset.min(self.text.len() as u32);
        let ls = &self.line_starts;
        let h = (*hint as usize).min(ls.len());
        // The line is the number of line starts at or before `offset`.
        let n = if h > 0 && ls[h - 1] <= offset {
            // Invariant: every start in `ls[..lo]` is at or before `offset`.
            let mut lo = h;
            let mut step = 1;
            while lo + step <= ls.len() && ls[lo + step - 1] <= offset {
                lo += step;
                step *= 2;
            }
            let end = (lo + step - 1).min(ls.len());
            lo + ls[lo..end].partition_point(|&s| s <= offset)
        } else {
            ls.partition_point(|&s| s <= offset)
        };
        *hint = n as u32;
        n as u32
    }

    pub fn slice(&self, span: Span) -> &str {
        let len = self.text.len();
        let mut s = (span.start as usize).min(len);
        let mut e = (span.end as usize).min(len).max(s);
        while !self.text.is_char_boundary(s) {
            s -= 1;
        }
        while !self.text.is_char_boundary(e) {
            e += 1;
        }
        &self.text[s..e]
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut v = vec![0u32];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            v.push(i as u32 + 1);
        }
    }
    v
}

/// Decodes file bytes: a UTF-8 BOM is dropped, UTF-16 with a BOM is decoded, invalid UTF-8
/// falls back to Latin-1 (never fails, never panics).
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), Encoding::Utf8Bom),
            Err(_) => (latin1(rest), Encoding::Latin1Fallback),
        };
    }
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let (a, b) = (c[0], *c.get(1).unwrap_or(&0));
                if le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            })
            .collect();
        let s = String::from_utf16_lossy(&units);
        return (
            s,
            if le {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            },
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => (latin1(bytes), Encoding::Latin1Fallback),
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// All files of one run. Files are appended (inputs first, then includes as they are found);
/// a `FileId` is an index into `files`.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, bytes: &[u8]) -> FileId {
        let id = FileId(self.files.len() as u32);
        let mut f = SourceFile::from_bytes(id, name, bytes);
        f.path = path;
        self.files.push(f);
        id
    }
    pub fn add_text(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(id, name, text.into()));
        id
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn find_path(&self, p: &Path) -> Option<FileId> {
        self.files
            .iter()
            .find(|f| f.path.as_deref() == Some(p))
            .map(|f| f.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let f = SourceFile::new(FileId(0), "a.sql", "ab\néx y\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(6), (2, 3));
    }

    #[test]
    fn line_hinted_agrees_with_line() {
        let text: String = (0..200).map(|i| "x".repeat(i % 7) + "\n").collect();
        let f = SourceFile::new(FileId(0), "a.sql", text.clone());
        let len = text.len() as u32 + 3;
        let mut hint = 0;
        // Growing, repeated, jumping back and past the end.
        let offsets = (0..len)
            .chain((0..len).step_by(37))
            .chain([5, 5, 900, 0, len]);
        for o in offsets {
            assert_eq!(f.line_hinted(o, &mut hint), f.line(o), "offset {o}");
        }
    }

    #[test]
    fn decode_bom_and_latin1() {
        assert_eq!(decode(b"\xEF\xBB\xBFselect").0, "select");
        let (s, e) = decode(b"caf\xE9");
        assert_eq!(s, "café");
        assert_eq!(e, Encoding::Latin1Fallback);
        let (s, e) = decode(&[0xFF, 0xFE, b'a', 0, b'b', 0]);
        assert_eq!((s.as_str(), e), ("ab", Encoding::Utf16Le));
    }
}

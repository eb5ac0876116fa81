//! A small Markdown renderer for the catalog pages shown in the HTML report: headings,
//! paragraphs, fenced code, `-`/`*`/`1.` lists, inline `code` and `**bold**`. Everything else
//! is text. Every piece of text is HTML-escaped; links are rendered as their text (the report
//! never points at the network).

use handlebars::html_escape;

/// HTML of a Markdown text. Headings are demoted by `demote` levels (a page's `#` becomes
/// `h{1 + demote}`), capped at `h6`.
pub fn to_html(md: &str, demote: usize) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<&'static str> = None;
    let mut code: Option<String> = None;
    for line in md.lines() {
        if let Some(buf) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push_str(&html_escape(buf));
                out.push_str("</code></pre>\n");
                code = None;
            } else {
                buf.push_str(line);
                buf.push('\n');
            }
            continue;
        }
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            flush(&mut out, &mut para, &mut list);
            let lang: String = info.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if lang.is_empty() {
                out.push_str("<pre><code>");
            } else {
                out.push_str(&format!("<pre><code class=\"lang-{lang}\">"));
            }
            code = Some(String::new());
            continue;
        }
        if t.is_empty() {
            flush(&mut out, &mut para, &mut list);
            continue;
        }
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            flush(&mut out, &mut para, &mut list);
            let level = (hashes + demote).min(6);
            out.push_str(&format!(
                "<h{level}>{}</h{level}>\n",
                inline(t[hashes..].trim())
            ));
            continue;
        }
        let item = if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            Some(("ul", rest))
        } else {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && t[digits..].starts_with(". ")).then(|| ("ol", &t[digits + 2..]))
        };
        if let Some((kind, rest)) = item {
            if !para.is_empty() {
                flush_para(&mut out, &mut para);
            }
            if list != Some(kind) {
                close_list(&mut out, &mut list);
                out.push_str(&format!("<{kind}>\n"));
                list = Some(kind);
            }
            out.push_str(&format!("<li>{}</li>\n", inline(rest)));
            continue;
        }
        if list.is_some() && line.starts_with([' ', '\t']) {
            // A continuation line of the last list item: append it to that item.
            if out.ends_with("</li>\n") {
                out.truncate(out.len() - "</li>\n".len());
                out.push(' ');
                out.push_str(&inline(t));
                out.push_str("</li>\n");
                continue;
            }
        }
        close_list(&mut out, &mut list);
        para.push(t);
    }
    if let Some(buf) = code {
        out.push_str(&html_escape(&buf));
        out.push_str("</code></pre>\n");
    }
    flush(&mut out, &mut para, &mut list);
    out
}

fn flush_para(out: &mut String, para: &mut Vec<&str>) {
    if !para.is_empty() {
        out.push_str("<p>");
        out.push_str(&inline(&para.join(" ")));
        out.push_str("</p>\n");
        para.clear();
    }
}

fn close_list(out: &mut String, list: &mut Option<&'static str>) {
    if let Some(kind) = list.take() {
        out.push_str(&format!("</{kind}>\n"));
    }
}

fn flush(out: &mut String, para: &mut Vec<&str>, list: &mut Option<&'static str>) {
    flush_para(out, para);
    close_list(out, list);
}

/// Inline markup: `code`, **bold**, [text](target) -> text. Unmatched markers are text.
fn inline(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('`')
            && let Some(end) = r.find('`')
        {
            out.push_str("<code>");
            out.push_str(&html_escape(&r[..end]));
            out.push_str("</code>");
            rest = &r[end + 1..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("**")
            && let Some(end) = r.find("**")
            && end > 0
        {
            out.push_str("<strong>");
            out.push_str(&inline(&r[..end]));
            out.push_str("</strong>");
            rest = &r[end + 2..];
            continue;
        }
        if let Some(r) = rest.strip_prefix('[')
            && let Some(close) = r.find("](")
            && let Some(paren) = r[close + 2..].find(')')
        {
            out.push_str(&inline(&r[..close]));
            rest = &r[close + 2 + paren + 1..];
            continue;
        }
        // Plain text up to the next marker.
        let mut chars = rest.char_indices();
        chars.next();
        let next = chars
            .find(|&(_, c)| matches!(c, '`' | '*' | '['))
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&html_escape(&rest[..next]));
        rest = &rest[next..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let md = "# T1 name\n\n## What\n\nA `x<y` and **bold** & [link](http://e.x).\nmore\n\n\
                  - one\n- two `<b>`\n  continued\n\n1. first\n2. second\n\n```sql\nselect '<script>';\n```\n\
                  trailing * star and `unclosed\n";
        let h = to_html(md, 2);
        assert_eq!(
            h,
            "<h3>T1 name</h3>\n<h4>What</h4>\n\
             <p>A <code>x&lt;y</code> and <strong>bold</strong> &amp; link. more</p>\n\
             <ul>\n<li>one</li>\n<li>two <code>&lt;b&gt;</code> continued</li>\n</ul>\n\
             <ol>\n<li>first</li>\n<li>second</li>\n</ol>\n\
             <pre><code class=\"lang-sql\">select &#x27;&lt;script&gt;&#x27;;\n</code></pre>\n\
             <p>trailing * star and &#x60;unclosed</p>\n"
        );
        assert!(!h.contains("http"));
    }

    #[test]
    fn unterminated_code_and_odd_input() {
        assert_eq!(
            to_html("```\n<x>", 0),
            "<pre><code>&lt;x&gt;\n</code></pre>\n"
        );
        assert_eq!(to_html("####### seven", 0), "<p>####### seven</p>\n");
        assert_eq!(to_html("", 0), "");
        assert_eq!(to_html("**", 0), "<p>**</p>\n");
        assert_eq!(to_html("é`é", 0), "<p>é&#x60;é</p>\n");
    }
}

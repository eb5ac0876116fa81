//! Inline SVG bar charts for the HTML report: no script, no network, prints as vectors.
//! Every label is escaped.

use std::fmt::Write;

use handlebars::html_escape;

use super::effort::fmt_num;

/// One series of a stacked bar chart: its name (legend) and colour.
pub struct Series {
    pub name: &'static str,
    pub color: &'static str,
}

pub const STATUS: [Series; 4] = [
    Series {
        name: "converted",
        color: "#3f8f4f",
    },
    Series {
        name: "review",
        color: "#d9a91e",
    },
    Series {
        name: "manual",
        color: "#e0702b",
    },
    Series {
        name: "blocker",
        color: "#b8322a",
    },
];

pub const SEVERITY: [Series; 4] = [
    Series {
        name: "info",
        color: "#7d9fc8",
    },
    Series {
        name: "review",
        color: "#d9a91e",
    },
    Series {
        name: "manual",
        color: "#e0702b",
    },
    Series {
        name: "blocker",
        color: "#b8322a",
    },
];

pub const HOURS: [Series; 1] = [Series {
    name: "hours",
    color: "#4a6fa5",
}];

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 170.0;
const VALUE_W: f64 = 70.0;
const ROW_H: f64 = 22.0;
const BAR_H: f64 = 15.0;
const TOP: f64 = 26.0;

/// A horizontal stacked bar chart: one bar per row, one segment per series.
pub fn stacked_bars(title: &str, series: &[Series], rows: &[(String, Vec<f64>)]) -> String {
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.0f64, f64::max);
    let height = TOP + ROW_H * rows.len().max(1) as f64 + 8.0;
    let bar_w = WIDTH - LABEL_W - VALUE_W;
    let mut s = String::new();
    let t = html_escape(title);
    let _ = write!(
        s,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>"
    );
    // Legend.
    if series.len() > 1 {
        let mut x = LABEL_W;
        for se in series {
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{}\"/>\
                 <text x=\"{}\" y=\"13\" font-size=\"11\">{}</text>",
                se.color,
                x + 14.0,
                html_escape(se.name)
            );
            x += 24.0 + 7.0 * se.name.len() as f64;
        }
    }
    if rows.is_empty() {
        let _ = write!(
            s,
            "<text x=\"{LABEL_W}\" y=\"{}\" font-size=\"12\" fill=\"#666\">nothing to show</text>",
            TOP + 14.0
        );
    }
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let shown: String = if label.chars().count() > 26 {
            let mut l: String = label.chars().take(25).collect();
            l.push('\u{2026}');
            l
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL_W - 6.0,
            y + 12.0,
            html_escape(label),
            html_escape(&shown)
        );
        let mut x = LABEL_W;
        let total: f64 = values.iter().sum();
        for (v, se) in values.iter().zip(series) {
            if *v <= 0.0 || max <= 0.0 {
                continue;
            }
            let w = (v / max * bar_w).max(1.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\" fill=\"{}\">\
                 <title>{}: {} {}</title></rect>",
                se.color,
                html_escape(label),
                fmt_num(*v),
                html_escape(se.name)
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{}</text>",
            x + 4.0,
            y + 12.0,
            fmt_num(total)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_scales() {
        let svg = stacked_bars(
            "t<1>",
            &STATUS,
            &[
                ("<script>x</script>".into(), vec![1.0, 1.0, 0.0, 0.0]),
                ("b".into(), vec![4.0, 0.0, 0.0, 0.0]),
            ],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("t&lt;1&gt;"));
        // The longest bar spans the whole bar area.
        assert!(svg.contains("width=\"400.0\""), "{svg}");
        let empty = stacked_bars("e", &HOURS, &[]);
        assert!(empty.contains("nothing to show"));
        let zero = stacked_bars("z", &HOURS, &[("a".into(), vec![0.0])]);
        assert!(!zero.contains("<rect"));
    }
}

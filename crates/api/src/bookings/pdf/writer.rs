//! A small PDF 1.4 writer: pages of text lines in the standard Helvetica and Helvetica-Bold fonts
//! (WinAnsiEncoding, so no font is embedded) and straight rules. Enough for a booking
//! confirmation; nothing is compressed, and the cross-reference table gives every object's exact
//! byte offset.

use std::fmt::Write as _;

/// A4, in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }
}

/// One page's content stream.
#[derive(Debug, Clone, Default)]
pub struct Page {
    ops: String,
}

impl Page {
    /// `text` with its baseline starting at (`x`, `y`), from the bottom-left corner.
    pub fn text(&mut self, x: f32, y: f32, font: Font, size: f32, text: &str) {
        let _ = writeln!(
            self.ops,
            "BT /{} {size:.1} Tf {x:.2} {y:.2} Td ({}) Tj ET",
            font.resource(),
            escape(&win_ansi(text))
        );
    }

    /// `text` ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, text: &str) {
        self.text(right - width(text, font, size), y, font, size, text);
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        let _ = writeln!(
            self.ops,
            "{thickness:.2} w {x1:.2} {y:.2} m {x2:.2} {y:.2} l S"
        );
    }
}

/// The text in WinAnsiEncoding (Windows-1252); characters it lacks become `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        })
        .collect()
}

/// A PDF literal string's content: `(`, `)` and `\` escaped, bytes outside ASCII as octal.
fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out
}

/// Widths (thousandths of the size) of ASCII 32..=126 in Helvetica, from its AFM metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// The same for Helvetica-Bold.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// How wide `text` is set in `font` at `size` points (characters beyond ASCII count as an
/// average letter).
pub fn width(text: &str, font: Font, size: f32) -> f32 {
    let table = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    let units: u32 = win_ansi(text)
        .iter()
        .map(|&b| match b {
            32..=126 => u32::from(table[usize::from(b - 32)]),
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Splits `text` into lines no wider than `max` (a word longer than a line gets a line of its
/// own).
pub fn wrap(text: &str, font: Font, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(&candidate, font, size) > max {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The document's metadata.
pub struct Info<'a> {
    pub title: &'a str,
    /// `D:YYYYMMDDHHmmSSZ`.
    pub created: &'a str,
}

/// The whole file.
pub fn render(pages: &[Page], info: &Info<'_>) -> Vec<u8> {
    // Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the info dictionary, then a page
    // and its content stream for each page.
    let page_id = |i: usize| 6 + 2 * i;
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_id(i)))
        .collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    for base in ["Helvetica", "Helvetica-Bold"] {
        objects.push(
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
            )
            .into_bytes(),
        );
    }
    objects.push(
        format!(
            "<< /Title ({}) /Producer (wink-supplier) /CreationDate ({}) >>",
            escape(&win_ansi(info.title)),
            escape(&win_ansi(info.created))
        )
        .into_bytes(),
    );
    for (i, page) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH:.0} {PAGE_HEIGHT:.0}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                page_id(i) + 1
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", page.ops.len()).into_bytes();
        stream.extend_from_slice(page.ops.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_encoded() {
        assert_eq!(win_ansi("Café – 5 €"), b"Caf\xe9 \x96 5 \x80");
        assert_eq!(win_ansi("กรุงเทพ"), b"???????");
        assert_eq!(escape(b"a(b)c\\d\xe9"), "a\\(b\\)c\\\\d\\351");
    }

    #[test]
    fn widths_follow_the_metrics() {
        assert_eq!(width("0", Font::Regular, 10.0), 5.56);
        assert!(width("Wi", Font::Bold, 10.0) > width("Wi", Font::Regular, 10.0));
        let lines = wrap("one two three four", Font::Regular, 10.0, 40.0);
        assert_eq!(lines, ["one two", "three", "four"]);
    }

    #[test]
    fn offsets_point_at_their_objects() {
        let mut page = Page::default();
        page.text(50.0, 800.0, Font::Bold, 12.0, "Hello (world)");
        page.rule(50.0, 545.0, 790.0, 0.5);
        let pdf = render(
            &[page.clone(), page],
            &Info {
                title: "t",
                created: "D:20300101000000Z",
            },
        );
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let find = |needle: &[u8]| {
            pdf.windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let tail = std::str::from_utf8(&pdf[find(b"startxref\n")..]).unwrap();
        let start: usize = tail.lines().nth(1).unwrap().parse().unwrap();
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        assert!(table.starts_with("xref\n0 10\n"));
        for (n, line) in table.lines().skip(3).take(9).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert_eq!(line.len(), 19, "a 20-byte entry with its newline");
            let header = format!("{} 0 obj\n", n + 1);
            assert!(
                pdf[offset..].starts_with(header.as_bytes()),
                "object {}",
                n + 1
            );
        }
    }
}

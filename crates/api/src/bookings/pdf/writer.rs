//! Pages of text lines and straight rules, written as PDF by `krilla`: every font embedded as a
//! subset with its ToUnicode map (so the text can be searched and copied), text shaped (marks,
//! kerning, ligatures) and each run of characters set in the first font that has them (see
//! [`crate::fonts`]).

use std::collections::BTreeSet;

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::TextDirection;

use crate::fonts::{Fonts, Weight};

/// A4, in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;

#[derive(Debug, Clone)]
enum Op {
    /// A line of text whose baseline starts at (`x`, `y`), or ends there when `right`.
    Text {
        x: f32,
        y: f32,
        weight: Weight,
        size: f32,
        text: String,
        right: bool,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        thickness: f32,
    },
}

/// One page's drawing, coordinates in points from the bottom-left corner.
#[derive(Debug, Clone, Default)]
pub struct Page {
    ops: Vec<Op>,
}

/// Control characters (a newline in a stored name) are drawn as spaces.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Page {
    /// `text` with its baseline starting at (`x`, `y`).
    pub fn text(&mut self, x: f32, y: f32, weight: Weight, size: f32, text: &str) {
        self.ops.push(Op::Text {
            x,
            y,
            weight,
            size,
            text: printable(text),
            right: false,
        });
    }

    /// `text` ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, weight: Weight, size: f32, text: &str) {
        self.ops.push(Op::Text {
            x: right,
            y,
            weight,
            size,
            text: printable(text),
            right: true,
        });
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.ops.push(Op::Rule {
            x1,
            x2,
            y,
            thickness,
        });
    }
}

/// The document's metadata.
pub struct Info<'a> {
    pub title: &'a str,
    pub created: chrono::DateTime<chrono::Utc>,
}

/// The whole file; errors only when a font cannot be embedded.
pub fn render(pages: &[Page], info: &Info<'_>, fonts: &Fonts) -> Result<Vec<u8>, String> {
    use chrono::{Datelike, Timelike};
    let mut document = Document::new();
    let created = info.created;
    document.set_metadata(
        Metadata::new()
            .title(info.title.to_string())
            .producer("wink-supplier".into())
            .creation_date(
                DateTime::new(created.year().clamp(0, 9999) as u16)
                    .month(created.month() as u8)
                    .day(created.day() as u8)
                    .hour(created.hour() as u8)
                    .minute(created.minute() as u8)
                    .second(created.second() as u8)
                    .utc_offset_hour(0)
                    .utc_offset_minute(0),
            ),
    );
    let size = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a page size");
    // Characters no font has, each logged once per document.
    let mut missing: BTreeSet<char> = BTreeSet::new();
    for page in pages {
        let mut pdf_page = document.start_page_with(size.clone());
        let mut surface = pdf_page.surface();
        for op in &page.ops {
            match op {
                Op::Text {
                    x,
                    y,
                    weight,
                    size,
                    text,
                    right,
                } => {
                    let runs = fonts.runs(text, *weight);
                    let width: f32 = runs.iter().map(|r| r.face.width(r.text, *size)).sum();
                    let mut at = if *right { x - width } else { *x };
                    for run in runs {
                        if run.missing {
                            missing.extend(run.text.chars());
                        }
                        surface.draw_text(
                            Point::from_xy(at, PAGE_HEIGHT - y),
                            run.face.pdf(),
                            *size,
                            run.text,
                            false,
                            TextDirection::Auto,
                        );
                        at += run.face.width(run.text, *size);
                    }
                }
                Op::Rule {
                    x1,
                    x2,
                    y,
                    thickness,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, PAGE_HEIGHT - y);
                    path.line_to(*x2, PAGE_HEIGHT - y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: *thickness,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        // Text is black by default, with neither fill nor stroke set.
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        pdf_page.finish();
    }
    for c in missing {
        tracing::warn!(
            code_point = %format!("U+{:04X}", c as u32),
            "no font has a glyph for U+{:04X}: drawn as the missing-glyph box (add a font that \
             has it to a font directory, see font_dirs)",
            c as u32
        );
    }
    document
        .finish()
        .map_err(|e| format!("writing the PDF: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_come_out_as_a_pdf() {
        let fonts = Fonts::new(vec![]);
        let mut page = Page::default();
        page.text(50.0, 800.0, Weight::Bold, 12.0, "Hello (world) สมชาย");
        page.text_right(545.0, 800.0, Weight::Regular, 10.0, "1,025.00\nTHB");
        page.rule(50.0, 545.0, 790.0, 0.5);
        let pdf = render(
            &[page.clone(), page],
            &Info {
                title: "t",
                created: chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
            },
            &fonts,
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"/FontFile2"), "the fonts are embedded");
        assert!(has(b"/ToUnicode"));
        assert!(has(b"NotoSansThai-Bold"));
        assert!(!has(b"Helvetica"));
    }
}

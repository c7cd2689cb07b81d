//! The fonts documents are set in, and which font draws which character.
//!
//! Bundled with the binary (`crates/api/fonts/`, SIL Open Font License): Noto Sans (Latin with
//! extended Latin, Greek, Cyrillic) and Noto Sans Thai, each in a regular and a bold weight.
//! Everything else (CJK, Arabic, Devanagari...) comes from the configured font directories
//! (`font_dirs`, by default the system's font folders), scanned once, when a document first
//! needs a character the bundled fonts lack.
//!
//! Text is split into runs, each drawn with the first font that has the run's characters: the
//! bundled fonts first, then the directories' fonts (in path order, preferring an upright face of
//! the wanted weight). A character no font has is drawn as the bundled font's missing-glyph box,
//! and the document logs a warning naming its code point: never a silent `?`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::time::Instant;

use rustybuzz::ttf_parser;

/// The weight text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// The OpenType weight class.
    fn class(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::Bold => 700,
        }
    }
}

/// One font face: parsed for shaping and measuring, and ready to embed in a PDF.
pub struct Face {
    /// The file name (and index in a collection) it came from, for logs and tests.
    pub name: String,
    shaper: rustybuzz::Face<'static>,
    pdf: krilla::text::Font,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    fn new(name: String, data: &'static [u8], index: u32) -> Option<Face> {
        Some(Face {
            name,
            shaper: rustybuzz::Face::from_slice(data, index)?,
            pdf: krilla::text::Font::new(krilla::Data::from(data), index)?,
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The face for the PDF writer.
    pub fn pdf(&self) -> krilla::text::Font {
        self.pdf.clone()
    }

    /// How wide `text` is set in this face at `size` points, shaped (kerning, marks, ligatures).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i64 = shaped
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        units as f32 * size / self.shaper.units_per_em() as f32
    }
}

/// A piece of text drawn with one face.
#[derive(Debug, Clone)]
pub struct Run<'t> {
    pub face: Arc<Face>,
    pub text: &'t str,
    /// No font has these characters: `face` draws them as its missing-glyph box.
    pub missing: bool,
}

static NOTO_SANS: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
static NOTO_SANS_THAI: &[u8] = include_bytes!("../fonts/NotoSansThai-Regular.ttf");
static NOTO_SANS_THAI_BOLD: &[u8] = include_bytes!("../fonts/NotoSansThai-Bold.ttf");

/// The bundled faces of each weight, in the order they are tried: parsed once per process.
static BUNDLED: LazyLock<[Vec<Arc<Face>>; 2]> = LazyLock::new(|| {
    let face = |name: &str, data: &'static [u8]| {
        Arc::new(Face::new(name.into(), data, 0).expect("the bundled fonts parse"))
    };
    [
        vec![
            face("NotoSans-Regular.ttf", NOTO_SANS),
            face("NotoSansThai-Regular.ttf", NOTO_SANS_THAI),
        ],
        vec![
            face("NotoSans-Bold.ttf", NOTO_SANS_BOLD),
            face("NotoSansThai-Bold.ttf", NOTO_SANS_THAI_BOLD),
        ],
    ]
});

fn bundled(weight: Weight) -> &'static [Arc<Face>] {
    match weight {
        Weight::Regular => &BUNDLED[0],
        Weight::Bold => &BUNDLED[1],
    }
}

/// The system's font folders, the default of `font_dirs` (those missing are skipped).
pub fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs
}

/// A face found in a font directory: where it is and which characters it has.
#[derive(Debug)]
struct Candidate {
    path: PathBuf,
    index: u32,
    weight: u16,
    italic: bool,
    /// Sorted, disjoint, inclusive ranges of the code points its character map covers.
    coverage: Vec<(u32, u32)>,
}

impl Candidate {
    fn has(&self, c: char) -> bool {
        let c = c as u32;
        let at = self.coverage.partition_point(|&(_, end)| end < c);
        self.coverage.get(at).is_some_and(|&(start, _)| start <= c)
    }
}

/// Which face draws a character in a weight (`None`: no font has it).
type Choices = HashMap<(char, Weight), Option<Arc<Face>>>;

/// The faces loaded from the directories, by file and index in the file.
type Loaded = HashMap<(PathBuf, u32), Arc<Face>>;

/// The font book of a server: the bundled faces, then the configured directories.
pub struct Fonts {
    dirs: Vec<PathBuf>,
    /// The directories' faces, scanned on first need.
    index: OnceLock<Vec<Candidate>>,
    /// The directories' answers so far.
    chosen: Mutex<Choices>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("dirs", &self.dirs).finish()
    }
}

impl Fonts {
    /// The bundled fonts, then those in `dirs` (folders searched recursively, in this order).
    pub fn new(dirs: Vec<PathBuf>) -> Fonts {
        Fonts {
            dirs,
            index: OnceLock::new(),
            chosen: Mutex::new(HashMap::new()),
        }
    }

    /// The face that draws `c` in `weight`, if any font has it.
    pub fn face_for(&self, c: char, weight: Weight) -> Option<Arc<Face>> {
        if let Some(face) = bundled(weight).iter().find(|f| f.has(c)) {
            return Some(face.clone());
        }
        if self.dirs.is_empty() {
            return None;
        }
        let mut chosen = self.chosen.lock().unwrap_or_else(|e| e.into_inner());
        chosen
            .entry((c, weight))
            .or_insert_with(|| self.in_dirs(c, weight))
            .clone()
    }

    /// The best face of the directories for `c`: upright before italic, then the nearest weight,
    /// then the first in path order.
    fn in_dirs(&self, c: char, weight: Weight) -> Option<Arc<Face>> {
        let index = self.index.get_or_init(|| scan(&self.dirs));
        let best = index
            .iter()
            .filter(|f| f.has(c))
            .min_by_key(|f| (f.italic, f.weight.abs_diff(weight.class())))?;
        load(&best.path, best.index)
    }

    /// `text` split into runs of one face each, for `weight`. Spaces stay in the run they are
    /// in when its face has them; a character no font has makes a run of its own, marked
    /// `missing`, drawn by the first bundled face.
    pub fn runs<'t>(&self, text: &'t str, weight: Weight) -> Vec<Run<'t>> {
        let primary = &bundled(weight)[0];
        let mut runs: Vec<Run<'t>> = Vec::new();
        let mut start = 0;
        let mut current: Option<(Arc<Face>, bool)> = None;
        for (at, c) in text.char_indices() {
            let keep = c.is_whitespace()
                && current
                    .as_ref()
                    .is_some_and(|(face, missing)| !missing && face.has(c));
            if keep {
                continue;
            }
            let (face, missing) = match self.face_for(c, weight) {
                Some(face) => (face, false),
                None => (primary.clone(), true),
            };
            match &current {
                Some((f, m)) if Arc::ptr_eq(f, &face) && *m == missing => {}
                _ => {
                    if let Some((f, m)) = current.take()
                        && at > start
                    {
                        runs.push(Run {
                            face: f,
                            text: &text[start..at],
                            missing: m,
                        });
                    }
                    start = at;
                    current = Some((face, missing));
                }
            }
        }
        if let Some((face, missing)) = current
            && start < text.len()
        {
            runs.push(Run {
                face,
                text: &text[start..],
                missing,
            });
        }
        runs
    }

    /// How wide `text` is set in `weight` at `size` points.
    pub fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.runs(text, weight)
            .iter()
            .map(|r| r.face.width(r.text, size))
            .sum()
    }

    /// Splits `text` into lines no wider than `max` (a word longer than a line gets a line of
    /// its own).
    pub fn wrap(&self, text: &str, weight: Weight, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, weight, size) > max {
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
}

/// Font files read from the directories, kept for the life of the process (a face borrows its
/// bytes; each file is read once however many servers or documents use it).
static LOADED: LazyLock<Mutex<Loaded>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static FILES: LazyLock<Mutex<HashMap<PathBuf, &'static [u8]>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn load(path: &Path, index: u32) -> Option<Arc<Face>> {
    let key = (path.to_path_buf(), index);
    if let Some(face) = LOADED.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(face.clone());
    }
    let data = {
        let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
        match files.get(path) {
            Some(data) => *data,
            None => {
                let bytes = std::fs::read(path)
                    .map_err(|e| tracing::warn!(path = %path.display(), "reading a font: {e}"))
                    .ok()?;
                let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                files.insert(path.to_path_buf(), data);
                data
            }
        }
    };
    let name = match index {
        0 => file_name(path),
        i => format!("{}#{i}", file_name(path)),
    };
    let face = Arc::new(Face::new(name, data, index)?);
    tracing::info!(font = %face.name, path = %path.display(), "font loaded for documents");
    LOADED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, face.clone());
    Some(face)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every face in `dirs` with the characters it covers.
fn scan(dirs: &[PathBuf]) -> Vec<Candidate> {
    let started = Instant::now();
    let mut files = Vec::new();
    for dir in dirs {
        let mut found = Vec::new();
        font_files(dir, 0, &mut found);
        found.sort();
        files.extend(found);
    }
    let mut faces = Vec::new();
    for path in &files {
        let Ok(data) = std::fs::read(path) else {
            continue;
        };
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        for index in 0..count {
            let Ok(face) = ttf_parser::Face::parse(&data, index) else {
                continue;
            };
            let coverage = coverage(&face);
            if coverage.is_empty() {
                continue;
            }
            faces.push(Candidate {
                path: path.clone(),
                index,
                weight: face.weight().to_number(),
                italic: face.is_italic() || face.is_oblique(),
                coverage,
            });
        }
    }
    tracing::info!(
        files = files.len(),
        faces = faces.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "font directories scanned"
    );
    faces
}

/// Font files under `dir` (symbolic links to folders are not followed).
fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if depth < 8 {
                font_files(&path, depth + 1, out);
            }
        } else {
            let font = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttf", "otf", "ttc", "otc"]
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            });
            if font {
                out.push(path);
            }
        }
    }
}

/// The code points a face's Unicode character maps cover, as ranges.
fn coverage(face: &ttf_parser::Face<'_>) -> Vec<(u32, u32)> {
    let mut points = Vec::new();
    if let Some(cmap) = face.tables().cmap {
        for table in cmap.subtables {
            if table.is_unicode() {
                table.codepoints(|c| {
                    if table.glyph_index(c).is_some_and(|g| g.0 != 0) {
                        points.push(c);
                    }
                });
            }
        }
    }
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in points {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faces(fonts: &Fonts, text: &str, weight: Weight) -> Vec<(String, String, bool)> {
        fonts
            .runs(text, weight)
            .into_iter()
            .map(|r| (r.face.name.clone(), r.text.to_string(), r.missing))
            .collect()
    }

    #[test]
    fn bundled_fonts_cover_latin_greek_cyrillic_and_thai() {
        let fonts = Fonts::new(vec![]);
        for text in [
            "Müller-Łukasiewicz",
            "Zażółć gęślą jaźń",
            "Щербакова",
            "Παπαδόπουλος",
        ] {
            assert_eq!(
                faces(&fonts, text, Weight::Regular),
                [("NotoSans-Regular.ttf".into(), text.into(), false)]
            );
        }
        assert_eq!(
            faces(&fonts, "สมชาย Müller", Weight::Bold),
            [
                ("NotoSansThai-Bold.ttf".into(), "สมชาย ".into(), false),
                ("NotoSans-Bold.ttf".into(), "Müller".into(), false),
            ]
        );
    }

    #[test]
    fn a_character_no_font_has_is_a_run_of_its_own() {
        // U+0E5C is unassigned: no font maps it.
        let fonts = Fonts::new(vec![]);
        assert_eq!(
            faces(&fonts, "a\u{e5c}b 王", Weight::Regular),
            [
                ("NotoSans-Regular.ttf".into(), "a".into(), false),
                ("NotoSans-Regular.ttf".into(), "\u{e5c}".into(), true),
                ("NotoSans-Regular.ttf".into(), "b ".into(), false),
                ("NotoSans-Regular.ttf".into(), "王".into(), true),
            ]
        );
    }

    #[test]
    fn widths_are_shaped_and_wrap_follows_them() {
        let fonts = Fonts::new(vec![]);
        let w = fonts.width("0", Weight::Regular, 10.0);
        assert!((w - 5.72).abs() < 0.01, "{w}");
        assert!(
            fonts.width("Wide", Weight::Bold, 10.0) > fonts.width("Wide", Weight::Regular, 10.0)
        );
        // Thai vowels above a consonant take no room of their own.
        assert_eq!(
            fonts.width("ที่", Weight::Regular, 10.0),
            fonts.width("ท", Weight::Regular, 10.0)
        );
        let lines = fonts.wrap("one two three four", Weight::Regular, 10.0, 40.0);
        assert_eq!(lines, ["one two", "three", "four"]);
    }

    #[test]
    fn coverage_ranges_answer_membership() {
        let c = Candidate {
            path: PathBuf::new(),
            index: 0,
            weight: 400,
            italic: false,
            coverage: vec![(0x41, 0x5a), (0x4e00, 0x9fff)],
        };
        assert!(c.has('A') && c.has('Z') && c.has('王'));
        assert!(!c.has('a') && !c.has('@'));
    }
}

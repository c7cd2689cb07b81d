//! What an uploaded file is, read from its bytes: the type from its magic number (never from the
//! file name or the declared type), and its width and height from the image header or the video
//! container's metadata. Only the contract's types are kept: gif, jpeg, png, bmp, tiff (images),
//! avi, mpeg, mov, mp4, mkv (videos).
//!
//! A [`Probe`] is fed the file as it streams past (it never holds the whole file): it keeps the
//! first [`HEAD_BYTES`] and, for MP4/QuickTime, walks the top-level boxes of the whole stream so
//! that a `moov` box written after the media data (no "fast start") is still found; of that box it
//! keeps at most [`MOOV_BYTES`] (track headers come first in it).
//!
//! The parsers are small on purpose (no crate reads both image headers and these four containers
//! without decoding): PNG `IHDR`, GIF logical screen, BMP `BITMAPINFOHEADER`, TIFF first IFD tags
//! 256/257, JPEG `SOFn`; MP4/MOV the first `trak/tkhd` with a non-zero size, AVI `avih`, MPEG the
//! sequence header, Matroska `Segment/Tracks/TrackEntry/Video/PixelWidth,PixelHeight`.

/// How much of a file's beginning is kept for probing.
pub const HEAD_BYTES: usize = 1 << 20;
/// How much of an MP4/QuickTime `moov` box is kept for probing.
pub const MOOV_BYTES: usize = 1 << 20;

/// The file types the contract accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Gif,
    Jpeg,
    Png,
    Bmp,
    Tiff,
    Avi,
    Mpeg,
    Mov,
    Mp4,
    Mkv,
}

impl MediaType {
    pub const ALL: [MediaType; 10] = [
        MediaType::Gif,
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Bmp,
        MediaType::Tiff,
        MediaType::Avi,
        MediaType::Mpeg,
        MediaType::Mov,
        MediaType::Mp4,
        MediaType::Mkv,
    ];

    /// The stored name (also the file extension).
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Gif => "gif",
            MediaType::Jpeg => "jpeg",
            MediaType::Png => "png",
            MediaType::Bmp => "bmp",
            MediaType::Tiff => "tiff",
            MediaType::Avi => "avi",
            MediaType::Mpeg => "mpeg",
            MediaType::Mov => "mov",
            MediaType::Mp4 => "mp4",
            MediaType::Mkv => "mkv",
        }
    }

    pub fn parse(name: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The `Content-Type` the file is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Gif => "image/gif",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Bmp => "image/bmp",
            MediaType::Tiff => "image/tiff",
            MediaType::Avi => "video/x-msvideo",
            MediaType::Mpeg => "video/mpeg",
            MediaType::Mov => "video/quicktime",
            MediaType::Mp4 => "video/mp4",
            MediaType::Mkv => "video/x-matroska",
        }
    }

    pub fn is_video(self) -> bool {
        matches!(
            self,
            MediaType::Avi | MediaType::Mpeg | MediaType::Mov | MediaType::Mp4 | MediaType::Mkv
        )
    }

    /// The type of a file that starts with `head`, if it is one of the contract's.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        let at = |i: usize, magic: &[u8]| head.get(i..i + magic.len()) == Some(magic);
        if at(0, b"GIF87a") || at(0, b"GIF89a") {
            Some(MediaType::Gif)
        } else if at(0, &[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if at(0, b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if at(0, b"BM") && head.len() >= 26 {
            Some(MediaType::Bmp)
        } else if at(0, b"II*\0") || at(0, b"MM\0*") {
            Some(MediaType::Tiff)
        } else if at(0, b"RIFF") && at(8, b"AVI ") {
            Some(MediaType::Avi)
        } else if at(0, &[0, 0, 1, 0xBA]) || at(0, &[0, 0, 1, 0xB3]) {
            Some(MediaType::Mpeg)
        } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
            // EBML: Matroska, not WebM (the same container under another DocType).
            let doc = head.get(..64.min(head.len())).unwrap_or_default();
            doc.windows(8)
                .any(|w| w == b"matroska")
                .then_some(MediaType::Mkv)
        } else if at(4, b"ftyp") {
            if at(8, b"qt  ") {
                Some(MediaType::Mov)
            } else {
                Some(MediaType::Mp4)
            }
        } else if at(4, b"moov") || at(4, b"mdat") || at(4, b"wide") {
            // QuickTime files from before `ftyp`.
            Some(MediaType::Mov)
        } else {
            None
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    #[error(
        "is not one of the accepted types (gif, jpeg, png, bmp, tiff, avi, mpeg, mov, mp4, mkv), judged by its content"
    )]
    UnsupportedType,
    #[error("is a {0} whose width and height could not be read")]
    NoDimensions(&'static str),
    #[error("is empty")]
    Empty,
}

/// What a probed file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probed {
    pub media_type: MediaType,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// Reads a file's type and size as it streams past (see the module's documentation).
#[derive(Debug, Default)]
pub struct Probe {
    head: Vec<u8>,
    total: u64,
    boxes: BoxWalker,
}

impl Probe {
    pub fn new() -> Probe {
        Probe::default()
    }

    /// The next bytes of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD_BYTES {
            let n = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        self.total += chunk.len() as u64;
        self.boxes.feed(chunk);
    }

    /// The type, once enough bytes have been seen to tell (`None` before, or when it is none of
    /// the contract's types).
    pub fn media_type(&self) -> Option<MediaType> {
        MediaType::sniff(&self.head)
    }

    /// Bytes seen so far.
    pub fn bytes(&self) -> u64 {
        self.total
    }

    /// The verdict once the whole file has been fed.
    pub fn finish(self) -> Result<Probed, ProbeError> {
        if self.total == 0 {
            return Err(ProbeError::Empty);
        }
        let media_type = MediaType::sniff(&self.head).ok_or(ProbeError::UnsupportedType)?;
        let head = &self.head[..];
        let size = match media_type {
            MediaType::Png => png(head),
            MediaType::Gif => gif(head),
            MediaType::Bmp => bmp(head),
            MediaType::Tiff => tiff(head),
            MediaType::Jpeg => jpeg(head),
            MediaType::Avi => avi(head),
            MediaType::Mpeg => mpeg(head),
            MediaType::Mkv => mkv(head),
            MediaType::Mp4 | MediaType::Mov => self.boxes.moov.as_deref().and_then(moov),
        };
        match size {
            Some((width, height)) if width >= 1 && height >= 1 => Ok(Probed {
                media_type,
                width,
                height,
                bytes: self.total,
            }),
            _ => Err(ProbeError::NoDimensions(media_type.as_str())),
        }
    }
}

/// Probes a whole file held in memory (tests, small files).
pub fn probe(bytes: &[u8]) -> Result<Probed, ProbeError> {
    let mut p = Probe::new();
    p.feed(bytes);
    p.finish()
}

fn be16(b: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32)
}
fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn be64(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(i..i + 8)?.try_into().ok()?))
}
fn le16(b: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32)
}
fn le32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn png(b: &[u8]) -> Option<(u32, u32)> {
    (b.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(b, 16)?, be32(b, 20)?))
}

fn gif(b: &[u8]) -> Option<(u32, u32)> {
    Some((le16(b, 6)?, le16(b, 8)?))
}

fn bmp(b: &[u8]) -> Option<(u32, u32)> {
    if le32(b, 14)? == 12 {
        // BITMAPCOREHEADER: 16-bit sizes.
        return Some((le16(b, 18)?, le16(b, 20)?));
    }
    let w = le32(b, 18)? as i32;
    let h = le32(b, 22)? as i32; // negative: rows stored top-down
    Some((w.unsigned_abs(), h.unsigned_abs()))
}

fn tiff(b: &[u8]) -> Option<(u32, u32)> {
    let little = b.get(0..2)? == b"II";
    let u16_at = |i: usize| if little { le16(b, i) } else { be16(b, i) };
    let u32_at = |i: usize| if little { le32(b, i) } else { be32(b, i) };
    let ifd = u32_at(4)? as usize;
    let entries = u16_at(ifd)? as usize;
    let (mut width, mut height) = (None, None);
    for e in 0..entries {
        let at = ifd + 2 + 12 * e;
        let tag = u16_at(at)?;
        let kind = u16_at(at + 2)?;
        let value = match kind {
            3 => u16_at(at + 8)?,
            4 => u32_at(at + 8)?,
            _ => continue,
        };
        match tag {
            256 => width = Some(value),
            257 => height = Some(value),
            _ => {}
        }
    }
    Some((width?, height?))
}

fn jpeg(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    loop {
        // Markers may be padded with 0xFF.
        while *b.get(i)? == 0xFF && *b.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = be16(b, i + 2)? as usize;
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            // length, precision, height, width
            return Some((be16(b, i + 7)?, be16(b, i + 5)?));
        }
        i += 2 + len;
    }
}

fn avi(b: &[u8]) -> Option<(u32, u32)> {
    let at = b.windows(4).position(|w| w == b"avih")?;
    // fourcc, size, then eight DWORDs before dwWidth and dwHeight.
    Some((le32(b, at + 40)?, le32(b, at + 44)?))
}

fn mpeg(b: &[u8]) -> Option<(u32, u32)> {
    let at = b.windows(4).position(|w| w == [0, 0, 1, 0xB3])?;
    let s = b.get(at + 4..at + 7)?;
    let width = ((s[0] as u32) << 4) | ((s[1] as u32) >> 4);
    let height = (((s[1] & 0x0F) as u32) << 8) | s[2] as u32;
    Some((width, height))
}

/// An EBML variable-length integer at `i`: (value, length). With `mask`, the length marker bit
/// is removed (sizes); without, it is kept (element ids).
fn vint(b: &[u8], i: usize, mask: bool) -> Option<(u64, usize)> {
    let first = *b.get(i)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut value = if mask {
        (first as u64) & (0xFF >> len)
    } else {
        first as u64
    };
    for k in 1..len {
        value = (value << 8) | *b.get(i + k)? as u64;
    }
    Some((value, len))
}

fn mkv(b: &[u8]) -> Option<(u32, u32)> {
    const SEGMENT: u64 = 0x1853_8067;
    const TRACKS: u64 = 0x1654_AE6B;
    const TRACK_ENTRY: u64 = 0xAE;
    const VIDEO: u64 = 0xE0;
    const PIXEL_WIDTH: u64 = 0xB0;
    const PIXEL_HEIGHT: u64 = 0xBA;
    fn walk(b: &[u8], mut i: usize, end: usize, size: &mut (u32, u32)) -> Option<()> {
        while i < end.min(b.len()) {
            let (id, id_len) = vint(b, i, false)?;
            let (len, len_len) = vint(b, i + id_len, true)?;
            let body = i + id_len + len_len;
            let unknown = len == (1u64 << (7 * len_len)) - 1;
            let stop = if unknown {
                end
            } else {
                body.saturating_add(len as usize)
            };
            match id {
                SEGMENT | TRACKS | TRACK_ENTRY | VIDEO => {
                    let _ = walk(b, body, stop, size);
                    if size.0 > 0 && size.1 > 0 {
                        return Some(());
                    }
                }
                PIXEL_WIDTH | PIXEL_HEIGHT => {
                    let mut v: u64 = 0;
                    for k in 0..(len as usize).min(8) {
                        v = (v << 8) | *b.get(body + k)? as u64;
                    }
                    let v = u32::try_from(v).ok()?;
                    if id == PIXEL_WIDTH {
                        size.0 = v;
                    } else {
                        size.1 = v;
                    }
                }
                _ => {}
            }
            i = stop;
        }
        Some(())
    }
    let mut size = (0, 0);
    let _ = walk(b, 0, b.len(), &mut size);
    (size.0 > 0 && size.1 > 0).then_some(size)
}

/// Boxes inside `b` (a box's content): (type, content start, content end).
fn boxes(b: &[u8]) -> impl Iterator<Item = ([u8; 4], usize, usize)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let size = be32(b, i)? as u64;
        let kind: [u8; 4] = b.get(i + 4..i + 8)?.try_into().ok()?;
        let (header, size) = match size {
            0 => (8, (b.len() - i) as u64),
            1 => (16, be64(b, i + 8)?),
            n => (8, n),
        };
        if size < header {
            return None;
        }
        let start = i + header as usize;
        let end = i.saturating_add(size as usize).min(b.len());
        i = i.saturating_add(size as usize);
        Some((kind, start, end))
    })
}

/// The first track's size in a `moov` box's content: `trak/tkhd` width and height (16.16 fixed).
fn moov(b: &[u8]) -> Option<(u32, u32)> {
    for (kind, start, end) in boxes(b) {
        if &kind != b"trak" {
            continue;
        }
        let trak = &b[start..end];
        for (kind, start, _) in boxes(trak) {
            if &kind != b"tkhd" {
                continue;
            }
            let at = match *trak.get(start)? {
                1 => start + 88,
                _ => start + 76,
            };
            let (w, h) = (be32(trak, at)? >> 16, be32(trak, at + 4)? >> 16);
            if w > 0 && h > 0 {
                return Some((w, h));
            }
        }
    }
    None
}

/// Walks the top-level boxes of an MP4/QuickTime stream and keeps the start of `moov`.
#[derive(Debug, Default)]
struct BoxWalker {
    pos: u64,
    next: u64,
    header: Vec<u8>,
    header_start: u64,
    capture_left: u64,
    moov: Option<Vec<u8>>,
    done: bool,
}

impl BoxWalker {
    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() && !self.done {
            if self.capture_left > 0 {
                let n = (self.capture_left.min(data.len() as u64)) as usize;
                if let Some(moov) = &mut self.moov {
                    let room = MOOV_BYTES.saturating_sub(moov.len()).min(n);
                    moov.extend_from_slice(&data[..room]);
                }
                self.capture_left -= n as u64;
                self.pos += n as u64;
                data = &data[n..];
                continue;
            }
            if self.pos < self.next {
                let n = ((self.next - self.pos).min(data.len() as u64)) as usize;
                self.pos += n as u64;
                data = &data[n..];
                continue;
            }
            if self.header.is_empty() {
                self.header_start = self.pos;
            }
            let want = if self.header.len() >= 8 && be32(&self.header, 0) == Some(1) {
                16
            } else {
                8
            };
            let n = (want - self.header.len()).min(data.len());
            self.header.extend_from_slice(&data[..n]);
            self.pos += n as u64;
            data = &data[n..];
            if self.header.len() < 8 {
                continue;
            }
            let size32 = be32(&self.header, 0).unwrap_or(0);
            if size32 == 1 && self.header.len() < 16 {
                continue;
            }
            let header_len = self.header.len() as u64;
            let kind = &self.header[4..8];
            let is_moov = kind == b"moov" && self.moov.is_none();
            let size = match size32 {
                0 => None,
                1 => be64(&self.header, 8),
                n => Some(n as u64),
            };
            match size {
                Some(size) if size < header_len => self.done = true,
                Some(size) => {
                    self.next = self.header_start + size;
                    if is_moov {
                        self.moov = Some(Vec::new());
                        self.capture_left = size - header_len;
                    }
                }
                None => {
                    // The box runs to the end of the file.
                    if is_moov {
                        self.moov = Some(Vec::new());
                        self.capture_left = u64::MAX;
                    } else {
                        self.done = true;
                    }
                }
            }
            self.header.clear();
        }
    }
}

/// The media list of an item whose answer requires at least one (room types, spas, restaurants,
/// meeting rooms, places, attractions, activities, add-ons): removing one of `count` media is
/// refused when it is the last, naming `multimedias`.
pub fn may_remove_medium(count: usize) -> Result<(), crate::DomainError> {
    if count <= 1 {
        return Err(crate::DomainError::invalid(
            "multimedias",
            "this is the last medium, and at least one is required: upload or add another first",
        ));
    }
    Ok(())
}

/// Sample files (tests, the demo): a real PNG image, and headers of each type.
pub mod samples {
    /// A complete PNG image of `w`×`h` pixels of one colour (8-bit RGB, stored uncompressed):
    /// any viewer shows it.
    pub fn solid_png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= b as u32;
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        // Scanlines: filter byte 0, then the pixels.
        let row: Vec<u8> = std::iter::once(0)
            .chain(rgb.iter().copied().cycle().take(3 * w as usize))
            .collect();
        let raw = row.repeat(h as usize);
        // zlib stream of stored deflate blocks (at most 65535 bytes each), then Adler-32.
        let mut z = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
        for (i, block) in blocks.iter().enumerate() {
            z.push(u8::from(i + 1 == blocks.len()));
            let len = block.len() as u16;
            z.extend_from_slice(&len.to_le_bytes());
            z.extend_from_slice(&(!len).to_le_bytes());
            z.extend_from_slice(block);
        }
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in &raw {
            a = (a + byte as u32) % 65_521;
            b = (b + a) % 65_521;
        }
        z.extend_from_slice(&((b << 16) | a).to_be_bytes());
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &z);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    /// A PNG header (signature and IHDR) of `w`×`h`.
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    /// An MP4 of `w`×`h` with `payload` bytes of media data before its `moov` (no fast start).
    pub fn mp4(w: u32, h: u32, payload: usize) -> Vec<u8> {
        fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
            let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
            b.extend_from_slice(kind);
            b.extend_from_slice(body);
            b
        }
        let mut tkhd = vec![0u8; 84];
        tkhd[76..80].copy_from_slice(&(w << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(h << 16).to_be_bytes());
        let audio = boxed(b"trak", &boxed(b"tkhd", &[0u8; 84]));
        let video = boxed(b"trak", &boxed(b"tkhd", &tkhd));
        let moov = boxed(
            b"moov",
            &[boxed(b"mvhd", &[0u8; 100]), audio, video].concat(),
        );
        [
            boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"),
            boxed(b"mdat", &vec![0u8; payload]),
            moov,
        ]
        .concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_and_mp4_sizes_are_read() {
        let p = probe(&samples::png(640, 480)).unwrap();
        assert_eq!(
            (p.media_type, p.width, p.height),
            (MediaType::Png, 640, 480)
        );
        let v = probe(&samples::mp4(1920, 1080, 10)).unwrap();
        assert_eq!(
            (v.media_type, v.width, v.height),
            (MediaType::Mp4, 1920, 1080)
        );
    }

    #[test]
    fn an_mp4_fed_in_small_pieces_with_moov_after_a_large_mdat_is_read() {
        let file = samples::mp4(1280, 720, 3 * HEAD_BYTES);
        for piece in [1usize, 7, 4096, 1 << 20] {
            let mut p = Probe::new();
            for chunk in file.chunks(piece.max(1)) {
                p.feed(chunk);
            }
            let probed = p.finish().unwrap();
            assert_eq!(
                (probed.width, probed.height),
                (1280, 720),
                "pieces of {piece}"
            );
            assert_eq!(probed.bytes, file.len() as u64);
        }
    }

    #[test]
    fn a_solid_png_is_a_png_of_its_size() {
        let png = samples::solid_png(300, 200, [10, 20, 30]);
        let p = probe(&png).unwrap();
        assert_eq!(
            (p.media_type, p.width, p.height),
            (MediaType::Png, 300, 200)
        );
        assert!(png.ends_with(&[0xAE, 0x42, 0x60, 0x82]), "IEND's CRC");
    }

    #[test]
    fn images_of_each_type() {
        let gif = [b"GIF89a".as_slice(), &[0x20, 0x01, 0x10, 0x00]].concat();
        assert_eq!(probe(&gif).map(|p| (p.width, p.height)), Ok((288, 16)));

        let mut bmp = vec![0u8; 54];
        bmp[..2].copy_from_slice(b"BM");
        bmp[14..18].copy_from_slice(&40u32.to_le_bytes());
        bmp[18..22].copy_from_slice(&300i32.to_le_bytes());
        bmp[22..26].copy_from_slice(&(-200i32).to_le_bytes());
        assert_eq!(probe(&bmp).map(|p| (p.width, p.height)), Ok((300, 200)));

        // Big-endian TIFF: IFD at 8 with two SHORT entries.
        let mut tiff = b"MM\0*\0\0\0\x08\0\x02".to_vec();
        tiff.extend_from_slice(&[1, 0, 0, 3, 0, 0, 0, 1, 0, 50, 0, 0]);
        tiff.extend_from_slice(&[1, 1, 0, 3, 0, 0, 0, 1, 0, 40, 0, 0]);
        assert_eq!(probe(&tiff).map(|p| (p.width, p.height)), Ok((50, 40)));

        // JPEG: SOI, an APP0 segment, SOF0 with height 100 and width 200.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8, 0, 100, 0, 200, 3]);
        assert_eq!(probe(&jpeg).map(|p| (p.width, p.height)), Ok((200, 100)));
    }

    #[test]
    fn videos_of_each_type() {
        let mut avi = b"RIFF\0\0\0\0AVI LIST\0\0\0\0hdrlavih\x38\0\0\0".to_vec();
        avi.extend_from_slice(&[0u8; 32]);
        avi.extend_from_slice(&640u32.to_le_bytes());
        avi.extend_from_slice(&360u32.to_le_bytes());
        assert_eq!(probe(&avi).map(|p| (p.width, p.height)), Ok((640, 360)));

        // 720×576 = 0x2D0 × 0x240.
        let mpeg = [0, 0, 1, 0xB3, 0x2D, 0x02, 0x40, 0x33];
        assert_eq!(probe(&mpeg).map(|p| (p.width, p.height)), Ok((720, 576)));

        let mut mkv = vec![0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x82, 0x88];
        mkv.extend_from_slice(b"matroska");
        // Segment (unknown size) > Tracks > TrackEntry > Video > PixelWidth 854, PixelHeight 480
        let video = [0xB0, 0x82, 0x03, 0x56, 0xBA, 0x82, 0x01, 0xE0];
        let entry = [&[0xE0, 0x80 | video.len() as u8][..], &video].concat();
        let track = [&[0xAE, 0x80 | entry.len() as u8][..], &entry].concat();
        let tracks = [
            &[0x16, 0x54, 0xAE, 0x6B, 0x80 | track.len() as u8][..],
            &track,
        ]
        .concat();
        mkv.extend_from_slice(&[
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        mkv.extend_from_slice(&[0xEC, 0x82, 0, 0]); // a Void element first
        mkv.extend_from_slice(&tracks);
        assert_eq!(
            probe(&mkv).map(|p| (p.media_type, p.width, p.height)),
            Ok((MediaType::Mkv, 854, 480))
        );

        let mut mov = samples::mp4(320, 240, 0);
        mov[8..12].copy_from_slice(b"qt  ");
        assert_eq!(probe(&mov).map(|p| p.media_type), Ok(MediaType::Mov));
    }

    #[test]
    fn the_last_medium_stays() {
        assert!(may_remove_medium(2).is_ok());
        let refused = may_remove_medium(1).unwrap_err();
        assert_eq!(refused.field(), "multimedias");
        assert!(may_remove_medium(0).is_err());
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        assert_eq!(probe(elf), Err(ProbeError::UnsupportedType));
        assert_eq!(probe(b""), Err(ProbeError::Empty));
        // WebM is Matroska under another name: not in the contract's list.
        let webm = [
            &[0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x84][..],
            b"webm",
        ]
        .concat();
        assert_eq!(probe(&webm), Err(ProbeError::UnsupportedType));
        // A PNG signature with nothing after it: no size, refused.
        assert_eq!(
            probe(b"\x89PNG\r\n\x1a\n"),
            Err(ProbeError::NoDimensions("png"))
        );
        // A zero-sized image is refused too (the contract requires at least 1).
        assert_eq!(
            probe(&samples::png(0, 10)),
            Err(ProbeError::NoDimensions("png"))
        );
    }
}

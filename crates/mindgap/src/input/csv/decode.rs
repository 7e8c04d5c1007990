//! Text encodings of CSV exports: told from the first bytes when not given,
//! decoded to UTF-8 as the file streams.
//!
//! Excel writes UTF-16 with a byte order mark ("Unicode text"); Russian CRMs
//! and 1C write Windows-1251, older mail systems KOI8-R; western Excel
//! Windows-1252. The first [`PEEK`] bytes decide:
//!
//! 1. a byte order mark: UTF-8, UTF-16LE or UTF-16BE, whatever was said;
//! 2. valid UTF-8 (an encoding said to be single-byte but a file that is
//!    valid UTF-8 with letters beyond ASCII is UTF-8: Windows-1251 text is
//!    never valid UTF-8): UTF-8;
//! 3. zero bytes at every other place: UTF-16 without a mark;
//! 4. otherwise the encoding said, or the one it looks like: Cyrillic
//!    (runs of bytes from 0xC0) is Windows-1251 or KOI8-R, whichever reads
//!    it as the commoner Russian letters (capitals in one are small letters
//!    in the other, so case cannot tell); UTF-16 by its zero bytes. Isolated high bytes tell too
//!    little (Windows-1252, or UTF-8 with a broken byte): the file is read
//!    as UTF-8 and each row that is not is named; `"encoding":
//!    "windows-1252"` reads it.
//!
//! What was assumed is said ([`Decoded::assumed`]) and becomes a note.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::words::{Msg, Sentence};

/// Bytes looked at to tell the encoding.
const PEEK: usize = 64 << 10;

/// A text encoding of a CSV file. As JSON its name (`"windows-1251"`), or
/// any spelling [`Encoding::parse`] reads (`"cp1251"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16, little-endian unless a byte order mark says otherwise
    /// (Excel's "Unicode text").
    Utf16,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1251 (Cyrillic; Russian CRMs and 1C).
    Windows1251,
    /// KOI8-R (Cyrillic).
    Koi8R,
    /// Windows-1252 (western European Excel).
    Windows1252,
}

crate::util::names!(Encoding {
    Utf8 => "utf-8",
    Utf16 => "utf-16",
    Utf16Be => "utf-16be",
    Windows1251 => "windows-1251",
    Koi8R => "koi8-r",
    Windows1252 => "windows-1252",
});

impl Serialize for Encoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Encoding, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Encoding::parse(&name).ok_or_else(|| {
            let known: Vec<&str> = Encoding::ALL.iter().map(|e| e.as_str()).collect();
            serde::de::Error::custom(format!(
                "unknown encoding {name:?}; the encodings are: {}",
                known.join(", ")
            ))
        })
    }
}

impl Encoding {
    /// Every encoding, for messages.
    pub const ALL: [Encoding; 6] = [
        Encoding::Utf8,
        Encoding::Utf16,
        Encoding::Utf16Be,
        Encoding::Windows1251,
        Encoding::Koi8R,
        Encoding::Windows1252,
    ];

    /// Parses a name as the options spell it (`cp1251`, `utf-16le`, …).
    pub fn parse(name: &str) -> Option<Encoding> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-16" | "utf-16le" | "utf16" => Encoding::Utf16,
            "utf-16be" => Encoding::Utf16Be,
            "windows-1251" | "cp1251" | "win-1251" => Encoding::Windows1251,
            "koi8-r" | "koi8r" => Encoding::Koi8R,
            "windows-1252" | "cp1252" | "latin-1" => Encoding::Windows1252,
            _ => return None,
        })
    }
}

/// What the first bytes say.
fn bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Some((Encoding::Utf8, 3)),
        [0xFF, 0xFE, ..] => Some((Encoding::Utf16, 2)),
        [0xFE, 0xFF, ..] => Some((Encoding::Utf16Be, 2)),
        _ => None,
    }
}

/// Whether `bytes` is UTF-8 (but for a character cut at the end), or
/// UTF-8 with a few broken bytes: characters beyond ASCII written as UTF-8
/// and fewer broken sequences than those, or a single broken byte in ASCII
/// text. Such a file is read as UTF-8, and each broken row named.
fn is_utf8(bytes: &[u8], whole: bool) -> bool {
    let (mut rest, mut good, mut broken) = (bytes, 0usize, 0usize);
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                good += std::str::from_utf8(valid)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    None if !whole => break, // cut at the end of the look
                    None => {
                        broken += 1;
                        break;
                    }
                    Some(n) => {
                        broken += 1;
                        rest = &after[n..];
                    }
                }
            }
        }
    }
    broken == 0 || (good > broken) || (good == 0 && broken == 1)
}

/// UTF-16 without a byte order mark, told by its zero bytes (text has
/// none; UTF-16 has one in every other byte for Latin letters and digits).
fn utf16_without_mark(bytes: &[u8]) -> Option<Encoding> {
    let pairs = bytes.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |at: usize| {
        bytes
            .iter()
            .skip(at)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    if zeros(1) * 3 > pairs {
        Some(Encoding::Utf16)
    } else if zeros(0) * 3 > pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The encoding `bytes` (not UTF-8, no mark) looks like.
pub(crate) fn looks_like(bytes: &[u8]) -> Encoding {
    if let Some(sixteen) = utf16_without_mark(bytes) {
        return sixteen;
    }
    // Cyrillic words are runs of bytes from 0xC0 in either encoding.
    let (mut runs, mut run) = (0usize, 0usize);
    let (mut cp1251, mut koi8) = (0u64, 0u64);
    for &b in bytes {
        if b >= 0xC0 {
            let k = usize::from(b - 0xC0) % 32;
            cp1251 += u64::from(RUSSIAN_PER_MILLE[k]);
            koi8 += u64::from(RUSSIAN_PER_MILLE[KOI8_LETTER[k]]);
            run += 1;
            if run == 3 {
                runs += 1;
            }
        } else {
            run = 0;
        }
    }
    if runs == 0 {
        Encoding::Windows1252
    } else if cp1251 >= koi8 {
        // The letters, read as Windows-1251, are the commoner Russian ones
        // (whatever their case: capitals there are small letters in KOI-8).
        Encoding::Windows1251
    } else {
        Encoding::Koi8R
    }
}

/// How often each letter of the Russian alphabet (а…я, without ё) comes in
/// Russian text, per mille: Windows-1251 writes letter `k` at 0xC0 + k
/// (capital) and 0xE0 + k (small).
const RUSSIAN_PER_MILLE: [u8; 32] = [
    80, 16, 45, 17, 30, 85, 9, 16, 74, 12, 35, 44, 32, 67, 110, 28, // а…п
    47, 55, 63, 26, 3, 10, 5, 14, 7, 4, 1, 19, 17, 3, 6, 20, // р…я
];

/// KOI8-R writes at 0xC0 + k (and 0xE0 + k) the letter `KOI8_LETTER[k]`
/// of а…я: юабцдефгхийклмнопярстужвьызшэщчъ.
const KOI8_LETTER: [usize; 32] = [
    30, 0, 1, 22, 4, 5, 20, 3, 21, 8, 9, 10, 11, 12, 13, 14, //
    15, 31, 16, 17, 18, 19, 6, 2, 28, 27, 7, 24, 29, 25, 23, 26,
];

/// A CSV file's bytes as UTF-8.
pub(crate) struct Decoded<R> {
    inner: R,
    /// Bytes read but not yet handed on (decoded when `decoder` is set).
    pending: Vec<u8>,
    at: usize,
    #[cfg(feature = "encodings")]
    decoder: Option<(encoding_rs::Decoder, Vec<u8>)>,
    /// The input has ended (all of it is in `pending`, or read).
    #[cfg(feature = "encodings")]
    eof: bool,
    /// The decoder was told the input ended (`last = true`): it must not be
    /// called again (encoding_rs panics).
    #[cfg(feature = "encodings")]
    finished: bool,
    assumed: Option<Sentence>,
}

impl<R> std::fmt::Debug for Decoded<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoded")
            .field("assumed", &self.assumed)
            .finish_non_exhaustive()
    }
}

/// Reads until `buf` holds `PEEK` bytes or the input ends.
fn peek(input: &mut impl Read, file: &str) -> Result<(Vec<u8>, bool)> {
    let mut buf = vec![0; PEEK];
    let mut filled = 0;
    while filled < PEEK {
        match input.read(&mut buf[filled..]) {
            Ok(0) => {
                buf.truncate(filled);
                return Ok((buf, true));
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(Error::Io {
                    at: Location::file(file),
                    source,
                });
            }
        }
    }
    Ok((buf, false))
}

impl<R: Read> Decoded<R> {
    /// Tells the encoding of `input` (or takes `said`) from its first bytes.
    pub(crate) fn new(mut input: R, said: Option<Encoding>, file: &str) -> Result<Decoded<R>> {
        let (head, whole) = peek(&mut input, file)?;
        let sixteen = utf16_without_mark(&head);
        let (encoding, skip, assumed) = match (bom(&head), said) {
            (Some((found, skip)), Some(said)) if said != found => (
                found,
                skip,
                Some(
                    Sentence::new(Msg::EncBom)
                        .value("file", file)
                        .value("found", found)
                        .value("said", said),
                ),
            ),
            (Some((found, skip)), _) => (found, skip, None),
            (None, Some(s @ (Encoding::Utf16 | Encoding::Utf16Be))) => (s, 0, None),
            (None, _) if sixteen.is_some() => {
                let found = sixteen.unwrap_or(Encoding::Utf16);
                let note = (said != Some(found)).then(|| {
                    Sentence::new(Msg::EncSixteen)
                        .value("file", file)
                        .value("found", found)
                });
                (found, 0, note)
            }
            (None, _) if is_utf8(&head, whole) => {
                let note = match said {
                    Some(s) if s != Encoding::Utf8 && !head.is_ascii() => Some(
                        Sentence::new(Msg::EncIsUtf8)
                            .value("file", file)
                            .value("said", s),
                    ),
                    _ => None,
                };
                (Encoding::Utf8, 0, note)
            }
            (None, Some(Encoding::Utf8)) => {
                let looks = looks_like(&head);
                return Err(Error::InvalidOption {
                    option: "csv.encoding".into(),
                    message: Sentence::new(Msg::EncNotUtf8Said)
                        .value("file", file)
                        .value("looks", looks),
                });
            }
            (None, Some(said)) => (said, 0, None),
            (None, None) => match looks_like(&head) {
                // A few bytes beyond ASCII that are not UTF-8 tell too
                // little: read as UTF-8, so that each such row is named.
                Encoding::Windows1252 => (Encoding::Utf8, 0, None),
                looks => (
                    looks,
                    0,
                    Some(
                        Sentence::new(Msg::EncGuessed)
                            .value("file", file)
                            .value("looks", looks),
                    ),
                ),
            },
        };
        let mut head = head;
        head.drain(..skip);
        let mut decoded = Decoded {
            inner: input,
            pending: head,
            at: 0,
            #[cfg(feature = "encodings")]
            decoder: None,
            #[cfg(feature = "encodings")]
            eof: whole,
            #[cfg(feature = "encodings")]
            finished: false,
            assumed,
        };
        if encoding != Encoding::Utf8 {
            decoded.transcode(encoding, file)?;
        }
        Ok(decoded)
    }

    #[cfg(feature = "encodings")]
    fn transcode(&mut self, encoding: Encoding, _file: &str) -> Result<()> {
        let e = match encoding {
            Encoding::Utf8 => return Ok(()),
            Encoding::Utf16 => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1251 => encoding_rs::WINDOWS_1251,
            Encoding::Koi8R => encoding_rs::KOI8_R,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
        };
        self.decoder = Some((e.new_decoder_without_bom_handling(), Vec::new()));
        Ok(())
    }

    #[cfg(not(feature = "encodings"))]
    fn transcode(&mut self, encoding: Encoding, file: &str) -> Result<()> {
        Err(Error::InvalidOption {
            option: "csv.encoding".into(),
            message: Sentence::new(Msg::EncUtf8Only)
                .value("file", file)
                .value("looks", encoding),
        })
    }

    /// What was assumed about the encoding, when anything was.
    pub(crate) fn assumed(&self) -> Option<&Sentence> {
        self.assumed.as_ref()
    }
}

impl<R: Read> Decoded<R> {
    /// The bytes decoded and not yet handed on: `(buffer, start)`.
    fn ready(&self) -> (&[u8], usize) {
        #[cfg(feature = "encodings")]
        if let Some((_, text)) = &self.decoder {
            return (text, self.at);
        }
        (&self.pending, self.at)
    }

    /// Decodes more when nothing decoded is left; `false` at the end.
    fn fill(&mut self) -> std::io::Result<bool> {
        #[cfg(feature = "encodings")]
        if let Some((decoder, text)) = &mut self.decoder {
            while self.at >= text.len() {
                text.clear();
                self.at = 0;
                if self.pending.is_empty() {
                    if self.eof {
                        if self.finished {
                            return Ok(false);
                        }
                        self.finished = true;
                        // What an incomplete sequence at the end left (a
                        // replacement character): handed on, and the next
                        // call ends here, above.
                        let mut tail = String::with_capacity(16);
                        let _ = decoder.decode_to_string(b"", &mut tail, true);
                        text.extend_from_slice(tail.as_bytes());
                        return Ok(!text.is_empty());
                    }
                    self.pending.resize(PEEK, 0);
                    let n = loop {
                        match self.inner.read(&mut self.pending) {
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                            other => break other?,
                        }
                    };
                    self.pending.truncate(n);
                    self.eof = n == 0;
                    continue;
                }
                let room = decoder
                    .max_utf8_buffer_length(self.pending.len())
                    .unwrap_or(self.pending.len() * 3 + 16);
                let mut s = String::with_capacity(room);
                let (_, read, _) = decoder.decode_to_string(&self.pending, &mut s, false);
                self.pending.drain(..read);
                text.extend_from_slice(s.as_bytes());
            }
            return Ok(true);
        }
        Ok(self.at < self.pending.len())
    }

    /// The first decoded bytes, not handed on (for telling the delimiter).
    pub(crate) fn peek(&mut self) -> std::io::Result<&[u8]> {
        self.fill()?;
        let (buf, at) = self.ready();
        Ok(&buf[at..])
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let transcoding = {
            #[cfg(feature = "encodings")]
            {
                self.decoder.is_some()
            }
            #[cfg(not(feature = "encodings"))]
            {
                false
            }
        };
        if transcoding && !self.fill()? {
            return Ok(0);
        }
        let (buf, at) = self.ready();
        if at < buf.len() {
            let n = out.len().min(buf.len() - at);
            out[..n].copy_from_slice(&buf[at..at + n]);
            self.at += n;
            if !transcoding && self.at == self.pending.len() {
                self.pending = Vec::new();
                self.at = 0;
            }
            return Ok(n);
        }
        self.inner.read(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], said: Option<Encoding>) -> Result<(String, Option<String>)> {
        let mut d = Decoded::new(bytes, said, "t.csv")?;
        let mut s = String::new();
        d.read_to_string(&mut s).unwrap();
        Ok((s, d.assumed().map(ToString::to_string)))
    }

    #[test]
    fn utf8_passes_through_and_a_mark_decides() {
        let (s, note) = read_all("id;имя\n1;Ёж\n".as_bytes(), None).unwrap();
        assert_eq!((s.as_str(), note), ("id;имя\n1;Ёж\n", None));
        // UTF-16LE with its mark (Excel's "Unicode text"), whatever was said.
        let mut bytes = vec![0xFF, 0xFE];
        for u in "id\tимя\n1\tЁж\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        if cfg!(feature = "encodings") {
            let (s, _) = read_all(&bytes, Some(Encoding::Windows1251)).unwrap();
            assert_eq!(s, "id\tимя\n1\tЁж\n");
        }
    }

    /// Found by fuzzing (fuzz/regressions/csv): a UTF-16 file ending in half
    /// a code unit left a replacement character to hand on, and the read
    /// after it called the finished decoder again, which panics.
    #[test]
    #[cfg(feature = "encodings")]
    fn an_odd_byte_at_the_end_of_utf16_is_one_replacement_character() {
        for bytes in [
            &b"\xFE\xFFB"[..],
            b"\xFF\xFE\x41\x00\x42",
            b"\xFE\xFF\x00A\x00\n\x00",
        ] {
            let (s, _) = read_all(bytes, None).unwrap();
            assert!(s.ends_with('\u{FFFD}'), "{bytes:?}: {s:?}");
        }
    }

    #[test]
    #[cfg(feature = "encodings")]
    fn single_byte_cyrillic_is_told_and_decoded() {
        // "Дата создания;Канал\n06.12.2026;Электронная почта\n"
        let text = "Дата создания;Канал\n06.12.2026;Электронная почта\n";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(text);
        assert_eq!(looks_like(&cp1251), Encoding::Windows1251);
        assert_eq!(looks_like(&koi8), Encoding::Koi8R);
        // In capitals too (a capital in one is a small letter in the other).
        for upper in ["ИВАНОВ И.И.;ЗАКРЫТО;ЭЛЕКТРОННАЯ ПОЧТА", "ПЕТРОВА;РЕШЕНО"]
        {
            assert_eq!(
                looks_like(&encoding_rs::WINDOWS_1251.encode(upper).0),
                Encoding::Windows1251,
                "{upper}"
            );
            assert_eq!(
                looks_like(&encoding_rs::KOI8_R.encode(upper).0),
                Encoding::Koi8R,
                "{upper}"
            );
        }
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("name,city\nRené,Besançon\n");
        assert_eq!(looks_like(&latin), Encoding::Windows1252);
        let (s, note) = read_all(&cp1251, None).unwrap();
        assert_eq!(s, text);
        assert!(note.unwrap().contains("read as windows-1251"));
        let (s, _) = read_all(&koi8, Some(Encoding::Koi8R)).unwrap();
        assert_eq!(s, text);
        // Said UTF-8, but it is not: the error names what it looks like.
        let e = read_all(&cp1251, Some(Encoding::Utf8)).unwrap_err();
        assert!(e.to_string().contains("looks like windows-1251"), "{e}");
        // Said Windows-1251, but the file is UTF-8: read as UTF-8, noted.
        let (s, note) = read_all(text.as_bytes(), Some(Encoding::Windows1251)).unwrap();
        assert_eq!(s, text);
        assert!(note.unwrap().contains("read as UTF-8"));
    }

    #[test]
    #[cfg(feature = "encodings")]
    fn long_files_decode_across_reads() {
        let row = "Обращение;Электронная почта;Решено\n";
        let text: String = std::iter::repeat_n(row, 20_000).collect();
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        assert!(bytes.len() > 2 * PEEK);
        let (s, _) = read_all(&bytes, None).unwrap();
        assert_eq!(s, text);
    }

    #[test]
    fn utf8_with_a_broken_byte_stays_utf8_so_the_row_is_named() {
        let mut bytes = "id,name\n1,Ёлка\n2,x".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice(b"\n");
        assert!(is_utf8(&bytes, true));
        assert_eq!(
            Decoded::new(&bytes[..], None, "t.csv").unwrap().assumed,
            None
        );
        // ASCII with one stray byte: UTF-8 too; with several, a guess.
        assert!(is_utf8(b"a,b\n1,\xE9\n", true));
        assert!(!is_utf8(b"a,b\nRen\xE9,Besan\xE7on\n", true));
    }

    #[test]
    #[cfg(feature = "encodings")]
    fn utf16_without_a_mark_is_told_by_its_zero_bytes() {
        let text = "id\topened_at\n1\t2026-01-05\n";
        for (bytes, want) in [
            (
                text.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
                Encoding::Utf16,
            ),
            (
                text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                Encoding::Utf16Be,
            ),
        ] {
            let (s, note) = read_all(&bytes, None).unwrap();
            assert_eq!(s, text);
            assert!(note.unwrap().contains(want.as_str()));
            // Said so: read so, no note.
            assert_eq!(
                read_all(&bytes, Some(want)).unwrap(),
                (text.to_owned(), None)
            );
        }
    }

    #[test]
    fn names_parse_as_the_options_spell_them() {
        assert_eq!(Encoding::parse("CP1251"), Some(Encoding::Windows1251));
        assert_eq!(Encoding::parse("utf-16le"), Some(Encoding::Utf16));
        assert_eq!(Encoding::parse("ebcdic"), None);
        for e in Encoding::ALL {
            assert_eq!(Encoding::parse(e.as_str()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<Encoding>(&json).unwrap(), e);
        }
        // JSON reads every spelling parse reads, and says the names otherwise.
        assert_eq!(
            serde_json::from_str::<Encoding>("\"CP1251\"").unwrap(),
            Encoding::Windows1251
        );
        let e = serde_json::from_str::<Encoding>("\"ebcdic\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown encoding") && e.contains("koi8-r"),
            "{e}"
        );
    }
}

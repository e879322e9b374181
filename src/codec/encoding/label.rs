//! [`TextEncoding`]: an encoding with the name the user picked, found by label, with the
//! list a drop-down offers.

use std::fmt;
use std::str::FromStr;

use encoding_rs::Encoding;
use thiserror::Error;

/// A text encoding together with the name the user picked for it.
///
/// Several names share one `encoding_rs` implementation (GB2312 is decoded
/// and encoded as GBK, per WHATWG), but the UI should keep showing the name
/// the user chose, so both are kept. Two values are equal only when both the
/// implementation and the display name match.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEncoding {
    encoding: &'static Encoding,
    name: &'static str,
}

/// The label given to [`TextEncoding::for_label`] is not a known encoding.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "unknown encoding '{label}' — try utf-8, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252, utf-16le"
)]
pub struct UnknownEncoding {
    /// The label as given, trimmed.
    pub label: String,
}

impl TextEncoding {
    /// UTF-8.
    pub const UTF_8: Self = Self::new(&encoding_rs::UTF_8_INIT, "UTF-8");
    /// GB2312, handled as GBK (a superset) as browsers do.
    pub const GB2312: Self = Self::new(&encoding_rs::GBK_INIT, "GB2312");
    /// GBK.
    pub const GBK: Self = Self::new(&encoding_rs::GBK_INIT, "GBK");
    /// GB18030, which can encode every Unicode character.
    pub const GB18030: Self = Self::new(&encoding_rs::GB18030_INIT, "GB18030");
    /// Big5 (traditional Chinese).
    pub const BIG5: Self = Self::new(&encoding_rs::BIG5_INIT, "Big5");
    /// `Shift_JIS` (Japanese).
    pub const SHIFT_JIS: Self = Self::new(&encoding_rs::SHIFT_JIS_INIT, "Shift_JIS");
    /// EUC-JP (Japanese).
    pub const EUC_JP: Self = Self::new(&encoding_rs::EUC_JP_INIT, "EUC-JP");
    /// EUC-KR (Korean).
    pub const EUC_KR: Self = Self::new(&encoding_rs::EUC_KR_INIT, "EUC-KR");
    /// windows-1252, which WHATWG also uses for ISO-8859-1 and ASCII labels.
    pub const WINDOWS_1252: Self = Self::new(&encoding_rs::WINDOWS_1252_INIT, "windows-1252");
    /// UTF-16 little-endian, without BOM.
    pub const UTF_16LE: Self = Self::new(&encoding_rs::UTF_16LE_INIT, "UTF-16LE");
    /// UTF-16 big-endian, without BOM.
    pub const UTF_16BE: Self = Self::new(&encoding_rs::UTF_16BE_INIT, "UTF-16BE");

    const fn new(encoding: &'static Encoding, name: &'static str) -> Self {
        Self { encoding, name }
    }

    /// Looks up an encoding by any WHATWG label (`utf8`, `gb2312`, `sjis`,
    /// `latin1`, `utf-16be`, …) plus a few Windows code-page names (`cp936`),
    /// case-insensitively and ignoring surrounding whitespace.
    pub fn for_label(label: &str) -> Result<Self, UnknownEncoding> {
        let trimmed = label.trim();
        let lower = trimmed.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "cp936" | "ms936" | "windows-936" => Some("gbk"),
            "cp950" | "ms950" | "windows-950" => Some("big5"),
            "cp932" | "ms932" | "windows-932" => Some("shift_jis"),
            "cp949" | "ms949" | "windows-949" | "uhc" => Some("euc-kr"),
            "cp65001" => Some("utf-8"),
            "utf16le" | "utf_16le" | "utf-16-le" => Some("utf-16le"),
            "utf16be" | "utf_16be" | "utf-16-be" => Some("utf-16be"),
            "utf16" => Some("utf-16"),
            "latin-1" => Some("latin1"),
            _ => None,
        };
        let lookup = alias.unwrap_or(&lower);
        // The "replacement" encoding decodes everything to U+FFFD, which is
        // never what someone debugging a protocol wants.
        let Some(encoding) = Encoding::for_label_no_replacement(lookup.as_bytes()) else {
            return Err(UnknownEncoding {
                label: trimmed.to_owned(),
            });
        };
        // The WHATWG GBK label group is mostly spellings of GB2312.
        let gb2312_label = lookup.contains("2312") || matches!(lookup, "chinese" | "iso-ir-58");
        let name = if gb2312_label {
            Self::GB2312.name
        } else {
            Self::common()
                .iter()
                .find(|e| e.encoding == encoding && e.name != Self::GB2312.name)
                .map_or(encoding.name(), |e| e.name)
        };
        Ok(Self::new(encoding, name))
    }

    /// The name to show the user, e.g. `UTF-8`, `GB2312`, `GBK`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The encodings a drop-down should offer, most common first.
    pub fn common() -> &'static [TextEncoding] {
        const COMMON: [TextEncoding; 11] = [
            TextEncoding::UTF_8,
            TextEncoding::GB2312,
            TextEncoding::GBK,
            TextEncoding::GB18030,
            TextEncoding::BIG5,
            TextEncoding::SHIFT_JIS,
            TextEncoding::EUC_JP,
            TextEncoding::EUC_KR,
            TextEncoding::WINDOWS_1252,
            TextEncoding::UTF_16LE,
            TextEncoding::UTF_16BE,
        ];
        &COMMON
    }

    /// The underlying `encoding_rs` encoding.
    pub fn encoding_rs(&self) -> &'static Encoding {
        self.encoding
    }
}

impl Default for TextEncoding {
    fn default() -> Self {
        Self::UTF_8
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl FromStr for TextEncoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::for_label(s)
    }
}

//! The original name of an uploaded file, parsed once at the edge.
//!
//! A client's file name is display text, never a path: it names the download, it never makes a
//! storage key. Parsing keeps what is safe to show and to put in a header, and throws the rest
//! away instead of refusing the upload (an offline queue must not fail forever over a name).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Longest name kept, in characters.
pub const MAX_CHARS: usize = 120;

/// A file name as a client sent it, cleaned: only its last path component (after the last `/`
/// or `\`), no control characters (so no CR/LF to inject into a header), no leading dots or
/// whitespace (no `..`, no hidden files), no trailing whitespace, at most 120 characters.
/// Never empty. Cleaning a clean name changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FileName(String);

/// Nothing of the name is left once cleaned (`..`, `/`, blanks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyFileName;

impl fmt::Display for EmptyFileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "Nothing of the file name is left once its path and control characters are removed.",
        )
    }
}

impl std::error::Error for EmptyFileName {}

impl FileName {
    pub fn parse(text: &str) -> Result<FileName, EmptyFileName> {
        let last = text.rsplit(['/', '\\']).next().unwrap_or_default();
        let visible: String = last.chars().filter(|c| !c.is_control()).collect();
        let start = visible.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
        let capped = match start.char_indices().nth(MAX_CHARS) {
            Some((end, _)) => &start[..end],
            None => start,
        };
        let name = capped.trim_end();
        if name.is_empty() {
            return Err(EmptyFileName);
        }
        Ok(FileName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `Content-Disposition` of a download under this name (RFC 6266): a quoted ASCII fallback
    /// for old clients, and the exact name as RFC 8187 `filename*`.
    pub fn content_disposition(&self) -> String {
        let fallback: String = self
            .0
            .chars()
            .map(|c| match c {
                '"' | '\\' | '%' => '_',
                c if c.is_ascii() => c,
                _ => '_',
            })
            .collect();
        format!(
            "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
            percent_encode(&self.0)
        )
    }
}

/// RFC 8187 `value-chars`: `attr-char`s as they are, every other byte as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let attr_char = byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte);
        if attr_char {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl TryFrom<String> for FileName {
    type Error = EmptyFileName;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        FileName::parse(&text)
    }
}

impl From<FileName> for String {
    fn from(name: FileName) -> String {
        name.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deserializes an optional file name where a name with nothing left once cleaned is simply
/// absent, not an error: the evidence matters more than its name.
pub fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<FileName>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.and_then(|text| FileName::parse(&text).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(text: &str) -> Option<String> {
        FileName::parse(text).ok().map(String::from)
    }

    #[test]
    fn only_the_last_path_component_is_kept() {
        assert_eq!(cleaned("../../../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(cleaned("..\\..\\win.ini").as_deref(), Some("win.ini"));
        assert_eq!(cleaned("/abs/x.jpg").as_deref(), Some("x.jpg"));
        assert_eq!(
            cleaned("C:\\Users\\an\\ảnh 1.jpg").as_deref(),
            Some("ảnh 1.jpg")
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            cleaned("a.jpg\r\nSet-Cookie: x=1").as_deref(),
            Some("a.jpgSet-Cookie: x=1")
        );
        assert_eq!(cleaned("tab\there\0.pdf").as_deref(), Some("tabhere.pdf"));
        assert_eq!(
            cleaned("next\u{85}line.pdf").as_deref(),
            Some("nextline.pdf")
        );
    }

    #[test]
    fn leading_dots_and_surrounding_blanks_are_dropped() {
        assert_eq!(cleaned(".htaccess").as_deref(), Some("htaccess"));
        assert_eq!(cleaned("  . .bashrc  ").as_deref(), Some("bashrc"));
        assert_eq!(cleaned("report.v2.pdf").as_deref(), Some("report.v2.pdf"));
    }

    #[test]
    fn nothing_left_is_an_error() {
        for text in ["", "   ", "..", "../", "a/b/", "\\", "\r\n", ". . ."] {
            assert_eq!(FileName::parse(text), Err(EmptyFileName), "{text:?}");
        }
    }

    #[test]
    fn long_names_are_cut_at_120_characters_on_a_char_boundary() {
        let long = "ệ".repeat(200);

        let name = FileName::parse(&long).unwrap();

        assert_eq!(name.as_str().chars().count(), MAX_CHARS);
        assert_eq!(name.as_str(), "ệ".repeat(MAX_CHARS));
    }

    #[test]
    fn a_blank_at_the_cut_is_trimmed() {
        let text = format!("{} tail", "a".repeat(MAX_CHARS - 1));

        let name = FileName::parse(&text).unwrap();

        assert_eq!(name.as_str(), "a".repeat(MAX_CHARS - 1));
    }

    #[test]
    fn cleaning_is_idempotent() {
        for text in [
            "../../x .jpg",
            " ..\u{7}.a\\b\\ c. ",
            &format!(". {}", "ß".repeat(130)),
        ] {
            let once = FileName::parse(text).unwrap();
            assert_eq!(FileName::parse(once.as_str()).unwrap(), once, "{text:?}");
        }
    }

    #[test]
    fn content_disposition_has_an_ascii_fallback_and_the_exact_name() {
        let name = FileName::parse("Biên bản \"số 1\"; 50%.pdf").unwrap();

        assert_eq!(
            name.content_disposition(),
            "attachment; filename=\"Bi_n b_n _s_ 1_; 50_.pdf\"; \
             filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20%22s%E1%BB%91%201%22%3B%2050%25.pdf"
        );
    }

    #[test]
    fn content_disposition_never_carries_a_line_break() {
        let name = FileName::parse("x\r\nContent-Type: text/html\r\n\r\n<script>.jpg").unwrap();

        let header = name.content_disposition();

        assert!(!header.contains(['\r', '\n']), "{header}");
    }

    #[test]
    fn a_name_deserializes_cleaned_and_an_empty_one_is_refused() {
        let name: FileName = serde_json::from_str("\"../a.jpg\"").unwrap();
        assert_eq!(name.as_str(), "a.jpg");
        assert!(serde_json::from_str::<FileName>("\"..\"").is_err());
    }
}

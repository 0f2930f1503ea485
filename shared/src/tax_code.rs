//! The enterprise tax code (mã số thuế), parsed once at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A Vietnamese enterprise tax code: 10 digits for an enterprise, or 13 for a branch or other
/// dependent unit (the parent's 10 digits and a 3-digit suffix).
///
/// Canonical form: the 10 digits, and for a branch `-` and the 3 digits (`0101234567` and
/// `0101234567-001`), the way registration certificates and invoices print it. Parsing accepts
/// the branch form with or without the hyphen and ignores surrounding whitespace; nothing else
/// (no inner spaces, no letters). The check digit is not verified: the rule was not confirmed
/// against the regulation, and rejecting a real enterprise's code would be worse than
/// accepting a mistyped one that the registry lookup will not find.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

/// Why a text is not a tax code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxCodeError {
    /// A character that is neither a digit nor the branch hyphen.
    NotDigits,
    /// Not 10 digits, 13 digits, or 10 digits, `-` and 3 digits.
    WrongLength,
}

impl fmt::Display for TaxCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotDigits => "A tax code has only digits, and a hyphen before a branch suffix.",
            Self::WrongLength => {
                "A tax code has 10 digits, or 13 for a branch (written 0101234567-001)."
            }
        })
    }
}

impl std::error::Error for TaxCodeError {}

impl TaxCode {
    pub fn parse(text: &str) -> Result<TaxCode, TaxCodeError> {
        let text = text.trim();
        if !text.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(TaxCodeError::NotDigits);
        }
        let (parent, branch) = match text.split_once('-') {
            Some((parent, branch)) => (parent, Some(branch)),
            None if text.len() == 13 => (&text[..10], Some(&text[10..])),
            None => (text, None),
        };
        let parent_ok = parent.len() == 10;
        let branch_ok = branch.is_none_or(|b| b.len() == 3 && !b.contains('-'));
        if !(parent_ok && branch_ok) {
            return Err(TaxCodeError::WrongLength);
        }
        Ok(TaxCode(match branch {
            Some(branch) => format!("{parent}-{branch}"),
            None => parent.to_owned(),
        }))
    }

    /// The canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 10-digit code of the enterprise (itself, or the parent of a branch).
    pub fn enterprise(&self) -> TaxCode {
        TaxCode(self.0[..10].to_owned())
    }

    /// The 3-digit branch suffix, if this is a branch.
    pub fn branch(&self) -> Option<&str> {
        self.0.get(11..)
    }
}

impl FromStr for TaxCode {
    type Err = TaxCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = TaxCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TaxCode> for String {
    fn from(code: TaxCode) -> Self {
        code.0
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_digits_are_an_enterprise() {
        let code = TaxCode::parse("0101234567").unwrap();
        assert_eq!(code.as_str(), "0101234567");
        assert_eq!(code.branch(), None);
        assert_eq!(code.enterprise(), code);
    }

    #[test]
    fn a_branch_reads_with_or_without_the_hyphen_and_is_written_with_it() {
        for text in ["0101234567-001", "0101234567001", " 0101234567-001\n"] {
            let code = TaxCode::parse(text).unwrap();
            assert_eq!(code.as_str(), "0101234567-001", "{text:?}");
            assert_eq!(code.branch(), Some("001"));
            assert_eq!(code.enterprise().as_str(), "0101234567");
        }
    }

    #[test]
    fn wrong_lengths_are_rejected() {
        for text in [
            "",
            "010123456",
            "01012345678",
            "010123456700",
            "01012345670011",
            "0101234567-01",
            "0101234567-0011",
            "010123456-0011",
            "0101234567-",
            "0101234567--001",
            "0101234567-001-002",
        ] {
            assert_eq!(
                TaxCode::parse(text),
                Err(TaxCodeError::WrongLength),
                "{text:?}"
            );
        }
    }

    #[test]
    fn letters_and_inner_spaces_are_rejected() {
        for text in ["01012345A7", "0101234567-00a", "0101 234 567", "O101234567"] {
            assert_eq!(
                TaxCode::parse(text),
                Err(TaxCodeError::NotDigits),
                "{text:?}"
            );
        }
    }

    #[test]
    fn json_is_the_canonical_string_and_an_invalid_one_does_not_deserialise() {
        let code: TaxCode = serde_json::from_str("\"0101234567001\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"0101234567-001\"");
        assert!(serde_json::from_str::<TaxCode>("\"12345\"").is_err());
    }
}

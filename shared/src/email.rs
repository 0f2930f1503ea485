//! E-mail addresses, parsed once at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An e-mail address: trimmed and lower-cased, so that one mailbox has one spelling (and one
/// account). Lower-casing the local part is not what RFC 5321 says, but every provider our
/// users have treats it case-insensitively, and two accounts differing only in case would be a
/// support problem. The shape check is deliberately basic (one `@`, something before it, a
/// dotted domain after it, no spaces, at most 254 characters): whether the mailbox exists is
/// only known by sending to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailError;

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Not an e-mail address (expected name@example.vn).")
    }
}

impl std::error::Error for EmailError {}

impl Email {
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let text = text.trim().to_lowercase();
        let (local, domain) = text.split_once('@').ok_or(EmailError)?;
        let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty());
        let shape_ok = !local.is_empty()
            && !domain.contains('@')
            && labels_ok
            && text.chars().count() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if shape_ok {
            Ok(Email(text))
        } else {
            Err(EmailError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_trimmed_and_lower_cased() {
        let email = Email::parse("  Nguyen.Van.Kiem@ThanhTra.GOV.vn \n").unwrap();
        assert_eq!(email.as_str(), "nguyen.van.kiem@thanhtra.gov.vn");
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for text in [
            "",
            "kiem",
            "@thanhtra.gov.vn",
            "kiem@",
            "kiem@localhost",
            "kiem@thanhtra..vn",
            "kiem@.vn",
            "kiem@thanhtra.vn.",
            "kiem@@thanhtra.vn",
            "ki em@thanhtra.vn",
            "kiem@thanh@tra.vn",
        ] {
            assert_eq!(Email::parse(text), Err(EmailError), "{text:?}");
        }
        let long = format!("{}@thanhtra.vn", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError));
    }

    #[test]
    fn deserialising_normalises_and_rejects() {
        let email: Email = serde_json::from_str("\"Admin@Kiemtra.Test\"").unwrap();
        assert_eq!(email.as_str(), "admin@kiemtra.test");
        assert!(serde_json::from_str::<Email>("\"not an email\"").is_err());
    }
}

//! SHA-256 digests as the API carries them: lower-case hex in JSON and in tus metadata, base64 in
//! RFC 9530 `Content-Digest` and in tus `Upload-Checksum`.
//!
//! Nothing here hashes: the server hashes with `sha2`, the PWA with the browser's SubtleCrypto.
//! This is the one place that writes and reads the digests they exchange.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The base64 every digest header uses: the standard alphabet, padded (RFC 4648 §4).
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The algorithm's name in `Content-Digest` (RFC 9530 §5, matched without regard to case).
const CONTENT_DIGEST_ALGORITHM: &str = "sha-256";

/// A SHA-256: 32 bytes. Shown, serialized and parsed as 64 hex digits (lower-case when
/// written, either case when read), as `EvidenceMeta::sha256` and the tus `sha256` metadata
/// carry it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256([u8; 32]);

/// A digest that does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestError {
    /// Not 64 hex digits.
    Hex,
    /// Not the standard base64 of 32 bytes.
    Base64,
    /// A `Content-Digest` that is not a list of `algorithm=:base64:` members, or whose
    /// `sha-256` is not 32 bytes.
    ContentDigest,
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DigestError::Hex => "A SHA-256 must be 64 hex digits.",
            DigestError::Base64 => "A SHA-256 must be the base64 of 32 bytes.",
            DigestError::ContentDigest => {
                "Content-Digest must look like `sha-256=:<base64 of 32 bytes>:` (RFC 9530)."
            }
        })
    }
}

impl std::error::Error for DigestError {}

impl Sha256 {
    pub const fn from_bytes(bytes: [u8; 32]) -> Sha256 {
        Sha256(bytes)
    }

    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads 64 hex digits, in either case.
    pub fn from_hex(text: &str) -> Result<Sha256, DigestError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| DigestError::Hex)?;
        Ok(Sha256(bytes))
    }

    /// The standard, padded base64 of the 32 bytes.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    pub fn from_base64(text: &str) -> Result<Sha256, DigestError> {
        let raw = BASE64.decode(text).map_err(|_| DigestError::Base64)?;
        <[u8; 32]>::try_from(raw.as_slice())
            .map(Sha256)
            .map_err(|_| DigestError::Base64)
    }

    /// The value of an RFC 9530 `Content-Digest` header: `sha-256=:<base64>:`.
    pub fn content_digest(&self) -> String {
        format!("{CONTENT_DIGEST_ALGORITHM}=:{}:", self.to_base64())
    }

    /// Reads an RFC 9530 `Content-Digest` header and returns the SHA-256 it carries, if any.
    /// Members of other algorithms are skipped, as the RFC allows; the first `sha-256` member
    /// counts. Any member that is not `algorithm=value` refuses the whole header.
    pub fn from_content_digest(header: &str) -> Result<Option<Sha256>, DigestError> {
        for member in header.split(',') {
            let Some((algorithm, value)) = member.trim().split_once('=') else {
                return Err(DigestError::ContentDigest);
            };
            if !algorithm
                .trim()
                .eq_ignore_ascii_case(CONTENT_DIGEST_ALGORITHM)
            {
                continue;
            }
            let encoded = value
                .trim()
                .strip_prefix(':')
                .and_then(|v| v.strip_suffix(':'))
                .ok_or(DigestError::ContentDigest)?;
            return Sha256::from_base64(encoded)
                .map(Some)
                .map_err(|_| DigestError::ContentDigest);
        }
        Ok(None)
    }
}

impl From<[u8; 32]> for Sha256 {
    fn from(bytes: [u8; 32]) -> Sha256 {
        Sha256(bytes)
    }
}

impl From<Sha256> for [u8; 32] {
    fn from(digest: Sha256) -> [u8; 32] {
        digest.0
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.to_hex())
    }
}

impl FromStr for Sha256 {
    type Err = DigestError;

    fn from_str(text: &str) -> Result<Sha256, DigestError> {
        Sha256::from_hex(text)
    }
}

/// Compares with lower-case hex, the form the API and the database keep.
impl PartialEq<str> for Sha256 {
    fn eq(&self, other: &str) -> bool {
        self.to_hex() == other
    }
}

impl PartialEq<String> for Sha256 {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Sha256> for String {
    fn eq(&self, other: &Sha256) -> bool {
        other == self.as_str()
    }
}

impl Serialize for Sha256 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Sha256 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Sha256, D::Error> {
        let text = String::deserialize(deserializer)?;
        Sha256::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of `abc` (FIPS 180-2, appendix B.1).
    const ABC_HEX: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const ABC_BASE64: &str = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

    fn abc() -> Sha256 {
        Sha256::from_hex(ABC_HEX).unwrap()
    }

    #[test]
    fn hex_is_written_in_lower_case_and_read_in_either() {
        assert_eq!(abc().to_hex(), ABC_HEX);
        assert_eq!(abc().to_string(), ABC_HEX);
        assert_eq!(Sha256::from_hex(&ABC_HEX.to_uppercase()).unwrap(), abc());
        assert_eq!(ABC_HEX.parse::<Sha256>().unwrap(), abc());
        assert_eq!(Sha256::from_bytes([0x0f; 32]).to_hex(), "0f".repeat(32));
        assert_eq!(abc(), ABC_HEX.to_owned());
        assert_eq!(ABC_HEX.to_owned(), abc());
    }

    #[test]
    fn hashes_are_written_in_lower_case_hex() {
        let mut bytes = [0u8; 32];
        bytes[..3].copy_from_slice(&[0x00, 0xab, 0x0f]);
        assert_eq!(&Sha256::from(bytes).to_hex()[..6], "00ab0f");
    }

    #[test]
    fn hex_of_another_length_or_alphabet_is_refused() {
        for text in [
            "",
            "ab",
            &ABC_HEX[..62],
            &format!("{ABC_HEX}00"),
            &"zz".repeat(32),
        ] {
            assert_eq!(Sha256::from_hex(text), Err(DigestError::Hex), "{text}");
        }
    }

    #[test]
    fn base64_round_trips_and_must_be_32_bytes() {
        assert_eq!(abc().to_base64(), ABC_BASE64);
        assert_eq!(Sha256::from_base64(ABC_BASE64).unwrap(), abc());
        assert_eq!(Sha256::from_base64("AAAA"), Err(DigestError::Base64));
        assert_eq!(Sha256::from_base64("***"), Err(DigestError::Base64));
    }

    #[test]
    fn content_digest_is_written_as_rfc_9530_says() {
        assert_eq!(abc().content_digest(), format!("sha-256=:{ABC_BASE64}:"));
        assert_eq!(
            Sha256::from_content_digest(&abc().content_digest()).unwrap(),
            Some(abc())
        );
    }

    #[test]
    fn content_digest_skips_other_algorithms_and_ignores_case_and_blanks() {
        let header = format!("sha-512=:AAAA:, SHA-256 = :{ABC_BASE64}: ");
        assert_eq!(Sha256::from_content_digest(&header).unwrap(), Some(abc()));
        assert_eq!(Sha256::from_content_digest("md5=:AAAA:").unwrap(), None);
    }

    #[test]
    fn a_malformed_content_digest_is_refused() {
        for header in [
            "sha-256",
            &format!("sha-256={ABC_BASE64}"),
            "sha-256=:AAAA:",
            "sha-256=:***:",
            "md5=:AAAA:, garbage",
        ] {
            assert_eq!(
                Sha256::from_content_digest(header),
                Err(DigestError::ContentDigest),
                "{header}"
            );
        }
    }

    #[test]
    fn serde_carries_lower_case_hex() {
        let json = serde_json::to_string(&abc()).unwrap();
        assert_eq!(json, format!("\"{ABC_HEX}\""));
        assert_eq!(serde_json::from_str::<Sha256>(&json).unwrap(), abc());
        assert!(serde_json::from_str::<Sha256>("\"ab\"").is_err());
    }
}

//! The SHA-256 of a file, as the ingest meets it: computed from the bytes, claimed by a client
//! in an RFC 9530 `Content-Digest` header (base64) or in tus metadata (hex), stored as hex.
//! The only place the server parses or prints one.

use base64::Engine;

use crate::error::AppError;

/// A SHA-256 digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256 {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Parses 64 hex digits, in either case.
    pub fn from_hex(hex_digits: &str) -> Option<Sha256> {
        let mut raw = [0u8; 32];
        hex::decode_to_slice(hex_digits, &mut raw).ok()?;
        Some(Sha256(raw))
    }

    /// Lower-case hex: how a digest is stored and shown.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    /// Parses an RFC 9530 `Content-Digest` header and returns the SHA-256 it carries, if any.
    /// Other algorithms in the header are ignored, as the RFC allows.
    pub fn from_content_digest(header: &str) -> Result<Option<Sha256>, AppError> {
        for member in header.split(',') {
            let Some((algorithm, value)) = member.trim().split_once('=') else {
                return Err(bad_digest());
            };
            if !algorithm.trim().eq_ignore_ascii_case("sha-256") {
                continue;
            }
            let encoded = value
                .trim()
                .strip_prefix(':')
                .and_then(|v| v.strip_suffix(':'))
                .ok_or_else(bad_digest)?;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|_| bad_digest())?;
            return <[u8; 32]>::try_from(raw.as_slice())
                .map(|raw| Some(Sha256(raw)))
                .map_err(|_| bad_digest());
        }
        Ok(None)
    }
}

impl From<sha2::Sha256> for Sha256 {
    fn from(hasher: sha2::Sha256) -> Sha256 {
        use sha2::Digest;
        Sha256(hasher.finalize().into())
    }
}

fn bad_digest() -> AppError {
    AppError::bad_request(
        "Content-Digest must look like `sha-256=:<base64 of 32 bytes>:` (RFC 9530).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_digest_carries_its_sha256_among_other_algorithms() {
        let digest = Sha256::of(b"abc");
        let encoded = base64::engine::general_purpose::STANDARD.encode(digest.0);
        let header = format!("md5=:AAAA:, SHA-256=:{encoded}:");
        assert_eq!(Sha256::from_content_digest(&header).unwrap(), Some(digest));
        assert_eq!(Sha256::from_content_digest("md5=:AAAA:").unwrap(), None);
        assert!(Sha256::from_content_digest("sha-256=AAAA").is_err());
        assert!(Sha256::from_content_digest("sha-256=:AAAA:").is_err());
    }

    #[test]
    fn hex_reads_either_case_and_prints_lower_case() {
        let digest = Sha256::of(b"abc");
        let upper = digest.to_hex().to_ascii_uppercase();
        assert_eq!(Sha256::from_hex(&upper), Some(digest));
        assert_eq!(Sha256::from_hex(&digest.to_hex()[..62]), None);
        assert_eq!(Sha256::from_hex("zz"), None);
    }
}

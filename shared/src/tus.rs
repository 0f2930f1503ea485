//! The tus 1.0 wire format the PWA and the server share (<https://tus.io/protocols/resumable-upload>):
//! the protocol version, and the `Upload-Metadata` of an evidence upload.
//!
//! The metadata is what `PUT /evidence/{id}` takes in its query string, plus `evidence_id` and
//! the file's `sha256` (lower-case hex). Each value is base64; pairs are separated by commas.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use uuid::Uuid;

use crate::digest::Sha256;
use crate::evidence::EvidenceUploadParams;

/// The one tus version spoken (`Tus-Resumable`, `Tus-Version`).
pub const VERSION: &str = "1.0.0";

/// The name of the `Upload-Metadata` header, as error fields name it.
pub const METADATA_HEADER: &str = "Upload-Metadata";

/// The metadata keys, in the order they are written.
pub mod keys {
    pub const EVIDENCE_ID: &str = "evidence_id";
    pub const INSPECTION_ID: &str = "inspection_id";
    pub const ITEM_KEY: &str = "item_key";
    pub const KIND: &str = "kind";
    pub const SHA256: &str = "sha256";
    pub const CAPTURED_AT: &str = "captured_at";
    pub const LATITUDE: &str = "latitude";
    pub const LONGITUDE: &str = "longitude";
    /// tus clients name the file `filename`; it is `file_name` of the upload's parameters.
    pub const FILENAME: &str = "filename";
}

/// The field of [`EvidenceUploadParams`] a metadata key carries.
const PARAM_KEYS: [(&str, &str); 7] = [
    (keys::INSPECTION_ID, "inspection_id"),
    (keys::ITEM_KEY, "item_key"),
    (keys::KIND, "kind"),
    (keys::CAPTURED_AT, "captured_at"),
    (keys::LATITUDE, "latitude"),
    (keys::LONGITUDE, "longitude"),
    (keys::FILENAME, "file_name"),
];

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What an evidence upload's `Upload-Metadata` says.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadMetadata {
    /// The evidence the upload becomes (client-made, so a retried creation is the same one).
    pub evidence_id: Uuid,
    /// What a direct upload takes in its query string; `file_name` travels as `filename`.
    pub params: EvidenceUploadParams,
    /// The SHA-256 of the whole file, checked once the last byte is in.
    pub sha256: Option<Sha256>,
}

/// A metadata key that is missing, or whose value does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub key: String,
    /// What is wrong with it, as the end of a sentence: `is not base64`.
    pub problem: String,
}

impl MetadataError {
    pub fn new(key: &str, problem: &str) -> MetadataError {
        MetadataError {
            key: key.to_owned(),
            problem: problem.to_owned(),
        }
    }

    /// The error's field: `Upload-Metadata.<key>`.
    pub fn field(&self) -> String {
        format!("{METADATA_HEADER}.{}", self.key)
    }

    /// The field's message: `` `<key>` <problem>. ``
    pub fn detail(&self) -> String {
        format!("`{}` {}.", self.key, self.problem)
    }
}

/// `` Upload-Metadata `<key>` <problem>. ``
impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{METADATA_HEADER} `{}` {}.", self.key, self.problem)
    }
}

impl std::error::Error for MetadataError {}

impl UploadMetadata {
    /// The `Upload-Metadata` value: the known keys in [`keys`] order, absent values left out.
    pub fn encode(&self) -> String {
        let params = &self.params;
        let mut pairs: Vec<(&str, String)> = vec![
            (keys::EVIDENCE_ID, self.evidence_id.to_string()),
            (keys::INSPECTION_ID, params.inspection_id.to_string()),
            (keys::ITEM_KEY, params.item_key.clone()),
            (keys::KIND, params.kind.as_str().to_owned()),
        ];
        if let Some(sha256) = &self.sha256 {
            pairs.push((keys::SHA256, sha256.to_hex()));
        }
        if let Some(at) = params.captured_at {
            pairs.push((
                keys::CAPTURED_AT,
                at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            ));
        }
        if let Some(latitude) = params.latitude {
            pairs.push((keys::LATITUDE, latitude.to_string()));
        }
        if let Some(longitude) = params.longitude {
            pairs.push((keys::LONGITUDE, longitude.to_string()));
        }
        if let Some(name) = &params.file_name {
            pairs.push((keys::FILENAME, name.as_str().to_owned()));
        }
        pairs
            .into_iter()
            .map(|(key, value)| format!("{key} {}", BASE64.encode(value)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads an `Upload-Metadata` value: `evidence_id` is required, so are the parameters a
    /// direct upload requires; other keys (tus clients add their own, like `filetype`) are
    /// ignored, and so is an empty value.
    pub fn decode(header: &str) -> Result<UploadMetadata, MetadataError> {
        UploadMetadata::from_pairs(&pairs(header)?)
    }

    /// [`decode`](Self::decode) from pairs already split (see [`pairs`]).
    pub fn from_pairs(metadata: &HashMap<String, String>) -> Result<UploadMetadata, MetadataError> {
        let given = |key: &str| metadata.get(key).filter(|v| !v.is_empty());
        let evidence_id = given(keys::EVIDENCE_ID)
            .ok_or_else(|| MetadataError::new(keys::EVIDENCE_ID, "is required"))?
            .parse::<Uuid>()
            .map_err(|_| MetadataError::new(keys::EVIDENCE_ID, "is not a UUID"))?;
        let mut params = serde_json::Map::new();
        for (key, field) in PARAM_KEYS {
            let Some(value) = given(key) else {
                continue;
            };
            let value = match key {
                keys::LATITUDE | keys::LONGITUDE => serde_json::Value::from(
                    value
                        .parse::<f64>()
                        .map_err(|_| MetadataError::new(key, "is not a number"))?,
                ),
                _ => serde_json::Value::from(value.clone()),
            };
            params.insert(field.to_owned(), value);
        }
        let params: EvidenceUploadParams =
            serde_path_to_error::deserialize(serde_json::Value::Object(params)).map_err(|e| {
                let field = e.path().to_string();
                MetadataError::new(&field, &format!("is invalid: {}", e.inner()))
            })?;
        let sha256 = match given(keys::SHA256) {
            Some(hex) => Some(
                Sha256::from_hex(hex)
                    .map_err(|_| MetadataError::new(keys::SHA256, "is not 64 hex digits"))?,
            ),
            None => None,
        };
        Ok(UploadMetadata {
            evidence_id,
            params,
            sha256,
        })
    }
}

/// Splits `Upload-Metadata` into its pairs: comma-separated `key base64value`, the value
/// possibly absent (then empty). A key given twice is refused.
pub fn pairs(header: &str) -> Result<HashMap<String, String>, MetadataError> {
    let mut out = HashMap::new();
    for pair in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once(' ') {
            Some((key, value)) => {
                let raw = BASE64
                    .decode(value.trim())
                    .map_err(|_| MetadataError::new(key, "is not base64"))?;
                (
                    key,
                    String::from_utf8(raw).map_err(|_| MetadataError::new(key, "is not UTF-8"))?,
                )
            }
            None => (pair, String::new()),
        };
        if out.insert(key.to_owned(), value).is_some() {
            return Err(MetadataError::new(key, "is given twice"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::evidence::EvidenceKind;
    use crate::file_name::FileName;

    fn b64(s: &str) -> String {
        BASE64.encode(s)
    }

    fn decoded(metadata: &str) -> Vec<(String, String)> {
        metadata
            .split(',')
            .map(|pair| {
                let (key, value) = pair.split_once(' ').expect("a key and a value");
                let value = String::from_utf8(BASE64.decode(value).expect("base64")).unwrap();
                (key.to_owned(), value)
            })
            .collect()
    }

    fn photo() -> UploadMetadata {
        UploadMetadata {
            evidence_id: Uuid::from_u128(1),
            params: EvidenceUploadParams {
                inspection_id: Uuid::from_u128(2),
                item_key: "osh.machine_guards".into(),
                kind: EvidenceKind::Photo,
                captured_at: Some(Utc.with_ymd_and_hms(2026, 11, 23, 8, 15, 0).unwrap()),
                latitude: Some(21.1389),
                longitude: Some(105.8122),
                file_name: FileName::parse("máy dập.jpg").ok(),
            },
            sha256: Some(Sha256::from_bytes([0xab; 32])),
        }
    }

    /// The PWA's metadata, as it was tested where it was written before.
    #[test]
    fn metadata_carries_what_put_takes_in_base64_and_leaves_out_what_is_unknown() {
        let mut metadata = photo();
        metadata.params.inspection_id = Uuid::nil();
        metadata.params.captured_at = None;
        let pairs = decoded(&metadata.encode());
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "evidence_id",
                "inspection_id",
                "item_key",
                "kind",
                "sha256",
                "latitude",
                "longitude",
                "filename"
            ]
        );
        assert_eq!(pairs[0].1, "00000000-0000-0000-0000-000000000001");
        assert_eq!(pairs[3].1, "photo");
        assert_eq!(pairs[5].1, "21.1389");
        assert_eq!(pairs[7].1, "máy dập.jpg");
    }

    #[test]
    fn what_is_written_reads_back() {
        let metadata = photo();
        assert_eq!(
            UploadMetadata::decode(&metadata.encode()).unwrap(),
            metadata
        );
        let mut bare = photo();
        bare.sha256 = None;
        bare.params.captured_at = None;
        bare.params.latitude = None;
        bare.params.longitude = None;
        bare.params.file_name = None;
        assert_eq!(bare.encode().split(',').count(), 4);
        assert_eq!(UploadMetadata::decode(&bare.encode()).unwrap(), bare);
    }

    #[test]
    fn metadata_pairs_are_decoded_and_a_bare_key_is_empty() {
        let parsed = pairs(&format!(
            "item_key {},kind {}, flag",
            b64("osh.x"),
            b64("photo")
        ))
        .unwrap();
        assert_eq!(parsed["item_key"], "osh.x");
        assert_eq!(parsed["kind"], "photo");
        assert_eq!(parsed["flag"], "");
    }

    #[test]
    fn metadata_that_is_not_base64_utf8_or_single_is_refused_with_its_key() {
        let error = pairs("kind ***").unwrap_err();
        assert_eq!(error, MetadataError::new("kind", "is not base64"));
        assert_eq!(error.to_string(), "Upload-Metadata `kind` is not base64.");
        assert_eq!(error.field(), "Upload-Metadata.kind");
        assert_eq!(error.detail(), "`kind` is not base64.");
        let not_utf8 = BASE64.encode([0xff, 0xfe]);
        assert_eq!(
            pairs(&format!("kind {not_utf8}")).unwrap_err(),
            MetadataError::new("kind", "is not UTF-8")
        );
        assert_eq!(
            pairs("kind,kind").unwrap_err(),
            MetadataError::new("kind", "is given twice")
        );
    }

    #[test]
    fn a_creation_needs_the_evidence_id_and_reads_numbers() {
        let mut metadata = HashMap::new();
        metadata.insert("inspection_id".to_owned(), Uuid::nil().to_string());
        metadata.insert("item_key".to_owned(), "osh.x".to_owned());
        metadata.insert("kind".to_owned(), "photo".to_owned());
        metadata.insert("latitude".to_owned(), "21.5".to_owned());
        assert_eq!(
            UploadMetadata::from_pairs(&metadata).unwrap_err(),
            MetadataError::new("evidence_id", "is required")
        );
        metadata.insert("evidence_id".to_owned(), Uuid::new_v4().to_string());
        let creation = UploadMetadata::from_pairs(&metadata).unwrap();
        assert_eq!(creation.params.latitude, Some(21.5));
        assert_eq!(creation.params.kind, EvidenceKind::Photo);
        metadata.insert("longitude".to_owned(), "east".to_owned());
        assert_eq!(
            UploadMetadata::from_pairs(&metadata).unwrap_err(),
            MetadataError::new("longitude", "is not a number")
        );
    }

    #[test]
    fn a_wrong_value_names_its_key_and_foreign_keys_are_ignored() {
        let header = format!(
            "evidence_id {},kind {},filetype {}",
            b64(&Uuid::new_v4().to_string()),
            b64("video"),
            b64("image/jpeg")
        );
        let error = UploadMetadata::decode(&header).unwrap_err();
        assert_eq!(error.key, "kind");
        assert!(error.problem.starts_with("is invalid: "), "{error}");
        let bad_id = format!("evidence_id {}", b64("12"));
        assert_eq!(
            UploadMetadata::decode(&bad_id).unwrap_err(),
            MetadataError::new("evidence_id", "is not a UUID")
        );
    }

    #[test]
    fn the_digest_is_hex_in_either_case_and_the_file_name_is_cleaned() {
        let mut metadata: HashMap<String, String> =
            decoded(&photo().encode()).into_iter().collect();
        metadata.insert("sha256".to_owned(), "AB".repeat(32));
        metadata.insert("filename".to_owned(), "../../hồ sơ/biên bản.pdf".to_owned());
        let read = UploadMetadata::from_pairs(&metadata).unwrap();
        assert_eq!(read.sha256, Some(Sha256::from_bytes([0xab; 32])));
        assert_eq!(read.params.file_name.unwrap().as_str(), "biên bản.pdf");
        metadata.insert("sha256".to_owned(), "ab".to_owned());
        assert_eq!(
            UploadMetadata::from_pairs(&metadata).unwrap_err(),
            MetadataError::new("sha256", "is not 64 hex digits")
        );
    }
}

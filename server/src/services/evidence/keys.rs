//! The storage keys of evidence: the one place that knows how objects are named in the bucket.
//!
//! - an original is at `evidence/<inspection id>/<evidence id>/<attempt>`: made by the server,
//!   never from a client file name, and one per upload attempt, so racing uploads under one id
//!   never overwrite each other's object;
//! - its thumbnail and preview are beside it, at `<original>.thumb.jpg` and
//!   `<original>.preview.jpg`;
//! - the bytes of a resumable upload after its last full part are at
//!   `uploads/<upload id>/tail-<offset>` between two requests.

use uuid::Uuid;

/// Which file of a piece of evidence to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    /// The bytes as uploaded: the evidence itself.
    Original,
    Thumbnail,
    Preview,
}

/// Where every original (and its derivatives) is: what the sweeper lists.
pub const ORIGINALS: &str = "evidence/";

/// Where the tails of resumable uploads are.
pub const UPLOAD_TAILS: &str = "uploads/";

const THUMBNAIL_SUFFIX: &str = ".thumb.jpg";
const PREVIEW_SUFFIX: &str = ".preview.jpg";

/// The prefix of every attempt to store evidence `id` of inspection `inspection_id`.
pub fn attempts_of(inspection_id: Uuid, id: Uuid) -> String {
    format!("{ORIGINALS}{inspection_id}/{id}/")
}

/// The key of a new attempt to store evidence `id`.
pub fn new_original(inspection_id: Uuid, id: Uuid) -> String {
    format!("{}{}", attempts_of(inspection_id, id), Uuid::new_v4())
}

/// The key of a rendition of the original at `original`.
pub fn rendition(original: &str, rendition: Rendition) -> String {
    match rendition {
        Rendition::Original => original.to_owned(),
        Rendition::Thumbnail => format!("{original}{THUMBNAIL_SUFFIX}"),
        Rendition::Preview => format!("{original}{PREVIEW_SUFFIX}"),
    }
}

/// Every key an evidence row whose original is at `original` refers to.
pub fn referenced_by(original: &str) -> [String; 3] {
    [
        rendition(original, Rendition::Original),
        rendition(original, Rendition::Thumbnail),
        rendition(original, Rendition::Preview),
    ]
}

/// Whether `key` is a thumbnail or preview rather than an original.
pub fn is_derivative(key: &str) -> bool {
    key.ends_with(THUMBNAIL_SUFFIX) || key.ends_with(PREVIEW_SUFFIX)
}

/// The key of the tail of upload `id` that ends at byte `offset`.
pub fn upload_tail(id: Uuid, offset: u64) -> String {
    format!("{UPLOAD_TAILS}{id}/tail-{offset}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_are_beside_their_original_and_recognised() {
        let inspection = Uuid::new_v4();
        let id = Uuid::new_v4();
        let original = new_original(inspection, id);
        assert!(original.starts_with(&attempts_of(inspection, id)));
        assert!(original.starts_with(ORIGINALS));
        let [same, thumb, preview] = referenced_by(&original);
        assert_eq!(same, original);
        assert!(!is_derivative(&original));
        assert!(is_derivative(&thumb) && is_derivative(&preview));
        assert!(thumb.starts_with(&original) && preview.starts_with(&original));
        assert_ne!(
            new_original(inspection, id),
            original,
            "one key per attempt"
        );
    }
}

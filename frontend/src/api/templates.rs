//! Template versions, to attach to an inspection when planning it.

use kiemtra_shared::inspection::TemplateRef;
use kiemtra_shared::template::{TemplateKind, TemplateStatus};

use super::{ApiError, get};
use crate::auth::AuthHandle;

/// The published versions of `kind` (at most 100, the newest templates being few).
pub async fn published(
    auth: &AuthHandle,
    kind: TemplateKind,
) -> Result<Vec<TemplateRef>, ApiError> {
    let all: Vec<TemplateRef> = get(auth, &format!("/templates?kind={kind}&per_page=100")).await?;
    Ok(all
        .into_iter()
        .filter(|t| t.status == TemplateStatus::Published)
        .collect())
}

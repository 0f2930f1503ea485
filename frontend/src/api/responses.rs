//! The enterprise's forms (questionnaire, self-inspection): drafts kept on the server, their
//! submission and amendments. Every id is made by the client, so a retried call is recognised.

use gloo::net::http::Request;
use kiemtra_shared::answers::Answers;
use kiemtra_shared::inspection::ResponseView;
use kiemtra_shared::response::{AmendResponse, CreateResponse, SaveAnswers};
use uuid::Uuid;

use super::{ApiError, fetch, get, json, post};
use crate::auth::AuthHandle;

/// Starts the draft `id` of a template of the inspection; the same `id` again answers the
/// draft already started.
pub async fn create(
    auth: &AuthHandle,
    inspection_id: Uuid,
    id: Uuid,
    template_id: Uuid,
) -> Result<ResponseView, ApiError> {
    post(
        auth,
        &format!("/inspections/{inspection_id}/responses"),
        &CreateResponse { id, template_id },
    )
    .await
}

/// Replaces a draft's answers.
pub async fn save(auth: &AuthHandle, id: Uuid, answers: Answers) -> Result<ResponseView, ApiError> {
    json(
        fetch(
            auth,
            Request::put,
            &format!("/responses/{id}/answers"),
            Some(&SaveAnswers { answers }),
        )
        .await?,
    )
    .await
}

pub async fn submit(auth: &AuthHandle, id: Uuid) -> Result<ResponseView, ApiError> {
    post(auth, &format!("/responses/{id}/submit"), &()).await
}

/// Opens the amendment `new_id` of the submitted version `id`.
pub async fn amend(auth: &AuthHandle, id: Uuid, new_id: Uuid) -> Result<ResponseView, ApiError> {
    post(
        auth,
        &format!("/responses/{id}/amend"),
        &AmendResponse { id: new_id },
    )
    .await
}

/// Every version of a response, oldest first.
pub async fn versions(auth: &AuthHandle, id: Uuid) -> Result<Vec<ResponseView>, ApiError> {
    get(auth, &format!("/responses/{id}/versions")).await
}

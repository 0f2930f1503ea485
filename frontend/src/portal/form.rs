//! The enterprise's forms (questionnaire, self-inspection) as the field app's form engine
//! fills them ([`FormTarget::Other`]): kept on the device by inspection and form, and sent as
//! a response started on the server with the draft's id, so that a second press or a second
//! tab makes no second submission.

use std::future::Future;
use std::pin::Pin;

use kiemtra_shared::answers::Answers;
use kiemtra_shared::inspection::{ResponseView, SubmitResponse, TemplateRef};
use kiemtra_shared::response::ResponseStatus;
use kiemtra_shared::template::TemplateSchema;
use uuid::Uuid;
use yew::AttrValue;

use crate::api::{self, ApiError};
use crate::auth::AuthHandle;
use crate::pages::inspection_detail::OtherForm;
use crate::pages::inspection_detail::draft::Draft;

/// One of the enterprise's forms of an inspection.
pub struct EnterpriseForm {
    pub template: TemplateRef,
    pub title: AttrValue,
    /// The server's draft of this form (an amendment just opened), if any.
    pub open_draft: Option<ResponseView>,
}

impl OtherForm for EnterpriseForm {
    fn template(&self) -> &TemplateRef {
        &self.template
    }

    fn title(&self) -> AttrValue {
        self.title.clone()
    }

    fn draft_key(&self, inspection_id: Uuid) -> String {
        format!("{inspection_id}/{}", self.template.code)
    }

    fn open_draft(&self) -> Option<Draft> {
        let open = self.open_draft.as_ref()?;
        Some(Draft {
            template_id: self.template.id,
            submission_id: open.id,
            answers: open.answers.clone(),
            photos: Vec::new(),
        })
    }

    fn submit(
        &self,
        auth: AuthHandle,
        inspection_id: Uuid,
        mut submission: SubmitResponse,
    ) -> Pin<Box<dyn Future<Output = Result<ResponseView, ApiError>>>> {
        keep_attachments_where_allowed(&self.template.schema, &mut submission.answers);
        Box::pin(submit(auth, inspection_id, self.template.id, submission))
    }

    fn submitted(
        &self,
        auth: AuthHandle,
        id: Uuid,
    ) -> Pin<Box<dyn Future<Output = Option<ResponseView>>>> {
        Box::pin(async move { submitted_already(&auth, id).await })
    }
}

/// Starts the response with the draft's id (answered with the response already there when this
/// was done before, from this tab or another), saves the answers and submits. A response found
/// submitted already is this submission, done once.
async fn submit(
    auth: AuthHandle,
    inspection_id: Uuid,
    template_id: Uuid,
    submission: SubmitResponse,
) -> Result<ResponseView, ApiError> {
    let id = submission.id;
    let started = match api::responses::create(&auth, inspection_id, id, template_id).await {
        // Started at the same moment from another tab: it is there now.
        Err(ApiError::Rejected { status: 409, .. }) => {
            api::responses::create(&auth, inspection_id, id, template_id).await?
        }
        other => other?,
    };
    if started.status != ResponseStatus::Draft {
        return Ok(started);
    }
    let sent = match api::responses::save(&auth, id, submission.answers).await {
        Ok(_) => api::responses::submit(&auth, id).await,
        Err(error) => Err(error),
    };
    match sent {
        // Submitted meanwhile, from another tab: that is this submission.
        Err(ApiError::Rejected { status: 409, body }) => match submitted_already(&auth, id).await {
            Some(view) => Ok(view),
            None => Err(ApiError::Rejected { status: 409, body }),
        },
        other => other,
    }
}

/// The response `id` if it is submitted (or amended since).
async fn submitted_already(auth: &AuthHandle, id: Uuid) -> Option<ResponseView> {
    api::responses::versions(auth, id)
        .await
        .ok()?
        .into_iter()
        .find(|version| version.id == id && version.status != ResponseStatus::Draft)
}

/// Leaves out of the answers the files attached to items that take no photos: documents may be
/// filed under any item, as evidence of it, but only items that allow photos carry them in
/// their answer (the form engine refuses them elsewhere).
fn keep_attachments_where_allowed(schema: &TemplateSchema, answers: &mut Answers) {
    let allowed = |key: &str| schema.item(key).is_some_and(|item| item.allows_photos);
    for (key, answer) in answers.items.iter_mut() {
        if !allowed(key) {
            answer.photos.clear();
        }
    }
    for instance in answers.repeats.values_mut().flatten() {
        for (key, answer) in instance.iter_mut() {
            if !allowed(key) {
                answer.photos.clear();
            }
        }
    }
}

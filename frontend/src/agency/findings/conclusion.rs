//! Kết luận: the form, the preview of what the enterprise will see (the confirmed findings with
//! their legal basis and corrective actions), issuing it, and the issued conclusion read-only.

use std::rc::Rc;

use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::review::{CorrectiveActionView, CreateConclusion, FindingStatus, FindingView};
use kiemtra_shared::template::Severity;
use yew::prelude::*;

use super::fields::{TextField, field_error};
use super::{Loaded, in_review, use_findings_strings};
use crate::api::{self, ApiError};
use crate::auth::{AuthHandle, use_auth};
use crate::components::format;
use crate::components::notice::{Notice, Tone};
use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct ConclusionSectionProps {
    pub loaded: Rc<Loaded>,
    pub on_changed: Callback<()>,
}

#[component]
pub fn ConclusionSection(props: &ConclusionSectionProps) -> Html {
    let fs = use_findings_strings();
    let loaded = &props.loaded;
    let body = match &loaded.conclusion {
        Some(conclusion) => html! {
            <>
                <Notice tone={Tone::Success}><p>{ fs.concluded_note }</p></Notice>
                <dl class="conclusion__facts">
                    <div><dt>{ fs.conclusion_number }</dt><dd>{ &conclusion.number }</dd></div>
                    <div><dt>{ fs.issued_on }</dt><dd>{ format::date_time(conclusion.concluded_at) }</dd></div>
                    <div><dt>{ fs.conclusion_summary }</dt><dd class="conclusion__text">{ &conclusion.summary }</dd></div>
                    if let Some(sanctions) = &conclusion.sanctions {
                        <div><dt>{ fs.sanctions }</dt><dd class="conclusion__text">{ sanctions }</dd></div>
                    }
                </dl>
                <EnterpriseView findings={conclusion.findings.clone()} actions={conclusion.corrective_actions.clone()} />
            </>
        },
        None if in_review(loaded.detail.summary.status) => html! {
            <ConclusionForm loaded={loaded.clone()} on_changed={props.on_changed.clone()} />
        },
        None => return html! {},
    };
    html! {
        <section class="card conclusion" aria-labelledby="conclusion-title">
            <h2 id="conclusion-title">{ fs.conclusion }</h2>
            { body }
        </section>
    }
}

/// Moves a submitted inspection under review (the status machine concludes only from there),
/// then issues the conclusion.
async fn issue(
    auth: &AuthHandle,
    loaded: &Loaded,
    request: &CreateConclusion,
) -> Result<(), ApiError> {
    let id = loaded.detail.summary.id;
    if loaded.detail.summary.status == InspectionStatus::Submitted {
        api::findings::start_review(auth, id).await?;
    }
    api::findings::conclude(auth, id, request).await.map(|_| ())
}

#[component]
fn ConclusionForm(props: &ConclusionSectionProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let number = use_state(String::new);
    let summary = use_state(String::new);
    let sanctions = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let loaded = &props.loaded;
    let undecided = loaded
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Proposed)
        .count();
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |v: String| handle.set(v))
    };
    let submit = {
        let (auth, number, summary, sanctions, error, busy, on_changed, loaded) = (
            auth.clone(),
            number.clone(),
            summary.clone(),
            sanctions.clone(),
            error.clone(),
            busy.clone(),
            props.on_changed.clone(),
            props.loaded.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = CreateConclusion {
                number: (*number).clone(),
                summary: (*summary).clone(),
                sanctions: Some(sanctions.trim().to_owned()).filter(|s| !s.is_empty()),
            };
            let (auth, error, busy, on_changed, loaded) = (
                auth.clone(),
                error.clone(),
                busy.clone(),
                on_changed.clone(),
                loaded.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match issue(&auth, &loaded, &request).await {
                    Ok(()) => {
                        error.set(None);
                        on_changed.emit(());
                    }
                    Err(e) => {
                        error.set(Some(e));
                        // The inspection may have been put under review before the refusal:
                        // read its status again, so that the next attempt does not ask twice.
                        if loaded.detail.summary.status == InspectionStatus::Submitted {
                            on_changed.emit(());
                        }
                    }
                }
                busy.set(false);
            });
        })
    };
    // A 409 in words: why the conclusion cannot be issued, with the server's reason; a 422 is
    // shown at its fields.
    let general_error = match &*error {
        Some(ApiError::Rejected { status: 409, body }) => {
            Some(format!("{} {}", fs.conflict_prefix, body.message))
        }
        Some(ApiError::Rejected { status: 422, .. }) => None,
        Some(other) => Some(other.user_message(strings)),
        None => None,
    };
    let confirmed: Vec<FindingView> = loaded
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Confirmed)
        .cloned()
        .collect();
    html! {
        <>
            <form class="conclusion__form" onsubmit={submit} novalidate=true>
                <TextField id="conclusion-number" label={fs.conclusion_number} value={(*number).clone()}
                    on_change={set(&number)} required=true
                    error={field_error(&error, "number", fs.required)} />
                <TextField id="conclusion-summary" label={fs.conclusion_summary} value={(*summary).clone()}
                    on_change={set(&summary)} multiline=true required=true
                    error={field_error(&error, "summary", fs.required)} />
                <TextField id="conclusion-sanctions" label={fs.sanctions} value={(*sanctions).clone()}
                    on_change={set(&sanctions)} multiline=true />
                <EnterpriseView findings={confirmed} actions={loaded.actions.clone()} preview=true />
                if undecided > 0 {
                    <Notice tone={Tone::Info}><p>{ fs.undecided(undecided) }</p></Notice>
                }
                if let Some(message) = general_error {
                    <Notice tone={Tone::Error}><p>{ message }</p></Notice>
                }
                <div class="findings__form-actions">
                    <button type="submit" class="button button--primary" disabled={*busy || undecided > 0}>
                        { if *busy { fs.issuing } else { fs.issue } }
                    </button>
                </div>
            </form>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct EnterpriseViewProps {
    /// The findings the enterprise sees (only the confirmed ones are shown).
    findings: Vec<FindingView>,
    actions: Vec<CorrectiveActionView>,
    /// Before issuing: titled as a preview.
    #[prop_or_default]
    preview: bool,
}

/// The confirmed findings with their legal basis and corrective actions, as the enterprise
/// reads them.
#[component]
fn EnterpriseView(props: &EnterpriseViewProps) -> Html {
    let strings = use_strings();
    let fs = use_findings_strings();
    let findings: Vec<&FindingView> = props
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Confirmed)
        .collect();
    let severity = |s: Severity| strings.label(&s.label()).to_owned();
    html! {
        <section class="enterprise-view" aria-labelledby="enterprise-view-title">
            <h3 id="enterprise-view-title">{ fs.preview }</h3>
            if props.preview {
                <p class="muted">{ fs.preview_hint }</p>
            }
            if findings.is_empty() {
                <p>{ fs.preview_empty }</p>
            } else {
                <ol class="enterprise-view__findings">
                    { for findings.into_iter().map(|f| {
                        let actions: Vec<&CorrectiveActionView> =
                            props.actions.iter().filter(|a| a.finding_id == f.id).collect();
                        html! {
                            <li class="enterprise-view__finding">
                                <p class="enterprise-view__title">{ &f.title }</p>
                                <p>{ &f.description }</p>
                                <p class="enterprise-view__meta">
                                    { fs.legal_basis }{ ": " }{ f.legal_basis.clone().unwrap_or_else(|| "—".to_owned()) }
                                    { " · " }{ fs.severity }{ ": " }{ severity(f.severity) }
                                </p>
                                if !actions.is_empty() {
                                    <ul class="enterprise-view__actions">
                                        { for actions.into_iter().map(|a| html! {
                                            <li>
                                                <span class="action-list__text">{ &a.description }</span>
                                                <span class="action-list__due">{ fs.due_date }{ ": " }{ format::date(a.due_date) }</span>
                                            </li>
                                        }) }
                                    </ul>
                                }
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}

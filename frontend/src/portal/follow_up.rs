//! After the conclusion: the findings with their legal basis, and the corrective actions with
//! their due dates and status (overdue ones with the days late). For each open action the
//! enterprise sends proof (photos and documents, several, with a note) through the evidence
//! outbox, as the phone sends photos; it sees the agency's verification, or its rejection with
//! the reason, and then sends proof again.

use chrono::Utc;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceUploadParams};
use kiemtra_shared::review::{
    ConclusionView, CorrectiveActionStatus, CorrectiveActionView, FindingView, SubmitProof,
};
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::{PortalStrings, use_portal_strings};
use crate::api;
use crate::auth::use_auth;
use crate::browser;
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::use_strings;
use crate::outbox::{NotSent, OutboxEntry, PhotoState, Sending, use_outbox};
use crate::pages::inspection_detail::fields::DOCUMENT_TYPES;

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(ConclusionView),
    /// Not concluded yet (or not released to the enterprise).
    None,
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct ConclusionSectionProps {
    pub inspection_id: Uuid,
}

#[component]
pub fn ConclusionSection(props: &ConclusionSectionProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let portal = use_portal_strings();
    let load = use_state(|| Load::Loading);
    let reloads = use_state(|| 0u32);
    {
        let load = load.clone();
        use_effect_with((props.inspection_id, *reloads), move |&(id, _)| {
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::findings::conclusion(&auth, id).await {
                    Ok(Some(view)) => Load::Loaded(view),
                    Ok(None) => Load::None,
                    Err(error) => Load::Failed(error.user_message(strings)),
                });
            });
        });
    }
    let reload = {
        let reloads = reloads.clone();
        Callback::from(move |_: ()| reloads.set(*reloads + 1))
    };
    let view = match &*load {
        Load::Loading => return html! { <Loading text={strings.loading} /> },
        Load::None => return html! {},
        Load::Failed(text) => return html! { <Notice tone={Tone::Error}>{ text.clone() }</Notice> },
        Load::Loaded(view) => view,
    };
    let findings = if view.findings.is_empty() {
        html! { <p>{ portal.no_findings }</p> }
    } else {
        view.findings
            .iter()
            .map(|finding| {
                let actions: Vec<CorrectiveActionView> = view
                    .corrective_actions
                    .iter()
                    .filter(|a| a.finding_id == finding.id)
                    .cloned()
                    .collect();
                finding_card(finding, actions, portal, props.inspection_id, &reload)
            })
            .collect::<Html>()
    };
    html! {
        <section class="portal-conclusion" aria-labelledby="conclusion-title">
            <div class="card">
                <h2 id="conclusion-title">{ portal.conclusion_number }{ " " }{ &view.number }</h2>
                <p class="portal-conclusion__date">{ format::date_time(view.concluded_at) }</p>
                <p class="pre-wrap">{ &view.summary }</p>
                if let Some(sanctions) = &view.sanctions {
                    <p><strong>{ portal.sanctions }{ ": " }</strong>{ sanctions }</p>
                }
            </div>
            <h2>{ portal.findings }</h2>
            { findings }
        </section>
    }
}

fn finding_card(
    finding: &FindingView,
    actions: Vec<CorrectiveActionView>,
    portal: &'static PortalStrings,
    inspection_id: Uuid,
    reload: &Callback<()>,
) -> Html {
    html! {
        <article class="card portal-finding" key={finding.id.to_string()}
            aria-labelledby={format!("finding-{}", finding.id)}>
            <h3 id={format!("finding-{}", finding.id)}>{ &finding.title }</h3>
            <p class="pre-wrap">{ &finding.description }</p>
            if let Some(basis) = &finding.legal_basis {
                <p class="portal-finding__basis"><strong>{ portal.legal_basis }{ ": " }</strong>{ basis }</p>
            }
            if !actions.is_empty() {
                <h4>{ portal.actions }</h4>
                <ul class="portal-actions">
                    { for actions.into_iter().map(|action| html! {
                        <ActionCard key={action.id.to_string()} action={action.clone()} {inspection_id} on_changed={reload.clone()} />
                    }) }
                </ul>
            }
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct ActionCardProps {
    action: CorrectiveActionView,
    inspection_id: Uuid,
    on_changed: Callback<()>,
}

/// A file chosen as proof, queued in the outbox.
#[derive(Debug, Clone, PartialEq)]
struct ProofFile {
    id: Uuid,
    name: String,
}

#[derive(Debug, Clone, PartialEq)]
enum ProofSending {
    Idle,
    Busy,
    Failed(String),
}

/// One corrective action: its due date and status in words, the agency's reason after a
/// rejection, and while it is open the proof form.
#[component]
fn ActionCard(props: &ActionCardProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let portal = use_portal_strings();
    let outbox = use_outbox();
    let files = use_state(Vec::<ProofFile>::new);
    let note = use_state(String::new);
    let sending = use_state(|| ProofSending::Idle);
    let action = &props.action;
    let today = Utc::now().date_naive();
    let (status_text, tone) = match action.status {
        CorrectiveActionStatus::Open => (portal.status_open.to_owned(), "todo"),
        CorrectiveActionStatus::ProofSubmitted => (portal.status_proof.to_owned(), "wait"),
        CorrectiveActionStatus::Verified => (portal.status_verified.to_owned(), "done"),
        CorrectiveActionStatus::Overdue => (
            portal.days_late((today - action.due_date).num_days().max(1)),
            "late",
        ),
    };
    let open = matches!(
        action.status,
        CorrectiveActionStatus::Open | CorrectiveActionStatus::Overdue
    );
    let user_id = auth.session().map(|s| s.user.id).unwrap_or_default();
    let on_files = {
        let (files, outbox, sending) = (files.clone(), outbox.outbox.clone(), sending.clone());
        let (inspection_id, action_id) = (props.inspection_id, action.id);
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let chosen = browser::chosen_files(&input);
            input.set_value("");
            let (files, outbox, sending) = (files.clone(), outbox.clone(), sending.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut now = (*files).clone();
                for file in chosen {
                    let Ok(sha256) = browser::sha256(&file).await else {
                        sending.set(ProofSending::Failed(strings.photo_failed.to_owned()));
                        continue;
                    };
                    let id = Uuid::new_v4();
                    let name = file.name();
                    let entry = OutboxEntry {
                        id,
                        user_id,
                        params: EvidenceUploadParams {
                            inspection_id,
                            item_key: format!("proof.{action_id}"),
                            kind: if file.type_().starts_with("image/") {
                                EvidenceKind::Photo
                            } else {
                                EvidenceKind::Document
                            },
                            captured_at: Some(Utc::now()),
                            latitude: None,
                            longitude: None,
                            file_name: kiemtra_shared::file_name::FileName::parse(&name).ok(),
                        },
                        sha256,
                        size: file.size() as u64,
                        filename: name.clone(),
                        ready: true,
                        sending: Sending::Waiting,
                        upload_url: None,
                        queued_at: Utc::now(),
                        record: String::new(),
                    };
                    if outbox.add(entry, file.into()).await.is_ok() {
                        now.push(ProofFile { id, name });
                    } else {
                        sending.set(ProofSending::Failed(strings.photo_not_kept.to_owned()));
                    }
                }
                files.set(now);
            });
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            note.set(area.value());
        })
    };
    let on_send = {
        let (files, note, sending) = (files.clone(), note.clone(), sending.clone());
        let outbox = outbox.outbox.clone();
        let on_changed = props.on_changed.clone();
        let action_id = action.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *sending == ProofSending::Busy {
                return;
            }
            let ids: Vec<Uuid> = files.iter().map(|f| f.id).collect();
            if ids.is_empty() {
                sending.set(ProofSending::Failed(portal.choose_proof.to_owned()));
                return;
            }
            sending.set(ProofSending::Busy);
            let (auth, outbox, sending, files) =
                (auth.clone(), outbox.clone(), sending.clone(), files.clone());
            let (note, on_changed) = ((*note).trim().to_owned(), on_changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match outbox.wait_sent(&ids, |_, _| {}).await {
                    Ok(_) => {}
                    Err(NotSent::Offline) => {
                        sending.set(ProofSending::Failed(
                            strings.photos_wait_connection.to_owned(),
                        ));
                        return;
                    }
                    Err(NotSent::Failed(message)) => {
                        sending.set(ProofSending::Failed(format!(
                            "{}: {message}",
                            strings.photo_send_failed
                        )));
                        return;
                    }
                    Err(NotSent::Missing) => {
                        sending.set(ProofSending::Failed(strings.photo_failed.to_owned()));
                        return;
                    }
                }
                let proof = SubmitProof {
                    evidence_ids: ids.clone(),
                    note: (!note.is_empty()).then_some(note),
                };
                match api::corrective_actions::submit_proof(&auth, action_id, &proof).await {
                    Ok(_) => {
                        outbox.remove(&ids).await;
                        files.set(Vec::new());
                        sending.set(ProofSending::Idle);
                        on_changed.emit(());
                    }
                    Err(error) => sending.set(ProofSending::Failed(error.user_message(strings))),
                }
            });
        })
    };
    let busy = *sending == ProofSending::Busy;
    let heading = format!("action-{}", action.id);
    html! {
        <li class={classes!("portal-action", format!("portal-action--{tone}"))} aria-labelledby={heading.clone()}>
            <p class="portal-action__text" id={heading}>{ &action.description }</p>
            <p class="portal-action__meta">
                { portal.due }{ ": " }{ format::date(action.due_date) }
                { " · " }
                <span class={classes!("portal-state", format!("portal-state--{tone}"))}>{ status_text }</span>
            </p>
            if action.status == CorrectiveActionStatus::Overdue {
                <p class="portal-action__late">{ portal.status_overdue }</p>
            }
            if let (Some(reason), true) = (&action.rejection_reason, open) {
                <Notice tone={Tone::Error}>
                    <p>{ portal.rejected_reason }{ ": " }{ reason }</p>
                </Notice>
            }
            if !action.proof.is_empty() && !open {
                <p class="portal-action__meta">{ portal.proof_sent_count }{ ": " }{ action.proof.len() }
                    if let Some(note) = &action.proof_note { { " · " }{ note } }
                </p>
            }
            if open {
                <form class="portal-proof" onsubmit={on_send} novalidate=true>
                    <label class="button button--secondary photo-input">
                        <input type="file" accept={DOCUMENT_TYPES} multiple=true class="visually-hidden"
                            disabled={busy} onchange={on_files} />
                        <span>{ portal.proof_files }</span>
                    </label>
                    <ul class="portal-proof__files">
                        { for files.iter().map(|file| {
                            let state = outbox.outbox.state(file.id);
                            let retry = {
                                let (outbox, id) = (outbox.outbox.clone(), file.id);
                                Callback::from(move |_: MouseEvent| {
                                    let outbox = outbox.clone();
                                    wasm_bindgen_futures::spawn_local(async move { outbox.retry(id).await });
                                })
                            };
                            html! {
                                <li key={file.id.to_string()} class="portal-proof__file">
                                    <span class="portal-proof__name">{ &file.name }</span>
                                    { upload_state(state, retry, strings) }
                                </li>
                            }
                        }) }
                    </ul>
                    <label class="field">
                        <span class="field__label">{ portal.proof_note }</span>
                        <textarea class="input" rows="2" value={(*note).clone()} oninput={on_note} disabled={busy} />
                    </label>
                    if let ProofSending::Failed(text) = &*sending {
                        <Notice tone={Tone::Error}>{ text.clone() }</Notice>
                    }
                    if busy {
                        <div class="progress" role="status">{ portal.sending_proof }</div>
                    }
                    <button type="submit" class="button button--primary" disabled={busy}>
                        { if action.rejection_reason.is_some() { portal.send_proof_again } else { portal.send_proof } }
                    </button>
                </form>
            }
        </li>
    }
}

/// Where a proof file's upload stands, with "Gửi lại" after a refusal.
fn upload_state(
    state: Option<PhotoState>,
    retry: Callback<MouseEvent>,
    strings: &'static crate::i18n::Strings,
) -> Html {
    match state {
        None | Some(PhotoState::Waiting) => html! {
            <span class="upload upload--waiting" role="status">{ strings.upload_waiting }</span>
        },
        Some(PhotoState::Uploading { percent }) => html! {
            <span class="upload upload--sending" role="status">
                { strings.upload_sending }{ format!(" {percent}%") }
                <progress class="upload__bar" max="100" value={percent.to_string()}></progress>
            </span>
        },
        Some(PhotoState::Sent) => html! {
            <span class="upload upload--sent" role="status">{ "✓ " }{ strings.upload_sent }</span>
        },
        Some(PhotoState::Failed(message)) => html! {
            <span class="upload upload--failed" role="alert">
                <span class="upload__reason">{ strings.photo_send_failed }{ ": " }{ message }</span>
                <button type="button" class="button button--small" onclick={retry}>{ strings.send_again }</button>
            </span>
        },
    }
}

//! One finding: what it came from, its legal basis and severity, the decisions on it, and the
//! corrective actions of a confirmed one.

use chrono::{Days, NaiveDate};
use kiemtra_shared::measurement::Direction;
use kiemtra_shared::review::{
    CorrectiveActionView, CreateCorrectiveAction, FindingStatus, FindingView, UpdateFinding,
};
use kiemtra_shared::template::Severity;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::answer::AnswerContext;
use super::fields::{TextField, field_error};
use super::{FindingsStrings, use_findings_strings};
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::format;
use crate::components::notice::{Notice, Tone};
use crate::i18n::use_strings;

/// How long an enterprise is given for a fix unless the reviewer says otherwise.
pub const DEFAULT_DAYS_TO_FIX: u64 = 14;

pub fn status_label(fs: &FindingsStrings, status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Proposed => fs.status_proposed,
        FindingStatus::Confirmed => fs.status_confirmed,
        FindingStatus::Dismissed => fs.status_dismissed,
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Minor => "severity severity--minor",
        Severity::Major => "severity severity--major",
        Severity::Critical => "severity severity--critical",
    }
}

#[derive(Properties, PartialEq)]
pub struct FindingCardProps {
    pub finding: FindingView,
    pub context: Option<AnswerContext>,
    pub actions: Vec<CorrectiveActionView>,
    /// In review: decisions, edits and new actions are possible.
    pub editable: bool,
    pub on_changed: Callback<()>,
}

#[component]
pub fn FindingCard(props: &FindingCardProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let finding = &props.finding;
    let editing = use_state(|| false);
    let adding_action = use_state(|| false);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let lang_label = |label: &kiemtra_shared::template::Label| strings.label(label).to_owned();

    let decide = |status: FindingStatus| {
        let (auth, error, busy, on_changed) = (
            auth.clone(),
            error.clone(),
            busy.clone(),
            props.on_changed.clone(),
        );
        let id = finding.id;
        Callback::from(move |_: MouseEvent| {
            let change = UpdateFinding {
                status: Some(status),
                ..UpdateFinding::default()
            };
            let (auth, error, busy, on_changed) = (
                auth.clone(),
                error.clone(),
                busy.clone(),
                on_changed.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::update(&auth, id, &change).await {
                    Ok(_) => {
                        error.set(None);
                        on_changed.emit(());
                    }
                    Err(e) => error.set(Some(e.user_message(strings))),
                }
                busy.set(false);
            });
        })
    };
    let toggle = |handle: &UseStateHandle<bool>| {
        let handle = handle.clone();
        Callback::from(move |_: MouseEvent| handle.set(!*handle))
    };
    let on_saved = {
        let (editing, on_changed) = (editing.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            editing.set(false);
            on_changed.emit(());
        })
    };
    let on_action_added = {
        let (adding, on_changed) = (adding_action.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            adding.set(false);
            on_changed.emit(());
        })
    };
    let heading_id = format!("finding-{}", finding.id);
    let status_class = match finding.status {
        FindingStatus::Proposed => "finding--proposed",
        FindingStatus::Confirmed => "finding--confirmed",
        FindingStatus::Dismissed => "finding--dismissed",
    };
    let confirmed = finding.status == FindingStatus::Confirmed;
    html! {
        <article class={classes!("card", "finding", status_class)} aria-labelledby={heading_id.clone()}>
            <div class="finding__head">
                <h3 id={heading_id.clone()} class="finding__title">{ &finding.title }</h3>
                <span class="chip finding__status">
                    { status_label(fs, finding.status) }
                </span>
            </div>
            <dl class="finding__facts">
                if let Some(context) = &props.context {
                    <div><dt>{ fs.item }</dt><dd>{ &context.item }</dd></div>
                    <div><dt>{ fs.answer }</dt><dd class="finding__answer">{ &context.answer }</dd></div>
                    if let Some(limit) = &context.limit {
                        <div><dt>{ fs.limit }</dt><dd>{ limit }</dd></div>
                    }
                    if let Some((direction, text)) = &context.deviation {
                        <div>
                            <dt>{ if *direction == Direction::Above { fs.excess } else { fs.shortfall } }</dt>
                            <dd class="finding__excess">{ text }</dd>
                        </div>
                    }
                } else {
                    <div><dt>{ fs.item }</dt><dd>{ if finding.response_id.is_some() { fs.from_answer } else { fs.by_hand } }</dd></div>
                }
                <div><dt>{ fs.legal_basis }</dt><dd>{ finding.legal_basis.clone().unwrap_or_else(|| "—".to_owned()) }</dd></div>
                <div><dt>{ fs.severity }</dt><dd><span class={severity_class(finding.severity)}>{ lang_label(&finding.severity.label()) }</span></dd></div>
            </dl>
            <p class="finding__description">{ &finding.description }</p>
            if *editing {
                <EditFinding finding={finding.clone()} on_saved={on_saved}
                    on_cancel={let e = editing.clone(); Callback::from(move |_| e.set(false))} />
            }
            if let Some(message) = &*error {
                <Notice tone={Tone::Error}><p>{ message }</p></Notice>
            }
            if props.editable && !*editing {
                <div class="finding__decisions">
                    if finding.status == FindingStatus::Proposed {
                        <button type="button" class="button button--primary button--small"
                            onclick={decide(FindingStatus::Confirmed)} disabled={*busy}>{ fs.confirm }</button>
                    }
                    if finding.status != FindingStatus::Dismissed {
                        <button type="button" class="button button--small" onclick={toggle(&editing)}
                            disabled={*busy}>{ fs.edit }</button>
                        <button type="button" class="button button--danger button--small"
                            onclick={decide(FindingStatus::Dismissed)} disabled={*busy}>{ fs.dismiss }</button>
                    } else {
                        <button type="button" class="button button--small"
                            onclick={decide(FindingStatus::Proposed)} disabled={*busy}>{ fs.restore }</button>
                    }
                </div>
            }
            if confirmed {
                <section class="finding__actions" aria-label={fs.findings_of(&finding.title)}>
                    <h4>{ fs.actions_heading }</h4>
                    if props.actions.is_empty() {
                        <p class="muted">{ fs.no_actions }</p>
                    } else {
                        <ul class="action-list">
                            { for props.actions.iter().map(|a| html! {
                                <li class="action-list__item">
                                    <span class="action-list__text">{ &a.description }</span>
                                    <span class="action-list__due">{ fs.due_date }{ ": " }{ format::date(a.due_date) }</span>
                                </li>
                            }) }
                        </ul>
                    }
                    if props.editable {
                        if *adding_action {
                            <NewAction finding_id={finding.id} on_added={on_action_added}
                                on_cancel={let a = adding_action.clone(); Callback::from(move |_| a.set(false))} />
                        } else {
                            <button type="button" class="button button--secondary button--small"
                                onclick={toggle(&adding_action)}>{ fs.add_action }</button>
                        }
                    }
                </section>
            }
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct SeverityChoiceProps {
    /// The radio group's name, unique in the page.
    pub name: AttrValue,
    pub value: Severity,
    pub on_change: Callback<Severity>,
}

/// The severity as three radio buttons.
#[component]
pub fn SeverityChoice(props: &SeverityChoiceProps) -> Html {
    let strings = use_strings();
    let fs = use_findings_strings();
    html! {
        <fieldset class="field severity-choice">
            <legend class="field__label">{ fs.severity }</legend>
            { for [Severity::Minor, Severity::Major, Severity::Critical].into_iter().map(|severity| {
                let on_change = props.on_change.clone();
                let onchange = Callback::from(move |e: Event| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    if input.checked() {
                        on_change.emit(severity);
                    }
                });
                html! {
                    <label class="severity-choice__option">
                        <input type="radio" name={props.name.clone()} checked={props.value == severity} {onchange} />
                        { strings.label(&severity.label()).to_owned() }
                    </label>
                }
            }) }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct EditFindingProps {
    finding: FindingView,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
}

/// Title, description, legal basis and severity of a finding.
#[component]
fn EditFinding(props: &EditFindingProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let f = &props.finding;
    let title = use_state(|| f.title.clone());
    let description = use_state(|| f.description.clone());
    let legal_basis = use_state(|| f.legal_basis.clone().unwrap_or_default());
    let severity = use_state(|| f.severity);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |v: String| handle.set(v))
    };
    let submit = {
        let (auth, title, description, legal_basis, severity, error, busy, on_saved) = (
            auth.clone(),
            title.clone(),
            description.clone(),
            legal_basis.clone(),
            severity.clone(),
            error.clone(),
            busy.clone(),
            props.on_saved.clone(),
        );
        let id = f.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let change = UpdateFinding {
                title: Some((*title).clone()),
                description: Some((*description).clone()),
                legal_basis: Some(legal_basis.trim().to_owned()),
                severity: Some(*severity),
                status: None,
            };
            let (auth, error, busy, on_saved) =
                (auth.clone(), error.clone(), busy.clone(), on_saved.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::update(&auth, id, &change).await {
                    Ok(_) => on_saved.emit(()),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let prefix = format!("edit-{}", f.id);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <form class="finding__edit" onsubmit={submit} novalidate=true>
            <TextField id={format!("{prefix}-title")} label={fs.finding_title} value={(*title).clone()}
                on_change={set(&title)} required=true error={field_error(&error, "title", fs.required)} />
            <TextField id={format!("{prefix}-description")} label={fs.description} value={(*description).clone()}
                on_change={set(&description)} multiline=true required=true
                error={field_error(&error, "description", fs.required)} />
            <TextField id={format!("{prefix}-legal")} label={fs.legal_basis} value={(*legal_basis).clone()}
                on_change={set(&legal_basis)} />
            <SeverityChoice name={format!("{prefix}-severity")} value={*severity}
                on_change={let s = severity.clone(); Callback::from(move |v| s.set(v))} />
            if let Some(e) = &*error {
                <Notice tone={Tone::Error}><p>{ e.user_message(strings) }</p></Notice>
            }
            <div class="findings__form-actions">
                <button type="submit" class="button button--primary button--small" disabled={*busy}>{ fs.save }</button>
                <button type="button" class="button button--small" onclick={cancel}>{ fs.cancel }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct NewActionProps {
    finding_id: uuid::Uuid,
    on_added: Callback<()>,
    on_cancel: Callback<()>,
}

/// The device's today, plus `days`.
fn today_plus(days: u64) -> NaiveDate {
    chrono::Local::now().date_naive() + Days::new(days)
}

/// A corrective action: what to fix, the proof expected and the due date. The API has no field
/// for the proof, so it is written into the description on a line of its own, where the
/// enterprise reads it with the action.
#[component]
fn NewAction(props: &NewActionProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let description = use_state(String::new);
    let proof = use_state(String::new);
    let due = use_state(|| today_plus(DEFAULT_DAYS_TO_FIX).to_string());
    let error = use_state(|| None::<ApiError>);
    let due_error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |v: String| handle.set(v))
    };
    let submit = {
        let (auth, description, proof, due, error, due_error, busy, on_added) = (
            auth.clone(),
            description.clone(),
            proof.clone(),
            due.clone(),
            error.clone(),
            due_error.clone(),
            busy.clone(),
            props.on_added.clone(),
        );
        let id = props.finding_id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(due_date) = due.parse::<NaiveDate>() else {
                due_error.set(Some(fs.required.to_owned()));
                return;
            };
            due_error.set(None);
            let mut text = description.trim().to_owned();
            if !proof.trim().is_empty() && !text.is_empty() {
                text.push('\n');
                text.push_str(fs.expected_proof_prefix);
                text.push_str(proof.trim());
            }
            let request = CreateCorrectiveAction {
                description: text,
                due_date,
            };
            let (auth, error, busy, on_added) =
                (auth.clone(), error.clone(), busy.clone(), on_added.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::create_action(&auth, id, &request).await {
                    Ok(_) => on_added.emit(()),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let prefix = format!("action-{}", props.finding_id);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <form class="action-form" onsubmit={submit} novalidate=true>
            <TextField id={format!("{prefix}-description")} label={fs.action_description}
                value={(*description).clone()} on_change={set(&description)} multiline=true required=true
                error={field_error(&error, "description", fs.required)} />
            <TextField id={format!("{prefix}-proof")} label={fs.expected_proof} value={(*proof).clone()}
                on_change={set(&proof)} hint={fs.expected_proof_hint} />
            <TextField id={format!("{prefix}-due")} label={fs.due_date} kind="date" value={(*due).clone()}
                on_change={set(&due)} required=true hint={fs.due_hint}
                error={(*due_error).clone().or_else(|| field_error(&error, "due_date", fs.required))} />
            if let Some(e) = &*error {
                <Notice tone={Tone::Error}><p>{ e.user_message(strings) }</p></Notice>
            }
            <div class="findings__form-actions">
                <button type="submit" class="button button--primary button--small" disabled={*busy}>{ fs.add_action }</button>
                <button type="button" class="button button--small" onclick={cancel}>{ fs.cancel }</button>
            </div>
        </form>
    }
}

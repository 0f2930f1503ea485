//! Vi phạm & khắc phục: the findings of one inspection, proposed from its non-compliant answers
//! or written by hand, confirmed, edited or dismissed; the corrective actions of each confirmed
//! finding; and the conclusion, issued with a preview of what the enterprise will see.
//!
//! Proposals: the page asks the server to propose findings by itself when the inspection is in
//! review, has none yet and its submitted responses hold non-compliant answers (proposing is
//! idempotent: an answer that has a finding, dismissed or not, is never proposed again). The
//! button "Đề xuất từ câu trả lời không đạt" asks again, e.g. after an amendment.

mod answer;
mod conclusion;
pub mod fields;
mod finding;
pub mod strings;

use std::cell::RefCell;
use std::rc::Rc;

use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus};
use kiemtra_shared::review::{
    ConclusionView, CorrectiveActionView, CreateFinding, FindingStatus, FindingView,
};
use kiemtra_shared::template::Severity;
use uuid::Uuid;
use yew::prelude::*;

use crate::agency::inspection_tabs::{InspectionTab, InspectionTabs};
use crate::api::{self, ApiError};
use crate::auth::{AuthHandle, use_auth};
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::{use_lang, use_strings};
use fields::{TextField, field_error};
pub use strings::FindingsStrings;

/// The texts of this screen in the chosen language.
#[hook]
pub fn use_findings_strings() -> &'static FindingsStrings {
    FindingsStrings::of(use_lang().lang())
}

/// Whether findings can be made and decided: the site record is submitted and not concluded.
pub fn in_review(status: InspectionStatus) -> bool {
    matches!(
        status,
        InspectionStatus::Submitted | InspectionStatus::UnderReview
    )
}

/// Everything the screen shows, read together.
#[derive(Clone, PartialEq)]
pub struct Loaded {
    pub detail: InspectionDetail,
    pub findings: Vec<FindingView>,
    pub actions: Vec<CorrectiveActionView>,
    pub conclusion: Option<ConclusionView>,
    /// How many findings the page proposed by itself on opening.
    pub auto_proposed: Option<usize>,
}

impl Loaded {
    pub fn actions_of(&self, finding: Uuid) -> Vec<CorrectiveActionView> {
        self.actions
            .iter()
            .filter(|a| a.finding_id == finding)
            .cloned()
            .collect()
    }
}

async fn load(auth: &AuthHandle, id: Uuid, may_propose: bool) -> Result<Loaded, ApiError> {
    let (detail, _) = api::inspections::detail(auth, id).await?;
    let mut findings = api::findings::list(auth, id).await?;
    let has_non_compliance = detail
        .site_response
        .iter()
        .chain(detail.responses.iter())
        .any(|r| !r.non_compliances.is_empty());
    let mut auto_proposed = None;
    if may_propose && in_review(detail.summary.status) && findings.is_empty() && has_non_compliance
    {
        findings = api::findings::propose(auth, id).await?;
        auto_proposed = Some(findings.len());
    }
    let actions = api::findings::actions(auth, id).await?;
    let conclusion = api::findings::conclusion(auth, id).await?;
    Ok(Loaded {
        detail,
        findings,
        actions,
        conclusion,
        auto_proposed,
    })
}

enum Load {
    Loading,
    Loaded(Rc<Loaded>),
    Failed(ApiError),
}

#[derive(Properties, PartialEq)]
pub struct FindingsPageProps {
    pub id: Uuid,
}

#[component]
pub fn FindingsPage(props: &FindingsPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let state = use_state(|| Load::Loading);
    // Bumped to read everything again after a change; the page stays as it is meanwhile.
    let version = use_state(|| 0u32);
    let counter = use_mut_ref(|| 0u32);
    {
        let (state, auth) = (state.clone(), auth.clone());
        use_effect_with((props.id, *version), move |&(id, version)| {
            wasm_bindgen_futures::spawn_local(async move {
                match load(&auth, id, version == 0).await {
                    Ok(loaded) => state.set(Load::Loaded(Rc::new(loaded))),
                    Err(error) => state.set(Load::Failed(error)),
                }
            });
        });
    }
    let refresh = reload_callback(version.clone(), counter);
    let body = match &*state {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(error) => html! {
            <Notice tone={Tone::Error}>
                <p>{ error.user_message(strings) }</p>
                <button type="button" class="button" onclick={refresh.reform(|_| ())}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded(loaded) => html! {
            <Screen loaded={loaded.clone()} on_changed={refresh.clone()} />
        },
    };
    html! {
        <section class="findings" aria-labelledby="findings-title">
            { body }
        </section>
    }
}

/// A callback that bumps `version` (a counter kept in `counter`, so that a callback made in an
/// earlier render still counts on).
fn reload_callback(version: UseStateHandle<u32>, counter: Rc<RefCell<u32>>) -> Callback<()> {
    Callback::from(move |_| {
        let next = {
            let mut n = counter.borrow_mut();
            *n += 1;
            *n
        };
        version.set(next);
    })
}

#[derive(Properties, PartialEq)]
struct ScreenProps {
    loaded: Rc<Loaded>,
    on_changed: Callback<()>,
}

#[component]
fn Screen(props: &ScreenProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let loaded = &props.loaded;
    let summary = &loaded.detail.summary;
    let reviewing = in_review(summary.status);
    let proposing = use_state(|| false);
    let proposed_message = use_state(|| None::<Result<String, String>>);
    let adding = use_state(|| false);

    let propose = {
        let (auth, proposing, message, on_changed) = (
            auth.clone(),
            proposing.clone(),
            proposed_message.clone(),
            props.on_changed.clone(),
        );
        let (id, before) = (summary.id, loaded.findings.len());
        Callback::from(move |_: MouseEvent| {
            proposing.set(true);
            let (auth, proposing, message, on_changed) = (
                auth.clone(),
                proposing.clone(),
                message.clone(),
                on_changed.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::propose(&auth, id).await {
                    Ok(all) => {
                        let new = all.len().saturating_sub(before);
                        message.set(Some(Ok(if new == 0 {
                            fs.proposed_none.to_owned()
                        } else {
                            fs.proposed_count(new)
                        })));
                        on_changed.emit(());
                    }
                    Err(error) => message.set(Some(Err(error.user_message(strings)))),
                }
                proposing.set(false);
            });
        })
    };
    let toggle_add = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(!*adding))
    };
    let on_added = {
        let (adding, on_changed) = (adding.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            adding.set(false);
            on_changed.emit(());
        })
    };

    let of_status = |status: FindingStatus| -> Vec<&FindingView> {
        loaded
            .findings
            .iter()
            .filter(|f| f.status == status)
            .collect()
    };
    let card = |finding: &FindingView| {
        html! {
            <finding::FindingCard key={finding.id.to_string()}
                finding={finding.clone()}
                context={answer::context_of(finding, &loaded.detail, strings)}
                actions={loaded.actions_of(finding.id)}
                editable={reviewing}
                on_changed={props.on_changed.clone()} />
        }
    };
    let group = |status: FindingStatus, heading: &'static str, id: &'static str| {
        let list = of_status(status);
        if list.is_empty() {
            return html! {};
        }
        html! {
            <section class="findings__group" aria-labelledby={id}>
                <h2 {id}>{ heading }{ format!(" ({})", list.len()) }</h2>
                <div class="findings__list">{ for list.into_iter().map(card) }</div>
            </section>
        }
    };
    let auto_message = loaded
        .auto_proposed
        .filter(|n| *n > 0)
        .map(|n| fs.proposed_count(n));

    html! {
        <>
            <header class="findings__head">
                <p class="findings__number">{ &summary.decision_number }{ " · " }{ &summary.enterprise_name }</p>
                <h1 id="findings-title">{ fs.title }</h1>
                <p class="findings__subtitle">
                    <StatusChip status={summary.status} />
                    <span>{ &summary.title }</span>
                </p>
            </header>
            <InspectionTabs inspection_id={summary.id} current={InspectionTab::Findings} />
            if !reviewing && loaded.conclusion.is_none() {
                <Notice tone={Tone::Info}><p>{ fs.not_reviewable }</p></Notice>
            }
            if reviewing {
                <div class="findings__toolbar">
                    <button type="button" class="button button--secondary" onclick={propose}
                        disabled={*proposing}>
                        { if *proposing { fs.proposing } else { fs.propose } }
                    </button>
                    <button type="button" class="button" onclick={toggle_add}
                        aria-expanded={(*adding).to_string()}>
                        { fs.add_finding }
                    </button>
                </div>
            }
            if let Some(text) = auto_message {
                <Notice tone={Tone::Info}><p>{ text }</p></Notice>
            }
            { match &*proposed_message {
                Some(Ok(text)) => html! { <Notice tone={Tone::Success}><p>{ text }</p></Notice> },
                Some(Err(text)) => html! { <Notice tone={Tone::Error}><p>{ text }</p></Notice> },
                None => html! {},
            } }
            if *adding && reviewing {
                <NewFinding inspection_id={summary.id} on_added={on_added} />
            }
            if loaded.findings.is_empty() {
                <p class="card muted">{ fs.no_findings }</p>
            }
            { group(FindingStatus::Proposed, fs.proposed_heading, "findings-proposed") }
            { group(FindingStatus::Confirmed, fs.confirmed_heading, "findings-confirmed") }
            { group(FindingStatus::Dismissed, fs.dismissed_heading, "findings-dismissed") }
            <conclusion::ConclusionSection loaded={props.loaded.clone()} on_changed={props.on_changed.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NewFindingProps {
    inspection_id: Uuid,
    on_added: Callback<()>,
}

/// A finding written by hand: recorded as confirmed.
#[component]
fn NewFinding(props: &NewFindingProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fs = use_findings_strings();
    let title = use_state(String::new);
    let description = use_state(String::new);
    let legal_basis = use_state(String::new);
    let severity = use_state(|| Severity::Major);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |v: String| handle.set(v))
    };
    let submit = {
        let (auth, title, description, legal_basis, severity, error, busy, on_added) = (
            auth.clone(),
            title.clone(),
            description.clone(),
            legal_basis.clone(),
            severity.clone(),
            error.clone(),
            busy.clone(),
            props.on_added.clone(),
        );
        let id = props.inspection_id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = CreateFinding {
                title: (*title).clone(),
                description: (*description).clone(),
                legal_basis: Some(legal_basis.trim().to_owned()).filter(|s| !s.is_empty()),
                severity: *severity,
            };
            let (auth, error, busy, on_added) =
                (auth.clone(), error.clone(), busy.clone(), on_added.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::create(&auth, id, &request).await {
                    Ok(_) => {
                        error.set(None);
                        on_added.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card findings__form" onsubmit={submit} aria-labelledby="new-finding-title" novalidate=true>
            <h2 id="new-finding-title">{ fs.add_finding_heading }</h2>
            <TextField id="new-finding-title-input" label={fs.finding_title} value={(*title).clone()}
                on_change={set(&title)} required=true
                error={field_error(&error, "title", fs.required)} />
            <TextField id="new-finding-description" label={fs.description} value={(*description).clone()}
                on_change={set(&description)} multiline=true required=true
                error={field_error(&error, "description", fs.required)} />
            <TextField id="new-finding-legal" label={fs.legal_basis} value={(*legal_basis).clone()}
                on_change={set(&legal_basis)} />
            <finding::SeverityChoice name="new-finding-severity" value={*severity}
                on_change={let s = severity.clone(); Callback::from(move |v| s.set(v))} />
            if let Some(e) = &*error {
                <Notice tone={Tone::Error}><p>{ e.user_message(strings) }</p></Notice>
            }
            <div class="findings__form-actions">
                <button type="submit" class="button button--primary" disabled={*busy}>{ fs.save }</button>
            </div>
        </form>
    }
}

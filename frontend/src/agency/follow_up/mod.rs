//! Theo dõi khắc phục: every corrective action of the agency until its fix is verified,
//! filtered by status (`?status=open|proof_submitted|verified|overdue`) or by due date
//! (`?due=week`: open and due within 7 days, as the dashboard counts them), paged through the
//! API. Overdue actions come first, most days late first, and are marked in words as well as
//! in colour. The proof of an action opens in its row, to be verified or rejected with a reason.

pub mod strings;

use std::cell::RefCell;
use std::rc::Rc;

use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::review::{CorrectiveActionLine, CorrectiveActionStatus, VerifyProof};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use super::AgencyRoute;
use super::findings::fields::{TextField, field_error};
use crate::api::findings::FollowUpFilter;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::photo::EvidencePhoto;
use crate::i18n::{use_lang, use_strings};
pub use strings::FollowUpStrings;

/// Lines a page of the board holds.
const PER_PAGE: u64 = 50;

#[hook]
pub fn use_follow_up_strings() -> &'static FollowUpStrings {
    FollowUpStrings::of(use_lang().lang())
}

/// The board's query string; the dashboard links to `?status=overdue` and `?due=week`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CorrectiveActionStatus>,
    /// `week`: open and due within 7 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
}

impl BoardQuery {
    fn filter(&self) -> FollowUpFilter {
        FollowUpFilter {
            status: self.status,
            due_within_days: (self.due.as_deref() == Some("week")).then_some(7),
        }
    }

    fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// The same filter on another page.
    fn on_page(&self, page: u64) -> BoardQuery {
        BoardQuery {
            page: (page > 1).then_some(page),
            ..self.clone()
        }
    }
}

enum Load {
    Loading,
    Loaded {
        lines: Rc<Vec<CorrectiveActionLine>>,
        total: u64,
    },
    Failed(ApiError),
}

#[component]
pub fn FollowUpBoard() -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fu = use_follow_up_strings();
    let location = use_location();
    let query: BoardQuery = location
        .as_ref()
        .and_then(|l| l.query::<BoardQuery>().ok())
        .unwrap_or_default();
    let state = use_state(|| Load::Loading);
    let version = use_state(|| 0u32);
    let counter = use_mut_ref(|| 0u32);
    let notice = use_state(|| None::<&'static str>);
    {
        let (state, auth) = (state.clone(), auth.clone());
        use_effect_with(
            (query.filter(), query.page(), *version),
            move |&(filter, page, _)| {
                state.set(Load::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    match api::findings::follow_up(&auth, filter, page, PER_PAGE).await {
                        Ok((lines, total)) => state.set(Load::Loaded {
                            lines: Rc::new(lines),
                            total,
                        }),
                        Err(error) => state.set(Load::Failed(error)),
                    }
                });
            },
        );
    }
    let refresh = reload(version.clone(), counter);
    let on_decided = {
        let (refresh, notice) = (refresh.clone(), notice.clone());
        Callback::from(move |message: &'static str| {
            notice.set(Some(message));
            refresh.emit(());
        })
    };
    let tab = |label: &'static str, target: BoardQuery| {
        let current = target.status == query.status && target.due == query.due;
        html! {
            <li>
                <Link<AgencyRoute, BoardQuery> to={AgencyRoute::FollowUp} query={Some(target)}
                    classes={classes!("filter-tabs__tab", current.then_some("filter-tabs__tab--current"))}>
                    <span aria-current={current.then_some("page")}>{ label }</span>
                </Link<AgencyRoute, BoardQuery>>
            </li>
        }
    };
    let by_status = |status: CorrectiveActionStatus| BoardQuery {
        status: Some(status),
        ..BoardQuery::default()
    };
    let body = match &*state {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(error) => html! {
            <Notice tone={Tone::Error}>
                <p>{ error.user_message(strings) }</p>
                <button type="button" class="button" onclick={refresh.reform(|_| ())}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded { lines, total } => {
            let pages = total.div_ceil(PER_PAGE).max(1);
            let page = query.page();
            html! {
                <>
                    <p class="muted" role="status">{ fu.counted(*total, page, pages) }</p>
                    if lines.is_empty() {
                        <p class="card muted">{ fu.empty }</p>
                    } else {
                        <div class="table-scroll">
                            <table class="table follow-up__table">
                                <thead>
                                    <tr>
                                        <th scope="col">{ fu.enterprise }</th>
                                        <th scope="col">{ fu.decision_number }</th>
                                        <th scope="col">{ fu.action }</th>
                                        <th scope="col">{ fu.due_date }</th>
                                        <th scope="col">{ fu.status }</th>
                                        <th scope="col" class="table__number">{ fu.days_late }</th>
                                        <th scope="col">{ fu.proof }</th>
                                    </tr>
                                </thead>
                                { for lines.iter().map(|line| html! {
                                    <BoardRow key={line.action.id.to_string()} line={line.clone()}
                                        on_decided={on_decided.clone()} />
                                }) }
                            </table>
                        </div>
                    }
                    if pages > 1 {
                        <nav class="pager" aria-label={fu.pages}>
                            if page > 1 {
                                <Link<AgencyRoute, BoardQuery> to={AgencyRoute::FollowUp}
                                    query={Some(query.on_page(page - 1))} classes="button button--small">
                                    { fu.previous }
                                </Link<AgencyRoute, BoardQuery>>
                            }
                            if page < pages {
                                <Link<AgencyRoute, BoardQuery> to={AgencyRoute::FollowUp}
                                    query={Some(query.on_page(page + 1))} classes="button button--small">
                                    { fu.next }
                                </Link<AgencyRoute, BoardQuery>>
                            }
                        </nav>
                    }
                </>
            }
        }
    };
    html! {
        <section class="follow-up" aria-labelledby="follow-up-title">
            <h1 id="follow-up-title">{ fu.title }</h1>
            <nav aria-label={fu.filters}>
                <ul class="filter-tabs">
                    { tab(fu.all, BoardQuery::default()) }
                    { tab(fu.status(CorrectiveActionStatus::Overdue), by_status(CorrectiveActionStatus::Overdue)) }
                    { tab(fu.due_week, BoardQuery { due: Some("week".to_owned()), ..BoardQuery::default() }) }
                    { tab(fu.status(CorrectiveActionStatus::Open), by_status(CorrectiveActionStatus::Open)) }
                    { tab(fu.status(CorrectiveActionStatus::ProofSubmitted), by_status(CorrectiveActionStatus::ProofSubmitted)) }
                    { tab(fu.status(CorrectiveActionStatus::Verified), by_status(CorrectiveActionStatus::Verified)) }
                </ul>
            </nav>
            if let Some(message) = *notice {
                <Notice tone={Tone::Success}><p>{ message }</p></Notice>
            }
            { body }
        </section>
    }
}

fn reload(version: UseStateHandle<u32>, counter: Rc<RefCell<u32>>) -> Callback<()> {
    Callback::from(move |_| {
        let next = {
            let mut n = counter.borrow_mut();
            *n += 1;
            *n
        };
        version.set(next);
    })
}

fn status_class(status: CorrectiveActionStatus) -> &'static str {
    match status {
        CorrectiveActionStatus::Open => "chip chip--action-open",
        CorrectiveActionStatus::ProofSubmitted => "chip chip--action-proof",
        CorrectiveActionStatus::Verified => "chip chip--action-verified",
        CorrectiveActionStatus::Overdue => "chip chip--action-overdue",
    }
}

#[derive(Properties, PartialEq)]
struct BoardRowProps {
    line: CorrectiveActionLine,
    /// After a verification or a rejection, with what to tell.
    on_decided: Callback<&'static str>,
}

/// One action: a table body of its row and, when opened, the row of its proof.
#[component]
fn BoardRow(props: &BoardRowProps) -> Html {
    let fu = use_follow_up_strings();
    let open = use_state(|| false);
    let line = &props.line;
    let action = &line.action;
    let overdue = action.status == CorrectiveActionStatus::Overdue;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let panel_id = format!("proof-{}", action.id);
    html! {
        <tbody class={classes!("follow-up__action", overdue.then_some("follow-up__action--overdue"))}>
            <tr>
                <td>{ &line.enterprise_name }</td>
                <td class="nowrap">
                    <Link<AgencyRoute> to={AgencyRoute::Findings { id: action.inspection_id }}>
                        { &line.decision_number }
                    </Link<AgencyRoute>>
                </td>
                <td class="follow-up__text">
                    <span class="follow-up__description">{ &action.description }</span>
                    <span class="follow-up__finding">{ fu.finding }{ ": " }{ &line.finding_title }</span>
                    if let Some(reason) = &action.rejection_reason {
                        <span class="follow-up__rejection">{ fu.last_rejection }{ ": " }{ reason }</span>
                    }
                </td>
                <td class="nowrap">{ format::date(action.due_date) }</td>
                <td><span class={status_class(action.status)}>{ fu.status(action.status) }</span></td>
                <td class={classes!("table__number", overdue.then_some("table__alarm"))}>
                    if overdue {
                        <span aria-hidden="true">{ line.days_late }</span>
                        <span class="visually-hidden">{ fu.late_by(line.days_late) }</span>
                    } else {
                        { "—" }
                    }
                </td>
                <td>
                    if action.proof.is_empty() {
                        <span class="muted">{ fu.no_proof }</span>
                    } else {
                        <button type="button" class="button button--small button--secondary"
                            onclick={toggle} aria-expanded={(*open).to_string()} aria-controls={panel_id.clone()}>
                            { if *open { fu.hide_proof.to_owned() } else { fu.open_proof_of(action.proof.len()) } }
                        </button>
                    }
                </td>
            </tr>
            if *open {
                <tr class="follow-up__proof-row" id={panel_id}>
                    <td colspan="7">
                        <ProofPanel line={line.clone()} on_decided={props.on_decided.clone()} />
                    </td>
                </tr>
            }
        </tbody>
    }
}

#[derive(Properties, PartialEq)]
struct ProofPanelProps {
    line: CorrectiveActionLine,
    on_decided: Callback<&'static str>,
}

/// The proof of an action: its documents and photos (thumbnails, opened as previews, originals
/// downloaded on request), the enterprise's note, and the verification.
#[component]
fn ProofPanel(props: &ProofPanelProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let fu = use_follow_up_strings();
    let action = &props.line.action;
    let evidence = use_state(|| None::<Result<Vec<EvidenceMeta>, String>>);
    let rejecting = use_state(|| false);
    let reason = use_state(String::new);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    {
        let (auth, evidence) = (auth.clone(), evidence.clone());
        use_effect_with(action.proof.clone(), move |ids| {
            let ids = ids.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut found = Vec::new();
                for id in ids {
                    match api::evidence::meta(&auth, id).await {
                        Ok(meta) => found.push(meta),
                        Err(e) => return evidence.set(Some(Err(e.user_message(strings)))),
                    }
                }
                evidence.set(Some(Ok(found)));
            });
        });
    }
    let decide = |accepted: bool| {
        let (auth, reason, error, busy, on_decided) = (
            auth.clone(),
            reason.clone(),
            error.clone(),
            busy.clone(),
            props.on_decided.clone(),
        );
        let id = action.id;
        move || {
            let request = VerifyProof {
                accepted,
                reason: (!accepted).then(|| reason.trim().to_owned()),
            };
            let (auth, error, busy, on_decided) = (
                auth.clone(),
                error.clone(),
                busy.clone(),
                on_decided.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::findings::verify(&auth, id, &request).await {
                    Ok(_) => on_decided.emit(if accepted {
                        fu.verified_done
                    } else {
                        fu.rejected_done
                    }),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        }
    };
    let verify = {
        let go = decide(true);
        Callback::from(move |_: MouseEvent| go())
    };
    let send_rejection = {
        let go = decide(false);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go();
        })
    };
    let reason_error = field_error(&error, "reason", fu.required);
    let general_error = match &*error {
        Some(ApiError::Rejected { status: 422, .. }) if reason_error.is_some() => None,
        Some(e) => Some(e.user_message(strings)),
        None => None,
    };
    let waiting = action.status == CorrectiveActionStatus::ProofSubmitted;
    html! {
        <div class="proof">
            { match &*evidence {
                None => html! { <Loading text={strings.loading} /> },
                Some(Err(message)) => html! { <Notice tone={Tone::Error}><p>{ message }</p></Notice> },
                Some(Ok(list)) => html! {
                    <div class="proof__files">
                        { for list.iter().map(|meta| html! {
                            <div class="proof__file">
                                <EvidencePhoto evidence={meta.clone()} />
                                if let Some(name) = &meta.file_name { <span class="proof__name">{ name.as_str() }</span> }
                            </div>
                        }) }
                    </div>
                },
            } }
            if let Some(note) = &action.proof_note {
                <p class="proof__note"><strong>{ fu.proof_note }{ ": " }</strong>{ note }</p>
            }
            if let Some(message) = general_error {
                <Notice tone={Tone::Error}><p>{ message }</p></Notice>
            }
            if waiting {
                if *rejecting {
                    <form class="proof__reject" onsubmit={send_rejection} novalidate=true>
                        <TextField id={format!("reject-{}", action.id)} label={fu.reject_reason}
                            value={(*reason).clone()} multiline=true required=true
                            on_change={let r = reason.clone(); Callback::from(move |v| r.set(v))}
                            error={reason_error} />
                        <div class="findings__form-actions">
                            <button type="submit" class="button button--danger button--small" disabled={*busy}>
                                { fu.send_rejection }
                            </button>
                            <button type="button" class="button button--small"
                                onclick={let r = rejecting.clone(); Callback::from(move |_| r.set(false))}>
                                { fu.cancel }
                            </button>
                        </div>
                    </form>
                } else {
                    <div class="findings__form-actions">
                        <button type="button" class="button button--primary button--small" onclick={verify}
                            disabled={*busy}>{ fu.verify }</button>
                        <button type="button" class="button button--danger button--small"
                            onclick={let r = rejecting.clone(); Callback::from(move |_| r.set(true))}
                            disabled={*busy}>{ fu.reject }</button>
                    </div>
                }
            }
        </div>
    }
}

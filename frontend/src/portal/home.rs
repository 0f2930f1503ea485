//! The enterprise's inspections: upcoming ones with the forms asked of it and by when, and
//! concluded ones with their open corrective actions, each with its state in words.

use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus};
use kiemtra_shared::response::ResponseStatus;
use kiemtra_shared::review::{CorrectiveActionStatus, CorrectiveActionView};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{PortalRoute, PortalStrings, use_portal_strings};
use crate::api;
use crate::auth::use_auth;
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::use_strings;

/// One inspection of the list with what its state in words needs.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    detail: InspectionDetail,
    actions: Vec<CorrectiveActionView>,
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Vec<Line>),
    Failed(String),
}

/// Whether the agency has concluded: from then on the enterprise follows its actions.
pub fn is_concluded(status: InspectionStatus) -> bool {
    matches!(
        status,
        InspectionStatus::Concluded | InspectionStatus::FollowUp | InspectionStatus::Closed
    )
}

#[component]
pub fn HomePage() -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let portal = use_portal_strings();
    let load = use_state(|| Load::Loading);
    {
        let load = load.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    let (list, _) = api::inspections::list(&auth).await?;
                    let mut lines = Vec::new();
                    for summary in list {
                        let detail = api::inspections::get_detail(&auth, summary.id).await?;
                        let actions = if is_concluded(summary.status) {
                            api::findings::actions(&auth, summary.id).await?
                        } else {
                            Vec::new()
                        };
                        lines.push(Line { detail, actions });
                    }
                    Ok::<_, api::ApiError>(lines)
                }
                .await;
                load.set(match result {
                    Ok(lines) => Load::Loaded(lines),
                    Err(error) => Load::Failed(error.user_message(strings)),
                });
            });
        });
    }
    let body = match &*load {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(message) => html! { <Notice tone={Tone::Error}>{ message.clone() }</Notice> },
        Load::Loaded(lines) => {
            let (done, upcoming): (Vec<&Line>, Vec<&Line>) = lines
                .iter()
                .partition(|l| is_concluded(l.detail.summary.status));
            let list = |lines: &[&Line], empty: &'static str| {
                if lines.is_empty() {
                    html! { <p class="portal-empty">{ empty }</p> }
                } else {
                    html! {
                        <ul class="portal-list">
                            { for lines.iter().map(|line| line_card(line, portal)) }
                        </ul>
                    }
                }
            };
            html! {
                <>
                    <section class="portal-home__group" aria-labelledby="upcoming-title">
                        <h2 id="upcoming-title">{ portal.upcoming }</h2>
                        { list(&upcoming, portal.upcoming_none) }
                    </section>
                    <section class="portal-home__group" aria-labelledby="concluded-title">
                        <h2 id="concluded-title">{ portal.concluded }</h2>
                        { list(&done, portal.concluded_none) }
                    </section>
                </>
            }
        }
    };
    html! {
        <div class="portal-home">
            <h1>{ portal.home_title }</h1>
            { body }
        </div>
    }
}

fn line_card(line: &Line, portal: &'static PortalStrings) -> Html {
    let summary = &line.detail.summary;
    let (state, tone) = state_in_words(line, portal);
    let asked: Vec<&'static str> = [
        line.detail
            .questionnaire
            .as_ref()
            .map(|_| portal.questionnaire),
        line.detail
            .self_inspection
            .as_ref()
            .map(|_| portal.self_inspection),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        <li class="card portal-card">
            <div class="inspection-card__top">
                <span class="inspection-card__number">{ &summary.decision_number }</span>
                <StatusChip status={summary.status} />
            </div>
            <h3 class="portal-card__title">
                <Link<PortalRoute> to={PortalRoute::Inspection { id: summary.id }}>
                    { &summary.title }
                </Link<PortalRoute>>
            </h3>
            if !is_concluded(summary.status) && !asked.is_empty() {
                <p class="portal-card__meta">
                    { portal.asked }{ ": " }{ asked.join(", ") }
                    <br />
                    { portal.by }{ ": " }{ format::date(summary.planned_start) }
                </p>
            }
            <p class={classes!("portal-state", format!("portal-state--{tone}"))}>{ state }</p>
        </li>
    }
}

/// "Chờ bạn điền phiếu", "Đã nộp, chờ đoàn thanh tra", "3 yêu cầu khắc phục, 1 quá hạn", and
/// the tone it is shown in.
fn state_in_words(line: &Line, portal: &PortalStrings) -> (String, &'static str) {
    let detail = &line.detail;
    if is_concluded(detail.summary.status) {
        let open: Vec<_> = line
            .actions
            .iter()
            .filter(|a| a.status != CorrectiveActionStatus::Verified)
            .collect();
        let overdue = open
            .iter()
            .filter(|a| a.status == CorrectiveActionStatus::Overdue)
            .count();
        return match (line.actions.len(), open.len()) {
            (0, _) => (portal.no_actions.to_owned(), "done"),
            (_, 0) => (portal.all_verified.to_owned(), "done"),
            (_, n) => (
                portal.open_actions(n, overdue),
                if overdue > 0 { "late" } else { "todo" },
            ),
        };
    }
    let forms: Vec<_> = [&detail.questionnaire, &detail.self_inspection]
        .into_iter()
        .flatten()
        .collect();
    if forms.is_empty() {
        return (portal.waiting_team.to_owned(), "wait");
    }
    let all_submitted = forms.iter().all(|template| {
        detail
            .responses
            .iter()
            .any(|r| r.template_id == template.id && r.status == ResponseStatus::Submitted)
    });
    if all_submitted {
        (portal.submitted_waiting.to_owned(), "wait")
    } else {
        (portal.to_fill.to_owned(), "todo")
    }
}

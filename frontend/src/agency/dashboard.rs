//! Tổng quan: where work waits in the agency, in one call (`GET /dashboard`).

use std::rc::Rc;

use kiemtra_shared::dashboard::Dashboard;
use kiemtra_shared::inspection::{InspectionQuery, InspectionStatus};
use kiemtra_shared::review::CorrectiveActionStatus;
use yew::prelude::*;
use yew_router::prelude::*;

use super::follow_up::BoardQuery;
use super::{AgencyRoute, use_agency_strings};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub session: Rc<Session>,
}

enum Load {
    Loading,
    Loaded(Dashboard),
    Failed(ApiError),
}

#[component]
pub fn DashboardPage(_props: &DashboardProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let agency = use_agency_strings();
    let state = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with(*attempt, move |_| {
            state.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                match api::dashboard::get_dashboard(&auth).await {
                    Ok(dashboard) => state.set(Load::Loaded(dashboard)),
                    Err(error) => state.set(Load::Failed(error)),
                }
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    let body = match &*state {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(error) => html! {
            <Notice tone={Tone::Error}>
                <p>{ error.user_message(strings) }</p>
                <button type="button" class="button" onclick={retry}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded(dashboard) => view(dashboard, agency),
    };
    html! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">{ agency.dashboard_title }</h1>
            { body }
        </section>
    }
}

fn view(dashboard: &Dashboard, agency: &super::AgencyStrings) -> Html {
    let more = dashboard
        .overdue_total
        .saturating_sub(dashboard.overdue.len() as u64);
    html! {
        <>
            <p class="muted">{ agency.counted_on }{ " " }{ format::date(dashboard.today) }</p>
            <div class="dashboard__figures">
                <Figure label={agency.evidence_awaiting} value={dashboard.evidence_awaiting_review}
                    to={AgencyRoute::Queue} />
                <Figure label={agency.due_this_week} value={dashboard.actions_due_this_week}
                    to={AgencyRoute::FollowUp}
                    query={BoardQuery { due: Some("week".to_owned()), ..BoardQuery::default() }} />
                <Figure label={agency.overdue} value={dashboard.overdue_total}
                    alarm={dashboard.overdue_total > 0} to={AgencyRoute::FollowUp}
                    query={BoardQuery { status: Some(CorrectiveActionStatus::Overdue), ..BoardQuery::default() }} />
            </div>
            <section class="card" aria-labelledby="by-status">
                <h2 id="by-status">{ agency.by_status }</h2>
                <ul class="dashboard__statuses">
                    { for dashboard.inspections_by_status.iter().map(|count| html! {
                        <li>
                            <Link<AgencyRoute, InspectionQuery> to={AgencyRoute::Inspections}
                                query={Some(with_status(count.status))} classes="dashboard__status">
                                <StatusChip status={count.status} />
                                <span class="dashboard__count">{ count.count }</span>
                            </Link<AgencyRoute, InspectionQuery>>
                        </li>
                    }) }
                </ul>
            </section>
            <section class="card" aria-labelledby="overdue">
                <h2 id="overdue">{ agency.overdue }</h2>
                if dashboard.overdue.is_empty() {
                    <p>{ agency.overdue_none }</p>
                } else {
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{ agency.enterprise }</th>
                                    <th scope="col">{ agency.decision_number }</th>
                                    <th scope="col">{ agency.action }</th>
                                    <th scope="col">{ agency.due_date }</th>
                                    <th scope="col" class="table__number">{ agency.days_late }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for dashboard.overdue.iter().map(|action| html! {
                                    <tr>
                                        <td>{ &action.enterprise_name }</td>
                                        <td>
                                            <Link<AgencyRoute> to={AgencyRoute::Findings { id: action.inspection_id }}>
                                                { &action.decision_number }
                                            </Link<AgencyRoute>>
                                        </td>
                                        <td>{ &action.description }</td>
                                        <td>{ format::date(action.due_date) }</td>
                                        <td class="table__number table__alarm">{ action.days_late }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    if more > 0 {
                        <p class="muted">{ agency.more_overdue(more) }</p>
                    }
                }
            </section>
        </>
    }
}

/// The inspections list filtered by one status.
fn with_status(status: InspectionStatus) -> InspectionQuery {
    InspectionQuery {
        status: Some(status.as_str().to_owned()),
        ..InspectionQuery::default()
    }
}

#[derive(Properties, PartialEq)]
struct FigureProps {
    label: &'static str,
    value: u64,
    #[prop_or_default]
    alarm: bool,
    /// The list the figure counts.
    to: AgencyRoute,
    #[prop_or_default]
    query: Option<BoardQuery>,
}

/// One headline number with what it counts, a link to the list of what it counts.
#[component]
fn Figure(props: &FigureProps) -> Html {
    html! {
        <Link<AgencyRoute, BoardQuery> to={props.to.clone()} query={props.query.clone()}
            classes={classes!("card", "figure", props.alarm.then_some("figure--alarm"))}>
            <span class="figure__value">{ props.value }</span>
            <span class="figure__label">{ props.label }</span>
        </Link<AgencyRoute, BoardQuery>>
    }
}

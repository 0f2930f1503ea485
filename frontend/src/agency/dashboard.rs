//! Tổng quan: where work waits in the agency, in one call (`GET /dashboard`).

use std::rc::Rc;

use kiemtra_shared::dashboard::Dashboard;
use yew::prelude::*;

use super::use_agency_strings;
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
                <Figure label={agency.evidence_awaiting} value={dashboard.evidence_awaiting_review} />
                <Figure label={agency.due_this_week} value={dashboard.actions_due_this_week} />
                <Figure label={agency.overdue} value={dashboard.overdue_total}
                    alarm={dashboard.overdue_total > 0} />
            </div>
            <section class="card" aria-labelledby="by-status">
                <h2 id="by-status">{ agency.by_status }</h2>
                <ul class="dashboard__statuses">
                    { for dashboard.inspections_by_status.iter().map(|count| html! {
                        <li>
                            <StatusChip status={count.status} />
                            <span class="dashboard__count">{ count.count }</span>
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
                                        <td>{ &action.decision_number }</td>
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

#[derive(Properties, PartialEq)]
struct FigureProps {
    label: &'static str,
    value: u64,
    #[prop_or_default]
    alarm: bool,
}

/// One headline number with what it counts.
#[component]
fn Figure(props: &FigureProps) -> Html {
    html! {
        <div class={classes!("card", "figure", props.alarm.then_some("figure--alarm"))}>
            <span class="figure__value">{ props.value }</span>
            <span class="figure__label">{ props.label }</span>
        </div>
    }
}

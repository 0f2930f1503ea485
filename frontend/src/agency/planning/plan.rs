//! Kế hoạch of one inspection: its plan at a glance; while it is planned, its dates and team
//! to change (admins and the reviewer who leads it); and the status moves the API allows, a
//! refused move (409) told in words.

use std::rc::Rc;

use kiemtra_shared::auth::Role;
use kiemtra_shared::error::codes;
use kiemtra_shared::inspection::{
    InspectionDetail, InspectionStatus, UpdateInspection, parse_statuses,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::agency::inspection_tabs::{InspectionTab, InspectionTabs};
use yew_router::prelude::*;

use super::strings::PlanStrings;
use super::{DateFields, TeamFields, date_of, team_candidates, words};
use crate::agency::field_errors::FieldErrors;
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::{use_lang, use_strings};

#[derive(Properties, PartialEq)]
pub struct PlanPageProps {
    pub session: Rc<Session>,
    pub id: Uuid,
}

/// The editable part of the plan.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    start: String,
    end: String,
    lead: Option<Uuid>,
    members: Vec<Uuid>,
}

impl Draft {
    fn of(detail: &InspectionDetail) -> Draft {
        Draft {
            start: detail.summary.planned_start.to_string(),
            end: detail.summary.planned_end.to_string(),
            lead: detail.team.iter().find(|m| m.lead).map(|m| m.user_id),
            members: detail
                .team
                .iter()
                .filter(|m| !m.lead)
                .map(|m| m.user_id)
                .collect(),
        }
    }
}

#[component]
pub fn PlanPage(props: &PlanPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let plan = PlanStrings::of(use_lang().lang());
    let created = use_location().is_some_and(|location| location.query_str().contains("created=1"));
    let detail = use_state(|| None::<Result<InspectionDetail, ApiError>>);
    let staff = use_state(|| Rc::new(Vec::new()));
    let draft = use_state(Draft::default);
    let errors = use_state(FieldErrors::default);
    let notice = use_state(|| None::<(Tone, String)>);
    let busy = use_state(|| false);
    let id = props.id;
    {
        let (detail, staff, draft, auth) =
            (detail.clone(), staff.clone(), draft.clone(), auth.clone());
        use_effect_with(id, move |id| {
            let id = *id;
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = api::inspections::get_detail(&auth, id).await;
                if let Ok(loaded) = &loaded {
                    draft.set(Draft::of(loaded));
                }
                detail.set(Some(loaded));
                // Only a planner reads the staff; a refusal leaves the team as shown.
                if let Ok(users) = api::users::all(&auth).await {
                    staff.set(Rc::new(team_candidates(users)));
                }
            });
        });
    }
    let Some(loaded) = &*detail else {
        return html! { <Loading text={strings.loading} /> };
    };
    let current = match loaded {
        Ok(current) => current.clone(),
        Err(error) => {
            return html! {
                <Notice tone={Tone::Error}><p>{ error.user_message(strings) }</p></Notice>
            };
        }
    };
    let me = props.session.user.id;
    let may_plan = props.session.user.role == Role::Admin
        || (props.session.user.role == Role::Reviewer
            && current.team.iter().any(|m| m.lead && m.user_id == me));
    let planned = current.summary.status == InspectionStatus::Planned;

    let save = {
        let (draft, errors, notice, busy, detail, auth) = (
            draft.clone(),
            errors.clone(),
            notice.clone(),
            busy.clone(),
            detail.clone(),
            auth.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = FieldErrors::default();
            let (start, end) = (date_of(&draft.start), date_of(&draft.end));
            if start.is_none() {
                found.add("planned_start", plan.need_date);
            }
            if end.is_none() {
                found.add("planned_end", plan.need_date);
            }
            if draft.lead.is_none() {
                found.add("lead_id", plan.need_lead);
            }
            if let (Some(start), Some(end)) = (start, end)
                && end < start
            {
                found.add("planned_end", plan.end_before_start);
            }
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let change = UpdateInspection {
                planned_start: start,
                planned_end: end,
                lead_id: draft.lead,
                member_ids: Some(draft.members.clone()),
            };
            errors.set(FieldErrors::default());
            notice.set(None);
            busy.set(true);
            let (errors, notice, busy, detail, auth) = (
                errors.clone(),
                notice.clone(),
                busy.clone(),
                detail.clone(),
                auth.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::inspections::update(&auth, id, &change).await {
                    Ok(updated) => {
                        detail.set(Some(Ok(updated)));
                        notice.set(Some((Tone::Success, plan.saved.to_owned())));
                    }
                    Err(ApiError::Rejected { status: 409, .. }) => {
                        notice.set(Some((Tone::Error, plan.not_planned_any_more.to_owned())));
                        if let Ok(fresh) = api::inspections::get_detail(&auth, id).await {
                            detail.set(Some(Ok(fresh)));
                        }
                    }
                    Err(error) => errors.set(FieldErrors::from_api(
                        &error,
                        strings,
                        &["planned_start", "planned_end", "lead_id", "member_ids"],
                        words(plan),
                    )),
                }
                busy.set(false);
            });
        })
    };
    let move_to = |to: InspectionStatus| {
        let (notice, busy, detail, draft, auth) = (
            notice.clone(),
            busy.clone(),
            detail.clone(),
            draft.clone(),
            auth.clone(),
        );
        Callback::from(move |_| {
            notice.set(None);
            busy.set(true);
            let (notice, busy, detail, draft, auth) = (
                notice.clone(),
                busy.clone(),
                detail.clone(),
                draft.clone(),
                auth.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::inspections::transition(&auth, id, to).await {
                    Ok(moved) => {
                        draft.set(Draft::of(&moved));
                        detail.set(Some(Ok(moved)));
                        notice.set(Some((Tone::Success, plan.moved_to(strings, to))));
                    }
                    Err(error) => {
                        let message = refused(&error, to, plan, strings);
                        notice.set(Some((Tone::Error, message)));
                        if let Ok(fresh) = api::inspections::get_detail(&auth, id).await {
                            draft.set(Draft::of(&fresh));
                            detail.set(Some(Ok(fresh)));
                        }
                    }
                }
                busy.set(false);
            });
        })
    };

    let summary = &current.summary;
    html! {
        <section class="registry" aria-labelledby="plan-title">
            <InspectionTabs inspection_id={id} current={InspectionTab::Plan} />
            <h1 id="plan-title">{ plan.plan_title }{ " " }{ &summary.decision_number }</h1>
            if created {
                <Notice tone={Tone::Success}><p>{ plan.created }</p></Notice>
            }
            <div class="card plan-summary">
                <dl class="facts">
                    <dt>{ plan.enterprise }</dt>
                    <dd>{ &summary.enterprise_name }{ " · " }{ plan.tax_code }{ " " }{ &summary.enterprise_tax_code }</dd>
                    <dt>{ plan.title }</dt>
                    <dd>{ &summary.title }</dd>
                    if let Some(campaign) = &current.campaign {
                        <dt>{ plan.campaign }</dt>
                        <dd>{ campaign }</dd>
                    }
                    <dt>{ plan.status }</dt>
                    <dd><StatusChip status={summary.status} /></dd>
                    <dt>{ plan.dates }</dt>
                    <dd>{ format::date(summary.planned_start) }{ " – " }{ format::date(summary.planned_end) }</dd>
                    <dt>{ plan.team }</dt>
                    <dd>
                        if current.team.is_empty() { { plan.no_team } }
                        <ul class="plain-list">
                            { for current.team.iter().map(|m| html! {
                                <li key={m.user_id.to_string()}>
                                    { &m.display_name }
                                    if m.lead { { " (" }{ plan.lead_mark }{ ")" } }
                                </li>
                            }) }
                        </ul>
                    </dd>
                    <dt>{ plan.templates }</dt>
                    <dd>
                        <ul class="plain-list">
                            <li>{ &current.site_checklist.name }</li>
                            if let Some(t) = &current.questionnaire { <li>{ &t.name }</li> }
                            if let Some(t) = &current.self_inspection { <li>{ &t.name }</li> }
                        </ul>
                    </dd>
                </dl>
            </div>
            if let Some((tone, message)) = &*notice {
                <Notice tone={*tone}><p>{ message }</p></Notice>
            }
            if !may_plan {
                <p class="muted">{ plan.not_yours }</p>
            } else {
                if planned {
                    <form class="card form" onsubmit={save} novalidate=true aria-labelledby="change-plan">
                        <h2 id="change-plan">{ plan.change_plan }</h2>
                        if let Some(message) = errors.get("") {
                            <Notice tone={Tone::Error}><p>{ message }</p></Notice>
                        }
                        <DateFields start={draft.start.clone()} end={draft.end.clone()}
                            on_start={set_draft(&draft, |d, v| d.start = v)}
                            on_end={set_draft(&draft, |d, v| d.end = v)}
                            errors={(*errors).clone()} />
                        <TeamFields staff={(*staff).clone()} lead={draft.lead} members={draft.members.clone()}
                            lead_only={(props.session.user.role == Role::Reviewer).then_some(me)}
                            on_lead={{
                                let draft = draft.clone();
                                Callback::from(move |lead: Option<Uuid>| {
                                    let mut next = (*draft).clone();
                                    next.lead = lead;
                                    next.members.retain(|m| Some(*m) != lead);
                                    draft.set(next);
                                })
                            }}
                            on_members={{
                                let draft = draft.clone();
                                Callback::from(move |members: Vec<Uuid>| {
                                    let mut next = (*draft).clone();
                                    next.members = members;
                                    draft.set(next);
                                })
                            }}
                            errors={(*errors).clone()} />
                        <div class="form__actions">
                            <button type="submit" class="button button--primary" disabled={*busy}>
                                { if *busy { plan.saving } else { plan.save } }
                            </button>
                        </div>
                    </form>
                } else {
                    <p class="muted">{ plan.fixed }</p>
                }
                <section class="card" aria-labelledby="move-title">
                    <h2 id="move-title">{ plan.move_title }</h2>
                    if current.next_statuses.is_empty() {
                        <p>{ plan.no_moves }</p>
                    } else {
                        <div class="form__actions">
                            { for current.next_statuses.iter().map(|to| html! {
                                <button type="button" class="button button--secondary" disabled={*busy}
                                    onclick={move_to(*to)}>
                                    { plan.move_to }{ ": " }{ strings.status(*to) }
                                </button>
                            }) }
                        </div>
                    }
                </section>
            }
        </section>
    }
}

fn set_draft(draft: &UseStateHandle<Draft>, apply: fn(&mut Draft, String)) -> Callback<String> {
    let draft = draft.clone();
    Callback::from(move |value: String| {
        let mut next = (*draft).clone();
        apply(&mut next, value);
        draft.set(next);
    })
}

/// A refused move in words: a 409 from the status machine names where the inspection may go.
fn refused(
    error: &ApiError,
    to: InspectionStatus,
    plan: &PlanStrings,
    strings: &'static crate::i18n::Strings,
) -> String {
    match error.body() {
        Some(body) if body.code == codes::INVALID_TRANSITION => {
            let allowed: Vec<InspectionStatus> = body
                .details
                .iter()
                .filter_map(|d| parse_statuses(&d.message).ok())
                .flatten()
                .collect();
            plan.refused_move(strings, to, &allowed)
        }
        _ => error.user_message(strings),
    }
}

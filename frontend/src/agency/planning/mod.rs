//! Planning (admins, and the reviewer who leads the team): Lập kế hoạch makes an inspection of
//! an enterprise with its decision, dates, team and forms; Kế hoạch changes its dates and team
//! while it is planned and moves it through its status machine with the moves the API allows.

mod plan;
mod strings;

use std::rc::Rc;

use chrono::NaiveDate;
use kiemtra_shared::auth::{Role, UserView};
use kiemtra_shared::enterprise::EnterpriseView;
use kiemtra_shared::inspection::{CreateInspection, TemplateRef};
use kiemtra_shared::template::TemplateKind;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::AgencyRoute;
use super::enterprise_picker::EnterprisePicker;
use super::field_errors::{FieldErrors, checked_of, value_of};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{use_lang, use_strings};
pub use plan::PlanPage;
use strings::PlanStrings;

/// The fields of the planning form, as the server names them.
const FIELDS: [&str; 11] = [
    "enterprise_id",
    "decision_number",
    "title",
    "campaign",
    "planned_start",
    "planned_end",
    "lead_id",
    "member_ids",
    "site_template_id",
    "questionnaire_template_id",
    "self_inspection_template_id",
];

/// The interface's words for the codes of the server's field errors.
fn words(plan: &'static PlanStrings) -> impl Fn(&str) -> Option<&'static str> {
    move |code| match code {
        "before_start" => Some(plan.end_before_start),
        "lead_yourself" => Some(plan.lead_yourself),
        "invalid_length" => Some(plan.need_text),
        _ => None,
    }
}

/// The agency's active staff who may be on a team (the lead may be a reviewer).
fn team_candidates(users: Vec<UserView>) -> Vec<UserView> {
    let mut staff: Vec<UserView> = users
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Inspector | Role::Reviewer))
        .collect();
    staff.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    staff
}

/// A date of a date input, if one was chosen.
fn date_of(text: &str) -> Option<NaiveDate> {
    text.parse().ok()
}

#[derive(Properties, PartialEq)]
pub struct TeamFieldsProps {
    pub staff: Rc<Vec<UserView>>,
    pub lead: Option<Uuid>,
    pub members: Vec<Uuid>,
    /// A reviewer may name only themselves the lead.
    pub lead_only: Option<Uuid>,
    pub on_lead: Callback<Option<Uuid>>,
    pub on_members: Callback<Vec<Uuid>>,
    pub errors: FieldErrors,
}

/// The lead (a select) and the members (a checkbox per inspector).
#[component]
pub fn TeamFields(props: &TeamFieldsProps) -> Html {
    let plan = PlanStrings::of(use_lang().lang());
    let strings = use_strings();
    let leads: Vec<&UserView> = props
        .staff
        .iter()
        .filter(|u| props.lead_only.is_none_or(|only| u.id == only))
        .collect();
    let on_lead = {
        let on_lead = props.on_lead.clone();
        Callback::from(move |event: Event| on_lead.emit(value_of(&event).parse().ok()))
    };
    let (lead_described, lead_invalid) = props.errors.described("lead_id", "lead-error");
    let (members_described, _) = props.errors.described("member_ids", "members-error");
    html! {
        <>
            <div class="field">
                <label class="field__label" for="plan-lead">{ plan.lead }</label>
                <select id="plan-lead" class="input" onchange={on_lead}
                    aria-describedby={lead_described} aria-invalid={lead_invalid}>
                    <option value="" selected={props.lead.is_none()}>{ plan.choose }</option>
                    { for leads.iter().map(|u| html! {
                        <option value={u.id.to_string()} selected={props.lead == Some(u.id)}>
                            { format!("{} ({})", u.display_name, strings.role(u.role)) }
                        </option>
                    }) }
                </select>
                { props.errors.show("lead_id", "lead-error") }
            </div>
            <fieldset class="field checks" aria-describedby={members_described}>
                <legend class="field__label">{ plan.members }</legend>
                if !props.staff.iter().any(|u| u.role == Role::Inspector) {
                    <p class="muted">{ plan.no_inspectors }</p>
                }
                { for props.staff.iter().filter(|u| u.role == Role::Inspector && Some(u.id) != props.lead).map(|u| {
                    let id = u.id;
                    let onchange = {
                        let (members, on_members) = (props.members.clone(), props.on_members.clone());
                        Callback::from(move |event: Event| {
                            let mut next: Vec<Uuid> = members.iter().copied().filter(|m| *m != id).collect();
                            if checked_of(&event) {
                                next.push(id);
                            }
                            on_members.emit(next);
                        })
                    };
                    html! {
                        <label class="check" key={id.to_string()}>
                            <input type="checkbox" checked={props.members.contains(&id)} {onchange} />
                            { &u.display_name }
                        </label>
                    }
                }) }
                { props.errors.show("member_ids", "members-error") }
            </fieldset>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct DateFieldsProps {
    pub start: String,
    pub end: String,
    pub on_start: Callback<String>,
    pub on_end: Callback<String>,
    pub errors: FieldErrors,
}

/// The planned start and end.
#[component]
pub fn DateFields(props: &DateFieldsProps) -> Html {
    let plan = PlanStrings::of(use_lang().lang());
    let field = |id: &'static str,
                 name: &'static str,
                 label: &'static str,
                 value: &String,
                 on: &Callback<String>| {
        let on = on.clone();
        let error_id = format!("{id}-error");
        let (described, invalid) = props.errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label }</label>
                <input {id} class="input" type="date" value={value.clone()}
                    onchange={Callback::from(move |event: Event| on.emit(value_of(&event)))}
                    aria-describedby={described} aria-invalid={invalid} />
                { props.errors.show(name, &error_id) }
            </div>
        }
    };
    html! {
        <div class="form-row">
            { field("plan-start", "planned_start", plan.start, &props.start, &props.on_start) }
            { field("plan-end", "planned_end", plan.end, &props.end, &props.on_end) }
        </div>
    }
}

/// The form's values.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    enterprise: Option<EnterpriseView>,
    decision_number: String,
    title: String,
    campaign: String,
    start: String,
    end: String,
    lead: Option<Uuid>,
    members: Vec<Uuid>,
    site: Option<Uuid>,
    questionnaire: Option<Uuid>,
    self_inspection: Option<Uuid>,
}

impl Draft {
    /// The request, or the errors that keep the form from being sent.
    fn request(&self, plan: &PlanStrings) -> Result<CreateInspection, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.enterprise.is_none() {
            errors.add("enterprise_id", plan.need_enterprise);
        }
        for (field, value) in [
            ("decision_number", &self.decision_number),
            ("title", &self.title),
        ] {
            if value.trim().is_empty() {
                errors.add(field, plan.need_text);
            }
        }
        let (start, end) = (date_of(&self.start), date_of(&self.end));
        if start.is_none() {
            errors.add("planned_start", plan.need_date);
        }
        if end.is_none() {
            errors.add("planned_end", plan.need_date);
        }
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            errors.add("planned_end", plan.end_before_start);
        }
        if self.lead.is_none() {
            errors.add("lead_id", plan.need_lead);
        }
        if self.site.is_none() {
            errors.add("site_template_id", plan.need_site);
        }
        match (
            &self.enterprise,
            start,
            end,
            self.lead,
            self.site,
            errors.is_empty(),
        ) {
            (Some(enterprise), Some(start), Some(end), Some(lead), Some(site), true) => {
                Ok(CreateInspection {
                    enterprise_id: enterprise.id,
                    decision_number: self.decision_number.trim().to_owned(),
                    title: self.title.trim().to_owned(),
                    campaign: Some(self.campaign.trim().to_owned()).filter(|c| !c.is_empty()),
                    planned_start: start,
                    planned_end: end,
                    lead_id: lead,
                    member_ids: self.members.clone(),
                    site_template_id: site,
                    questionnaire_template_id: self.questionnaire,
                    self_inspection_template_id: self.self_inspection,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What the form needs from the server: the staff and the published forms of each kind.
#[derive(Clone, PartialEq)]
struct Choices {
    staff: Rc<Vec<UserView>>,
    site: Rc<Vec<TemplateRef>>,
    questionnaire: Rc<Vec<TemplateRef>>,
    self_inspection: Rc<Vec<TemplateRef>>,
}

async fn load_choices(auth: &crate::auth::AuthHandle) -> Result<Choices, ApiError> {
    let staff = team_candidates(api::users::all(auth).await?);
    Ok(Choices {
        staff: Rc::new(staff),
        site: Rc::new(api::templates::published(auth, TemplateKind::SiteChecklist).await?),
        questionnaire: Rc::new(api::templates::published(auth, TemplateKind::Questionnaire).await?),
        self_inspection: Rc::new(
            api::templates::published(auth, TemplateKind::SelfInspection).await?,
        ),
    })
}

#[derive(Properties, PartialEq)]
pub struct PlanNewPageProps {
    pub session: Rc<Session>,
}

#[component]
pub fn PlanNewPage(props: &PlanNewPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let plan = PlanStrings::of(use_lang().lang());
    let navigator = use_navigator();
    let me = props.session.user.id;
    let reviewer = props.session.user.role == Role::Reviewer;
    let choices = use_state(|| None::<Result<Choices, ApiError>>);
    let draft = use_state(|| Draft {
        lead: reviewer.then_some(me),
        ..Draft::default()
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    {
        let (choices, draft, auth) = (choices.clone(), draft.clone(), auth.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = load_choices(&auth).await;
                if let Ok(loaded) = &loaded {
                    // The newest site checklist is the usual choice.
                    let mut next = (*draft).clone();
                    next.site = loaded.site.first().map(|t| t.id);
                    draft.set(next);
                }
                choices.set(Some(loaded));
            });
        });
    }
    let Some(loaded) = &*choices else {
        return html! { <Loading text={strings.loading} /> };
    };
    let choices = match loaded {
        Ok(choices) => choices.clone(),
        Err(error) => {
            return html! {
                <Notice tone={Tone::Error}><p>{ error.user_message(strings) }</p></Notice>
            };
        }
    };

    let set = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let on_text = |apply: fn(&mut Draft, String)| {
        let set = set(apply);
        Callback::from(move |event: Event| set.emit(value_of(&event)))
    };
    let on_enterprise = {
        let draft = draft.clone();
        Callback::from(move |enterprise: Option<EnterpriseView>| {
            let mut next = (*draft).clone();
            next.enterprise = enterprise;
            draft.set(next);
        })
    };
    let on_lead = {
        let draft = draft.clone();
        Callback::from(move |lead: Option<Uuid>| {
            let mut next = (*draft).clone();
            next.lead = lead;
            next.members.retain(|m| Some(*m) != lead);
            draft.set(next);
        })
    };
    let on_members = {
        let draft = draft.clone();
        Callback::from(move |members: Vec<Uuid>| {
            let mut next = (*draft).clone();
            next.members = members;
            draft.set(next);
        })
    };
    let onsubmit = {
        let (draft, errors, busy, auth, navigator) = (
            draft.clone(),
            errors.clone(),
            busy.clone(),
            auth.clone(),
            navigator.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request = match draft.request(plan) {
                Ok(request) => request,
                Err(found) => {
                    errors.set(found);
                    // The first error may be far above the button: show the form's top.
                    gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
                    return;
                }
            };
            errors.set(FieldErrors::default());
            busy.set(true);
            let (errors, busy, auth, navigator) = (
                errors.clone(),
                busy.clone(),
                auth.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::inspections::create(&auth, &request).await {
                    Ok(created) => {
                        if let Some(navigator) = navigator {
                            let _ = navigator.push_with_query(
                                &AgencyRoute::Plan {
                                    id: created.summary.id,
                                },
                                &[("created", "1")],
                            );
                        }
                    }
                    Err(error) => {
                        errors.set(FieldErrors::from_api(&error, strings, &FIELDS, words(plan)));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let text_field = |id: &'static str,
                      name: &'static str,
                      label: &'static str,
                      value: &str,
                      on: Callback<Event>,
                      optional: bool| {
        let error_id = format!("{id}-error");
        let (described, invalid) = errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>
                    { label }
                    if optional { { " " }<span class="muted">{ plan.optional }</span> }
                </label>
                <input {id} class="input" type="text" value={value.to_owned()} onchange={on}
                    aria-describedby={described} aria-invalid={invalid} />
                { errors.show(name, &error_id) }
            </div>
        }
    };
    let template_field = |id: &'static str,
                          name: &'static str,
                          label: &'static str,
                          list: &Rc<Vec<TemplateRef>>,
                          value: Option<Uuid>,
                          required: bool,
                          apply: fn(&mut Draft, Option<Uuid>)| {
        let draft = draft.clone();
        let onchange = Callback::from(move |event: Event| {
            let mut next = (*draft).clone();
            apply(&mut next, value_of(&event).parse().ok());
            draft.set(next);
        });
        let error_id = format!("{id}-error");
        let (described, invalid) = errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label }</label>
                <select {id} class="input" {onchange} aria-describedby={described} aria-invalid={invalid}>
                    <option value="" selected={value.is_none()}>
                        { if required { plan.choose } else { plan.none_template } }
                    </option>
                    { for list.iter().map(|t| html! {
                        <option value={t.id.to_string()} selected={value == Some(t.id)}>
                            { format!("{} (v{})", t.name, t.version) }
                        </option>
                    }) }
                </select>
                { errors.show(name, &error_id) }
            </div>
        }
    };

    html! {
        <section class="registry" aria-labelledby="plan-new-title">
            <Link<AgencyRoute> to={AgencyRoute::Inspections} classes="back-link">{ plan.back }</Link<AgencyRoute>>
            <h1 id="plan-new-title">{ plan.new_title }</h1>
            <form class="card form" {onsubmit} novalidate=true>
                if let Some(message) = errors.get("") {
                    <Notice tone={Tone::Error}><p>{ message }</p></Notice>
                }
                <EnterprisePicker id="plan-enterprise" label={plan.enterprise}
                    selected={draft.enterprise.clone()} on_select={on_enterprise}
                    error={errors.get("enterprise_id").map(str::to_owned)} />
                <div class="form-row">
                    { text_field("plan-number", "decision_number", plan.decision_number, &draft.decision_number,
                        on_text(|d, v| d.decision_number = v), false) }
                    { text_field("plan-campaign", "campaign", plan.campaign, &draft.campaign,
                        on_text(|d, v| d.campaign = v), true) }
                </div>
                { text_field("plan-title", "title", plan.title, &draft.title, on_text(|d, v| d.title = v), false) }
                <DateFields start={draft.start.clone()} end={draft.end.clone()}
                    on_start={set(|d, v| d.start = v)} on_end={set(|d, v| d.end = v)}
                    errors={(*errors).clone()} />
                <h2>{ plan.team }</h2>
                <TeamFields staff={choices.staff.clone()} lead={draft.lead} members={draft.members.clone()}
                    lead_only={reviewer.then_some(me)} {on_lead} {on_members} errors={(*errors).clone()} />
                <h2>{ plan.templates }</h2>
                { template_field("plan-site", "site_template_id", plan.site_template, &choices.site,
                    draft.site, true, |d, v| d.site = v) }
                { template_field("plan-questionnaire", "questionnaire_template_id", plan.questionnaire,
                    &choices.questionnaire, draft.questionnaire, false, |d, v| d.questionnaire = v) }
                { template_field("plan-self", "self_inspection_template_id", plan.self_inspection,
                    &choices.self_inspection, draft.self_inspection, false, |d, v| d.self_inspection = v) }
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled={*busy}>
                        { if *busy { plan.saving } else { plan.create } }
                    </button>
                </div>
            </form>
        </section>
    }
}

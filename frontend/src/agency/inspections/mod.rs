//! Cuộc thanh tra: the agency's inspections, newest first, filtered by status, enterprise,
//! campaign, decision number and dates, a page at a time, each line with where its work
//! stands. The filters live in the URL (`/agency/inspections?status=in_progress`), so the
//! dashboard links to a filtered list and a reload keeps it.

mod strings;

use std::rc::Rc;

use kiemtra_shared::enterprise::EnterpriseView;
use kiemtra_shared::inspection::{
    InspectionCounts, InspectionQuery, InspectionSort, InspectionStatus, InspectionSummary,
    parse_statuses,
};
use yew::prelude::*;
use yew_router::prelude::*;

use super::AgencyRoute;
use super::enterprise_picker::EnterprisePicker;
use super::field_errors::{checked_of, value_of};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::{use_lang, use_strings};
use strings::ListStrings;

/// Lines a page.
pub const PAGE_SIZE: u64 = 20;

#[derive(Properties, PartialEq)]
pub struct InspectionsPageProps {
    pub session: Rc<Session>,
}

enum Load {
    Loading,
    Loaded(Vec<InspectionSummary>, u64),
    Failed(ApiError),
}

/// The filters of the URL (anything unreadable there is no filter).
#[hook]
fn use_url_query() -> InspectionQuery {
    use_location()
        .and_then(|location| location.query::<InspectionQuery>().ok())
        .unwrap_or_default()
}

#[component]
pub fn InspectionsPage(_props: &InspectionsPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let list = ListStrings::of(use_lang().lang());
    let navigator = use_navigator();
    let query = use_url_query();
    let page = query.page.unwrap_or(1).max(1);

    let load = use_state(|| Load::Loading);
    {
        let (load, auth) = (load.clone(), auth.clone());
        use_effect_with(query.clone(), move |query| {
            load.set(Load::Loading);
            let asked = InspectionQuery {
                sort: Some(InspectionSort::Newest.as_str().to_owned()),
                per_page: Some(PAGE_SIZE),
                ..query.clone()
            };
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::inspections::search(&auth, &asked).await {
                    Ok((items, total)) => Load::Loaded(items, total),
                    Err(error) => Load::Failed(error),
                });
            });
        });
    }

    // The form's values until "Lọc" puts them in the URL; the URL's when it changes.
    let draft = use_state(|| query.clone());
    {
        let draft = draft.clone();
        use_effect_with(query.clone(), move |query| draft.set(query.clone()));
    }
    // The enterprise of the filter, by name (the URL has its id).
    let chosen = use_state(|| None::<EnterpriseView>);
    {
        let (chosen, auth) = (chosen.clone(), auth.clone());
        use_effect_with(draft.enterprise.clone(), move |id| {
            let id = id.as_deref().and_then(|id| id.parse().ok());
            match id {
                None => chosen.set(None),
                Some(id) if chosen.as_ref().is_some_and(|c| c.id == id) => {}
                Some(id) => wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(enterprise) = api::enterprises::get_one(&auth, id).await {
                        chosen.set(Some(enterprise));
                    }
                }),
            }
        });
    }

    let go = {
        let navigator = navigator.clone();
        Callback::from(move |query: InspectionQuery| {
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&AgencyRoute::Inspections, &query);
            }
        })
    };
    let onsubmit = {
        let (draft, go) = (draft.clone(), go.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            go.emit(InspectionQuery {
                page: None,
                ..(*draft).clone()
            });
        })
    };
    let clear = {
        let go = go.clone();
        Callback::from(move |_| go.emit(InspectionQuery::default()))
    };
    // Text is taken as it is typed, so that Enter in a field filters with what it shows.
    let typed = |apply: fn(&mut InspectionQuery, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            apply(&mut next, value_of(&event));
            draft.set(next);
        })
    };
    let edit = |apply: fn(&mut InspectionQuery, String)| {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            let mut next = (*draft).clone();
            apply(&mut next, value_of(&event));
            draft.set(next);
        })
    };
    let on_enterprise = {
        let (draft, chosen) = (draft.clone(), chosen.clone());
        Callback::from(move |enterprise: Option<EnterpriseView>| {
            let mut next = (*draft).clone();
            next.enterprise = enterprise.as_ref().map(|e| e.id.to_string());
            chosen.set(enterprise);
            draft.set(next);
        })
    };
    let statuses = draft
        .status
        .as_deref()
        .and_then(|s| parse_statuses(s).ok())
        .unwrap_or_default();
    let status_box = |status: InspectionStatus| {
        let onchange = {
            let draft = draft.clone();
            let statuses = statuses.clone();
            Callback::from(move |event: Event| {
                let on = checked_of(&event);
                let chosen: Vec<&str> = InspectionStatus::ALL
                    .into_iter()
                    .filter(|s| {
                        if *s == status {
                            on
                        } else {
                            statuses.contains(s)
                        }
                    })
                    .map(InspectionStatus::as_str)
                    .collect();
                let mut next = (*draft).clone();
                next.status = (!chosen.is_empty()).then(|| chosen.join(","));
                draft.set(next);
            })
        };
        html! {
            <label class="check">
                <input type="checkbox" checked={statuses.contains(&status)} {onchange} />
                { strings.status(status) }
            </label>
        }
    };

    let body = match &*load {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(error) => html! {
            <Notice tone={Tone::Error}><p>{ error.user_message(strings) }</p></Notice>
        },
        Load::Loaded(items, _) if items.is_empty() => html! {
            <div class="card empty"><p>{ list.none }</p></div>
        },
        Load::Loaded(items, total) => {
            let pages = total.div_ceil(PAGE_SIZE).max(1);
            let to_page = |number: u64| {
                let (go, query) = (go.clone(), query.clone());
                Callback::from(move |_| {
                    go.emit(InspectionQuery {
                        page: Some(number),
                        ..query.clone()
                    })
                })
            };
            html! {
                <>
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{ list.decision_number }</th>
                                    <th scope="col">{ list.enterprise }</th>
                                    <th scope="col">{ list.dates }</th>
                                    <th scope="col">{ list.status }</th>
                                    <th scope="col" class="table__number">{ list.evidence_waiting }</th>
                                    <th scope="col" class="table__number">{ list.findings }</th>
                                    <th scope="col" class="table__number">{ list.open_actions }</th>
                                    <th scope="col">{ list.plan }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for items.iter().map(|line| row(line, list)) }
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label={list.pages}>
                        <button type="button" class="button button--small" disabled={page <= 1}
                            onclick={to_page(page.saturating_sub(1))}>{ list.previous }</button>
                        <span class="pager__where">{ list.page_of(page.min(pages), pages, *total) }</span>
                        <button type="button" class="button button--small" disabled={page >= pages}
                            onclick={to_page(page + 1)}>{ list.next }</button>
                    </nav>
                </>
            }
        }
    };

    let filters_open = query != InspectionQuery::default() || wide_screen();
    html! {
        <section class="registry" aria-labelledby="inspections-title">
            <div class="registry__head">
                <h1 id="inspections-title">{ list.title }</h1>
                <Link<AgencyRoute> to={AgencyRoute::PlanNew} classes="button button--primary">
                    { list.plan_new }
                </Link<AgencyRoute>>
            </div>
            // On a phone the filters fold away above the list, unless some are in use.
            <details class="card filters-panel" open={filters_open}>
            <summary class="filters-panel__summary">{ list.filters }</summary>
            <form class="filters" aria-label={list.filters} {onsubmit}>
                <fieldset class="filters__statuses">
                    <legend class="field__label">{ list.status }</legend>
                    { for InspectionStatus::ALL.into_iter().map(status_box) }
                </fieldset>
                <EnterprisePicker id="filter-enterprise" label={list.enterprise}
                    selected={(*chosen).clone()} on_select={on_enterprise} />
                <div class="field">
                    <label class="field__label" for="filter-campaign">{ list.campaign }</label>
                    <input id="filter-campaign" class="input" type="text"
                        value={draft.campaign.clone().unwrap_or_default()}
                        oninput={typed(|q, v| q.campaign = Some(v))} />
                </div>
                <div class="field">
                    <label class="field__label" for="filter-number">{ list.decision_number }</label>
                    <input id="filter-number" class="input" type="text"
                        value={draft.decision_number.clone().unwrap_or_default()}
                        oninput={typed(|q, v| q.decision_number = Some(v))} />
                </div>
                <div class="field">
                    <label class="field__label" for="filter-from">{ list.from }</label>
                    <input id="filter-from" class="input" type="date"
                        value={draft.from.clone().unwrap_or_default()}
                        onchange={edit(|q, v| q.from = Some(v))} />
                </div>
                <div class="field">
                    <label class="field__label" for="filter-to">{ list.to }</label>
                    <input id="filter-to" class="input" type="date"
                        value={draft.to.clone().unwrap_or_default()}
                        onchange={edit(|q, v| q.to = Some(v))} />
                </div>
                <div class="filters__actions">
                    <button type="submit" class="button button--primary">{ list.apply }</button>
                    <button type="button" class="button" onclick={clear}>{ list.clear }</button>
                </div>
            </form>
            </details>
            { body }
        </section>
    }
}

fn row(line: &InspectionSummary, list: &'static ListStrings) -> Html {
    let counts: InspectionCounts = line.counts.unwrap_or_default();
    html! {
        <tr key={line.id.to_string()}>
            <td>
                <Link<AgencyRoute> to={AgencyRoute::Inspection { id: line.id }}>
                    { &line.decision_number }
                </Link<AgencyRoute>>
                <div class="muted">{ &line.title }</div>
            </td>
            <td>
                { &line.enterprise_name }
                <div class="muted">{ list.tax_code }{ " " }{ &line.enterprise_tax_code }</div>
            </td>
            <td class="nowrap">
                { format::date(line.planned_start) }{ " – " }{ format::date(line.planned_end) }
            </td>
            <td><StatusChip status={line.status} /></td>
            <td class={classes!("table__number", (counts.evidence_awaiting_review > 0).then_some("table__strong"))}>
                { counts.evidence_awaiting_review }
            </td>
            <td class="table__number">
                { counts.findings_confirmed }
                if counts.findings_proposed > 0 {
                    <div class="muted">{ format!("+{} {}", counts.findings_proposed, list.proposed) }</div>
                }
            </td>
            <td class="table__number">{ counts.open_actions }</td>
            <td>
                <Link<AgencyRoute> to={AgencyRoute::Plan { id: line.id }}
                    classes="button button--small button--secondary">
                    { list.plan }
                    <span class="visually-hidden">{ " " }{ &line.decision_number }</span>
                </Link<AgencyRoute>>
            </td>
        </tr>
    }
}

/// Whether the screen is wide enough (a desktop's) to show the filters beside the list unasked.
fn wide_screen() -> bool {
    gloo::utils::window()
        .inner_width()
        .ok()
        .and_then(|width| width.as_f64())
        .is_some_and(|width| width >= 960.0)
}

//! The inspections the user may see.

use std::rc::Rc;

use kiemtra_shared::inspection::{InspectionStatus, InspectionSummary};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::store::{self, Store};

/// Where the last list read from the server is kept, for opening the app offline.
const CACHE_KEY: &str = "inspections";
use crate::auth::{AuthHandle, Session, use_auth};
use crate::components::app_bar::AppBar;
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::use_strings;
use crate::pages::inspection_detail::cache_key;
use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct InspectionListPageProps {
    pub session: Rc<Session>,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Rc<Vec<InspectionSummary>>),
    Failed(String),
}

#[component]
pub fn InspectionListPage(props: &InspectionListPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let load = use_state(|| Load::Loading);
    // Bumped by "retry" to fetch again.
    let attempt = use_state(|| 0u32);
    // Showing the list kept on the device: the server could not be reached.
    let offline = use_state(|| false);
    {
        let (load, offline) = (load.clone(), offline.clone());
        use_effect_with(*attempt, move |_| {
            load.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::inspections::list(&auth).await;
                // Offline, the list last read is better than nothing.
                let cached = match &result {
                    Ok((_, text)) => {
                        let _ = store::put_json_text(Store::Cache, CACHE_KEY, text.clone()).await;
                        None
                    }
                    Err(ApiError::Network) => {
                        store::get::<Vec<InspectionSummary>>(Store::Cache, CACHE_KEY)
                            .await
                            .ok()
                            .flatten()
                    }
                    Err(_) => None,
                };
                offline.set(cached.is_some());
                let in_progress: Vec<Uuid> = match &result {
                    Ok((list, _)) => list
                        .iter()
                        .filter(|i| i.status == InspectionStatus::InProgress)
                        .map(|i| i.id)
                        .collect(),
                    Err(_) => Vec::new(),
                };
                load.set(match (result, cached) {
                    (Ok((list, _)), _) | (Err(_), Some(list)) => Load::Loaded(Rc::new(list)),
                    (Err(error), None) => Load::Failed(error.user_message(strings)),
                });
                keep_for_offline(&auth, &in_progress).await;
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };

    let body = match &*load {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(message) => html! {
            <Notice tone={Tone::Error}>
                <p>{ message.clone() }</p>
                <button type="button" class="button button--small" onclick={retry}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded(list) if list.is_empty() => {
            html! { <div class="card empty"><p>{ strings.no_inspections }</p></div> }
        }
        Load::Loaded(list) => html! {
            <ul class="inspection-list">
                { for list.iter().map(|inspection| html! {
                    <li key={inspection.id.to_string()}>
                        <InspectionCard inspection={inspection.clone()} />
                    </li>
                }) }
            </ul>
        },
    };

    html! {
        <>
            <AppBar session={props.session.clone()} />
            <main class="page">
                <h1 class="page__title">{ strings.inspections }</h1>
                if *offline {
                    <Notice tone={Tone::Info}>{ strings.offline_copy }</Notice>
                }
                { body }
            </main>
        </>
    }
}

/// Reads the inspections under way while there is a connection and keeps them on the device,
/// so that each can be opened on site with no signal, not only those opened before.
async fn keep_for_offline(auth: &AuthHandle, ids: &[Uuid]) {
    for &id in ids {
        let result = api::inspections::detail(auth, id).await;
        match result {
            Ok((_, text)) => {
                let _ = store::put_json_text(Store::Cache, &cache_key(id), text).await;
            }
            Err(ApiError::Network) => return,
            Err(_) => {}
        }
    }
}

#[derive(Properties, PartialEq)]
struct InspectionCardProps {
    inspection: InspectionSummary,
}

#[component]
fn InspectionCard(props: &InspectionCardProps) -> Html {
    let strings = use_strings();
    let inspection = &props.inspection;
    html! {
        <Link<Route> to={Route::Inspection { id: inspection.id }} classes="card card--link inspection-card">
            <div class="inspection-card__top">
                <span class="inspection-card__number">{ &inspection.decision_number }</span>
                <StatusChip status={inspection.status} />
            </div>
            <h2 class="inspection-card__title">{ &inspection.title }</h2>
            <p class="inspection-card__enterprise">{ &inspection.enterprise_name }</p>
            <p class="inspection-card__meta">
                { strings.tax_code }{ ": " }{ &inspection.enterprise_tax_code }
                <br />
                { strings.planned_dates }{ ": " }{ format::date(inspection.planned_start) }
                { " – " }{ format::date(inspection.planned_end) }
            </p>
        </Link<Route>>
    }
}

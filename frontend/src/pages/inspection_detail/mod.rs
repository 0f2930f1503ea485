//! One inspection: its summary and its site checklist, filled in by the inspector on site or
//! read by everyone else (and by the inspector once it is submitted).

pub(crate) mod draft;
pub(crate) mod fields;
pub(crate) mod form;
mod item;
mod measurement;
pub(crate) mod problems;
mod signature;
pub(crate) mod slots;
pub(crate) mod view;

use std::rc::Rc;

use kiemtra_shared::auth::Role;
use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::inspection::{InspectionDetail, InspectionStatus, ResponseView};
use kiemtra_shared::template::TemplateSchema;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::app_bar::AppBar;
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::components::status_chip::StatusChip;
use crate::i18n::use_strings;
use crate::routes::Route;
use crate::store::{self, Store};

pub use self::form::{ChecklistForm, FormTarget, OtherForm};
pub use self::view::ChecklistView;

#[derive(Properties, PartialEq)]
pub struct InspectionDetailPageProps {
    pub session: Rc<Session>,
    pub id: Uuid,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Rc<InspectionDetail>),
    Failed(String),
}

#[component]
pub fn InspectionDetailPage(props: &InspectionDetailPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let load = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);
    let just_submitted = use_state(|| false);
    // Showing the copy kept on the device: the server could not be reached.
    let offline = use_state(|| false);
    {
        let (load, offline) = (load.clone(), offline.clone());
        let auth = auth.clone();
        use_effect_with((props.id, *attempt), move |&(id, _)| {
            load.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::inspections::detail(&auth, id).await;
                let key = cache_key(id);
                let cached = match &result {
                    Ok((_, text)) => {
                        let _ = store::put_json_text(Store::Cache, &key, text.clone()).await;
                        None
                    }
                    Err(ApiError::Network) => store::get::<InspectionDetail>(Store::Cache, &key)
                        .await
                        .ok()
                        .flatten(),
                    Err(_) => None,
                };
                offline.set(cached.is_some());
                load.set(match (result, cached) {
                    (Ok((detail, _)), _) | (Err(_), Some(detail)) => Load::Loaded(Rc::new(detail)),
                    (Err(error), None) => Load::Failed(error.user_message(strings)),
                });
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    let on_submitted = {
        let (load, just_submitted) = (load.clone(), just_submitted.clone());
        let id = props.id;
        Callback::from(
            move |(response, uploaded): (ResponseView, Vec<EvidenceMeta>)| {
                if let Load::Loaded(detail) = &*load {
                    load.set(Load::Loaded(Rc::new(with_submission(
                        detail, response, uploaded,
                    ))));
                }
                just_submitted.set(true);
                // The confirmation is at the top; the inspector was at the submit button.
                gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
                // The server may have moved the inspection on (its status); show what it holds now,
                // keeping the local view when that fails.
                let (load, auth) = (load.clone(), auth.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = api::inspections::detail(&auth, id).await;
                    if let Ok((detail, text)) = result {
                        let _ = store::put_json_text(Store::Cache, &cache_key(id), text).await;
                        load.set(Load::Loaded(Rc::new(detail)));
                    }
                });
            },
        )
    };

    let body = match &*load {
        Load::Loading => html! { <Loading text={strings.loading} /> },
        Load::Failed(message) => html! {
            <Notice tone={Tone::Error}>
                <p>{ message.clone() }</p>
                <button type="button" class="button button--small" onclick={retry}>{ strings.retry }</button>
            </Notice>
        },
        Load::Loaded(detail) => {
            let summary = &detail.summary;
            // The team answers the site checklist while the inspection is in progress, once.
            let capturing = props.session.user.role == Role::Inspector
                && summary.status == InspectionStatus::InProgress
                && detail.site_response.is_none();
            html! {
                <>
                    <section class="card inspection-head">
                        <div class="inspection-card__top">
                            <span class="inspection-card__number">
                                { strings.decision_number }{ " " }{ &summary.decision_number }
                            </span>
                            <StatusChip status={summary.status} />
                        </div>
                        <h1 class="inspection-head__title">{ &summary.title }</h1>
                        <p class="inspection-card__enterprise">{ &summary.enterprise_name }</p>
                        <p class="inspection-card__meta">
                            { strings.tax_code }{ ": " }{ &summary.enterprise_tax_code }
                            <br />
                            { strings.planned_dates }{ ": " }{ format::date(summary.planned_start) }
                            { " – " }{ format::date(summary.planned_end) }
                        </p>
                    </section>
                    if *offline {
                        <Notice tone={Tone::Info}>{ strings.offline_copy }</Notice>
                    }
                    if *just_submitted {
                        <Notice tone={Tone::Success}>{ strings.submitted_ok }</Notice>
                    }
                    if capturing {
                        <ChecklistForm
                            inspection_id={summary.id}
                            detail={detail.clone()}
                            {on_submitted} />
                    } else {
                        <ChecklistView detail={detail.clone()} />
                    }
                </>
            }
        }
    };

    html! {
        <>
            <AppBar session={props.session.clone()} />
            <main class="page">
                <Link<Route> to={Route::Inspections} classes="back-link">
                    { "← " }{ strings.back_to_list }
                </Link<Route>>
                { body }
            </main>
        </>
    }
}

/// Where the last copy of an inspection read from the server is kept, for opening it offline.
pub fn cache_key(id: Uuid) -> String {
    format!("inspection/{id}")
}

/// The inspection as it is after a successful submission, before the server is asked again.
fn with_submission(
    detail: &InspectionDetail,
    response: ResponseView,
    uploaded: Vec<EvidenceMeta>,
) -> InspectionDetail {
    let mut detail = detail.clone();
    detail.site_response = Some(response);
    for evidence in uploaded {
        if !detail.evidence.iter().any(|known| known.id == evidence.id) {
            detail.evidence.push(evidence);
        }
    }
    detail
}

/// A template shared by every item of a page: compared by identity, so that passing it to
/// each item costs nothing and never makes an item draw again.
#[derive(Debug, Clone)]
pub struct SchemaRef(pub Rc<TemplateSchema>);

impl PartialEq for SchemaRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// "1. ", "2. ": the number of a section as shown (hidden sections are not counted).
fn section_number(number: usize) -> String {
    format!("{number}. ")
}

//! The inspector fills in the site checklist: answers each item, takes evidence photos, and
//! submits. Each photo is hashed (SHA-256) and stamped with its capture time and, when the
//! device gives it in time, its position, as it is taken; "Nộp phiếu" uploads the photos, then
//! the answers.
//!
//! Photo and submission ids are made here, so a retried upload or submission is recognised by
//! the server instead of being stored twice.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use kiemtra_shared::evidence::{EvidenceKind, EvidenceMeta, EvidenceUploadParams};
use kiemtra_shared::inspection::{
    AnswerInput, InspectionDetail, ResponseView, SubmitResponse, YesNo,
};
use kiemtra_shared::template::{Item, TemplateSchema};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::item::{ItemHeading, dom_id};
use crate::api;
use crate::auth::{AuthHandle, use_auth};
use crate::browser::{self, Position};
use crate::components::notice::{Notice, Tone};
use crate::components::photo::{BlobImage, EvidencePhoto, PhotoFacts};
use crate::i18n::{Strings, use_strings};

/// A photo taken on this device and not yet known to be stored by the server.
#[derive(Debug, Clone, PartialEq)]
struct CapturedPhoto {
    /// The evidence id, made at capture time.
    id: Uuid,
    item_key: String,
    file: web_sys::File,
    sha256: [u8; 32],
    captured_at: DateTime<Utc>,
    position: Option<Position>,
    locating: bool,
    /// What the server stored, once uploaded.
    uploaded: Option<EvidenceMeta>,
}

#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Editing,
    Uploading { done: usize, total: usize },
    Submitting,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
struct FormState {
    /// The id of the submission: the same for every retry of this form.
    submission_id: Uuid,
    answers: BTreeMap<String, YesNo>,
    photos: Vec<CapturedPhoto>,
    /// Required items left unanswered at the last attempt to submit.
    missing: BTreeSet<String>,
    capture_error: Option<String>,
    progress: Progress,
}

enum FormAction {
    Answer {
        item_key: String,
        value: YesNo,
    },
    PhotoTaken(CapturedPhoto),
    PhotoLocated {
        id: Uuid,
        position: Option<Position>,
    },
    PhotoRemoved(Uuid),
    PhotoUploaded(EvidenceMeta),
    CaptureFailed(String),
    Missing(BTreeSet<String>),
    Progress(Progress),
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            FormAction::Answer { item_key, value } => {
                state.missing.remove(&item_key);
                state.answers.insert(item_key, value);
            }
            FormAction::PhotoTaken(photo) => {
                state.capture_error = None;
                state.photos.push(photo);
            }
            FormAction::PhotoLocated { id, position } => {
                if let Some(photo) = state.photos.iter_mut().find(|p| p.id == id) {
                    photo.position = position;
                    photo.locating = false;
                }
            }
            FormAction::PhotoRemoved(id) => state.photos.retain(|p| p.id != id),
            FormAction::PhotoUploaded(meta) => {
                if let Some(photo) = state.photos.iter_mut().find(|p| p.id == meta.id) {
                    photo.uploaded = Some(meta);
                }
            }
            FormAction::CaptureFailed(message) => state.capture_error = Some(message),
            FormAction::Missing(missing) => state.missing = missing,
            FormAction::Progress(progress) => state.progress = progress,
        }
        Rc::new(state)
    }
}

impl FormState {
    fn new() -> FormState {
        FormState {
            submission_id: Uuid::new_v4(),
            answers: BTreeMap::new(),
            photos: Vec::new(),
            missing: BTreeSet::new(),
            capture_error: None,
            progress: Progress::Editing,
        }
    }

    fn busy(&self) -> bool {
        matches!(
            self.progress,
            Progress::Uploading { .. } | Progress::Submitting
        )
    }

    /// Required items without an answer.
    fn unanswered(&self, schema: &TemplateSchema) -> BTreeSet<String> {
        schema
            .sections
            .iter()
            .flat_map(|section| &section.items)
            .filter(|item| item.required && !self.answers.contains_key(&item.key))
            .map(|item| item.key.clone())
            .collect()
    }

    /// The answers in the order of the template.
    fn answer_inputs(&self, schema: &TemplateSchema) -> Vec<AnswerInput> {
        schema
            .sections
            .iter()
            .flat_map(|section| &section.items)
            .filter_map(|item| {
                let value = *self.answers.get(&item.key)?;
                Some(AnswerInput {
                    item_key: item.key.clone(),
                    value,
                })
            })
            .collect()
    }
}

#[derive(Properties, PartialEq)]
pub struct ChecklistFormProps {
    pub inspection_id: Uuid,
    pub detail: Rc<InspectionDetail>,
    /// Called with the stored response and the photos uploaded for it.
    pub on_submitted: Callback<(ResponseView, Vec<EvidenceMeta>)>,
}

#[component]
pub fn ChecklistForm(props: &ChecklistFormProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let form = use_reducer(FormState::new);
    // Set from the click to the end of the submission: a second tap before the next render
    // must not start a second one.
    let in_flight = use_mut_ref(|| false);
    let template = &props.detail.site_checklist;

    let on_submit = {
        let form = form.clone();
        let schema = template.schema.clone();
        let inspection_id = props.inspection_id;
        let on_submitted = props.on_submitted.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *in_flight.borrow() {
                return;
            }
            let missing = form.unanswered(&schema);
            if let Some(first) = schema
                .sections
                .iter()
                .flat_map(|section| &section.items)
                .find(|item| missing.contains(&item.key))
            {
                // Show the inspector the first item still to answer.
                if let Some(heading) =
                    gloo::utils::document().get_element_by_id(&dom_id("item", &first.key))
                {
                    heading.scroll_into_view();
                }
            }
            let complete = missing.is_empty();
            form.dispatch(FormAction::Missing(missing));
            if !complete {
                return;
            }
            let submission = SubmitResponse {
                id: form.submission_id,
                answers: form.answer_inputs(&schema),
            };
            let job = Submission {
                auth: auth.clone(),
                form: form.dispatcher(),
                inspection_id,
                strings,
            };
            let photos = form.photos.clone();
            let (on_submitted, in_flight) = (on_submitted.clone(), in_flight.clone());
            *in_flight.borrow_mut() = true;
            wasm_bindgen_futures::spawn_local(async move {
                let result = job.run(photos, submission).await;
                *in_flight.borrow_mut() = false;
                if let Some(result) = result {
                    on_submitted.emit(result);
                }
            });
        })
    };

    let on_photo = {
        let form = form.dispatcher();
        Callback::from(move |(item_key, files): (String, Vec<web_sys::File>)| {
            for file in files {
                take_photo(form.clone(), item_key.clone(), file, strings);
            }
        })
    };
    let on_answer = {
        let form = form.dispatcher();
        Callback::from(move |(item_key, value): (String, YesNo)| {
            form.dispatch(FormAction::Answer { item_key, value })
        })
    };
    let on_remove = {
        let form = form.dispatcher();
        Callback::from(move |id: Uuid| form.dispatch(FormAction::PhotoRemoved(id)))
    };

    let progress = match &form.progress {
        Progress::Editing => html! {},
        Progress::Uploading { done, total } => html! {
            <div class="progress" role="status">
                <span>{ strings.uploading_photos }{ format!(" {}/{}", done, total) }</span>
                <progress max={total.to_string()} value={done.to_string()}></progress>
            </div>
        },
        Progress::Submitting => {
            html! { <div class="progress" role="status">{ strings.submitting }</div> }
        }
        Progress::Failed(message) => {
            html! { <Notice tone={Tone::Error}>{ message.clone() }</Notice> }
        }
    };

    html! {
        <form class="checklist" onsubmit={on_submit} novalidate=true aria-labelledby="checklist-title">
            <div class="checklist__head">
                <h2 id="checklist-title">{ strings.site_checklist }</h2>
                <p class="checklist__template">
                    { &template.name }{ " · " }
                    <span class="nowrap">{ strings.version }{ " " }{ template.version }</span>
                </p>
            </div>
            if let Some(message) = &form.capture_error {
                <Notice tone={Tone::Error}>{ message.clone() }</Notice>
            }
            { for template.schema.sections.iter().enumerate().map(|(s, section)| html! {
                <section class="section" key={section.key.clone()}>
                    <h3 class="section__title">{ format!("{}. ", s + 1) }{ strings.label(&section.title) }</h3>
                    { for section.items.iter().enumerate().map(|(i, item)| {
                        let photos: Vec<CapturedPhoto> =
                            form.photos.iter().filter(|p| p.item_key == item.key).cloned().collect();
                        // Evidence stored at an earlier, interrupted attempt.
                        let stored: Vec<EvidenceMeta> = props.detail.evidence.iter()
                            .filter(|e| e.item_key == item.key && !photos.iter().any(|p| p.id == e.id))
                            .cloned()
                            .collect();
                        html! {
                            <ItemInput
                                key={item.key.clone()}
                                item={item.clone()}
                                number={format!("{}.{}", s + 1, i + 1)}
                                answer={form.answers.get(&item.key).copied()}
                                missing={form.missing.contains(&item.key)}
                                disabled={form.busy()}
                                {photos}
                                {stored}
                                on_answer={on_answer.clone()}
                                on_photo={on_photo.clone()}
                                on_remove={on_remove.clone()} />
                        }
                    }) }
                </section>
            }) }
            <div class="submit-bar">
                if !form.missing.is_empty() {
                    <Notice tone={Tone::Error}>{ strings.answer_required }</Notice>
                }
                { progress }
                <button type="submit" class="button button--primary button--block" disabled={form.busy()}>
                    { strings.submit }
                </button>
            </div>
        </form>
    }
}

/// Hashes a just-taken photo, adds it to the form, then asks for the position without making
/// the photo wait for it.
fn take_photo(
    form: UseReducerDispatcher<FormState>,
    item_key: String,
    file: web_sys::File,
    strings: &'static Strings,
) {
    let captured_at = Utc::now();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(sha256) = browser::sha256(&file).await else {
            form.dispatch(FormAction::CaptureFailed(strings.photo_failed.to_owned()));
            return;
        };
        let id = Uuid::new_v4();
        form.dispatch(FormAction::PhotoTaken(CapturedPhoto {
            id,
            item_key,
            file,
            sha256,
            captured_at,
            position: None,
            locating: true,
            uploaded: None,
        }));
        let position = browser::current_position().await;
        form.dispatch(FormAction::PhotoLocated { id, position });
    });
}

/// One submission attempt: upload the photos not yet stored, then the answers.
struct Submission {
    auth: AuthHandle,
    form: UseReducerDispatcher<FormState>,
    inspection_id: Uuid,
    strings: &'static Strings,
}

impl Submission {
    /// The stored response and every photo of the form as stored, or `None` after showing why
    /// it failed.
    async fn run(
        self,
        photos: Vec<CapturedPhoto>,
        submission: SubmitResponse,
    ) -> Option<(ResponseView, Vec<EvidenceMeta>)> {
        let total = photos.iter().filter(|p| p.uploaded.is_none()).count();
        let mut stored = Vec::with_capacity(photos.len());
        let mut done = 0;
        for photo in photos {
            if let Some(meta) = photo.uploaded {
                stored.push(meta);
                continue;
            }
            self.form
                .dispatch(FormAction::Progress(Progress::Uploading { done, total }));
            let params = EvidenceUploadParams {
                inspection_id: self.inspection_id,
                item_key: photo.item_key.clone(),
                kind: EvidenceKind::Photo,
                captured_at: Some(photo.captured_at),
                latitude: photo.position.map(|p| p.latitude),
                longitude: photo.position.map(|p| p.longitude),
            };
            let result = self
                .auth
                .call(|token| {
                    let (params, file) = (params.clone(), photo.file.clone());
                    let (id, sha256) = (photo.id, photo.sha256);
                    async move { api::evidence::upload(&token, id, &params, &file, &sha256).await }
                })
                .await;
            let meta = self.ok_or_show(result)?;
            self.form.dispatch(FormAction::PhotoUploaded(meta.clone()));
            stored.push(meta);
            done += 1;
        }
        self.form
            .dispatch(FormAction::Progress(Progress::Submitting));
        let inspection_id = self.inspection_id;
        let result = self
            .auth
            .call(|token| {
                let submission = submission.clone();
                async move {
                    api::inspections::submit_site_response(&token, inspection_id, &submission).await
                }
            })
            .await;
        let response = self.ok_or_show(result)?;
        self.form.dispatch(FormAction::Progress(Progress::Editing));
        Some((response, stored))
    }

    fn ok_or_show<T>(&self, result: Result<T, api::ApiError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                let message = error.user_message(self.strings);
                self.form
                    .dispatch(FormAction::Progress(Progress::Failed(message)));
                None
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct ItemInputProps {
    item: Item,
    number: AttrValue,
    answer: Option<YesNo>,
    missing: bool,
    disabled: bool,
    photos: Vec<CapturedPhoto>,
    stored: Vec<EvidenceMeta>,
    on_answer: Callback<(String, YesNo)>,
    on_photo: Callback<(String, Vec<web_sys::File>)>,
    on_remove: Callback<Uuid>,
}

/// An item of the checklist being filled in: its answer and, when allowed, its photos.
#[component]
fn ItemInput(props: &ItemInputProps) -> Html {
    let strings = use_strings();
    let item = &props.item;
    let heading_id = dom_id("item", &item.key);
    let choices = [YesNo::Yes, YesNo::No, YesNo::NotApplicable].map(|value| {
        let onchange = {
            let (on_answer, key) = (props.on_answer.clone(), item.key.clone());
            Callback::from(move |_: Event| on_answer.emit((key.clone(), value)))
        };
        let class = match value {
            YesNo::Yes => "choice__option choice__option--yes",
            YesNo::No => "choice__option choice__option--no",
            YesNo::NotApplicable => "choice__option choice__option--na",
        };
        html! {
            <label {class}>
                <input type="radio" name={dom_id("answer", &item.key)}
                    checked={props.answer == Some(value)} disabled={props.disabled} {onchange} />
                <span>{ strings.answer(value) }</span>
            </label>
        }
    });
    let on_files = {
        let (on_photo, key) = (props.on_photo.clone(), item.key.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = browser::chosen_files(&input);
            // Lets the same file be chosen again after removing it.
            input.set_value("");
            if !files.is_empty() {
                on_photo.emit((key.clone(), files));
            }
        })
    };
    let class = classes!("card", "item", props.missing.then_some("item--missing"));

    html! {
        <article {class} data-item-key={item.key.clone()} aria-labelledby={heading_id.clone()}>
            <ItemHeading item={item.clone()} number={props.number.clone()} heading_id={heading_id.clone()} />
            <div class="choice" role="radiogroup" aria-labelledby={heading_id}
                aria-required={item.required.to_string()} aria-invalid={props.missing.to_string()}>
                { for choices }
            </div>
            if item.allows_photos {
                <div class="photos">
                    { for props.stored.iter().map(|evidence| html! {
                        <EvidencePhoto key={evidence.id.to_string()} evidence={evidence.clone()} />
                    }) }
                    { for props.photos.iter().map(|photo| {
                        let on_remove = {
                            let (on_remove, id) = (props.on_remove.clone(), photo.id);
                            Callback::from(move |_| on_remove.emit(id))
                        };
                        html! {
                            <figure class="photo" key={photo.id.to_string()} data-evidence-id={photo.id.to_string()}>
                                <BlobImage blob={web_sys::Blob::from(photo.file.clone())} alt={strings.photo_of} />
                                <figcaption class="photo__caption">
                                    <PhotoFacts captured_at={Some(photo.captured_at)}
                                        position={photo.position.map(|p| (p.latitude, p.longitude))}
                                        locating={photo.locating} />
                                </figcaption>
                                if photo.uploaded.is_none() && !props.disabled {
                                    <button type="button" class="photo__remove" onclick={on_remove}
                                        aria-label={strings.remove_photo} title={strings.remove_photo}>{ "×" }</button>
                                }
                            </figure>
                        }
                    }) }
                </div>
                <label class={classes!("button", "button--secondary", "photo-input", props.disabled.then_some("button--disabled"))}>
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                        disabled={props.disabled} onchange={on_files} />
                    <svg class="photo-input__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"
                        fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">
                        <path d="M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z" />
                        <circle cx="12" cy="13" r="4" />
                    </svg>
                    <span>{ strings.take_photo }</span>
                </label>
            }
        </article>
    }
}

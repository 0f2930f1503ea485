//! The inspector fills in the site checklist: answers each item of every kind, adds workshops
//! and other repeated sections, takes evidence photos, signs, and submits. Each photo (and
//! signature image) is hashed (SHA-256) and stamped with its capture time and, when the device
//! gives it in time, its position, as it is taken, and queued in the outbox, which sends it as
//! soon as there is a connection. The draft is kept on the device at every change and restored
//! when the inspection is opened again. "Nộp phiếu" checks the draft with the shared form
//! engine, waits until the photos it refers to are on the server, then sends the answers.
//!
//! Photo and submission ids are made here, so a retried upload or submission is recognised by
//! the server instead of being stored twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use chrono::Utc;
use kiemtra_shared::answers::{AnswerValue, Answers, Signature};
use kiemtra_shared::error::FieldError;
use kiemtra_shared::evidence::{EvidenceKind, EvidenceMeta, EvidenceUploadParams};
use kiemtra_shared::inspection::{InspectionDetail, ResponseView, SubmitResponse, TemplateRef};
use kiemtra_shared::template::TemplateSchema;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::draft::{self, Draft, PhotoRecord, PhotoUse, UNREADABLE_NUMBER};
use super::fields::{FieldActions, ItemField, PhotoView};
use super::problems::Problems;
use super::slots::{SlotRef, Target, Visibility, answer_at, set_value};
use super::{SchemaRef, section_number};
use crate::api;
use crate::auth::{AuthHandle, use_auth};
use crate::browser::{self, Position};
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{Strings, use_strings};
use crate::outbox::{NotSent, Outbox, OutboxEntry, Sending, use_outbox};

#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Editing,
    Uploading {
        done: usize,
        total: usize,
    },
    Submitting,
    Failed(String),
    /// Not an error: the photos wait for a connection, and the inspector submits again then.
    Waiting(String),
}

/// The form: the draft (plain data) and what only this page needs.
#[derive(Debug, Clone, PartialEq)]
struct FormState {
    draft: Draft,
    /// The files of the draft's photos, by evidence id.
    files: HashMap<Uuid, web_sys::Blob>,
    /// Stable keys of repeat instances, by section index, so that removing an instance does
    /// not hand its inputs to the next one.
    instance_keys: BTreeMap<usize, Vec<u64>>,
    next_instance_key: u64,
    /// Set at the first attempt to submit: from then on problems are shown, and updated as
    /// they are fixed.
    attempted: bool,
    /// Field errors of the server's last refusal (422), until the slot is changed.
    server_errors: Vec<FieldError>,
    /// Number fields (slot, part of the answer) whose text does not read as a number.
    unreadable: BTreeSet<(SlotRef, &'static str)>,
    capture_error: Option<String>,
    progress: Progress,
    /// The enterprise portal's forms, where documents are filed under any item: those under
    /// items that take no photos are left out of the answer when submitting, so they do not
    /// hold it back.
    documents: bool,
}

enum FormAction {
    SetValue(SlotRef, Option<AnswerValue>),
    AddInstance {
        section: usize,
    },
    RemoveInstance {
        section: usize,
        instance: usize,
    },
    PhotoTaken(PhotoRecord, web_sys::Blob),
    PhotoLocated {
        id: Uuid,
        position: Option<Position>,
    },
    PhotoRemoved(Uuid),
    SignatureTaken {
        record: PhotoRecord,
        image: web_sys::Blob,
        signer_name: String,
        signer_role: String,
    },
    SignatureCleared(SlotRef),
    CaptureFailed(String),
    Unreadable {
        slot: SlotRef,
        part: &'static str,
        bad: bool,
    },
    Attempted,
    ServerRejected(Vec<FieldError>),
    Progress(Progress),
}

/// Actions come with the schema, which some of them need to find their slot.
impl Reducible for FormState {
    type Action = (SchemaRef, FormAction);

    fn reduce(self: Rc<Self>, (schema, action): Self::Action) -> Rc<Self> {
        let mut state = (*self).clone();
        if matches!(state.progress, Progress::Failed(_) | Progress::Waiting(_))
            && matches!(
                action,
                FormAction::SetValue(..)
                    | FormAction::PhotoTaken(..)
                    | FormAction::SignatureTaken { .. }
            )
        {
            // The inspector is fixing what the last attempt ran into.
            state.progress = Progress::Editing;
        }
        let schema = &*schema.0;
        match action {
            FormAction::SetValue(slot, value) => {
                set_value(schema, &mut state.draft.answers, slot, value);
                state.forget_server_errors(slot);
            }
            FormAction::AddInstance { section } => {
                let Some(s) = schema.sections.get(section) else {
                    return self;
                };
                let max = s.repeat.as_ref().map_or(0, |r| r.max) as usize;
                if state.draft.instances(&s.key) >= max {
                    return self;
                }
                state
                    .draft
                    .answers
                    .push_instance(&s.key, Default::default());
                let key = state.next_instance_key;
                state.next_instance_key += 1;
                state.instance_keys.entry(section).or_default().push(key);
            }
            FormAction::RemoveInstance { section, instance } => {
                let Some(s) = schema.sections.get(section) else {
                    return self;
                };
                state.draft.remove_instance(section, &s.key, instance);
                if let Some(keys) = state.instance_keys.get_mut(&section)
                    && instance < keys.len()
                {
                    keys.remove(instance);
                }
                let gone: Vec<Uuid> = state
                    .files
                    .keys()
                    .filter(|id| !state.draft.photos.iter().any(|p| p.id == **id))
                    .copied()
                    .collect();
                for id in gone {
                    state.files.remove(&id);
                }
                // Paths after the removed instance moved; the next attempt tells again.
                state.server_errors.clear();
                state.unreadable = std::mem::take(&mut state.unreadable)
                    .into_iter()
                    .filter_map(|(mut slot, part)| {
                        if slot.section == section
                            && let Some(n) = slot.instance
                        {
                            if n == instance {
                                return None;
                            }
                            if n > instance {
                                slot.instance = Some(n - 1);
                            }
                        }
                        Some((slot, part))
                    })
                    .collect();
            }
            FormAction::PhotoTaken(record, file) => {
                state.capture_error = None;
                state.forget_server_errors(record.slot);
                state.files.insert(record.id, file);
                state.draft.photos.push(record);
            }
            FormAction::PhotoLocated { id, position } => {
                if let Some(photo) = state.draft.photos.iter_mut().find(|p| p.id == id) {
                    photo.latitude = position.map(|p| p.latitude);
                    photo.longitude = position.map(|p| p.longitude);
                    photo.locating = false;
                }
            }
            FormAction::PhotoRemoved(id) => {
                state.draft.photos.retain(|p| p.id != id);
                state.files.remove(&id);
            }
            FormAction::SignatureTaken {
                record,
                image,
                signer_name,
                signer_role,
            } => {
                let slot = record.slot;
                state.clear_signature(schema, slot);
                let value = AnswerValue::Signature(Signature {
                    evidence_id: record.id,
                    signer_name,
                    signer_role,
                });
                set_value(schema, &mut state.draft.answers, slot, Some(value));
                state.files.insert(record.id, image);
                state.draft.photos.push(record);
                state.forget_server_errors(slot);
            }
            FormAction::SignatureCleared(slot) => state.clear_signature(schema, slot),
            FormAction::CaptureFailed(message) => state.capture_error = Some(message),
            FormAction::Unreadable { slot, part, bad } => {
                if bad == state.unreadable.contains(&(slot, part)) {
                    return self;
                }
                if bad {
                    state.unreadable.insert((slot, part));
                } else {
                    state.unreadable.remove(&(slot, part));
                }
            }
            FormAction::Attempted => state.attempted = true,
            FormAction::ServerRejected(errors) => state.server_errors = errors,
            FormAction::Progress(progress) => state.progress = progress,
        }
        Rc::new(state)
    }
}

impl FormState {
    /// The form of a draft restored from the device, or of a new one.
    fn new(template: &TemplateRef, restored: Option<&Restored>, documents: bool) -> FormState {
        let (draft, files) = match restored {
            Some(restored) => (restored.draft.clone(), restored.files.clone()),
            None => (Draft::new(template.id, &template.schema), HashMap::new()),
        };
        let mut instance_keys = BTreeMap::new();
        let mut next_instance_key = 0;
        for (s, section) in template.schema.sections.iter().enumerate() {
            let keys: Vec<u64> = (0..draft.instances(&section.key))
                .map(|_| {
                    next_instance_key += 1;
                    next_instance_key - 1
                })
                .collect();
            instance_keys.insert(s, keys);
        }
        FormState {
            draft,
            files,
            instance_keys,
            next_instance_key,
            attempted: false,
            server_errors: Vec::new(),
            unreadable: BTreeSet::new(),
            capture_error: None,
            progress: Progress::Editing,
            documents,
        }
    }

    fn busy(&self) -> bool {
        matches!(
            self.progress,
            Progress::Uploading { .. } | Progress::Submitting
        )
    }

    fn forget_server_errors(&mut self, slot: SlotRef) {
        self.server_errors.retain(
            |e| !matches!(Target::parse(&e.field), Target::Slot { slot: at, .. } if at == slot),
        );
    }

    fn clear_signature(&mut self, schema: &TemplateSchema, slot: SlotRef) {
        let old: Vec<Uuid> = self
            .draft
            .photos_at(slot, PhotoUse::Signature)
            .map(|p| p.id)
            .collect();
        self.draft.photos.retain(|p| !old.contains(&p.id));
        for id in old {
            self.files.remove(&id);
        }
        set_value(schema, &mut self.draft.answers, slot, None);
    }

    /// What stops the draft from being submitted: the draft's own problems, and number fields
    /// of shown items whose text is not a number.
    fn blocking(&self, schema: &TemplateSchema, visibility: &Visibility) -> Vec<FieldError> {
        let mut errors = self.draft.problems(schema, visibility);
        if self.documents {
            errors.retain(|e| e.code != kiemtra_shared::validate::rule::PHOTOS_NOT_ALLOWED);
        }
        for (slot, part) in &self.unreadable {
            if visibility.shows(*slot) {
                errors.push(FieldError {
                    field: slot.with(part),
                    code: UNREADABLE_NUMBER.to_owned(),
                    message: "This is not a number.".to_owned(),
                });
            }
        }
        errors
    }

    /// Everything in the way of submitting, placed in the form.
    fn problems(
        &self,
        schema: &TemplateSchema,
        visibility: &Visibility,
        strings: &Strings,
    ) -> Problems {
        let mut errors = if self.attempted {
            self.blocking(schema, visibility)
        } else {
            Vec::new()
        };
        errors.extend(self.server_errors.iter().cloned());
        Problems::place(schema, &errors, strings)
    }

    fn instance_key(&self, section: usize, instance: usize) -> u64 {
        self.instance_keys
            .get(&section)
            .and_then(|keys| keys.get(instance))
            .copied()
            .unwrap_or(u64::MAX - instance as u64)
    }

    /// Instruments already named in this draft, for the inspector to pick again.
    fn instruments(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let all = self.draft.answers.items.values().chain(
            self.draft
                .answers
                .repeats
                .values()
                .flatten()
                .flat_map(|i| i.values()),
        );
        for answer in all {
            if let AnswerValue::Measurement(m) = &answer.value {
                let name = m.instrument.trim();
                if !name.is_empty() && !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
        }
        names
    }
}

#[derive(Properties, PartialEq)]
pub struct ChecklistFormProps {
    pub inspection_id: Uuid,
    pub detail: Rc<InspectionDetail>,
    /// Called with the stored response and the photos uploaded for it.
    pub on_submitted: Callback<(ResponseView, Vec<EvidenceMeta>)>,
    #[prop_or(FormTarget::SiteChecklist)]
    pub target: FormTarget,
}

/// Which form of the inspection is filled in, and how it is sent.
#[derive(Clone)]
pub enum FormTarget {
    /// The team's site checklist, sent whole in one call.
    SiteChecklist,
    /// A form of another bundle (the enterprise portal's questionnaire and self-inspection):
    /// what differs is behind the trait, so that the phone's download does not carry it.
    /// Documents (PDF, office files) as well as photos may be attached to every item.
    Other(Rc<dyn OtherForm>),
}

/// What a form other than the site checklist brings: its template, its heading, where its
/// draft is kept, and how it is sent.
pub trait OtherForm {
    fn template(&self) -> &TemplateRef;
    fn title(&self) -> AttrValue;
    /// The key of its draft on the device.
    fn draft_key(&self, inspection_id: Uuid) -> String;
    /// The draft to start from when the device has none, or has one of another submission
    /// (an amendment opened on the server).
    fn open_draft(&self) -> Option<Draft>;
    /// Sends the checked answers, with the draft's id; the answer is the stored response.
    fn submit(
        &self,
        auth: AuthHandle,
        inspection_id: Uuid,
        submission: SubmitResponse,
    ) -> Pin<Box<dyn Future<Output = Result<ResponseView, api::ApiError>>>>;
    /// The response `id` when it is submitted already (from another tab, which then let the
    /// draft's files leave this device).
    fn submitted(
        &self,
        auth: AuthHandle,
        id: Uuid,
    ) -> Pin<Box<dyn Future<Output = Option<ResponseView>>>>;
}

impl PartialEq for FormTarget {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FormTarget::SiteChecklist, FormTarget::SiteChecklist) => true,
            (FormTarget::Other(a), FormTarget::Other(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl FormTarget {
    fn template<'a>(&'a self, detail: &'a InspectionDetail) -> &'a TemplateRef {
        match self {
            FormTarget::SiteChecklist => &detail.site_checklist,
            FormTarget::Other(form) => form.template(),
        }
    }

    /// Where the draft is kept on the device: by inspection for the site checklist (as
    /// always), where the other form says otherwise.
    fn draft_key(&self, inspection_id: Uuid) -> String {
        match self {
            FormTarget::SiteChecklist => inspection_id.to_string(),
            FormTarget::Other(form) => form.draft_key(inspection_id),
        }
    }

    fn documents(&self) -> bool {
        matches!(self, FormTarget::Other(_))
    }
}

/// A draft read back from the device, with its photos' files.
#[derive(Debug, PartialEq)]
struct Restored {
    draft: Draft,
    files: HashMap<Uuid, web_sys::Blob>,
}

/// The form, once the draft kept on this device (if any) has been read back.
#[component]
pub fn ChecklistForm(props: &ChecklistFormProps) -> Html {
    let strings = use_strings();
    let outbox = use_outbox().outbox;
    // `None` while reading; then `Some(None)` when there is no draft.
    let restored = use_state(|| None::<Rc<Option<Restored>>>);
    {
        let restored = restored.clone();
        let detail = props.detail.clone();
        let target = props.target.clone();
        use_effect_with(props.inspection_id, move |&inspection_id| {
            wasm_bindgen_futures::spawn_local(async move {
                let template = target.template(&detail);
                let key = target.draft_key(inspection_id);
                let found =
                    draft::restore(&key, inspection_id, template.id, &template.schema, &outbox)
                        .await
                        .map(|(draft, files)| Restored { draft, files });
                let found = match &target {
                    FormTarget::SiteChecklist => found,
                    // A draft of an earlier submission left on this device gives way to the
                    // one opened on the server (an amendment).
                    FormTarget::Other(form) => match form.open_draft() {
                        Some(open)
                            if found.as_ref().is_none_or(|found| {
                                found.draft.submission_id != open.submission_id
                            }) =>
                        {
                            Some(Restored {
                                draft: open,
                                files: HashMap::new(),
                            })
                        }
                        _ => found,
                    },
                };
                restored.set(Some(Rc::new(found)));
            });
        });
    }
    match &*restored {
        None => html! { <Loading text={strings.loading} /> },
        Some(found) => html! {
            <DraftForm inspection_id={props.inspection_id} detail={props.detail.clone()}
                restored={found.clone()} on_submitted={props.on_submitted.clone()}
                target={props.target.clone()} />
        },
    }
}

#[derive(Properties)]
struct DraftFormProps {
    inspection_id: Uuid,
    detail: Rc<InspectionDetail>,
    restored: Rc<Option<Restored>>,
    on_submitted: Callback<(ResponseView, Vec<EvidenceMeta>)>,
    target: FormTarget,
}

impl PartialEq for DraftFormProps {
    fn eq(&self, other: &Self) -> bool {
        self.inspection_id == other.inspection_id
            && self.detail == other.detail
            && Rc::ptr_eq(&self.restored, &other.restored)
            && self.on_submitted == other.on_submitted
            && self.target == other.target
    }
}

/// What taking a photo needs besides the photo: where it goes and who took it.
#[derive(Clone)]
struct Capture {
    outbox: Outbox,
    user_id: Uuid,
    inspection_id: Uuid,
    schema: SchemaRef,
    /// Files other than images are accepted, and sent as documents.
    documents: bool,
}

#[component]
fn DraftForm(props: &DraftFormProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let outbox = use_outbox();
    let form = {
        let (detail, restored) = (props.detail.clone(), props.restored.clone());
        let target = props.target.clone();
        use_reducer(move || {
            FormState::new(
                target.template(&detail),
                restored.as_ref().as_ref(),
                target.documents(),
            )
        })
    };
    // Set from the click to the end of the submission: a second tap before the next render
    // must not start a second one.
    let in_flight = use_mut_ref(|| false);
    let template = props.target.template(&props.detail);
    let draft_key = props.target.draft_key(props.inspection_id);
    let schema = {
        // Keyed by the template version (which never changes once published), not by the
        // whole inspection, which would be compared in full at every render.
        let schema = template.schema.clone();
        (*use_memo(template.id, move |_| SchemaRef(Rc::new(schema)))).clone()
    };
    let visibility = Visibility::of(&schema.0, &form.draft.answers);
    let problems = form.problems(&schema.0, &visibility, strings);
    let instruments = Rc::new(form.instruments());

    let actions = {
        let dispatch = form.dispatcher();
        let capture = Capture {
            outbox: outbox.outbox.clone(),
            user_id: auth.session().map(|s| s.user.id).unwrap_or_default(),
            inspection_id: props.inspection_id,
            schema: schema.clone(),
            documents: props.target.documents(),
        };
        use_memo(strings.lang, move |_| {
            FieldActions::new(
                dispatch_fn(dispatch, capture.schema.clone()),
                capture,
                strings,
            )
        })
    };
    // Every change of the draft is kept on the device; photos that left it leave the outbox.
    let kept_photos = use_mut_ref(Vec::<Uuid>::new);
    let submitted = use_mut_ref(|| false);
    {
        let (draft_key, outbox) = (draft_key.clone(), outbox.outbox.clone());
        let (kept_photos, submitted) = (kept_photos.clone(), submitted.clone());
        let opened = use_mut_ref(|| true);
        use_effect_with(form.draft.clone(), move |draft| {
            let now: Vec<Uuid> = draft.photos.iter().map(|p| p.id).collect();
            let gone: Vec<Uuid> = kept_photos
                .borrow()
                .iter()
                .filter(|id| !now.contains(id))
                .copied()
                .collect();
            *kept_photos.borrow_mut() = now;
            // Opening an inspection changes nothing: only a change is written.
            let opening = std::mem::replace(&mut *opened.borrow_mut(), false);
            if !opening && !*submitted.borrow() {
                let draft = draft.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = draft::save(&draft_key, &draft).await;
                    outbox.remove(&gone).await;
                });
            }
        });
    }

    let on_submit = {
        let form = form.clone();
        let schema = schema.clone();
        let visibility = visibility.clone();
        let inspection_id = props.inspection_id;
        let on_submitted = props.on_submitted.clone();
        let (outbox, submitted) = (outbox.outbox.clone(), submitted.clone());
        let (target, draft_key) = (props.target.clone(), draft_key.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *in_flight.borrow() {
                return;
            }
            let dispatch = dispatch_fn(form.dispatcher(), schema.clone());
            dispatch(FormAction::Attempted);
            let found = form.blocking(&schema.0, &visibility);
            if !found.is_empty() {
                scroll_to_first(&Problems::place(&schema.0, &found, strings));
                return;
            }
            let answers = form.draft.submission(&schema.0);
            let all_photos: Vec<Uuid> = form.draft.photos.iter().map(|p| p.id).collect();
            let photos: Vec<Uuid> = if target.documents() {
                // Documents filed under items that take no photos are evidence of the item,
                // not part of its answer (the other form leaves them out when sending): they
                // must be on the server all the same.
                all_photos.clone()
            } else {
                form.draft
                    .photos_of(&answers)
                    .into_iter()
                    .map(|p| p.id)
                    .collect()
            };
            let job = Submission {
                auth: auth.clone(),
                outbox: outbox.clone(),
                dispatch,
                schema: schema.clone(),
                inspection_id,
                strings,
                target: target.clone(),
            };
            let submission = SubmitResponse {
                id: form.draft.submission_id,
                answers,
            };
            let (on_submitted, in_flight) = (on_submitted.clone(), in_flight.clone());
            let (submitted, outbox) = (submitted.clone(), outbox.clone());
            let draft_key = draft_key.clone();
            *in_flight.borrow_mut() = true;
            wasm_bindgen_futures::spawn_local(async move {
                let result = job.run(photos, submission).await;
                *in_flight.borrow_mut() = false;
                if let Some(result) = result {
                    // The server has it all: the device can let the draft and its photos go.
                    *submitted.borrow_mut() = true;
                    let _ = draft::discard(&draft_key).await;
                    outbox.remove(&all_photos).await;
                    on_submitted.emit(result);
                }
            });
        })
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
        Progress::Waiting(message) => {
            html! { <Notice tone={Tone::Info}>{ message.clone() }</Notice> }
        }
    };
    let problem_notice = (!problems.is_empty()
        && !matches!(form.progress, Progress::Failed(_) | Progress::Waiting(_)))
        .then(|| {
            let go = {
                let problems = problems.clone();
                Callback::from(move |_: MouseEvent| scroll_to_first(&problems))
            };
            html! {
                <div class="submit-bar__problems" role="alert">
                    <span>{ strings.problem_count(problems.count()) }</span>
                    <button type="button" class="link-button" onclick={go}>{ strings.go_to_problem }</button>
                </div>
            }
        });

    let disabled = form.busy();
    let mut shown_sections = 0;
    let sections = schema.0.sections.iter().enumerate().filter(|(s, _)| visibility.shows_section(*s)).map(|(s, section)| {
        shown_sections += 1;
        let number = shown_sections;
        let title = html! {
            <h3 class="section__title" id={format!("section-{s}-title")}>
                { section_number(number) }{ strings.label(&section.title) }
            </h3>
        };
        let section_problems = problems.sections.get(&s).cloned().unwrap_or_default();
        let fields = |instance: Option<usize>, prefix: String| {
            let mut shown = 0;
            section.items.iter().enumerate().filter_map(|(i, item)| {
                let slot = SlotRef { section: s, instance, item: i };
                if !visibility.shows(slot) {
                    return None;
                }
                shown += 1;
                let photos: Vec<PhotoView> = form
                    .draft
                    .photos
                    .iter()
                    .filter(|p| p.slot == slot)
                    .map(|p| PhotoView {
                        record: p.clone(),
                        file: form.files.get(&p.id).cloned(),
                        state: outbox.outbox.state(p.id),
                    })
                    .collect();
                Some(html! {
                    <ItemField
                        key={item.key.clone()}
                        schema={schema.clone()}
                        {slot}
                        number={format!("{prefix}{shown}")}
                        answer={answer_at(&schema.0, &form.draft.answers, slot).cloned()}
                        {photos}
                        problems={problems.at(slot).to_vec()}
                        {disabled}
                        instruments={instruments.clone()}
                        documents={props.target.documents()}
                        actions={(*actions).clone()} />
                })
            }).collect::<Html>()
        };
        match &section.repeat {
            None => html! {
                <section class="section" id={format!("section-{s}")} key={section.key.clone()}
                    aria-labelledby={format!("section-{s}-title")}>
                    { title }
                    { fields(None, format!("{number}.")) }
                </section>
            },
            Some(repeat) => {
                let count = form.draft.instances(&section.key);
                let add = {
                    let dispatch = dispatch_fn(form.dispatcher(), schema.clone());
                    Callback::from(move |_: MouseEvent| dispatch(FormAction::AddInstance { section: s }))
                };
                let instances = (0..count).map(|n| {
                    let label = strings.instance_title(&repeat.label, n);
                    let remove = {
                        let dispatch = dispatch_fn(form.dispatcher(), schema.clone());
                        let label = label.clone();
                        Callback::from(move |_: MouseEvent| {
                            if gloo::dialogs::confirm(&strings.confirm_remove_instance(&label)) {
                                dispatch(FormAction::RemoveInstance { section: s, instance: n });
                            }
                        })
                    };
                    let subtitle = instance_subtitle(&schema.0, &form.draft.answers, s, n);
                    html! {
                        <div class="instance" key={form.instance_key(s, n).to_string()}
                            id={format!("section-{s}-{n}")} role="group"
                            aria-labelledby={format!("section-{s}-{n}-title")}>
                            <div class="instance__head">
                                <h4 class="instance__title" id={format!("section-{s}-{n}-title")}>
                                    { label.clone() }
                                    if let Some(subtitle) = subtitle {
                                        <span class="instance__subtitle">{ " · " }{ subtitle }</span>
                                    }
                                </h4>
                                if count > repeat.min as usize {
                                    <button type="button" class="button button--small button--danger"
                                        onclick={remove} {disabled}
                                        aria-label={format!("{} {}", strings.remove, label)}>
                                        { strings.remove }
                                    </button>
                                }
                            </div>
                            { fields(Some(n), format!("{number}.{}.", n + 1)) }
                        </div>
                    }
                }).collect::<Html>();
                let full = count >= repeat.max as usize;
                html! {
                    <section class="section section--repeat" id={format!("section-{s}")} key={section.key.clone()}
                        aria-labelledby={format!("section-{s}-title")}>
                        { title }
                        if count == 0 {
                            <p class="section__empty">{ strings.no_instances(&repeat.label) }</p>
                        }
                        { instances }
                        { for section_problems.iter().map(|text| html! {
                            <p class="problem" role="alert">{ text.clone() }</p>
                        }) }
                        <button type="button" class="button button--secondary button--block add-instance"
                            onclick={add} disabled={disabled || full}>
                            <span aria-hidden="true">{ "+ " }</span>{ strings.add_instance(&repeat.label) }
                            if full {
                                <span class="add-instance__limit">{ " (" }{ strings.at_most(repeat.max) }{ ")" }</span>
                            }
                        </button>
                    </section>
                }
            }
        }
    }).collect::<Html>();

    html! {
        <form class="checklist" onsubmit={on_submit} novalidate=true aria-labelledby="checklist-title">
            <div class="checklist__head">
                <h2 id="checklist-title">{
                    match &props.target {
                        FormTarget::SiteChecklist => AttrValue::from(strings.site_checklist),
                        FormTarget::Other(form) => form.title(),
                    }
                }</h2>
                <p class="checklist__template">
                    { &template.name }{ " · " }
                    <span class="nowrap">{ strings.version }{ " " }{ template.version }</span>
                </p>
            </div>
            if props.restored.is_some() {
                <Notice tone={Tone::Info}>{ strings.draft_restored }</Notice>
            }
            if let Some(message) = &form.capture_error {
                <Notice tone={Tone::Error}>{ message.clone() }</Notice>
            }
            { for problems.form.iter().map(|text| html! { <Notice tone={Tone::Error}>{ text.clone() }</Notice> }) }
            { sections }
            <div class="submit-bar">
                { problem_notice }
                { progress }
                <button type="submit" class="button button--primary button--block" {disabled}>
                    { strings.submit }
                </button>
            </div>
        </form>
    }
}

/// What names an instance besides its number: the answer of the section's first text item
/// ("Phân xưởng 1 · Xưởng cơ khí").
fn instance_subtitle(
    schema: &TemplateSchema,
    answers: &Answers,
    section: usize,
    instance: usize,
) -> Option<String> {
    let items = &schema.sections.get(section)?.items;
    let first_text = items
        .iter()
        .position(|item| matches!(item.kind, kiemtra_shared::template::ItemKind::Text { .. }))?;
    let slot = SlotRef {
        section,
        instance: Some(instance),
        item: first_text,
    };
    match &answer_at(schema, answers, slot)?.value {
        AnswerValue::Text(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        _ => None,
    }
}

/// Brings the first problem into view (below the sticky app bar: see `scroll-margin-top`).
fn scroll_to_first(problems: &Problems) {
    if let Some(element) = problems
        .first_dom_id()
        .and_then(|id| gloo::utils::document().get_element_by_id(&id))
    {
        element.scroll_into_view_with_bool(true);
    }
}

/// Dispatches form actions with the schema they need.
type Dispatch = Rc<dyn Fn(FormAction)>;

fn dispatch_fn(dispatcher: UseReducerDispatcher<FormState>, schema: SchemaRef) -> Dispatch {
    Rc::new(move |action| dispatcher.dispatch((schema.clone(), action)))
}

impl FieldActions {
    fn new(dispatch: Dispatch, capture: Capture, strings: &'static Strings) -> FieldActions {
        let on_value = {
            let dispatch = dispatch.clone();
            Callback::from(move |(slot, value)| dispatch(FormAction::SetValue(slot, value)))
        };
        let on_photos = {
            let (dispatch, capture) = (dispatch.clone(), capture.clone());
            Callback::from(
                move |(slot, used_as, files): (SlotRef, PhotoUse, Vec<web_sys::File>)| {
                    for file in files {
                        take_photo(
                            dispatch.clone(),
                            capture.clone(),
                            slot,
                            used_as,
                            file.into(),
                            strings,
                        );
                    }
                },
            )
        };
        let on_remove_photo = {
            let dispatch = dispatch.clone();
            Callback::from(move |id| dispatch(FormAction::PhotoRemoved(id)))
        };
        let on_retry_photo = {
            let outbox = capture.outbox.clone();
            Callback::from(move |id| {
                let outbox = outbox.clone();
                wasm_bindgen_futures::spawn_local(async move { outbox.retry(id).await });
            })
        };
        let on_signature = {
            let dispatch = dispatch.clone();
            let capture = capture.clone();
            Callback::from(
                move |(slot, image, signer_name, signer_role): (
                    SlotRef,
                    web_sys::Blob,
                    String,
                    String,
                )| {
                    take_signature(
                        dispatch.clone(),
                        capture.clone(),
                        slot,
                        image,
                        signer_name,
                        signer_role,
                        strings,
                    );
                },
            )
        };
        let on_clear_signature = {
            let dispatch = dispatch.clone();
            Callback::from(move |slot| dispatch(FormAction::SignatureCleared(slot)))
        };
        let on_unreadable = Callback::from(move |(slot, part, bad)| {
            dispatch(FormAction::Unreadable { slot, part, bad })
        });
        FieldActions {
            on_value,
            on_photos,
            on_remove_photo,
            on_retry_photo,
            on_signature,
            on_clear_signature,
            on_unreadable,
        }
    }
}

/// A photo record for a file just taken; its position is asked for afterwards.
async fn record_of(
    slot: SlotRef,
    used_as: PhotoUse,
    file: &web_sys::Blob,
) -> Result<PhotoRecord, wasm_bindgen::JsValue> {
    let captured_at = Utc::now();
    let sha256 = browser::sha256(file).await?;
    Ok(PhotoRecord {
        id: Uuid::new_v4(),
        slot,
        used_as,
        sha256,
        captured_at,
        latitude: None,
        longitude: None,
        locating: true,
    })
}

/// Hashes a just-taken photo, queues it in the outbox (on the device from then on), adds it to
/// the draft, then asks for the position without making the photo wait for it.
fn take_photo(
    dispatch: Dispatch,
    capture: Capture,
    slot: SlotRef,
    used_as: PhotoUse,
    file: web_sys::Blob,
    strings: &'static Strings,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(record) = keep(&capture, slot, used_as, &file, &dispatch, strings).await else {
            return;
        };
        let id = record.id;
        dispatch(FormAction::PhotoTaken(record, file));
        locate(dispatch, capture, id).await;
    });
}

fn take_signature(
    dispatch: Dispatch,
    capture: Capture,
    slot: SlotRef,
    image: web_sys::Blob,
    signer_name: String,
    signer_role: String,
    strings: &'static Strings,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(record) = keep(
            &capture,
            slot,
            PhotoUse::Signature,
            &image,
            &dispatch,
            strings,
        )
        .await
        else {
            return;
        };
        let id = record.id;
        dispatch(FormAction::SignatureTaken {
            record,
            image,
            signer_name,
            signer_role,
        });
        locate(dispatch, capture, id).await;
    });
}

/// The record of a photo just taken, once it and its file are in the outbox; `None` after
/// telling the inspector that it could not be read or kept.
async fn keep(
    capture: &Capture,
    slot: SlotRef,
    used_as: PhotoUse,
    file: &web_sys::Blob,
    dispatch: &Dispatch,
    strings: &'static Strings,
) -> Option<PhotoRecord> {
    let Ok(record) = record_of(slot, used_as, file).await else {
        dispatch(FormAction::CaptureFailed(strings.photo_failed.to_owned()));
        return None;
    };
    let filename = match file.dyn_ref::<web_sys::File>() {
        Some(file) => file.name(),
        None if used_as == PhotoUse::Signature => "signature.png".to_owned(),
        None => String::new(),
    };
    let entry = OutboxEntry {
        id: record.id,
        user_id: capture.user_id,
        params: EvidenceUploadParams {
            inspection_id: capture.inspection_id,
            item_key: capture
                .schema
                .item(slot)
                .map(|i| i.key.clone())
                .unwrap_or_default(),
            kind: if capture.documents && !file.type_().starts_with("image/") {
                EvidenceKind::Document
            } else {
                EvidenceKind::Photo
            },
            captured_at: Some(record.captured_at),
            latitude: None,
            longitude: None,
            file_name: kiemtra_shared::file_name::FileName::parse(&filename).ok(),
        },
        sha256: record.sha256,
        size: file.size() as u64,
        filename,
        ready: false,
        sending: Sending::Waiting,
        upload_url: None,
        queued_at: Utc::now(),
        record: serde_json::to_string(&record).unwrap_or_default(),
    };
    if capture.outbox.add(entry, file.clone()).await.is_err() {
        dispatch(FormAction::CaptureFailed(strings.photo_not_kept.to_owned()));
        return None;
    }
    Some(record)
}

async fn locate(dispatch: Dispatch, capture: Capture, id: Uuid) {
    let position = browser::current_position().await;
    dispatch(FormAction::PhotoLocated { id, position });
    capture.outbox.located(id, position).await;
}

/// One submission attempt: wait until the photos are on the server, then send the answers.
struct Submission {
    auth: AuthHandle,
    outbox: Outbox,
    dispatch: Dispatch,
    schema: SchemaRef,
    inspection_id: Uuid,
    strings: &'static Strings,
    target: FormTarget,
}

impl Submission {
    /// The stored response and the photos of it as stored, or `None` after showing why it
    /// failed.
    async fn run(
        self,
        photos: Vec<Uuid>,
        submission: SubmitResponse,
    ) -> Option<(ResponseView, Vec<EvidenceMeta>)> {
        let dispatch = self.dispatch.clone();
        let waited = self
            .outbox
            .wait_sent(&photos, |done, total| {
                dispatch(FormAction::Progress(Progress::Uploading { done, total }))
            })
            .await;
        let stored = match waited {
            Ok(stored) => stored,
            Err(NotSent::Offline) => {
                (self.dispatch)(FormAction::Progress(Progress::Waiting(
                    self.strings.photos_wait_connection.to_owned(),
                )));
                return None;
            }
            Err(NotSent::Failed(message)) => {
                self.fail(format!("{}: {message}", self.strings.photo_send_failed));
                return None;
            }
            Err(NotSent::Missing) => {
                // Another tab may have submitted this draft and let its files go.
                if let FormTarget::Other(form) = &self.target
                    && let Some(done) = form.submitted(self.auth.clone(), submission.id).await
                {
                    (self.dispatch)(FormAction::Progress(Progress::Editing));
                    return Some((done, Vec::new()));
                }
                self.fail(self.strings.photo_failed.to_owned());
                return None;
            }
        };
        (self.dispatch)(FormAction::Progress(Progress::Submitting));
        let inspection_id = self.inspection_id;
        let result = match &self.target {
            FormTarget::SiteChecklist => {
                api::inspections::submit_site_response(&self.auth, inspection_id, &submission).await
            }
            FormTarget::Other(form) => {
                form.submit(self.auth.clone(), inspection_id, submission)
                    .await
            }
        };
        let response = self.ok_or_show(result)?;
        (self.dispatch)(FormAction::Progress(Progress::Editing));
        Some((response, stored))
    }

    fn fail(&self, message: String) {
        (self.dispatch)(FormAction::Progress(Progress::Failed(message)));
    }

    /// The value, or `None` after showing the error: a refusal naming answers (422) is shown
    /// at the items concerned, like the form's own checks.
    fn ok_or_show<T>(&self, result: Result<T, api::ApiError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(api::ApiError::Rejected { status: 422, body })
                if body.details.iter().any(|d| d.field.starts_with("answers.")) =>
            {
                let problems = Problems::place(&self.schema.0, &body.details, self.strings);
                (self.dispatch)(FormAction::ServerRejected(body.details));
                self.fail(self.strings.problem_count(problems.count()));
                scroll_to_first(&problems);
                None
            }
            Err(error) => {
                self.fail(error.user_message(self.strings));
                None
            }
        }
    }
}

//! The evidence cards with their decisions and keyboard shortcuts, shared by the review screen
//! of one inspection and the review queue.
//!
//! A decision shows at once (pending), is confirmed when the server answers, and a refusal
//! keeps it beside the piece with the reason and a "retry" button: on a slow connection the
//! reviewer goes on to the next piece instead of waiting.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use kiemtra_shared::evidence::EvidenceMeta;
use kiemtra_shared::review::{CreateReview, Decision, ReviewTarget, ReviewView};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::preview::PreviewDialog;
use super::strings::ReviewStrings;
use super::thumb::LazyThumbnail;
use super::use_review_strings;
use crate::api;
use crate::auth::use_auth;
use crate::components::format;
use crate::i18n::use_strings;

/// One piece of evidence of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub evidence: EvidenceMeta,
    /// What it documents: the label of its form item.
    pub what: String,
    /// On the queue: the inspection it belongs to (decision number, enterprise).
    pub inspection: Option<(String, String)>,
}

#[derive(Properties, PartialEq)]
pub struct ReviewListProps {
    pub items: Rc<Vec<ReviewItem>>,
    /// The decisions already made, by evidence id, oldest first.
    #[prop_or_default]
    pub history: Rc<HashMap<Uuid, Vec<ReviewView>>>,
    /// Display names by user id, for the history.
    #[prop_or_default]
    pub names: Rc<HashMap<Uuid, String>>,
    /// Whether decisions can be made now (the inspection is submitted or under review).
    #[prop_or(true)]
    pub can_decide: bool,
}

/// Where a decision made here stands.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Pending(CreateReview),
    Confirmed(ReviewView),
    Failed(CreateReview, String),
}

/// The decisions made on this screen: the latest per piece, and those the server confirmed.
#[derive(Debug, Default, PartialEq)]
struct Decisions {
    latest: HashMap<Uuid, Outcome>,
    confirmed: HashMap<Uuid, Vec<ReviewView>>,
}

enum Step {
    Sent(Uuid, CreateReview),
    Confirmed(Uuid, ReviewView),
    Failed(Uuid, CreateReview, String),
    Dismissed(Uuid),
}

impl Reducible for Decisions {
    type Action = Step;

    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        let mut latest = self.latest.clone();
        let mut confirmed = self.confirmed.clone();
        match step {
            Step::Sent(id, request) => {
                latest.insert(id, Outcome::Pending(request));
            }
            Step::Confirmed(id, view) => {
                confirmed.entry(id).or_default().push(view.clone());
                latest.insert(id, Outcome::Confirmed(view));
            }
            Step::Failed(id, request, message) => {
                latest.insert(id, Outcome::Failed(request, message));
            }
            Step::Dismissed(id) => {
                latest.remove(&id);
            }
        }
        Rc::new(Decisions { latest, confirmed })
    }
}

/// A reason being written for a rejection or a recapture request.
#[derive(Debug, Clone, PartialEq)]
struct Compose {
    id: Uuid,
    decision: Decision,
    error: bool,
}

fn card_id(id: Uuid) -> String {
    format!("evidence-{id}")
}

fn focus_by_id(id: &str) {
    if let Some(element) = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Whether a key press is text being typed (shortcuts must not fire then).
fn typing(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(
        element.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select"
    ) || element.is_content_editable()
}

#[component]
pub fn ReviewList(props: &ReviewListProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let texts = use_review_strings();
    let decisions = use_reducer(Decisions::default);
    let selected = use_state(|| 0usize);
    let compose = use_state(|| None::<Compose>);
    let preview = use_state(|| None::<EvidenceMeta>);
    let reason_ref = use_node_ref();
    let internal_ref = use_node_ref();
    let items = props.items.clone();
    let count = items.len();

    let send = {
        let decisions = decisions.dispatcher();
        Callback::from(move |(inspection_id, request): (Uuid, CreateReview)| {
            let ReviewTarget::Evidence { id } = request.target else {
                return;
            };
            decisions.dispatch(Step::Sent(id, request.clone()));
            let (decisions, auth) = (decisions.clone(), auth.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::review::decide(&auth, inspection_id, &request).await {
                    Ok(view) => decisions.dispatch(Step::Confirmed(id, view)),
                    Err(error) => {
                        decisions.dispatch(Step::Failed(id, request, error.user_message(strings)))
                    }
                }
            });
        })
    };
    // Moves the selection (and the focus) to piece `index`.
    let select = {
        let (selected, items) = (selected.clone(), items.clone());
        Rc::new(move |index: usize| {
            if let Some(item) = items.get(index) {
                selected.set(index);
                focus_by_id(&card_id(item.evidence.id));
            }
        })
    };
    let approve = {
        let (send, items, select) = (send.clone(), items.clone(), select.clone());
        Rc::new(move |index: usize| {
            if let Some(item) = items.get(index) {
                send.emit((
                    item.evidence.inspection_id,
                    CreateReview {
                        target: ReviewTarget::Evidence {
                            id: item.evidence.id,
                        },
                        decision: Decision::Approved,
                        reason: None,
                        internal: false,
                    },
                ));
                select((index + 1).min(items.len().saturating_sub(1)));
            }
        })
    };
    let open_compose = {
        let (compose, items, selected) = (compose.clone(), items.clone(), selected.clone());
        Rc::new(move |index: usize, decision: Decision| {
            if let Some(item) = items.get(index) {
                selected.set(index);
                compose.set(Some(Compose {
                    id: item.evidence.id,
                    decision,
                    error: false,
                }));
            }
        })
    };
    // The reason field takes the focus as soon as it is there.
    {
        let reason_ref = reason_ref.clone();
        use_effect_with(compose.as_ref().map(|c| (c.id, c.decision)), move |open| {
            if open.is_some()
                && let Some(input) = reason_ref.cast::<web_sys::HtmlInputElement>()
            {
                let _ = input.focus();
            }
        });
    }

    // The keyboard: one listener on the document, calling the handler of the latest render.
    let on_key = {
        let (selected, preview, compose) = (*selected, preview.is_some(), compose.is_some());
        let (select, approve, open_compose) =
            (select.clone(), approve.clone(), open_compose.clone());
        let can_decide = props.can_decide;
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() || event.default_prevented()
            {
                return;
            }
            if typing(&event) || preview || count == 0 {
                return;
            }
            let current = selected.min(count - 1);
            match event.key().as_str() {
                "j" | "ArrowDown" => {
                    event.prevent_default();
                    select((current + 1).min(count - 1));
                }
                "k" | "ArrowUp" => {
                    event.prevent_default();
                    select(current.saturating_sub(1));
                }
                "a" if can_decide && !compose => {
                    event.prevent_default();
                    approve(current);
                }
                "r" if can_decide => {
                    event.prevent_default();
                    open_compose(current, Decision::Rejected);
                }
                "c" if can_decide => {
                    event.prevent_default();
                    open_compose(current, Decision::RecaptureRequested);
                }
                _ => {}
            }
        })
    };
    let latest_key = use_mut_ref(Callback::<KeyboardEvent>::noop);
    *latest_key.borrow_mut() = on_key;
    {
        let latest_key: Rc<RefCell<Callback<KeyboardEvent>>> = latest_key.clone();
        use_effect_with((), move |_| {
            // Not passive (gloo's default): the shortcuts cancel the key's own effect, so that
            // "r" does not land in the reason field it opens, nor an arrow scroll the page.
            let listener = gloo::events::EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                gloo::events::EventListenerOptions::enable_prevent_default(),
                move |event| {
                    if let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                        latest_key.borrow().emit(key.clone());
                    }
                },
            );
            move || drop(listener)
        });
    }

    let confirm = {
        let (compose, send, reason_ref, internal_ref) = (
            compose.clone(),
            send.clone(),
            reason_ref.clone(),
            internal_ref.clone(),
        );
        let (items, select) = (items.clone(), select.clone());
        Rc::new(move || {
            let Some(open) = (*compose).clone() else {
                return;
            };
            let reason = reason_ref
                .cast::<web_sys::HtmlInputElement>()
                .map(|input| input.value().trim().to_owned())
                .unwrap_or_default();
            if reason.is_empty() {
                compose.set(Some(Compose {
                    error: true,
                    ..open
                }));
                if let Some(input) = reason_ref.cast::<web_sys::HtmlInputElement>() {
                    let _ = input.focus();
                }
                return;
            }
            let internal = internal_ref
                .cast::<web_sys::HtmlInputElement>()
                .is_some_and(|check| check.checked());
            let Some(index) = items.iter().position(|i| i.evidence.id == open.id) else {
                return;
            };
            send.emit((
                items[index].evidence.inspection_id,
                CreateReview {
                    target: ReviewTarget::Evidence { id: open.id },
                    decision: open.decision,
                    reason: Some(reason),
                    internal,
                },
            ));
            compose.set(None);
            select((index + 1).min(items.len().saturating_sub(1)));
        })
    };
    let cancel = {
        let compose = compose.clone();
        Rc::new(move || {
            if let Some(open) = &*compose {
                focus_by_id(&card_id(open.id));
            }
            compose.set(None);
        })
    };

    let ctx = CardContext {
        texts,
        names: &props.names,
        history: &props.history,
        decisions: &decisions,
        can_decide: props.can_decide,
        count,
    };
    let cards = items.iter().enumerate().map(|(index, item)| {
        let id = item.evidence.id;
        let composing = compose.as_ref().filter(|c| c.id == id).cloned();
        let on_select = {
            let selected = selected.clone();
            Callback::from(move |_: FocusEvent| {
                if *selected != index {
                    selected.set(index);
                }
            })
        };
        let on_approve = {
            let approve = approve.clone();
            Callback::from(move |_: MouseEvent| approve(index))
        };
        let on_reject = {
            let open_compose = open_compose.clone();
            Callback::from(move |_: MouseEvent| open_compose(index, Decision::Rejected))
        };
        let on_recapture = {
            let open_compose = open_compose.clone();
            Callback::from(move |_: MouseEvent| open_compose(index, Decision::RecaptureRequested))
        };
        let on_open = {
            let (preview, evidence) = (preview.clone(), item.evidence.clone());
            Callback::from(move |_: ()| preview.set(Some(evidence.clone())))
        };
        let on_retry = {
            let (send, decisions) = (send.clone(), decisions.clone());
            let inspection_id = item.evidence.inspection_id;
            Callback::from(move |_: MouseEvent| {
                if let Some(Outcome::Failed(request, _)) = decisions.latest.get(&id) {
                    send.emit((inspection_id, request.clone()));
                }
            })
        };
        let on_dismiss = {
            let decisions = decisions.dispatcher();
            Callback::from(move |_: MouseEvent| decisions.dispatch(Step::Dismissed(id)))
        };
        let form = composing.map(|open| {
            let on_reason_key = {
                let (confirm, cancel) = (confirm.clone(), cancel.clone());
                Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
                    "Enter" => {
                        event.prevent_default();
                        confirm();
                    }
                    "Escape" => {
                        event.prevent_default();
                        event.stop_propagation();
                        cancel();
                    }
                    _ => {}
                })
            };
            let on_confirm = {
                let confirm = confirm.clone();
                Callback::from(move |_: MouseEvent| confirm())
            };
            let on_cancel = {
                let cancel = cancel.clone();
                Callback::from(move |_: MouseEvent| cancel())
            };
            let field = format!("reason-{id}");
            let error_id = format!("reason-error-{id}");
            html! {
                <div class="decide-form" role="group" aria-label={texts.action(open.decision)}>
                    <label class="field__label" for={field.clone()}>
                        { texts.reason }{ " · " }{ texts.action(open.decision) }
                    </label>
                    <input id={field} class="input" type="text" ref={reason_ref.clone()}
                        onkeydown={on_reason_key} autocomplete="off"
                        aria-invalid={open.error.then_some("true")}
                        aria-describedby={open.error.then(|| error_id.clone())} />
                    if open.error {
                        <p class="problem" id={error_id} role="alert">{ texts.reason_required }</p>
                    }
                    <label class="decide-form__internal">
                        <input type="checkbox" ref={internal_ref.clone()} />
                        { " " }{ texts.internal }
                        <span class="muted">{ " (" }{ texts.internal_hint }{ ")" }</span>
                    </label>
                    <div class="decide-form__buttons">
                        <button type="button" class="button button--primary button--small" onclick={on_confirm}>
                            { texts.confirm }
                        </button>
                        <button type="button" class="button button--ghost-dark button--small" onclick={on_cancel}>
                            { texts.cancel }
                        </button>
                    </div>
                </div>
            }
        });
        ctx.card(
            index,
            item,
            index == *selected,
            CardActions {
                on_select,
                on_approve,
                on_reject,
                on_recapture,
                on_open,
                on_retry,
                on_dismiss,
            },
            form,
        )
    });
    let close_preview = {
        let preview = preview.clone();
        Callback::from(move |_: ()| preview.set(None))
    };
    html! {
        <div class="review-list">
            <Shortcuts />
            if !props.can_decide {
                <p class="notice notice--info">{ texts.not_decidable }</p>
            }
            <ol class="review-list__items">{ for cards }</ol>
            if let Some(evidence) = &*preview {
                <PreviewDialog evidence={evidence.clone()} on_close={close_preview} />
            }
        </div>
    }
}

struct CardActions {
    on_select: Callback<FocusEvent>,
    on_approve: Callback<MouseEvent>,
    on_reject: Callback<MouseEvent>,
    on_recapture: Callback<MouseEvent>,
    on_open: Callback<()>,
    on_retry: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
}

struct CardContext<'a> {
    texts: &'static ReviewStrings,
    names: &'a HashMap<Uuid, String>,
    history: &'a HashMap<Uuid, Vec<ReviewView>>,
    decisions: &'a Decisions,
    can_decide: bool,
    count: usize,
}

impl CardContext<'_> {
    fn card(
        &self,
        index: usize,
        item: &ReviewItem,
        selected: bool,
        actions: CardActions,
        form: Option<Html>,
    ) -> Html {
        let texts = self.texts;
        let evidence = &item.evidence;
        let id = evidence.id;
        let outcome = self.decisions.latest.get(&id);
        let (state, status) = self.status(evidence, outcome);
        let decided_before = evidence.review.as_ref();
        let mut history: Vec<&ReviewView> = self
            .history
            .get(&id)
            .map(|h| h.iter().collect())
            .unwrap_or_else(|| decided_before.into_iter().collect());
        for confirmed in self.decisions.confirmed.get(&id).into_iter().flatten() {
            if !history.iter().any(|h| h.id == confirmed.id) {
                history.push(confirmed);
            }
        }
        history.sort_by_key(|h| std::cmp::Reverse(h.decided_at));
        let position = evidence.latitude.zip(evidence.longitude).or_else(|| {
            evidence
                .exif
                .as_ref()
                .and_then(|e| e.latitude.zip(e.longitude))
        });
        let device = evidence.exif.as_ref().and_then(|e| e.device_model.clone());
        let captured = evidence
            .captured_at
            .map(format::date_time)
            .or_else(|| evidence.exif.as_ref().and_then(|e| e.taken_at.clone()));
        let heading_id = format!("evidence-{id}-title");
        html! {
            <li key={id.to_string()}>
                <article id={card_id(id)} tabindex="-1" onfocusin={actions.on_select}
                    class={classes!("review-card", selected.then_some("review-card--selected"))}
                    aria-labelledby={heading_id.clone()}
                    data-decision-state={state}>
                    <div class="review-card__thumb">
                        <LazyThumbnail evidence={evidence.clone()} alt={format!("{} – {}", texts.photo, item.what)}
                            on_open={actions.on_open} />
                    </div>
                    <div class="review-card__body">
                        <h3 class="review-card__title" id={heading_id}>
                            <span class="muted">{ format!("{}/{} · ", index + 1, self.count) }</span>
                            { &item.what }
                        </h3>
                        if let Some((number, enterprise)) = &item.inspection {
                            <p class="review-card__inspection">
                                <a href={format!("/agency/inspections/{}", evidence.inspection_id)}>{ number }</a>
                                { " · " }{ enterprise }
                            </p>
                        }
                        { status }
                        <dl class="review-card__facts">
                            <dt>{ texts.captured_at }</dt>
                            <dd>{ captured.unwrap_or_else(|| texts.unknown.to_owned()) }</dd>
                            <dt>{ texts.position }</dt>
                            <dd>{ match position {
                                Some((lat, lon)) => html! {
                                    <>
                                        <span class="nowrap">{ format::position(lat, lon) }</span>
                                        { " · " }
                                        <a href={format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}")}
                                            target="_blank" rel="noopener noreferrer">{ texts.map }</a>
                                        { " · " }
                                        <a href={format!("geo:{lat},{lon}")}>{ texts.geo }</a>
                                    </>
                                },
                                None => html! { texts.unknown },
                            } }</dd>
                            <dt>{ texts.device }</dt>
                            <dd>{ device.unwrap_or_else(|| texts.unknown.to_owned()) }</dd>
                            <dt>{ texts.uploaded_by }</dt>
                            <dd>
                                { evidence.uploaded_by_name.clone().unwrap_or_else(|| texts.unknown.to_owned()) }
                                { " · " }{ format::date_time(evidence.uploaded_at) }
                            </dd>
                            <dt>{ texts.sha256 }</dt>
                            <dd><code class="hash">{ &evidence.sha256 }</code></dd>
                        </dl>
                        if let Some(Outcome::Failed(_, message)) = outcome {
                            <div class="review-card__failure" role="alert">
                                <p>{ message.clone() }</p>
                                <button type="button" class="button button--small button--primary" onclick={actions.on_retry}>
                                    { texts.retry }
                                </button>
                                <button type="button" class="button button--small button--ghost-dark" onclick={actions.on_dismiss}>
                                    { texts.dismiss }
                                </button>
                            </div>
                        }
                        if self.can_decide {
                            <div class="review-card__actions">
                                <button type="button" class="button button--small button--approve"
                                    aria-keyshortcuts="a" onclick={actions.on_approve}>
                                    { texts.approve }<kbd aria-hidden="true">{ "a" }</kbd>
                                </button>
                                <button type="button" class="button button--small button--danger"
                                    aria-keyshortcuts="r" onclick={actions.on_reject}>
                                    { texts.reject }<kbd aria-hidden="true">{ "r" }</kbd>
                                </button>
                                <button type="button" class="button button--small button--secondary"
                                    aria-keyshortcuts="c" onclick={actions.on_recapture}>
                                    { texts.recapture }<kbd aria-hidden="true">{ "c" }</kbd>
                                </button>
                            </div>
                        }
                        { form.unwrap_or_default() }
                        <details class="review-card__history">
                            <summary>{ texts.history }{ format!(" ({})", history.len()) }</summary>
                            if history.is_empty() {
                                <p class="muted">{ texts.history_none }</p>
                            } else {
                                <ol>
                                    { for history.iter().map(|h| self.history_line(h)) }
                                </ol>
                            }
                        </details>
                    </div>
                </article>
            </li>
        }
    }

    /// The decision state (for tests and styles) and its chip.
    fn status(&self, evidence: &EvidenceMeta, outcome: Option<&Outcome>) -> (&'static str, Html) {
        let texts = self.texts;
        let chip = |class: &'static str, decision: Option<Decision>, note: Option<&'static str>| {
            let class = classes!("decision-chip", class);
            html! {
                <p {class}>
                    { decision.map_or(texts.waiting, |d| texts.decision(d)) }
                    if let Some(note) = note { <span class="decision-chip__note">{ " · " }{ note }</span> }
                </p>
            }
        };
        match outcome {
            Some(Outcome::Pending(request)) => (
                "pending",
                chip(
                    "decision-chip--pending",
                    Some(request.decision),
                    Some(texts.sending),
                ),
            ),
            Some(Outcome::Confirmed(view)) => (
                "confirmed",
                chip(
                    decision_class(view.decision),
                    Some(view.decision),
                    Some(texts.saved),
                ),
            ),
            Some(Outcome::Failed(request, _)) => (
                "failed",
                chip(
                    "decision-chip--failed",
                    Some(request.decision),
                    Some(texts.failed),
                ),
            ),
            None => match &evidence.review {
                Some(review) => (
                    "decided",
                    chip(decision_class(review.decision), Some(review.decision), None),
                ),
                None => ("waiting", chip("decision-chip--waiting", None, None)),
            },
        }
    }

    fn history_line(&self, review: &ReviewView) -> Html {
        let texts = self.texts;
        let who = self
            .names
            .get(&review.reviewer_id)
            .cloned()
            .unwrap_or_else(|| texts.unknown.to_owned());
        html! {
            <li key={review.id.to_string()}>
                <strong>{ texts.decision(review.decision) }</strong>
                if review.internal {
                    <span class="tag tag--internal">{ texts.internal }</span>
                }
                { " · " }{ who }{ " · " }{ format::date_time(review.decided_at) }
                if let Some(reason) = &review.reason {
                    <p class="review-card__reason">{ reason }</p>
                }
            </li>
        }
    }
}

fn decision_class(decision: Decision) -> &'static str {
    match decision {
        Decision::Approved => "decision-chip--approved",
        Decision::Rejected => "decision-chip--rejected",
        Decision::RecaptureRequested => "decision-chip--recapture",
    }
}

/// The "Phím tắt" legend.
#[component]
fn Shortcuts() -> Html {
    let texts = use_review_strings();
    let key = |keys: &[&'static str], what: &'static str| {
        html! {
            <li>
                { for keys.iter().enumerate().map(|(i, k)| html! {
                    <>
                        if i > 0 { { " / " } }
                        <kbd>{ *k }</kbd>
                    </>
                }) }
                { " " }{ what }
            </li>
        }
    };
    html! {
        <section class="shortcuts" aria-labelledby="shortcuts-title">
            <h3 id="shortcuts-title" class="shortcuts__title">{ texts.shortcuts }</h3>
            <ul class="shortcuts__keys">
                { key(&["j", "↓"], texts.key_next) }
                { key(&["k", "↑"], texts.key_previous) }
                { key(&["a"], texts.approve) }
                { key(&["r"], texts.reject) }
                { key(&["c"], texts.recapture) }
                { key(&["Enter"], texts.key_confirm) }
                { key(&["Esc"], texts.key_cancel) }
            </ul>
        </section>
    }
}

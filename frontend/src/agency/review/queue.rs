//! Chờ duyệt: every piece of evidence of the agency waiting for a decision, oldest first, a
//! page at a time (`GET /review-queue`), with the decisions and shortcuts of the record.

use std::rc::Rc;

use kiemtra_shared::review::QueuedEvidence;
use yew::prelude::*;

use super::list::{ReviewItem, ReviewList};
use super::use_review_strings;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::use_strings;

/// Pieces asked for at a time.
const PAGE: u64 = 50;

#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    items: Rc<Vec<ReviewItem>>,
    total: u64,
    /// Whether every piece waiting was read.
    complete: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Loaded),
    Failed(ApiError),
}

#[component]
pub fn QueuePage() -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let texts = use_review_strings();
    let state = use_state(|| Load::Loading);
    let more = use_state(|| None::<Result<(), ApiError>>);
    let attempt = use_state(|| 0u32);
    let lang = strings.lang;
    let item = move |queued: QueuedEvidence| ReviewItem {
        what: queued
            .item_label
            .as_ref()
            .map(|label| strings.label(label).to_owned())
            .unwrap_or_else(|| queued.evidence.item_key.clone()),
        inspection: Some((queued.decision_number, queued.enterprise_name)),
        evidence: queued.evidence,
    };
    {
        let (state, auth) = (state.clone(), auth.clone());
        use_effect_with((*attempt, lang), move |_| {
            state.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                match api::review::queue(&auth, 1, PAGE).await {
                    Ok((page, total)) => state.set(Load::Loaded(Loaded {
                        complete: page.len() as u64 >= total,
                        items: Rc::new(page.into_iter().map(item).collect()),
                        total,
                    })),
                    Err(error) => state.set(Load::Failed(error)),
                }
            });
        });
    }
    let load_more = {
        let (state, more) = (state.clone(), more.clone());
        Callback::from(move |_: MouseEvent| {
            let Load::Loaded(loaded) = (*state).clone() else {
                return;
            };
            more.set(Some(Ok(())));
            let (state, more, auth) = (state.clone(), more.clone(), auth.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Decided pieces leave the queue, so the pages move under the reviewer: read
                // from the first page on and keep what is not shown yet.
                let mut items = (*loaded.items).clone();
                let (mut page, mut added) = (1, 0);
                let outcome = loop {
                    match api::review::queue(&auth, page, PAGE).await {
                        Ok((batch, total)) => {
                            let read = batch.len() as u64;
                            for queued in batch {
                                if !items.iter().any(|i| i.evidence.id == queued.evidence.id) {
                                    items.push(item(queued));
                                    added += 1;
                                }
                            }
                            let last = read < PAGE || page * PAGE >= total;
                            if last || added >= PAGE {
                                break Ok((total, last));
                            }
                            page += 1;
                        }
                        Err(error) => break Err(error),
                    }
                };
                match outcome {
                    Ok((total, complete)) => {
                        state.set(Load::Loaded(Loaded {
                            items: Rc::new(items),
                            total,
                            complete,
                        }));
                        more.set(None);
                    }
                    Err(error) => more.set(Some(Err(error))),
                }
            });
        })
    };
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
        Load::Loaded(loaded) if loaded.items.is_empty() => html! {
            <div class="card empty"><p>{ texts.queue_empty }</p></div>
        },
        Load::Loaded(loaded) => {
            let busy = matches!(*more, Some(Ok(())));
            html! {
                <>
                    <p class="muted">{ texts.waiting_count(loaded.total) }</p>
                    <ReviewList items={loaded.items.clone()} />
                    <div class="review-queue__more">
                        if let Some(Err(error)) = &*more {
                            <p class="problem" role="alert">{ error.user_message(strings) }</p>
                        }
                        if !loaded.complete {
                            <button type="button" class="button button--secondary" onclick={load_more}
                                disabled={busy}>
                                { texts.load_more }
                            </button>
                        }
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="review-queue" aria-labelledby="queue-title">
            <h1 id="queue-title">{ texts.queue_title }</h1>
            { body }
        </section>
    }
}

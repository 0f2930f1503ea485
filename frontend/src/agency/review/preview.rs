//! A piece of evidence opened large: its 1600 px preview in a dialog, with zoom (buttons, or
//! `+`, `-` and `0` on the keyboard) and Escape to close.

use kiemtra_shared::evidence::EvidenceMeta;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_review_strings;
use crate::api::evidence::Rendition;
use crate::components::format;
use crate::components::photo::{BlobImage, Download, use_rendition};
use crate::i18n::use_strings;

const ZOOMS: [u32; 6] = [100, 150, 200, 300, 400, 600];

#[derive(Properties, PartialEq)]
pub struct PreviewDialogProps {
    pub evidence: EvidenceMeta,
    pub on_close: Callback<()>,
}

#[component]
pub fn PreviewDialog(props: &PreviewDialogProps) -> Html {
    let strings = use_strings();
    let texts = use_review_strings();
    let preview = use_rendition(&props.evidence, Rendition::Preview);
    // Index into ZOOMS.
    let zoom = use_state(|| 0usize);
    let close_ref = use_node_ref();
    {
        let (on_close, zoom) = (props.on_close.clone(), zoom.clone());
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            let listener = gloo::events::EventListener::new(
                &gloo::utils::document(),
                "keydown",
                move |event| {
                    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    match key.key().as_str() {
                        "Escape" => on_close.emit(()),
                        "+" | "=" => zoom.set((*zoom + 1).min(ZOOMS.len() - 1)),
                        "-" => zoom.set(zoom.saturating_sub(1)),
                        "0" => zoom.set(0),
                        _ => {}
                    }
                },
            );
            move || drop(listener)
        });
    }
    let step = |delta: i32| {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| {
            let next = (*zoom as i32 + delta).clamp(0, ZOOMS.len() as i32 - 1);
            zoom.set(next as usize);
        })
    };
    let fit = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(0))
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let percent = ZOOMS[*zoom];
    let picture = match &*preview {
        Download::Loaded(blob) => html! {
            <div class={classes!("zoom-frame", (percent > 100).then_some("zoom-frame--zoomed"))}
                style={format!("--zoom: {percent}%")}>
                <BlobImage blob={blob.clone()} alt={texts.preview} class={AttrValue::from("zoom-frame__image")} />
            </div>
        },
        Download::Pending => html! { <p class="viewer__note">{ strings.thumbnail_pending }</p> },
        Download::NoPicture => html! { <p class="viewer__note">{ strings.document }</p> },
        Download::Failed(message) => {
            html! { <p class="viewer__note viewer__note--error">{ message.clone() }</p> }
        }
        Download::Loading => html! { <p class="viewer__note">{ strings.photo_loading }</p> },
    };
    html! {
        <div class="viewer" role="dialog" aria-modal="true" aria-label={texts.preview}>
            <div class="viewer__bar">
                <span class="viewer__facts">
                    if let Some(at) = props.evidence.captured_at {
                        { format::date_time(at) }
                    }
                </span>
                <div class="zoom-controls">
                    <button type="button" class="button button--small" onclick={step(-1)}
                        disabled={*zoom == 0} aria-keyshortcuts="-">{ texts.zoom_out }</button>
                    <span class="zoom-controls__value" aria-live="polite">{ format!("{percent}%") }</span>
                    <button type="button" class="button button--small" onclick={step(1)}
                        disabled={*zoom + 1 == ZOOMS.len()} aria-keyshortcuts="+">{ texts.zoom_in }</button>
                    <button type="button" class="button button--small" onclick={fit}
                        aria-keyshortcuts="0">{ texts.zoom_fit }</button>
                    <button type="button" class="button button--small" ref={close_ref} onclick={close}
                        aria-keyshortcuts="Escape">{ texts.close }</button>
                </div>
            </div>
            <div class="viewer__body viewer__body--zoom" tabindex="0" role="group" aria-label={texts.preview}>{ picture }</div>
        </div>
    }
}

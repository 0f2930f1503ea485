//! A thumbnail downloaded only when its card comes near the screen.
//!
//! Evidence files need the bearer token, so an `<img src>` cannot fetch them by itself and the
//! browser's own `loading="lazy"` has nothing to defer: an `IntersectionObserver` starts the
//! download when the card is within a screen of the viewport, and the `<img>` then shows the
//! blob (with its size set, so nothing moves as thumbnails arrive). A long list costs only the
//! thumbnails the reviewer scrolls to.

use std::cell::Cell;
use std::rc::Rc;

use gloo::file::ObjectUrl;
use kiemtra_shared::evidence::EvidenceMeta;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::use_review_strings;
use crate::api::evidence::Rendition;
use crate::auth::use_auth;
use crate::components::photo::{Download, fetch_rendition};
use crate::i18n::use_strings;

/// The longest side of a thumbnail, as the server makes it.
const THUMBNAIL_PX: u32 = 320;

#[derive(Properties, PartialEq)]
pub struct LazyThumbnailProps {
    pub evidence: EvidenceMeta,
    pub alt: AttrValue,
    pub on_open: Callback<()>,
}

/// The width and height of the thumbnail of an image of `width` × `height`.
fn thumbnail_size(width: Option<u32>, height: Option<u32>) -> (u32, u32) {
    match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => {
            let scale = f64::from(THUMBNAIL_PX) / f64::from(w.max(h));
            let scale = scale.min(1.0);
            (
                ((f64::from(w) * scale).round() as u32).max(1),
                ((f64::from(h) * scale).round() as u32).max(1),
            )
        }
        _ => (THUMBNAIL_PX, THUMBNAIL_PX * 3 / 4),
    }
}

#[component]
pub fn LazyThumbnail(props: &LazyThumbnailProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let texts = use_review_strings();
    let node = use_node_ref();
    let near = use_state(|| false);
    let download = use_state(|| Download::Loading);
    // Watches the placeholder until it comes within a screen of the viewport.
    {
        let (node, near) = (node.clone(), near.clone());
        use_effect_with(props.evidence.id, move |_| {
            let mut observer = None;
            let mut closure = None;
            if let Some(element) = node.cast::<web_sys::Element>() {
                let seen = near.clone();
                let callback =
                    Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
                        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                            let visible = entries.iter().any(|entry| {
                                entry
                                    .dyn_into::<web_sys::IntersectionObserverEntry>()
                                    .is_ok_and(|e| e.is_intersecting())
                            });
                            if visible {
                                observer.disconnect();
                                seen.set(true);
                            }
                        },
                    );
                let options = web_sys::IntersectionObserverInit::new();
                options.set_root_margin("100% 0px");
                if let Ok(watching) = web_sys::IntersectionObserver::new_with_options(
                    callback.as_ref().unchecked_ref(),
                    &options,
                ) {
                    watching.observe(&element);
                    observer = Some(watching);
                }
                closure = Some(callback);
            } else {
                near.set(true);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(closure);
            }
        });
    }
    {
        let download = download.clone();
        let no_picture =
            props.evidence.derivatives == kiemtra_shared::evidence::DerivativeState::None;
        use_effect_with((props.evidence.id, *near), move |&(id, near)| {
            let alive = Rc::new(Cell::new(true));
            if no_picture {
                download.set(Download::NoPicture);
            } else if near {
                wasm_bindgen_futures::spawn_local(fetch_rendition(
                    auth,
                    id,
                    Rendition::Thumbnail,
                    download,
                    alive.clone(),
                    strings,
                ));
            }
            move || alive.set(false)
        });
    }
    let (width, height) = thumbnail_size(props.evidence.width, props.evidence.height);
    let url = use_memo(
        match &*download {
            Download::Loaded(blob) => Some(blob.clone()),
            _ => None,
        },
        |blob| blob.as_ref().map(|b| ObjectUrl::from(b.clone())),
    );
    let picture = match (&*download, url.as_ref()) {
        (Download::Loaded(_), Some(url)) => html! {
            <img class="review-thumb__image" src={url.to_string()} alt={props.alt.clone()}
                width={width.to_string()} height={height.to_string()} loading="lazy" decoding="async" />
        },
        (Download::Pending, _) => html! {
            <span class="review-thumb__note">{ strings.thumbnail_pending }</span>
        },
        (Download::NoPicture, _) => html! {
            <span class="review-thumb__note">{ strings.document }</span>
        },
        (Download::Failed(message), _) => html! {
            <span class="review-thumb__note review-thumb__note--error">{ message.clone() }</span>
        },
        _ => html! { <span class="review-thumb__note">{ strings.photo_loading }</span> },
    };
    let open = {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit(()))
    };
    html! {
        <button type="button" ref={node} class="review-thumb" onclick={open}
            title={texts.open_preview} style={format!("aspect-ratio: {width} / {height}")}>
            { picture }
            <span class="visually-hidden">{ texts.open_preview }</span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::thumbnail_size;

    #[test]
    fn a_thumbnail_keeps_the_shape_of_its_photo() {
        assert_eq!(thumbnail_size(Some(4000), Some(3000)), (320, 240));
        assert_eq!(thumbnail_size(Some(3000), Some(4000)), (240, 320));
        assert_eq!(thumbnail_size(Some(100), Some(50)), (100, 50));
        assert_eq!(thumbnail_size(None, None), (320, 240));
    }
}

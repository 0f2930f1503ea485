//! Showing photos that are not at a plain URL: a file just captured, or stored evidence that
//! needs the bearer token to download. Stored evidence is shown by its 320 px thumbnail, opened
//! as its 1600 px preview, and its original is only downloaded when asked for: on a phone the
//! originals of a whole checklist would cost minutes and megabytes.

use std::cell::Cell;
use std::rc::Rc;

use gloo::file::ObjectUrl;
use kiemtra_shared::evidence::{DerivativeState, EvidenceKind, EvidenceMeta};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::api::evidence::Rendition;
use crate::api::{self, ApiError};
use crate::auth::{AuthHandle, use_auth};
use crate::components::format;
use crate::i18n::{Strings, use_strings};

#[derive(Properties, PartialEq)]
pub struct BlobImageProps {
    pub blob: web_sys::Blob,
    pub alt: AttrValue,
    #[prop_or_default]
    pub class: Option<AttrValue>,
}

/// An `<img>` of a blob, through an object URL that is revoked when the image goes away.
#[component]
pub fn BlobImage(props: &BlobImageProps) -> Html {
    // `ObjectUrl` revokes the URL when dropped: when the blob changes or the component unmounts.
    let url = use_memo(props.blob.clone(), |blob| ObjectUrl::from(blob.clone()));
    let class = props.class.clone().unwrap_or_else(|| "photo__image".into());
    // A phone photo is 12 MP: let the browser decode it off the main thread.
    html! { <img {class} src={url.to_string()} alt={props.alt.clone()} decoding="async" /> }
}

/// How many times a thumbnail or preview still being made (409) is asked for again, and the
/// first pause between tries (doubled each time): about half a minute in all.
const RENDITION_TRIES: u32 = 5;
const FIRST_RETRY_MS: u32 = 1_000;

#[derive(Clone, PartialEq)]
pub(crate) enum Download {
    Loading,
    /// The server is still making it; asked again shortly.
    Pending,
    Loaded(web_sys::Blob),
    /// A document, or an image the server could not decode: there is no picture to show.
    NoPicture,
    Failed(String),
}

/// Downloads a rendition of a piece of evidence into `state`, asking again while it is being
/// made, until `alive` is cleared (the component went away).
pub(crate) async fn fetch_rendition(
    auth: AuthHandle,
    id: Uuid,
    rendition: Rendition,
    state: UseStateHandle<Download>,
    alive: Rc<Cell<bool>>,
    strings: &'static Strings,
) {
    let mut pause = FIRST_RETRY_MS;
    for attempt in 1..=RENDITION_TRIES {
        let result = api::evidence::download(&auth, id, rendition).await;
        if !alive.get() {
            return;
        }
        match result {
            Ok(blob) => return state.set(Download::Loaded(blob)),
            Err(ApiError::Rejected { status: 409, .. }) if attempt < RENDITION_TRIES => {
                state.set(Download::Pending);
                gloo::timers::future::TimeoutFuture::new(pause).await;
                pause *= 2;
                if !alive.get() {
                    return;
                }
            }
            Err(ApiError::Rejected { status: 409, .. }) => return state.set(Download::Pending),
            Err(ApiError::NotFound(_)) if rendition != Rendition::Original => {
                return state.set(Download::NoPicture);
            }
            Err(error) => return state.set(Download::Failed(error.user_message(strings))),
        }
    }
}

/// Keeps a rendition of a piece of evidence downloaded while the component is there.
#[hook]
pub(crate) fn use_rendition(
    evidence: &EvidenceMeta,
    rendition: Rendition,
) -> UseStateHandle<Download> {
    let auth = use_auth();
    let strings = use_strings();
    let no_picture =
        evidence.kind == EvidenceKind::Document || evidence.derivatives == DerivativeState::None;
    let state = use_state(|| Download::Loading);
    {
        let state = state.clone();
        use_effect_with(
            (evidence.id, rendition, no_picture),
            move |&(id, rendition, no_picture)| {
                let alive = Rc::new(Cell::new(true));
                if no_picture {
                    state.set(Download::NoPicture);
                } else {
                    state.set(Download::Loading);
                    wasm_bindgen_futures::spawn_local(fetch_rendition(
                        auth,
                        id,
                        rendition,
                        state,
                        alive.clone(),
                        strings,
                    ));
                }
                move || alive.set(false)
            },
        );
    }
    state
}

#[derive(Properties, PartialEq)]
pub struct EvidencePhotoProps {
    pub evidence: EvidenceMeta,
    /// The image of a signature: "signed at" rather than "taken at".
    #[prop_or_default]
    pub signature: bool,
}

/// A stored evidence photo, by its thumbnail, with when and where it was taken; a tap opens
/// its preview.
#[component]
pub fn EvidencePhoto(props: &EvidencePhotoProps) -> Html {
    let strings = use_strings();
    let evidence = &props.evidence;
    let thumbnail = use_rendition(evidence, Rendition::Thumbnail);
    let open = use_state(|| false);
    // The button's name starts with the text it shows in place of a picture, so that what is
    // read out matches what is seen (WCAG 2.5.3, "label in name").
    let shown_text: Option<String> = match &*thumbnail {
        Download::Loading => Some(strings.photo_loading.to_owned()),
        Download::Pending => Some(strings.thumbnail_pending.to_owned()),
        Download::NoPicture => Some(strings.document.to_owned()),
        Download::Failed(message) => Some(message.to_string()),
        Download::Loaded(_) => None,
    };
    let open_label = match shown_text {
        Some(text) => format!("{text} · {}", strings.open_photo),
        None => strings.open_photo.to_owned(),
    };
    let image = match &*thumbnail {
        Download::Loading => {
            html! { <div class="photo__placeholder">{ strings.photo_loading }</div> }
        }
        Download::Pending => {
            html! { <div class="photo__placeholder photo__placeholder--pending">{ strings.thumbnail_pending }</div> }
        }
        Download::Loaded(blob) => {
            html! { <BlobImage blob={blob.clone()} alt={strings.photo_of} /> }
        }
        Download::NoPicture => html! {
            <div class="photo__placeholder photo__placeholder--file">
                <FileIcon />
                <span>{ strings.document }</span>
            </div>
        },
        Download::Failed(message) => {
            html! { <div class="photo__placeholder photo__placeholder--error">{ message }</div> }
        }
    };
    let on_open = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(false))
    };
    html! {
        <figure class="photo" data-evidence-id={evidence.id.to_string()}>
            <button type="button" class="photo__open" onclick={on_open}
                aria-label={open_label} title={strings.open_photo}>
                { image }
            </button>
            <figcaption class="photo__caption">
                <PhotoFacts
                    captured_at={evidence.captured_at}
                    position={evidence.latitude.zip(evidence.longitude)}
                    locating={false} signature={props.signature} />
            </figcaption>
            if *open {
                <PhotoViewer evidence={evidence.clone()} {on_close} />
            }
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct PhotoViewerProps {
    evidence: EvidenceMeta,
    on_close: Callback<()>,
}

/// A piece of evidence opened full screen: its preview, and its original on demand.
#[component]
fn PhotoViewer(props: &PhotoViewerProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let evidence = &props.evidence;
    let preview = use_rendition(evidence, Rendition::Preview);
    let downloading = use_state(|| None::<Result<(), String>>);
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let download = {
        let (downloading, evidence) = (downloading.clone(), evidence.clone());
        Callback::from(move |_: MouseEvent| {
            downloading.set(Some(Ok(())));
            let (auth, downloading, evidence) =
                (auth.clone(), downloading.clone(), evidence.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let id = evidence.id;
                let result = api::evidence::download(&auth, id, Rendition::Original).await;
                match result {
                    Ok(blob) => {
                        save_file(&blob, &original_name(&evidence));
                        downloading.set(None);
                    }
                    Err(error) => downloading.set(Some(Err(error.user_message(strings)))),
                }
            });
        })
    };
    {
        // The back gesture of a phone is not there for a dialog; Escape is, on a keyboard.
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(
                &gloo::utils::document(),
                "keydown",
                move |event| {
                    if event
                        .dyn_ref::<web_sys::KeyboardEvent>()
                        .is_some_and(|key| key.key() == "Escape")
                    {
                        on_close.emit(());
                    }
                },
            );
            move || drop(listener)
        });
    }
    let picture = match &*preview {
        Download::Loaded(blob) => html! {
            <BlobImage blob={blob.clone()} alt={strings.photo_of} class={AttrValue::from("viewer__image")} />
        },
        Download::Loading => html! { <p class="viewer__note">{ strings.photo_loading }</p> },
        Download::Pending => html! { <p class="viewer__note">{ strings.thumbnail_pending }</p> },
        Download::NoPicture => {
            html! { <div class="viewer__note"><FileIcon /><p>{ strings.document }</p></div> }
        }
        Download::Failed(message) => {
            html! { <p class="viewer__note viewer__note--error">{ message.clone() }</p> }
        }
    };
    let busy = matches!(*downloading, Some(Ok(())));
    html! {
        <div class="viewer" role="dialog" aria-modal="true" aria-label={strings.photo_of}>
            <div class="viewer__bar">
                <span class="viewer__facts">
                    if let Some(at) = evidence.captured_at {
                        { format::date_time(at) }
                    }
                </span>
                <button type="button" class="button button--small" onclick={close}>{ strings.close }</button>
            </div>
            <div class="viewer__body">{ picture }</div>
            <div class="viewer__actions">
                if let Some(Err(message)) = &*downloading {
                    <p class="viewer__note--error" role="alert">{ message.clone() }</p>
                }
                <button type="button" class="button button--secondary button--block" onclick={download}
                    disabled={busy}>
                    { strings.download_original }
                    { format!(" ({})", format::size(evidence.size_bytes)) }
                </button>
            </div>
        </div>
    }
}

/// The name a downloaded original is saved under: its id, with the extension of its type.
fn original_name(evidence: &EvidenceMeta) -> String {
    let extension = match evidence.content_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "application/pdf" => "pdf",
        _ => "bin",
    };
    format!("{}.{extension}", evidence.id)
}

/// Hands a blob to the browser as a download.
fn save_file(blob: &web_sys::Blob, name: &str) {
    let url = ObjectUrl::from(blob.clone());
    let document = gloo::utils::document();
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The browser reads the blob after this task; the URL is revoked once it surely has.
    gloo::timers::callback::Timeout::new(60_000, move || drop(url)).forget();
}

/// A sheet of paper with a folded corner: a document, or a file that has no picture.
#[component]
fn FileIcon() -> Html {
    html! {
        <svg class="file-icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true"
            fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">
            <path d="M6 2h8l5 5v14a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z" />
            <path d="M14 2v5h5" />
            <path d="M8 13h8M8 17h6" />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotoFactsProps {
    pub captured_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Latitude and longitude.
    pub position: Option<(f64, f64)>,
    /// The position is still being asked for.
    pub locating: bool,
    /// The image of a signature.
    #[prop_or_default]
    pub signature: bool,
}

/// When and where a photo was taken.
#[component]
pub fn PhotoFacts(props: &PhotoFactsProps) -> Html {
    let strings = use_strings();
    let position = match (props.position, props.locating) {
        (Some((lat, lon)), _) => {
            html! { <span class="photo__fact">{ strings.location }{ ": " }{ format::position(lat, lon) }</span> }
        }
        (None, true) => {
            html! { <span class="photo__fact photo__fact--muted">{ strings.locating }</span> }
        }
        (None, false) => {
            html! { <span class="photo__fact photo__fact--muted">{ strings.no_location }</span> }
        }
    };
    html! {
        <>
            if let Some(at) = props.captured_at {
                <span class="photo__fact">
                    { if props.signature { strings.signed_at } else { strings.captured_at } }{ " " }{ format::date_time(at) }
                </span>
            }
            { position }
        </>
    }
}

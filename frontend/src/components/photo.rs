//! Showing photos that are not at a plain URL: a file just captured, or stored evidence that
//! needs the bearer token to download.

use gloo::file::ObjectUrl;
use kiemtra_shared::evidence::EvidenceMeta;
use yew::prelude::*;

use crate::api;
use crate::auth::use_auth;
use crate::components::format;
use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct BlobImageProps {
    pub blob: web_sys::Blob,
    pub alt: AttrValue,
}

/// An `<img>` of a blob, through an object URL that is revoked when the image goes away.
#[component]
pub fn BlobImage(props: &BlobImageProps) -> Html {
    // `ObjectUrl` revokes the URL when dropped: when the blob changes or the component unmounts.
    let url = use_memo(props.blob.clone(), |blob| ObjectUrl::from(blob.clone()));
    html! { <img class="photo__image" src={url.to_string()} alt={props.alt.clone()} /> }
}

#[derive(Properties, PartialEq)]
pub struct EvidencePhotoProps {
    pub evidence: EvidenceMeta,
    /// The image of a signature: "signed at" rather than "taken at".
    #[prop_or_default]
    pub signature: bool,
}

#[derive(Clone, PartialEq)]
enum Download {
    Loading,
    Loaded(web_sys::Blob),
    Failed(String),
}

/// A stored evidence photo with when and where it was taken.
#[component]
pub fn EvidencePhoto(props: &EvidencePhotoProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let download = use_state(|| Download::Loading);
    {
        let download = download.clone();
        use_effect_with(props.evidence.id, move |id| {
            let id = *id;
            wasm_bindgen_futures::spawn_local(async move {
                let result = auth
                    .call(|token| async move { api::evidence::content(&token, id).await })
                    .await;
                download.set(match result {
                    Ok(blob) => Download::Loaded(blob),
                    Err(error) => Download::Failed(error.user_message(strings)),
                });
            });
        });
    }
    let evidence = &props.evidence;
    let image = match &*download {
        Download::Loading => {
            html! { <div class="photo__placeholder">{ strings.photo_loading }</div> }
        }
        Download::Loaded(blob) => {
            html! { <BlobImage blob={blob.clone()} alt={strings.photo_of} /> }
        }
        Download::Failed(message) => {
            html! { <div class="photo__placeholder photo__placeholder--error">{ message }</div> }
        }
    };
    html! {
        <figure class="photo" data-evidence-id={evidence.id.to_string()}>
            { image }
            <figcaption class="photo__caption">
                <PhotoFacts
                    captured_at={evidence.captured_at}
                    position={evidence.latitude.zip(evidence.longitude)}
                    locating={false} signature={props.signature} />
            </figcaption>
        </figure>
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

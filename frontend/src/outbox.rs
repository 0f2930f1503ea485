//! The evidence outbox: every photo is queued in IndexedDB (its record and its file) the moment
//! it is taken, and one uploader per page sends the queue whenever there is a connection, not
//! only when the checklist is submitted. Files up to [`RESUMABLE_ABOVE`] go in one `PUT`;
//! larger ones through a resumable (tus) upload whose URL is kept in the queue, so a broken
//! connection or a reload costs at most one chunk.
//!
//! Failures of the network, of the server (5xx) and `423` are retried with a growing pause
//! (cut short when the browser says it is online again); a refusal (`4xx` but `401`) marks the
//! photo failed with the server's reason, for the inspector to retry or remove it.
//!
//! [`OutboxProvider`] holds the uploader; [`use_outbox`] gives each photo's state.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use chrono::{DateTime, Duration, Utc};
use js_sys::{Function, Promise};
use kiemtra_shared::digest::Sha256;
use kiemtra_shared::evidence::{EvidenceMeta, EvidenceUploadParams};
use kiemtra_shared::file_name::FileName;
use kiemtra_shared::tus::UploadMetadata;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::{AuthHandle, use_auth};
use crate::browser;
use crate::i18n::{Strings, use_strings};
use crate::store::{self, Store, StoreError, Write};

/// Files larger than this go through a resumable upload.
pub const RESUMABLE_ABOVE: u64 = 2 * 1024 * 1024;
/// The chunk of a resumable upload: the server's S3 part size.
const CHUNK_BYTES: u64 = 5 * 1024 * 1024;
/// The pause after the first failure for want of a connection; it doubles up to the maximum.
const FIRST_PAUSE_MS: u32 = 1_000;
const MAX_PAUSE_MS: u32 = 60_000;
/// A photo still waiting for its position after this long (the page was closed meanwhile) is
/// sent without it.
const POSITION_WAIT_SECS: i64 = 30;
/// A chunk refused for a bad checksum is sent again this many times before giving up.
const CHUNK_ATTEMPTS: u32 = 3;

/// A piece of evidence waiting to be sent, or sent and kept until its checklist is submitted.
///
/// Its JSON is kept on phones across app updates, and a record that no longer reads is
/// skipped: add fields only with `#[serde(default)]`, never rename or remove one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: Uuid,
    /// Only this user's session sends it.
    pub user_id: Uuid,
    pub params: EvidenceUploadParams,
    pub sha256: [u8; 32],
    pub size: u64,
    pub filename: String,
    /// `false` while the position is still being asked for: the upload carries it.
    pub ready: bool,
    pub sending: Sending,
    /// The resumable upload under way.
    pub upload_url: Option<String>,
    pub queued_at: DateTime<Utc>,
    /// What the page that took the photo needs to put it back in its draft, should the page
    /// close before the draft was saved (JSON, opaque to the outbox).
    pub record: String,
}

/// Where an entry stands, as kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Sending {
    Waiting,
    Sent(Option<Box<EvidenceMeta>>),
    Failed(String),
}

/// A photo's state, as shown.
#[derive(Debug, Clone, PartialEq)]
pub enum PhotoState {
    Waiting,
    Uploading { percent: u8 },
    Sent,
    Failed(String),
}

/// Why photos a submission needs are not all on the server.
#[derive(Debug, Clone, PartialEq)]
pub enum NotSent {
    /// There is no connection; they go as soon as there is.
    Offline,
    /// The server refused one (its reason).
    Failed(String),
    /// The device no longer has the file.
    Missing,
}

#[derive(Default)]
struct Inner {
    auth: RefCell<Option<AuthHandle>>,
    strings: Cell<Option<&'static Strings>>,
    states: RefCell<HashMap<Uuid, PhotoState>>,
    metas: RefCell<HashMap<Uuid, EvidenceMeta>>,
    /// Removed while possibly being sent: never written back.
    removed: RefCell<HashSet<Uuid>>,
    /// The entry being sent.
    current: Cell<Option<Uuid>>,
    /// The last attempt failed for want of a connection.
    offline: Cell<bool>,
    /// Set by [`Outbox::wake`]; the uploader looks at the queue again before pausing.
    woken: Cell<bool>,
    /// Ends the uploader's pause.
    wake: RefCell<Option<Function>>,
    /// Told of every change of state: the provider (to draw again) and those waiting.
    version: Cell<u64>,
    redraw: RefCell<Option<Callback<()>>>,
    waiters: RefCell<Vec<Function>>,
    started: Cell<bool>,
}

/// The outbox of this page.
#[derive(Clone, Default)]
pub struct Outbox(Rc<Inner>);

impl Outbox {
    /// Queues a photo and its file; it is on the device once this returns `Ok`.
    pub async fn add(&self, entry: OutboxEntry, file: web_sys::Blob) -> Result<(), StoreError> {
        let id = entry.id;
        let key = id.to_string();
        store::write(vec![
            Write::json(Store::Outbox, &key, &entry)?,
            Write::Blob(Store::Blobs, key, file),
        ])
        .await?;
        store::ask_persistence();
        self.set_state(id, PhotoState::Waiting);
        self.wake();
        Ok(())
    }

    /// The position of a queued photo is known (or will not be): it can be sent.
    pub async fn located(&self, id: Uuid, position: Option<browser::Position>) {
        if self.0.current.get() == Some(id) {
            return;
        }
        let Ok(Some(mut entry)) = store::get::<OutboxEntry>(Store::Outbox, &id.to_string()).await
        else {
            return;
        };
        if entry.sending != Sending::Waiting || self.0.removed.borrow().contains(&id) {
            return;
        }
        entry.params.latitude = position.map(|p| p.latitude);
        entry.params.longitude = position.map(|p| p.longitude);
        entry.ready = true;
        let _ = store::put(Store::Outbox, &id.to_string(), &entry).await;
        self.wake();
    }

    /// Forgets photos and their files (removed from a draft, or submitted with it). A
    /// resumable upload left unfinished is ended on the server too, when it can be reached
    /// (else the server drops it when it expires).
    pub async fn remove(&self, ids: &[Uuid]) {
        if ids.is_empty() {
            return;
        }
        let mut unfinished = Vec::new();
        for id in ids {
            if let Ok(Some(entry)) = store::get::<OutboxEntry>(Store::Outbox, &id.to_string()).await
                && let (Some(location), false) =
                    (entry.upload_url, matches!(entry.sending, Sending::Sent(_)))
            {
                unfinished.push(location);
            }
        }
        let mut writes = Vec::new();
        for id in ids {
            self.0.removed.borrow_mut().insert(*id);
            self.0.states.borrow_mut().remove(id);
            writes.push(Write::Delete(Store::Outbox, id.to_string()));
            writes.push(Write::Delete(Store::Blobs, id.to_string()));
        }
        let _ = store::write(writes).await;
        self.changed();
        let auth = self.0.auth.borrow().clone();
        if let Some(auth) = auth {
            for location in unfinished {
                let _ = api::uploads::terminate(&auth, &location).await;
            }
        }
    }

    /// Sends a failed photo again.
    pub async fn retry(&self, id: Uuid) {
        if let Ok(Some(mut entry)) = store::get::<OutboxEntry>(Store::Outbox, &id.to_string()).await
        {
            entry.sending = Sending::Waiting;
            entry.ready = true;
            if store::put(Store::Outbox, &id.to_string(), &entry)
                .await
                .is_ok()
            {
                self.set_state(id, PhotoState::Waiting);
            }
        }
        self.wake();
    }

    /// The entries queued for an inspection.
    pub async fn entries_of(&self, inspection_id: Uuid) -> Vec<OutboxEntry> {
        let entries = store::all::<OutboxEntry>(Store::Outbox)
            .await
            .unwrap_or_default();
        entries
            .into_iter()
            .filter(|e| e.params.inspection_id == inspection_id)
            .collect()
    }

    /// The state of a photo; `None` when it is not in the outbox.
    pub fn state(&self, id: Uuid) -> Option<PhotoState> {
        self.0.states.borrow().get(&id).cloned()
    }

    /// Looks at the queue now: something was added, the connection is back, or a submission
    /// is waiting.
    pub fn wake(&self) {
        self.0.offline.set(false);
        self.0.woken.set(true);
        if let Some(wake) = self.0.wake.borrow_mut().take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }

    /// Waits until every one of `ids` is on the server, telling `on_progress` how many are.
    /// Answers what the server stored of them, as far as the device knows it.
    pub async fn wait_sent(
        &self,
        ids: &[Uuid],
        on_progress: impl Fn(usize, usize),
    ) -> Result<Vec<EvidenceMeta>, NotSent> {
        self.load_states().await;
        self.wake();
        loop {
            let change = self.next_change();
            {
                let states = self.0.states.borrow();
                let mut sent = 0;
                let mut busy = false;
                for id in ids {
                    match states.get(id) {
                        None => return Err(NotSent::Missing),
                        Some(PhotoState::Failed(message)) => {
                            return Err(NotSent::Failed(message.clone()));
                        }
                        Some(PhotoState::Sent) => sent += 1,
                        Some(PhotoState::Uploading { .. }) => busy = true,
                        Some(PhotoState::Waiting) => {}
                    }
                }
                if sent == ids.len() {
                    let metas = self.0.metas.borrow();
                    return Ok(ids.iter().filter_map(|id| metas.get(id).cloned()).collect());
                }
                if self.0.offline.get() && !busy {
                    return Err(NotSent::Offline);
                }
                on_progress(sent, ids.len());
            }
            let _ = JsFuture::from(change).await;
        }
    }

    fn set_state(&self, id: Uuid, state: PhotoState) {
        if self.0.removed.borrow().contains(&id) {
            return;
        }
        let old = self.0.states.borrow_mut().insert(id, state.clone());
        if old.as_ref() != Some(&state) {
            self.changed();
        }
    }

    fn changed(&self) {
        self.0.version.set(self.0.version.get() + 1);
        let redraw = self.0.redraw.borrow().clone();
        if let Some(redraw) = redraw {
            redraw.emit(());
        }
        for waiter in self.0.waiters.borrow_mut().drain(..) {
            let _ = waiter.call0(&JsValue::NULL);
        }
    }

    /// Resolves at the next change of state.
    fn next_change(&self) -> Promise {
        Promise::new(&mut |resolve: Function, _| self.0.waiters.borrow_mut().push(resolve))
    }

    /// Pauses until woken, or for `ms` at most.
    async fn pause(&self, ms: Option<u32>) {
        if self.0.woken.replace(false) {
            return;
        }
        let promise = Promise::new(&mut |resolve: Function, _| {
            if let Some(ms) = ms {
                let _ = gloo::utils::window()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
            }
            *self.0.wake.borrow_mut() = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
        self.0.woken.set(false);
    }

    /// The state of every queued entry, as kept on the device.
    async fn load_states(&self) -> Vec<OutboxEntry> {
        let entries = store::all::<OutboxEntry>(Store::Outbox)
            .await
            .unwrap_or_default();
        for entry in &entries {
            let current = self.state(entry.id);
            let state = match &entry.sending {
                Sending::Waiting => match current {
                    Some(uploading @ PhotoState::Uploading { .. }) => uploading,
                    _ => PhotoState::Waiting,
                },
                Sending::Sent(meta) => {
                    if let Some(meta) = meta {
                        self.0.metas.borrow_mut().insert(entry.id, (**meta).clone());
                    }
                    PhotoState::Sent
                }
                Sending::Failed(message) => PhotoState::Failed(message.clone()),
            };
            self.set_state(entry.id, state);
        }
        entries
    }

    /// The uploader: sends the queue, oldest first, for as long as the page lives.
    async fn run(self) {
        let mut pause_ms = 0;
        loop {
            self.0.woken.set(false);
            let entries = self.load_states().await;
            let auth = self.0.auth.borrow().clone();
            let Some(user) = auth.as_ref().and_then(|a| a.session()).map(|s| s.user.id) else {
                self.pause(None).await;
                continue;
            };
            let stale = Utc::now() - Duration::seconds(POSITION_WAIT_SECS);
            let next = entries
                .into_iter()
                .filter(|e| e.user_id == user && e.sending == Sending::Waiting)
                .filter(|e| e.ready || e.queued_at < stale)
                .filter(|e| !self.0.removed.borrow().contains(&e.id))
                .min_by_key(|e| e.queued_at);
            let (Some(entry), Some(auth)) = (next, auth) else {
                self.pause(None).await;
                continue;
            };
            self.0.current.set(Some(entry.id));
            let outcome = self.send(&auth, entry.clone()).await;
            self.0.current.set(None);
            let strings = self
                .0
                .strings
                .get()
                .unwrap_or(crate::i18n::Lang::Vi.strings());
            match outcome {
                Ok(meta) => {
                    pause_ms = 0;
                    self.0.offline.set(false);
                    if let Some(meta) = &meta {
                        self.0.metas.borrow_mut().insert(entry.id, meta.clone());
                    }
                    self.record(entry.id, Sending::Sent(meta.map(Box::new)))
                        .await;
                    self.set_state(entry.id, PhotoState::Sent);
                }
                Err(error) => match Retry::of(&error) {
                    Retry::Later => {
                        self.0.offline.set(true);
                        self.set_state(entry.id, PhotoState::Waiting);
                        self.changed();
                        pause_ms = (pause_ms * 2).clamp(FIRST_PAUSE_MS, MAX_PAUSE_MS);
                        self.pause(Some(pause_ms)).await;
                    }
                    Retry::SignedIn => {
                        self.set_state(entry.id, PhotoState::Waiting);
                        self.pause(None).await;
                    }
                    Retry::Never => {
                        let message = error.user_message(strings);
                        self.record(entry.id, Sending::Failed(message.clone()))
                            .await;
                        self.set_state(entry.id, PhotoState::Failed(message));
                    }
                },
            }
        }
    }

    /// Records how sending an entry ended, on the entry as it is now (the attempt may have
    /// noted its upload's URL), unless it was removed meanwhile.
    async fn record(&self, id: Uuid, sending: Sending) {
        if let Ok(Some(entry)) = store::get::<OutboxEntry>(Store::Outbox, &id.to_string()).await {
            self.save(OutboxEntry { sending, ..entry }).await;
        }
    }

    /// Writes an entry back, unless it was removed meanwhile.
    async fn save(&self, entry: OutboxEntry) {
        if !self.0.removed.borrow().contains(&entry.id) {
            let _ = store::put(Store::Outbox, &entry.id.to_string(), &entry).await;
        }
    }

    /// Sends one entry; answers what the server stored when it says.
    async fn send(
        &self,
        auth: &AuthHandle,
        entry: OutboxEntry,
    ) -> Result<Option<EvidenceMeta>, ApiError> {
        let file = store::get_blob(Store::Blobs, &entry.id.to_string())
            .await
            .map_err(|_| ApiError::Browser)?
            .ok_or(ApiError::Browser)?;
        self.set_state(entry.id, PhotoState::Uploading { percent: 0 });
        if entry.size > RESUMABLE_ABOVE {
            self.send_resumable(auth, entry, file).await
        } else {
            let progress = self.progress(entry.id, 0, entry.size);
            api::evidence::upload(
                auth,
                entry.id,
                &entry.params,
                &file,
                &Sha256::from(entry.sha256),
                Some(progress),
            )
            .await
            .map(Some)
        }
    }

    /// A resumable upload: created once (its URL kept in the entry), asked where it stands
    /// when resumed, then sent chunk by chunk.
    async fn send_resumable(
        &self,
        auth: &AuthHandle,
        mut entry: OutboxEntry,
        file: web_sys::Blob,
    ) -> Result<Option<EvidenceMeta>, ApiError> {
        let id = entry.id;
        let total = entry.size;
        let mut ask_offset = entry.upload_url.is_some();
        let mut offset = 0u64;
        let mut bad_checksums = 0;
        let mut conflicts = 0;
        loop {
            let location = match entry.upload_url.clone() {
                Some(location) => location,
                None => {
                    let mut params = entry.params.clone();
                    // Entries queued before the parameters carried the name.
                    if params.file_name.is_none() {
                        params.file_name = FileName::parse(&entry.filename).ok();
                    }
                    let metadata = UploadMetadata {
                        evidence_id: id,
                        params,
                        sha256: Some(Sha256::from(entry.sha256)),
                    };
                    let location = api::uploads::create(auth, total, &metadata).await?;
                    entry.upload_url = Some(location.clone());
                    self.save(entry.clone()).await;
                    offset = 0;
                    ask_offset = false;
                    location
                }
            };
            if ask_offset {
                match api::uploads::head(auth, &location).await {
                    Ok(state) if state.evidence_id.is_some() => {
                        return Ok(self.meta(auth, id).await);
                    }
                    Ok(state) => offset = state.offset,
                    Err(ApiError::NotFound(_)) => {
                        entry.upload_url = None;
                        self.save(entry.clone()).await;
                        continue;
                    }
                    Err(error) => return Err(error),
                }
                ask_offset = false;
            }
            let end = (offset + CHUNK_BYTES).min(total);
            let chunk = file
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(|_| ApiError::Browser)?;
            let sum = Sha256::from(
                browser::sha256(&chunk)
                    .await
                    .map_err(|_| ApiError::Browser)?,
            );
            let progress = self.progress(id, offset, total);
            // What the server has already counts, whether or not the browser reports progress.
            progress(0.0);
            let result =
                api::uploads::patch(auth, &location, offset, &chunk, &sum, Some(progress)).await;
            match result {
                Ok(state) if state.evidence_id.is_some() => return Ok(self.meta(auth, id).await),
                Ok(state) if state.offset <= offset => {
                    // The server took nothing: ask where it stands rather than loop.
                    ask_offset = true;
                    conflicts += 1;
                }
                Ok(state) => offset = state.offset,
                Err(ApiError::Rejected { status: 409, .. }) => {
                    ask_offset = true;
                    conflicts += 1;
                }
                Err(error @ ApiError::Rejected { status: 460, .. }) => {
                    bad_checksums += 1;
                    if bad_checksums >= CHUNK_ATTEMPTS {
                        return Err(error);
                    }
                }
                Err(ApiError::NotFound(_)) => {
                    entry.upload_url = None;
                    self.save(entry.clone()).await;
                }
                Err(error) => return Err(error),
            }
            if conflicts > CHUNK_ATTEMPTS {
                // Something else keeps moving the offset: try again later from scratch.
                return Err(ApiError::Network);
            }
        }
    }

    /// What the server stored for evidence sent through a resumable upload, if it says.
    async fn meta(&self, auth: &AuthHandle, id: Uuid) -> Option<EvidenceMeta> {
        api::evidence::meta(auth, id).await.ok()
    }

    /// Reports the bytes sent of a request that starts at `base` of a file of `total` bytes.
    fn progress(&self, id: Uuid, base: u64, total: u64) -> Rc<dyn Fn(f64)> {
        let outbox = self.clone();
        Rc::new(move |sent: f64| {
            let done = (base as f64 + sent) / (total.max(1) as f64);
            // 100 % only once the server has answered.
            let percent = (done * 100.0).floor().clamp(0.0, 99.0) as u8;
            outbox.set_state(id, PhotoState::Uploading { percent });
        })
    }
}

/// What to do after a failed attempt.
#[derive(Debug, PartialEq)]
enum Retry {
    /// No connection, the server failed (5xx) or was busy (423): try again after a pause.
    Later,
    /// The session ended: wait until someone signs in.
    SignedIn,
    /// The server refused the file: tell the inspector.
    Never,
}

impl Retry {
    fn of(error: &ApiError) -> Retry {
        match error {
            ApiError::Network | ApiError::Server { .. } | ApiError::UnexpectedBody => Retry::Later,
            ApiError::Rejected {
                status: 423 | 429, ..
            } => Retry::Later,
            ApiError::Unauthenticated(_) => Retry::SignedIn,
            ApiError::Forbidden(_)
            | ApiError::NotFound(_)
            | ApiError::Rejected { .. }
            | ApiError::Browser => Retry::Never,
        }
    }
}

/// The outbox and its states as of the last change, as [`use_outbox`] returns it.
#[derive(Clone)]
pub struct OutboxHandle {
    pub outbox: Outbox,
    version: u64,
}

impl OutboxHandle {
    /// How many photos on this device are not on the server yet (waiting, being sent or
    /// refused).
    pub fn unsent(&self) -> usize {
        self.outbox
            .0
            .states
            .borrow()
            .values()
            .filter(|state| **state != PhotoState::Sent)
            .count()
    }
}

impl PartialEq for OutboxHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.outbox.0, &other.outbox.0) && self.version == other.version
    }
}

#[derive(Properties, PartialEq)]
pub struct OutboxProviderProps {
    pub children: Html,
}

/// Runs the page's uploader; must be inside the `AuthProvider`.
#[component]
pub fn OutboxProvider(props: &OutboxProviderProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let outbox = use_memo((), |_| Outbox::default());
    let redraw = use_force_update();
    *outbox.0.auth.borrow_mut() = Some(auth.clone());
    outbox.0.strings.set(Some(strings));
    *outbox.0.redraw.borrow_mut() = Some(Callback::from(move |_| redraw.force_update()));
    {
        let outbox = (*outbox).clone();
        use_effect_with((), move |_| {
            if !outbox.0.started.replace(true) {
                wasm_bindgen_futures::spawn_local(outbox.clone().run());
            }
            let online = gloo::events::EventListener::new(&gloo::utils::window(), "online", {
                let outbox = outbox.clone();
                move |_| outbox.wake()
            });
            move || drop(online)
        });
    }
    {
        // A sign-in lets that user's queue go.
        let outbox = (*outbox).clone();
        let user = auth.session().map(|s| s.user.id);
        use_effect_with(user, move |_| outbox.wake());
    }
    let handle = OutboxHandle {
        outbox: (*outbox).clone(),
        version: outbox.0.version.get(),
    };
    html! {
        <ContextProvider<OutboxHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<OutboxHandle>>
    }
}

/// The outbox of the app.
#[hook]
pub fn use_outbox() -> OutboxHandle {
    use_context::<OutboxHandle>().expect("use_outbox() needs an <OutboxProvider> above it")
}

#[cfg(test)]
mod tests {
    use kiemtra_shared::error::ErrorBody;

    use super::*;

    fn body() -> ErrorBody {
        ErrorBody {
            code: "x".into(),
            message: String::new(),
            details: Vec::new(),
        }
    }

    #[test]
    fn a_lost_connection_or_a_busy_server_is_retried_and_a_refusal_is_not() {
        assert_eq!(Retry::of(&ApiError::Network), Retry::Later);
        let server = ApiError::Server {
            status: 503,
            body: body(),
        };
        assert_eq!(Retry::of(&server), Retry::Later);
        let locked = ApiError::Rejected {
            status: 423,
            body: body(),
        };
        assert_eq!(Retry::of(&locked), Retry::Later);
        assert_eq!(
            Retry::of(&ApiError::Unauthenticated(body())),
            Retry::SignedIn
        );
        for status in [400, 409, 413, 415, 422] {
            let refused = ApiError::Rejected {
                status,
                body: body(),
            };
            assert_eq!(Retry::of(&refused), Retry::Never, "{status}");
        }
        assert_eq!(Retry::of(&ApiError::Forbidden(body())), Retry::Never);
    }
}

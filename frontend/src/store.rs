//! The device's own storage (IndexedDB), where nothing an inspector captured is lost when the
//! page is closed, reloaded or opened again with no signal: drafts, the photo outbox, the
//! photo files (as Blobs) and the last copy of what was read from the server.
//!
//! A thin wrapper over web-sys, with no crate of its own: records are JSON strings under a
//! string key, files are Blobs. Each call is one transaction, awaited until it has committed,
//! so a write that returned `Ok` survives the tab being killed.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "kiemtra";
const DB_VERSION: u32 = 1;

/// The object stores, all keyed by a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// Site-checklist drafts, by inspection id.
    Drafts,
    /// Evidence waiting to be sent or sent but not yet submitted, by evidence id.
    Outbox,
    /// The files of the outbox, by evidence id.
    Blobs,
    /// The last answers of the server that a page needs offline, by a key of the page's.
    Cache,
}

impl Store {
    const ALL: [Store; 4] = [Store::Drafts, Store::Outbox, Store::Blobs, Store::Cache];

    fn name(self) -> &'static str {
        match self {
            Store::Drafts => "drafts",
            Store::Outbox => "outbox",
            Store::Blobs => "blobs",
            Store::Cache => "cache",
        }
    }
}

/// The browser refused or failed a storage operation (no IndexedDB, quota, a corrupt record).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreError(pub String);

impl From<JsValue> for StoreError {
    fn from(value: JsValue) -> Self {
        let text = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| format!("{value:?}"));
        StoreError(text)
    }
}

thread_local! {
    /// The page's one connection: IndexedDB expects a page to open its database once.
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

async fn db() -> Result<IdbDatabase, StoreError> {
    if let Some(db) = DB.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    let factory = gloo::utils::window()
        .indexed_db()?
        .ok_or_else(|| StoreError("IndexedDB is not available".into()))?;
    let open = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let upgrade = Closure::once_into_js({
        let open = open.clone();
        move || {
            if let Ok(db) = open.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let names = db.object_store_names();
                for store in Store::ALL {
                    if !names.contains(store.name()) {
                        let _ = db.create_object_store(store.name());
                    }
                }
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db: IdbDatabase = finished(&open).await?.dyn_into()?;
    // Another tab opening a newer version asks this one to let go.
    let close = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || {
            db.close();
            DB.with(|cell| cell.borrow_mut().take());
        }
    });
    db.set_onversionchange(Some(close.as_ref().unchecked_ref()));
    close.forget();
    DB.with(|cell| *cell.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The result of a request, once it has succeeded.
async fn finished(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|_| {
        request.error().ok().flatten().map_or_else(
            || StoreError("request failed".into()),
            |e| StoreError(e.message()),
        )
    })?;
    Ok(request.result()?)
}

/// Waits until a transaction has committed (its writes are on disk).
async fn committed(tx: &IdbTransaction) -> Result<(), StoreError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|_| {
        tx.error().map_or_else(
            || StoreError("transaction failed".into()),
            |e| StoreError(e.message()),
        )
    })?;
    Ok(())
}

async fn transaction(
    stores: &[Store],
    mode: IdbTransactionMode,
) -> Result<IdbTransaction, StoreError> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s.name())).collect();
    Ok(db()
        .await?
        .transaction_with_str_sequence_and_mode(&names, mode)?)
}

/// One write of a [`Batch`].
pub enum Write {
    Json(Store, String, String),
    Blob(Store, String, web_sys::Blob),
    Delete(Store, String),
}

impl Write {
    pub fn json<T: Serialize>(store: Store, key: &str, value: &T) -> Result<Write, StoreError> {
        let text = serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))?;
        Ok(Write::Json(store, key.to_owned(), text))
    }

    fn store(&self) -> Store {
        match self {
            Write::Json(store, ..) | Write::Blob(store, ..) | Write::Delete(store, ..) => *store,
        }
    }
}

/// Makes all the writes in one transaction: all of them are kept, or none.
pub async fn write(writes: Vec<Write>) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let mut stores: Vec<Store> = writes.iter().map(Write::store).collect();
    stores.sort_by_key(|s| s.name());
    stores.dedup();
    let tx = transaction(&stores, IdbTransactionMode::Readwrite).await?;
    for write in writes {
        match write {
            Write::Json(store, key, text) => {
                tx.object_store(store.name())?
                    .put_with_key(&JsValue::from_str(&text), &JsValue::from_str(&key))?;
            }
            Write::Blob(store, key, blob) => {
                tx.object_store(store.name())?
                    .put_with_key(&blob, &JsValue::from_str(&key))?;
            }
            Write::Delete(store, key) => {
                tx.object_store(store.name())?
                    .delete(&JsValue::from_str(&key))?;
            }
        }
    }
    committed(&tx).await
}

/// Stores a record that is JSON already (an answer of the server, as it came).
pub async fn put_json_text(store: Store, key: &str, text: String) -> Result<(), StoreError> {
    write(vec![Write::Json(store, key.to_owned(), text)]).await
}

/// Stores a JSON record.
pub async fn put<T: Serialize>(store: Store, key: &str, value: &T) -> Result<(), StoreError> {
    write(vec![Write::json(store, key, value)?]).await
}

async fn get_raw(store: Store, key: &str) -> Result<JsValue, StoreError> {
    let tx = transaction(&[store], IdbTransactionMode::Readonly).await?;
    let request = tx
        .object_store(store.name())?
        .get(&JsValue::from_str(key))?;
    finished(&request).await
}

/// A JSON record, `None` when there is none (or it no longer reads as `T`: a record written by
/// an older version of the app is dropped rather than stopping the page).
pub async fn get<T: DeserializeOwned>(store: Store, key: &str) -> Result<Option<T>, StoreError> {
    let value = get_raw(store, key).await?;
    Ok(value
        .as_string()
        .and_then(|text| serde_json::from_str(&text).ok()))
}

/// Every JSON record of a store that reads as `T`.
pub async fn all<T: DeserializeOwned>(store: Store) -> Result<Vec<T>, StoreError> {
    let tx = transaction(&[store], IdbTransactionMode::Readonly).await?;
    let request = tx.object_store(store.name())?.get_all()?;
    let values: Array = finished(&request).await?.dyn_into()?;
    Ok(values
        .iter()
        .filter_map(|value| value.as_string())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect())
}

/// A stored file.
pub async fn get_blob(store: Store, key: &str) -> Result<Option<web_sys::Blob>, StoreError> {
    Ok(get_raw(store, key).await?.dyn_into::<web_sys::Blob>().ok())
}

/// Asks the browser not to evict this site's storage when the device runs short of space
/// (photos waiting for a signal must survive that). Granted silently to installed PWAs and
/// sites used often; nothing changes when it is refused.
pub fn ask_persistence() {
    let storage = gloo::utils::window().navigator().storage();
    if let Ok(promise) = storage.persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

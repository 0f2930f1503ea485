//! The signed-in session: a context provider, the [`use_auth`] hook and a route guard.
//!
//! The session (a 15-minute access token, a 30-day single-use refresh token and the user) is
//! kept in local storage so that a reload, or opening the app again on site, keeps the inspector
//! signed in. Every authenticated call goes through [`AuthHandle::call`] (by way of the API
//! modules' request function), which renews the access token when it has expired. A refused
//! refresh ends the session and sends the user to the login page.
//!
//! The server revokes a whole session when a refresh token is presented twice, so refreshes are
//! made one at a time: concurrent calls wait for the refresh already under way.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use chrono::{DateTime, Duration, Utc};
use gloo::storage::{LocalStorage, Storage};
use js_sys::Promise;
use kiemtra_shared::auth::{LoginResponse, Me};
use kiemtra_shared::error::{ErrorBody, codes};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::routes::Route;

const STORAGE_KEY: &str = "kiemtra.session";
/// Renew the access token a little before it expires rather than have a call refused.
const EXPIRY_MARGIN_SECS: i64 = 30;

/// A signed-in user and the tokens that prove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: Me,
    access_token: String,
    access_expires_at: DateTime<Utc>,
    refresh_token: String,
    refresh_expires_at: DateTime<Utc>,
}

impl Session {
    fn from_login(login: LoginResponse) -> Session {
        let now = Utc::now();
        Session {
            user: login.user,
            access_token: login.access_token,
            access_expires_at: now + Duration::seconds(login.expires_in),
            refresh_token: login.refresh_token,
            refresh_expires_at: now + Duration::seconds(login.refresh_expires_in),
        }
    }

    /// The stored session, unless it can no longer be renewed.
    fn load() -> Option<Session> {
        let session = LocalStorage::get::<Session>(STORAGE_KEY).ok()?;
        if session.refresh_expires_at <= Utc::now() {
            LocalStorage::delete(STORAGE_KEY);
            return None;
        }
        Some(session)
    }

    fn store(&self) {
        // Without storage (private mode, quota) the session still lives until the tab closes.
        let _ = LocalStorage::set(STORAGE_KEY, self);
    }

    fn access_expired(&self) -> bool {
        self.access_expires_within(EXPIRY_MARGIN_SECS)
    }

    fn access_expires_within(&self, secs: i64) -> bool {
        self.access_expires_at - Duration::seconds(secs) <= Utc::now()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
struct AuthState {
    session: Option<Rc<Session>>,
    /// The last session was ended by the server (refresh refused), not by the user.
    expired: bool,
}

/// The tokens as they are now, shared by every copy of the handle; the rendered state can lag
/// behind it by one render.
#[derive(Default)]
struct Tokens {
    session: RefCell<Option<Session>>,
    /// The refresh under way, which resolves to the new access token.
    refreshing: RefCell<Option<Promise>>,
}

/// The session and the actions on it, as [`use_auth`] returns them.
#[derive(Clone)]
pub struct AuthHandle {
    state: UseStateHandle<AuthState>,
    tokens: Rc<Tokens>,
}

impl PartialEq for AuthHandle {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.tokens, &other.tokens)
    }
}

/// How a refresh failed, carried through the shared promise.
const REFRESH_REFUSED: &str = "refused";
const REFRESH_UNREACHABLE: &str = "unreachable";

impl AuthHandle {
    /// The signed-in session, for showing the user.
    pub fn session(&self) -> Option<Rc<Session>> {
        self.state.session.clone()
    }

    /// Whether the last session was ended by the server rather than by signing out.
    pub fn expired(&self) -> bool {
        self.state.expired
    }

    pub fn sign_in(&self, login: LoginResponse) {
        self.replace(Session::from_login(login));
    }

    /// Ends the session here and, when the server can be reached, there too.
    pub fn sign_out(&self) {
        if let Some(session) = self.tokens.session.borrow_mut().take() {
            wasm_bindgen_futures::spawn_local(async move {
                // Offline, the refresh token simply expires unused.
                let _ = api::auth::logout(&session.refresh_token).await;
            });
        }
        LocalStorage::delete(STORAGE_KEY);
        self.state.set(AuthState::default());
    }

    /// Makes an authenticated call with a valid access token, renewing it first when it has
    /// expired, and once more if the server refuses it anyway.
    pub(crate) async fn call<T, F, Fut>(&self, request: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        self.call_lasting(EXPIRY_MARGIN_SECS, request).await
    }

    /// [`call`](Self::call) with a token still valid `secs` from now: an upload is refused
    /// (and its bytes lost) when its token expires before its body has all arrived.
    pub(crate) async fn call_lasting<T, F, Fut>(&self, secs: i64, request: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let token = self.access_token(secs).await?;
        match request(token).await {
            Err(ApiError::Unauthenticated(_)) => {
                let token = self.refreshed_token().await?;
                let result = request(token).await;
                if let Err(ApiError::Unauthenticated(_)) = &result {
                    self.end(true);
                }
                result
            }
            other => other,
        }
    }

    async fn access_token(&self, lasting_secs: i64) -> Result<String, ApiError> {
        let current = self.tokens.session.borrow().clone();
        match current {
            None => Err(signed_out()),
            Some(session) if session.access_expires_within(lasting_secs) => {
                self.refreshed_token().await
            }
            Some(session) => Ok(session.access_token),
        }
    }

    /// A new access token, from the refresh under way or from a new one.
    async fn refreshed_token(&self) -> Result<String, ApiError> {
        let under_way = self.tokens.refreshing.borrow().clone();
        let promise = match under_way {
            Some(promise) => promise,
            None => {
                let handle = self.clone();
                let promise = future_to_promise(async move {
                    let result = handle.refresh().await;
                    handle.tokens.refreshing.borrow_mut().take();
                    result
                        .map(|token| JsValue::from_str(&token))
                        .map_err(JsValue::from_str)
                });
                *self.tokens.refreshing.borrow_mut() = Some(promise.clone());
                promise
            }
        };
        match JsFuture::from(promise).await {
            Ok(token) => token.as_string().ok_or(ApiError::Browser),
            Err(reason) if reason.as_string().as_deref() == Some(REFRESH_REFUSED) => {
                Err(signed_out())
            }
            Err(_) => Err(ApiError::Network),
        }
    }

    /// Spends the refresh token for a new pair. Fails with [`REFRESH_REFUSED`] (and ends the
    /// session) when the server refuses it, with [`REFRESH_UNREACHABLE`] otherwise.
    async fn refresh(&self) -> Result<String, &'static str> {
        let Some(ours) = self.tokens.session.borrow().clone() else {
            return Err(REFRESH_REFUSED);
        };
        // Another tab may have spent our refresh token already: take its result rather than
        // present the spent token, which would revoke the session.
        if let Some(stored) = Session::load()
            && stored.refresh_token != ours.refresh_token
            && !stored.access_expired()
        {
            let token = stored.access_token.clone();
            self.replace(stored);
            return Ok(token);
        }
        match api::auth::refresh(&ours.refresh_token).await {
            Ok(login) => {
                let session = Session::from_login(login);
                let token = session.access_token.clone();
                self.replace(session);
                Ok(token)
            }
            Err(ApiError::Unauthenticated(_)) => {
                self.end(true);
                Err(REFRESH_REFUSED)
            }
            Err(_) => Err(REFRESH_UNREACHABLE),
        }
    }

    fn replace(&self, session: Session) {
        session.store();
        *self.tokens.session.borrow_mut() = Some(session.clone());
        self.state.set(AuthState {
            session: Some(Rc::new(session)),
            expired: false,
        });
    }

    fn end(&self, expired: bool) {
        self.tokens.session.borrow_mut().take();
        LocalStorage::delete(STORAGE_KEY);
        self.state.set(AuthState {
            session: None,
            expired,
        });
    }

    fn update_user(&self, user: Me) {
        let current = self.tokens.session.borrow().clone();
        if let Some(session) = current
            && session.user != user
        {
            self.replace(Session { user, ..session });
        }
    }
}

/// The error of a call made without a session.
fn signed_out() -> ApiError {
    ApiError::Unauthenticated(ErrorBody {
        code: codes::UNAUTHENTICATED.to_owned(),
        message: String::new(),
        details: Vec::new(),
    })
}

#[derive(Properties, PartialEq)]
pub struct AuthProviderProps {
    pub children: Html,
}

/// Provides the session stored on this device, and refreshes its user from `GET /me` once.
#[component]
pub fn AuthProvider(props: &AuthProviderProps) -> Html {
    let stored = use_memo((), |_| Session::load());
    let state = use_state(|| AuthState {
        session: stored.as_ref().clone().map(Rc::new),
        expired: false,
    });
    let tokens = use_memo((), |_| Tokens {
        session: RefCell::new(stored.as_ref().clone()),
        refreshing: RefCell::default(),
    });
    let handle = AuthHandle { state, tokens };
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            if handle.session().is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    // Offline, the stored user is good enough.
                    if let Ok(user) = api::auth::me(&handle).await {
                        handle.update_user(user);
                    }
                });
            }
        });
    }
    html! {
        <ContextProvider<AuthHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<AuthHandle>>
    }
}

/// The session of the app.
#[hook]
pub fn use_auth() -> AuthHandle {
    use_context::<AuthHandle>().expect("use_auth() needs an <AuthProvider> above it")
}

#[derive(Properties, PartialEq)]
pub struct RequireSessionProps {
    /// Renders the page for the signed-in session.
    pub render: Callback<Rc<Session>, Html>,
}

/// Renders its page only for a signed-in user; sends anyone else to the login page.
#[component]
pub fn RequireSession(props: &RequireSessionProps) -> Html {
    match use_auth().session() {
        Some(session) => props.render.emit(session),
        None => html! { <Redirect<Route> to={Route::Login} /> },
    }
}

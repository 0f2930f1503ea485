//! Người dùng (admins only): the accounts of the agency and of the enterprises, a page at a
//! time; staff accounts created, their roles changed, accounts disabled and enabled again. A
//! change takes effect at once on the server (the user's sessions end).

mod strings;

use std::rc::Rc;

use kiemtra_shared::auth::{CreateUser, MIN_PASSWORD_CHARS, Role, UpdateUser, UserView};
use yew::prelude::*;

use super::field_errors::{FieldErrors, value_of};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use strings::UserStrings;

const PAGE_SIZE: u64 = 20;
/// The roles an admin gives to agency staff.
const STAFF_ROLES: [Role; 3] = [Role::Admin, Role::Reviewer, Role::Inspector];

#[derive(Properties, PartialEq)]
pub struct UsersPageProps {
    pub session: Rc<Session>,
}

#[component]
pub fn UsersPage(props: &UsersPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let words = UserStrings::of(use_lang().lang());
    let page = use_state(|| 1u64);
    let version = use_state(|| 0u32);
    let found = use_state(|| None::<Result<(Vec<UserView>, u64), ApiError>>);
    let creating = use_state(|| false);
    let notice = use_state(|| None::<(Tone, String)>);
    {
        let (found, auth) = (found.clone(), auth.clone());
        use_effect_with((*page, *version), move |(page, _)| {
            let page = *page;
            wasm_bindgen_futures::spawn_local(async move {
                found.set(Some(api::users::page(&auth, page, PAGE_SIZE).await));
            });
        });
    }
    let change = {
        let (auth, notice, version) = (auth.clone(), notice.clone(), version.clone());
        Callback::from(
            move |(user, update, what): (UserView, UpdateUser, String)| {
                let (auth, notice, version) = (auth.clone(), notice.clone(), version.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api::users::update(&auth, user.id, &update).await {
                        Ok(_) => notice.set(Some((
                            Tone::Success,
                            words.changed(&user.display_name, &what),
                        ))),
                        Err(error) => notice.set(Some((Tone::Error, error.user_message(strings)))),
                    }
                    version.set(*version + 1);
                });
            },
        )
    };
    let open = {
        let (creating, notice) = (creating.clone(), notice.clone());
        Callback::from(move |_| {
            notice.set(None);
            creating.set(true);
        })
    };
    let on_created = {
        let (creating, notice, version) = (creating.clone(), notice.clone(), version.clone());
        Callback::from(move |_| {
            creating.set(false);
            notice.set(Some((Tone::Success, words.created.to_owned())));
            version.set(*version + 1);
        })
    };
    let cancel = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(false))
    };
    let me = props.session.user.id;

    let table = match &*found {
        None => html! { <Loading text={strings.loading} /> },
        Some(Err(error)) => html! {
            <Notice tone={Tone::Error}><p>{ error.user_message(strings) }</p></Notice>
        },
        Some(Ok((users, total))) => {
            let pages = total.div_ceil(PAGE_SIZE).max(1);
            let to_page = |number: u64| {
                let page = page.clone();
                Callback::from(move |_| page.set(number))
            };
            html! {
                <>
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{ words.name }</th>
                                    <th scope="col">{ words.email }</th>
                                    <th scope="col">{ words.role }</th>
                                    <th scope="col">{ words.state }</th>
                                    <th scope="col">{ words.actions }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for users.iter().map(|user| {
                                    let staff = user.role != Role::Enterprise;
                                    let own = user.id == me;
                                    let on_role = {
                                        let (user, change) = (user.clone(), change.clone());
                                        Callback::from(move |event: Event| {
                                            let Some(role) = STAFF_ROLES.into_iter().find(|r| r.as_str() == value_of(&event)) else { return };
                                            change.emit((user.clone(), UpdateUser { role: Some(role), ..UpdateUser::default() },
                                                strings.role(role).to_owned()));
                                        })
                                    };
                                    let toggle = {
                                        let (user, change) = (user.clone(), change.clone());
                                        Callback::from(move |_| {
                                            let active = !user.active;
                                            change.emit((user.clone(), UpdateUser { active: Some(active), ..UpdateUser::default() },
                                                (if active { words.active } else { words.disabled }).to_owned()));
                                        })
                                    };
                                    html! {
                                        <tr key={user.id.to_string()} class={classes!((!user.active).then_some("row--muted"))}>
                                            <td>{ &user.display_name }if own { { " " }<span class="muted">{ words.you }</span> }</td>
                                            <td>{ &user.email }</td>
                                            <td>
                                                if staff && !own {
                                                    <select class="input input--compact" aria-label={words.role_of(&user.display_name)} onchange={on_role}>
                                                        { for STAFF_ROLES.into_iter().map(|role| html! {
                                                            <option value={role.as_str()} selected={role == user.role}>{ strings.role(role) }</option>
                                                        }) }
                                                    </select>
                                                } else {
                                                    { strings.role(user.role) }
                                                }
                                            </td>
                                            <td>{ if user.active { words.active } else { words.disabled } }</td>
                                            <td>
                                                if !own {
                                                    <button type="button" class={classes!("button", "button--small", user.active.then_some("button--danger"))}
                                                        onclick={toggle}>
                                                        { if user.active { words.disable } else { words.enable } }
                                                        <span class="visually-hidden">{ " " }{ &user.display_name }</span>
                                                    </button>
                                                }
                                            </td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label={words.pages}>
                        <button type="button" class="button button--small" disabled={*page <= 1}
                            onclick={to_page(page.saturating_sub(1))}>{ words.previous }</button>
                        <span class="pager__where">{ words.page_of(*page, pages, *total) }</span>
                        <button type="button" class="button button--small" disabled={*page >= pages}
                            onclick={to_page(*page + 1)}>{ words.next }</button>
                    </nav>
                </>
            }
        }
    };

    html! {
        <section class="registry" aria-labelledby="users-title">
            <div class="registry__head">
                <h1 id="users-title">{ words.title }</h1>
                <button type="button" class="button button--primary" onclick={open}>{ words.add }</button>
            </div>
            if let Some((tone, message)) = &*notice {
                <Notice tone={*tone}><p>{ message }</p></Notice>
            }
            if *creating {
                <CreateForm on_created={on_created} on_cancel={cancel} />
            }
            { table }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateFormProps {
    on_created: Callback<()>,
    on_cancel: Callback<MouseEvent>,
}

#[derive(Clone, PartialEq)]
struct Draft {
    name: String,
    email: String,
    role: Role,
    password: String,
}

#[component]
fn CreateForm(props: &CreateFormProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let words = UserStrings::of(use_lang().lang());
    let draft = use_state(|| Draft {
        name: String::new(),
        email: String::new(),
        role: Role::Inspector,
        password: String::new(),
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (draft, errors, busy, on_created, auth) = (
            draft.clone(),
            errors.clone(),
            busy.clone(),
            props.on_created.clone(),
            auth.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = FieldErrors::default();
            if draft.name.trim().is_empty() {
                found.add("display_name", words.need_text);
            }
            if draft.email.trim().is_empty() {
                found.add("email", words.need_text);
            }
            if draft.password.chars().count() < MIN_PASSWORD_CHARS {
                found.add("password", words.short_password);
            }
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let request = CreateUser {
                email: draft.email.trim().to_owned(),
                display_name: draft.name.trim().to_owned(),
                role: draft.role,
                password: draft.password.clone(),
            };
            errors.set(FieldErrors::default());
            busy.set(true);
            let (errors, busy, on_created, auth) = (
                errors.clone(),
                busy.clone(),
                on_created.clone(),
                auth.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::users::create(&auth, &request).await {
                    Ok(_) => on_created.emit(()),
                    Err(ApiError::Rejected { status: 409, .. }) => {
                        let mut found = FieldErrors::default();
                        found.add("email", words.email_taken);
                        errors.set(found);
                    }
                    Err(error) => errors.set(FieldErrors::from_api(
                        &error,
                        strings,
                        &["display_name", "email", "role", "password"],
                        |code| match code {
                            "invalid_email" => Some(words.bad_email),
                            "password_too_short" => Some(words.short_password),
                            "invalid_name" => Some(words.need_text),
                            _ => None,
                        },
                    )),
                }
                busy.set(false);
            });
        })
    };
    let field = |id: &'static str,
                 name: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: &str,
                 apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            apply(&mut next, value_of(&event));
            draft.set(next);
        });
        let error_id = format!("{id}-error");
        let (described, invalid) = errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label }</label>
                <input {id} class="input" type={kind} value={value.to_owned()} {oninput}
                    autocomplete="off" aria-describedby={described} aria-invalid={invalid} />
                { errors.show(name, &error_id) }
            </div>
        }
    };
    let on_role = {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            if let Some(role) = STAFF_ROLES
                .into_iter()
                .find(|r| r.as_str() == value_of(&event))
            {
                let mut next = (*draft).clone();
                next.role = role;
                draft.set(next);
            }
        })
    };
    html! {
        <form class="card form" {onsubmit} novalidate=true aria-labelledby="create-user-title">
            <h2 id="create-user-title">{ words.create_title }</h2>
            if let Some(message) = errors.get("") {
                <Notice tone={Tone::Error}><p>{ message }</p></Notice>
            }
            <div class="form-row">
                { field("user-name", "display_name", words.name, "text", &draft.name, |d, v| d.name = v) }
                { field("user-email", "email", words.email, "email", &draft.email, |d, v| d.email = v) }
            </div>
            <div class="form-row">
                <div class="field">
                    <label class="field__label" for="user-role">{ words.role }</label>
                    <select id="user-role" class="input" onchange={on_role}>
                        { for STAFF_ROLES.into_iter().map(|role| html! {
                            <option value={role.as_str()} selected={role == draft.role}>{ strings.role(role) }</option>
                        }) }
                    </select>
                </div>
                { field("user-password", "password", words.password, "password", &draft.password, |d, v| d.password = v) }
            </div>
            <p class="field__hint">{ words.password_hint }</p>
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled={*busy}>
                    { if *busy { words.saving } else { words.create } }
                </button>
                <button type="button" class="button" onclick={props.on_cancel.clone()}>{ words.cancel }</button>
            </div>
        </form>
    }
}

/// What a reviewer sees on this screen: accounts are the admin's.
#[component]
pub fn AdminsOnly() -> Html {
    let words = UserStrings::of(use_lang().lang());
    html! {
        <div class="card empty" role="alert">
            <h1>{ words.not_allowed_title }</h1>
            <p>{ words.not_allowed_text }</p>
            <a href="/agency" class="button button--primary">{ words.to_dashboard }</a>
        </div>
    }
}

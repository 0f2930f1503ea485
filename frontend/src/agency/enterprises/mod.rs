//! Doanh nghiệp: the enterprise register, searched by name or tax code a page at a time; an
//! enterprise added or edited; and a person invited to act for one, the invitation's link shown
//! to copy and send (kiemtra sends no mail).

mod strings;

use std::rc::Rc;

use kiemtra_shared::auth::{CreateInvite, EmailDelivery, InviteCreated};
use kiemtra_shared::enterprise::{CreateEnterprise, EnterpriseView, Page, UpdateEnterprise};
use kiemtra_shared::tax_code::TaxCode;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::field_errors::{FieldErrors, value_of};
use crate::api::{self, ApiError};
use crate::auth::{Session, use_auth};
use crate::components::format;
use crate::components::notice::{Loading, Notice, Tone};
use crate::i18n::{use_lang, use_strings};
use strings::RegisterStrings;

/// Lines a page.
const PAGE_SIZE: u64 = 20;

#[derive(Properties, PartialEq)]
pub struct EnterprisesPageProps {
    pub session: Rc<Session>,
}

/// What the panel under the search shows.
#[derive(Clone, PartialEq)]
enum Panel {
    None,
    Create,
    Edit(EnterpriseView),
    Invite(EnterpriseView),
}

#[component]
pub fn EnterprisesPage(_props: &EnterprisesPageProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let register = RegisterStrings::of(use_lang().lang());
    let typed = use_state(String::new);
    let search = use_state(|| (String::new(), 1u64));
    // Bumped to read the page again after a change.
    let version = use_state(|| 0u32);
    let found = use_state(|| None::<Result<Page<EnterpriseView>, ApiError>>);
    let panel = use_state(|| Panel::None);
    let notice = use_state(|| None::<String>);
    {
        let (found, auth) = (found.clone(), auth.clone());
        use_effect_with(((*search).clone(), *version), move |((q, page), _)| {
            let (q, page) = (q.clone(), *page);
            found.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                found.set(Some(
                    api::enterprises::search(&auth, &q, page, PAGE_SIZE).await,
                ));
            });
        });
    }
    let onsubmit = {
        let (typed, search) = (typed.clone(), search.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            search.set(((*typed).clone(), 1));
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| typed.set(value_of(&event)))
    };
    let open = |next: Panel| {
        let (panel, notice) = (panel.clone(), notice.clone());
        Callback::from(move |_| {
            notice.set(None);
            panel.set(next.clone());
        })
    };
    let close = {
        let panel = panel.clone();
        Callback::from(move |_| panel.set(Panel::None))
    };
    let done = {
        let (panel, notice, version) = (panel.clone(), notice.clone(), version.clone());
        Callback::from(move |message: &'static str| {
            panel.set(Panel::None);
            notice.set(Some(message.to_owned()));
            version.set(*version + 1);
        })
    };

    let table = match &*found {
        None => html! { <Loading text={strings.loading} /> },
        Some(Err(error)) => html! {
            <Notice tone={Tone::Error}><p>{ error.user_message(strings) }</p></Notice>
        },
        Some(Ok(page)) if page.items.is_empty() => html! {
            <div class="card empty"><p>{ register.none }</p></div>
        },
        Some(Ok(page)) => {
            let pages = page.total.div_ceil(PAGE_SIZE).max(1);
            let to_page = |number: u64| {
                let search = search.clone();
                Callback::from(move |_| search.set((search.0.clone(), number)))
            };
            html! {
                <>
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{ register.name }</th>
                                    <th scope="col">{ register.tax_code }</th>
                                    <th scope="col">{ register.province }</th>
                                    <th scope="col" class="table__number">{ register.headcount }</th>
                                    <th scope="col">{ register.actions }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for page.items.iter().map(|e| html! {
                                    <tr key={e.id.to_string()}>
                                        <td>{ &e.name }<div class="muted">{ &e.address }</div></td>
                                        <td class="nowrap">{ e.tax_code.as_str() }</td>
                                        <td>{ &e.province }</td>
                                        <td class="table__number">{ e.headcount.map(|h| h.to_string()).unwrap_or_default() }</td>
                                        <td>
                                            <div class="row-actions">
                                                <button type="button" class="button button--small"
                                                    onclick={open(Panel::Edit(e.clone()))}>
                                                    { register.edit }<span class="visually-hidden">{ " " }{ &e.name }</span>
                                                </button>
                                                <button type="button" class="button button--small button--secondary"
                                                    onclick={open(Panel::Invite(e.clone()))}>
                                                    { register.invite }<span class="visually-hidden">{ " " }{ &e.name }</span>
                                                </button>
                                            </div>
                                        </td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <nav class="pager" aria-label={register.pages}>
                        <button type="button" class="button button--small" disabled={page.page <= 1}
                            onclick={to_page(page.page.saturating_sub(1))}>{ register.previous }</button>
                        <span class="pager__where">{ register.page_of(page.page, pages, page.total) }</span>
                        <button type="button" class="button button--small" disabled={page.page >= pages}
                            onclick={to_page(page.page + 1)}>{ register.next }</button>
                    </nav>
                </>
            }
        }
    };

    let panel_view = match &*panel {
        Panel::None => html! {},
        Panel::Create => html! {
            <EnterpriseForm editing={None::<EnterpriseView>} on_done={done.clone()} on_cancel={close.clone()} />
        },
        Panel::Edit(enterprise) => html! {
            <EnterpriseForm key={enterprise.id.to_string()} editing={Some(enterprise.clone())}
                on_done={done.clone()} on_cancel={close.clone()} />
        },
        Panel::Invite(enterprise) => html! {
            <InviteForm key={enterprise.id.to_string()} enterprise={enterprise.clone()} on_cancel={close.clone()} />
        },
    };

    html! {
        <section class="registry" aria-labelledby="enterprises-title">
            <div class="registry__head">
                <h1 id="enterprises-title">{ register.title }</h1>
                <button type="button" class="button button--primary" onclick={open(Panel::Create)}>
                    { register.add }
                </button>
            </div>
            if let Some(message) = &*notice {
                <Notice tone={Tone::Success}><p>{ message }</p></Notice>
            }
            { panel_view }
            <form class="card search-form" role="search" {onsubmit}>
                <label class="field__label" for="register-search">{ register.search }</label>
                <div class="inline-field">
                    <input id="register-search" class="input" type="search" value={(*typed).clone()} {oninput} />
                    <button type="submit" class="button">{ register.search_button }</button>
                </div>
            </form>
            { table }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EnterpriseFormProps {
    /// The enterprise edited; none to add one.
    editing: Option<EnterpriseView>,
    on_done: Callback<&'static str>,
    on_cancel: Callback<MouseEvent>,
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    name: String,
    tax_code: String,
    address: String,
    province: String,
    industry_code: String,
    headcount: String,
}

const FIELDS: [&str; 6] = [
    "name",
    "tax_code",
    "address",
    "province",
    "industry_code",
    "headcount",
];

#[component]
fn EnterpriseForm(props: &EnterpriseFormProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let register = RegisterStrings::of(use_lang().lang());
    let editing = props.editing.clone();
    let draft = use_state(|| match &editing {
        Some(e) => Draft {
            name: e.name.clone(),
            tax_code: e.tax_code.as_str().to_owned(),
            address: e.address.clone(),
            province: e.province.clone(),
            industry_code: e.industry_code.clone().unwrap_or_default(),
            headcount: e.headcount.map(|h| h.to_string()).unwrap_or_default(),
        },
        None => Draft::default(),
    });
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (draft, errors, busy, on_done, auth) = (
            draft.clone(),
            errors.clone(),
            busy.clone(),
            props.on_done.clone(),
            auth.clone(),
        );
        let editing = editing.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = FieldErrors::default();
            for (field, value) in [
                ("name", &draft.name),
                ("address", &draft.address),
                ("province", &draft.province),
            ] {
                if value.trim().is_empty() {
                    found.add(field, register.need_text);
                }
            }
            let tax_code = TaxCode::parse(draft.tax_code.trim());
            if editing.is_none() && tax_code.is_err() {
                found.add("tax_code", register.bad_tax_code);
            }
            let headcount = match draft.headcount.trim() {
                "" => Ok(None),
                text => text.parse::<u32>().map(Some),
            };
            if headcount.is_err() {
                found.add("headcount", register.bad_headcount);
            }
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let headcount = headcount.unwrap_or_default();
            let industry_code =
                Some(draft.industry_code.trim().to_owned()).filter(|c| !c.is_empty());
            errors.set(FieldErrors::default());
            busy.set(true);
            let (draft, errors, busy, on_done, auth, editing) = (
                (*draft).clone(),
                errors.clone(),
                busy.clone(),
                on_done.clone(),
                auth.clone(),
                editing.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = match (&editing, tax_code) {
                    (Some(e), _) => api::enterprises::update(
                        &auth,
                        e.id,
                        &UpdateEnterprise {
                            name: Some(draft.name.trim().to_owned()),
                            address: Some(draft.address.trim().to_owned()),
                            province: Some(draft.province.trim().to_owned()),
                            industry_code,
                            headcount,
                            contact: None,
                        },
                    )
                    .await
                    .map(|_| register.saved),
                    (None, Ok(tax_code)) => api::enterprises::create(
                        &auth,
                        &CreateEnterprise {
                            name: draft.name.trim().to_owned(),
                            tax_code,
                            address: draft.address.trim().to_owned(),
                            province: draft.province.trim().to_owned(),
                            industry_code,
                            headcount,
                            contact: None,
                        },
                    )
                    .await
                    .map(|_| register.created),
                    (None, Err(_)) => return,
                };
                busy.set(false);
                match result {
                    Ok(message) => on_done.emit(message),
                    Err(ApiError::Rejected { status: 409, .. }) => {
                        let mut found = FieldErrors::default();
                        found.add("tax_code", register.tax_code_taken);
                        errors.set(found);
                    }
                    Err(error) => {
                        errors.set(FieldErrors::from_api(&error, strings, &FIELDS, |code| {
                            (code == "invalid_length").then_some(register.need_text)
                        }))
                    }
                }
            });
        })
    };
    let field = |id: &'static str,
                 name: &'static str,
                 label: &'static str,
                 value: &str,
                 optional: bool,
                 apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        let onchange = Callback::from(move |event: Event| {
            let mut next = (*draft).clone();
            apply(&mut next, value_of(&event));
            draft.set(next);
        });
        let error_id = format!("{id}-error");
        let (described, invalid) = errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>
                    { label }
                    if optional { { " " }<span class="muted">{ register.optional }</span> }
                </label>
                <input {id} class="input" type="text" value={value.to_owned()} {onchange}
                    aria-describedby={described} aria-invalid={invalid} />
                { errors.show(name, &error_id) }
            </div>
        }
    };
    let title = if editing.is_some() {
        register.edit_title
    } else {
        register.create_title
    };
    html! {
        <form class="card form" onsubmit={onsubmit} novalidate=true aria-labelledby="enterprise-form-title">
            <h2 id="enterprise-form-title">
                { title }
                if let Some(e) = &editing { { ": " }{ &e.name } }
            </h2>
            if let Some(message) = errors.get("") {
                <Notice tone={Tone::Error}><p>{ message }</p></Notice>
            }
            { field("enterprise-name", "name", register.name, &draft.name, false, |d, v| d.name = v) }
            if editing.is_none() {
                { field("enterprise-tax-code", "tax_code", register.tax_code, &draft.tax_code, false, |d, v| d.tax_code = v) }
                <p class="field__hint">{ register.tax_code_hint }</p>
            }
            { field("enterprise-address", "address", register.address, &draft.address, false, |d, v| d.address = v) }
            <div class="form-row">
                { field("enterprise-province", "province", register.province, &draft.province, false, |d, v| d.province = v) }
                { field("enterprise-industry", "industry_code", register.industry_code, &draft.industry_code, true, |d, v| d.industry_code = v) }
                { field("enterprise-headcount", "headcount", register.headcount, &draft.headcount, true, |d, v| d.headcount = v) }
            </div>
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled={*busy}>
                    { if *busy { register.saving } else if editing.is_some() { register.save } else { register.create } }
                </button>
                <button type="button" class="button" onclick={props.on_cancel.clone()}>{ register.cancel }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct InviteFormProps {
    enterprise: EnterpriseView,
    on_cancel: Callback<MouseEvent>,
}

#[component]
fn InviteForm(props: &InviteFormProps) -> Html {
    let auth = use_auth();
    let strings = use_strings();
    let register = RegisterStrings::of(use_lang().lang());
    let email = use_state(String::new);
    let person = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let made = use_state(|| None::<InviteCreated>);
    let copied = use_state(|| None::<bool>);
    let id = props.enterprise.id;
    let onsubmit = {
        let (email, person, errors, busy, made, copied, auth) = (
            email.clone(),
            person.clone(),
            errors.clone(),
            busy.clone(),
            made.clone(),
            copied.clone(),
            auth.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = FieldErrors::default();
            if email.trim().is_empty() {
                found.add("email", register.need_text);
            }
            if person.trim().is_empty() {
                found.add("display_name", register.need_text);
            }
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let invite = CreateInvite {
                email: email.trim().to_owned(),
                display_name: person.trim().to_owned(),
            };
            errors.set(FieldErrors::default());
            busy.set(true);
            let (errors, busy, made, copied, auth) = (
                errors.clone(),
                busy.clone(),
                made.clone(),
                copied.clone(),
                auth.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::enterprises::invite(&auth, id, &invite).await {
                    Ok(created) => {
                        copied.set(None);
                        made.set(Some(created));
                    }
                    Err(ApiError::Rejected { status: 409, .. }) => {
                        let mut found = FieldErrors::default();
                        found.add("email", register.email_taken);
                        errors.set(found);
                    }
                    Err(ApiError::Forbidden(body)) if body.code == "enterprise_not_inspected" => {
                        let mut found = FieldErrors::default();
                        found.add("", register.not_inspected);
                        errors.set(found);
                    }
                    Err(error) => errors.set(FieldErrors::from_api(
                        &error,
                        strings,
                        &["email", "display_name"],
                        |code| match code {
                            "invalid_email" => Some(register.bad_email),
                            "invalid_name" => Some(register.need_text),
                            _ => None,
                        },
                    )),
                }
                busy.set(false);
            });
        })
    };
    let text = |id: &'static str,
                name: &'static str,
                label: &'static str,
                kind: &'static str,
                state: &UseStateHandle<String>| {
        let state2 = state.clone();
        let oninput = Callback::from(move |event: InputEvent| state2.set(value_of(&event)));
        let error_id = format!("{id}-error");
        let (described, invalid) = errors.described(name, &error_id);
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label }</label>
                <input {id} class="input" type={kind} value={(**state).clone()} {oninput}
                    aria-describedby={described} aria-invalid={invalid} />
                { errors.show(name, &error_id) }
            </div>
        }
    };
    let link = made.as_ref().map(|created| {
        let origin = gloo::utils::window()
            .location()
            .origin()
            .unwrap_or_default();
        (
            format!("{origin}{}", created.accept_path),
            created.expires_at,
            match created.email_delivery {
                EmailDelivery::Sent => register.invite_emailed,
                EmailDelivery::Failed => register.invite_email_failed,
                EmailDelivery::Pending => register.invite_email_pending,
                EmailDelivery::NotConfigured => register.invite_made,
            },
        )
    });
    let copy = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_| {
            let (link, copied) = (link.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Some((text, ..)) = link {
                    copied.set(Some(copy_text(&text).await));
                }
            });
        })
    };
    html! {
        <section class="card form" aria-labelledby="invite-title">
            <h2 id="invite-title">{ register.invite_title }{ ": " }{ &props.enterprise.name }</h2>
            if let Some((url, expires, made_text)) = &link {
                <Notice tone={if made.as_ref().is_some_and(|c| c.email_delivery == EmailDelivery::Failed) { Tone::Info } else { Tone::Success }}>
                    <p>{ *made_text }</p>
                </Notice>
                <div class="field">
                    <label class="field__label" for="invite-link">{ register.invite_link }</label>
                    <div class="inline-field">
                        <input id="invite-link" class="input" type="text" readonly=true value={url.clone()} />
                        <button type="button" class="button button--primary" onclick={copy}>{ register.copy }</button>
                    </div>
                    <p class="invite-link"><code>{ url }</code></p>
                    <p class="field__hint">{ register.valid_until(&format::date_time(*expires)) }</p>
                    if let Some(ok) = *copied {
                        <p role="status" class={if ok { "copy-ok" } else { "field__error" }}>
                            { if ok { register.copied } else { register.copy_failed } }
                        </p>
                    }
                </div>
                <div class="form__actions">
                    <button type="button" class="button" onclick={props.on_cancel.clone()}>{ register.close }</button>
                </div>
            } else {
                <form {onsubmit} novalidate=true class="form">
                    if let Some(message) = errors.get("") {
                        <Notice tone={Tone::Error}><p>{ message }</p></Notice>
                    }
                    <div class="form-row">
                        { text("invite-person", "display_name", register.person, "text", &person) }
                        { text("invite-email", "email", register.email, "email", &email) }
                    </div>
                    <div class="form__actions">
                        <button type="submit" class="button button--primary" disabled={*busy}>
                            { if *busy { register.saving } else { register.send_invite } }
                        </button>
                        <button type="button" class="button" onclick={props.on_cancel.clone()}>{ register.cancel }</button>
                    </div>
                </form>
            }
        </section>
    }
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`, reached as properties so
/// the bundle needs no more of web-sys); whether the browser let it.
async fn copy_text(text: &str) -> bool {
    let navigator = gloo::utils::window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Some(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Some(promise) = write
        .call1(&clipboard, &text.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

//! Choosing an enterprise of the register by typing part of its name or its tax code: the
//! planning form and the inspection list's filter.

use std::cell::RefCell;
use std::rc::Rc;

use kiemtra_shared::enterprise::EnterpriseView;
use yew::prelude::*;

use super::field_errors::value_of;
use crate::api;
use crate::auth::use_auth;
use crate::i18n::{Lang, use_lang};

/// How many matches the picker offers at once.
const OFFERED: u64 = 8;

struct PickerStrings {
    placeholder: &'static str,
    change: &'static str,
    results: &'static str,
    none: &'static str,
    tax_code: &'static str,
}

const VI: PickerStrings = PickerStrings {
    placeholder: "Tên hoặc mã số thuế",
    change: "Chọn doanh nghiệp khác",
    results: "Doanh nghiệp tìm thấy",
    none: "Không tìm thấy doanh nghiệp nào.",
    tax_code: "MST",
};

const EN: PickerStrings = PickerStrings {
    placeholder: "Name or tax code",
    change: "Choose another enterprise",
    results: "Enterprises found",
    none: "No enterprise found.",
    tax_code: "Tax code",
};

impl PickerStrings {
    fn of(lang: Lang) -> &'static PickerStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct EnterprisePickerProps {
    /// The id of the search input (its label points at it).
    pub id: AttrValue,
    pub label: AttrValue,
    pub selected: Option<EnterpriseView>,
    pub on_select: Callback<Option<EnterpriseView>>,
    #[prop_or_default]
    pub error: Option<String>,
}

#[component]
pub fn EnterprisePicker(props: &EnterprisePickerProps) -> Html {
    let auth = use_auth();
    let strings = PickerStrings::of(use_lang().lang());
    let query = use_state(String::new);
    // The matches of the last search, with the text they were found for.
    let found = use_state(|| None::<(String, Vec<Match>)>);
    let latest = use_mut_ref(String::new);
    {
        let (found, latest) = (found.clone(), latest.clone());
        use_effect_with((*query).clone(), move |query| {
            *latest.borrow_mut() = query.clone();
            let query = query.trim().to_owned();
            if query.is_empty() {
                found.set(None);
            } else {
                search(auth, query, found, latest);
            }
        });
    }
    let error_id = format!("{}-error", props.id);
    let error = props.error.as_ref().map(|message| {
        html! { <p class="field__error" id={error_id.clone()}>{ message }</p> }
    });
    if let Some(chosen) = &props.selected {
        let clear = {
            let (on_select, query) = (props.on_select.clone(), query.clone());
            Callback::from(move |_| {
                query.set(String::new());
                on_select.emit(None);
            })
        };
        return html! {
            <div class="field picker">
                <span class="field__label" id={format!("{}-label", props.id)}>{ &props.label }</span>
                <div class="picker__chosen">
                    <span>
                        <strong>{ &chosen.name }</strong>
                        { " · " }{ strings.tax_code }{ " " }{ chosen.tax_code.as_str() }
                    </span>
                    <button type="button" class="button button--small"
                        aria-describedby={format!("{}-label", props.id)} onclick={clear}>
                        { strings.change }
                    </button>
                </div>
                { error.unwrap_or_default() }
            </div>
        };
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| query.set(value_of(&event)))
    };
    let results = match &*found {
        Some((_, list)) if list.is_empty() => html! { <p class="muted">{ strings.none }</p> },
        Some((_, list)) => html! {
            <ul class="picker__results" aria-label={strings.results}>
                { for list.iter().map(|enterprise| {
                    let pick = {
                        let (on_select, enterprise) = (props.on_select.clone(), enterprise.0.clone());
                        Callback::from(move |_| on_select.emit(Some(enterprise.clone())))
                    };
                    html! {
                        <li key={enterprise.0.id.to_string()}>
                            <button type="button" class="picker__option" onclick={pick}>
                                <strong>{ &enterprise.0.name }</strong>
                                <span class="muted">
                                    { strings.tax_code }{ " " }{ enterprise.0.tax_code.as_str() }
                                    { " · " }{ &enterprise.0.province }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        },
        None => html! {},
    };
    html! {
        <div class="field picker">
            <label class="field__label" for={props.id.clone()}>{ &props.label }</label>
            <input id={props.id.clone()} class="input" type="search" autocomplete="off"
                placeholder={strings.placeholder} value={(*query).clone()} {oninput}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then_some(error_id.clone())} />
            { results }
            { error.unwrap_or_default() }
        </div>
    }
}

/// One match (wrapped so that the list's items compare cheaply).
#[derive(Clone, PartialEq)]
struct Match(EnterpriseView);

fn search(
    auth: crate::auth::AuthHandle,
    query: String,
    found: UseStateHandle<Option<(String, Vec<Match>)>>,
    latest: Rc<RefCell<String>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(page) = api::enterprises::search(&auth, &query, 1, OFFERED).await else {
            return;
        };
        // A slower answer to an earlier text must not replace the latest one's.
        if latest.borrow().trim() != query {
            return;
        }
        found.set(Some((query, page.items.into_iter().map(Match).collect())));
    });
}

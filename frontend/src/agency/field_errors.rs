//! The errors of a form, each shown at its field: the server's 422 names the fields
//! (`member_ids[1]` counts as `member_ids`), and a form adds its own checks before sending.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::api::ApiError;
use crate::i18n::Strings;

/// Field → message; what the server said about no field of the form goes under `""`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    /// The fields the server named, each with the form's words for its code (`words`) or
    /// else the server's message; `known` are the form's fields (the rest, and a refusal naming
    /// none, go to the form as a whole, in the interface's words).
    pub fn from_api(
        error: &ApiError,
        strings: &Strings,
        known: &[&str],
        words: impl Fn(&str) -> Option<&'static str>,
    ) -> FieldErrors {
        let mut errors = FieldErrors::default();
        let mut general = Vec::new();
        if let Some(body) = error.body() {
            for detail in &body.details {
                let field = detail.field.split('[').next().unwrap_or_default();
                let message = words(&detail.code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| detail.message.clone());
                if known.contains(&field) {
                    errors.add(field, message);
                } else {
                    general.push(message);
                }
            }
        }
        if errors.is_empty() || !general.is_empty() {
            let mut message = match error.body().and_then(|b| strings.error(&b.code)) {
                Some(text) => text.to_owned(),
                None => error.user_message(strings),
            };
            for line in general {
                message.push_str("\n• ");
                message.push_str(&line);
            }
            errors.add("", message);
        }
        errors
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// The message of a field as its paragraph, with the id its input names in
    /// `aria-describedby`.
    pub fn show(&self, field: &str, id: &str) -> Html {
        match self.get(field) {
            Some(message) => html! { <p class="field__error" id={id.to_owned()}>{ message }</p> },
            None => html! {},
        }
    }

    /// `aria-describedby` and `aria-invalid` for an input of `field` whose message is `id`.
    pub fn described(&self, field: &str, id: &str) -> (Option<String>, Option<&'static str>) {
        if self.get(field).is_some() {
            (Some(id.to_owned()), Some("true"))
        } else {
            (None, None)
        }
    }
}

/// The value of the input, select or textarea an event came from (read as a property, so
/// one function serves the three elements).
pub fn value_of(event: &Event) -> String {
    event
        .target()
        .and_then(|target| js_sys::Reflect::get(&target, &"value".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is checked.
pub fn checked_of(event: &Event) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

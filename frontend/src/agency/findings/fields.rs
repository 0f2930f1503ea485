//! The form fields of the agency screens' small forms: a labelled input or text area with its
//! hint and the server's message for it.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// Unique in the page: the input's id.
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub multiline: bool,
    /// `text` unless given (`date`).
    #[prop_or_default]
    pub kind: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// What is wrong with the value (shown under it, and the field marked invalid).
    #[prop_or_default]
    pub error: Option<String>,
}

#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let error_id = format!("{}-error", props.id);
    let described: Vec<&str> = [
        props.hint.as_ref().map(|_| hint_id.as_str()),
        props.error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = props.error.is_some().then_some("true");
    let input = if props.multiline {
        let on_change = props.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        });
        html! {
            <textarea id={props.id.clone()} class="input" rows="3" value={props.value.clone()}
                {oninput} required={props.required} aria-invalid={invalid}
                aria-describedby={described} />
        }
    } else {
        let on_change = props.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_change.emit(input.value());
        });
        let kind = props.kind.clone().unwrap_or_else(|| "text".into());
        html! {
            <input id={props.id.clone()} class="input" type={kind} value={props.value.clone()}
                {oninput} required={props.required} aria-invalid={invalid}
                aria-describedby={described} />
        }
    };
    html! {
        <div class="field">
            <label class="field__label" for={props.id.clone()}>{ &props.label }</label>
            { input }
            if let Some(hint) = &props.hint {
                <span class="field__hint" id={hint_id.clone()}>{ hint }</span>
            }
            if let Some(error) = &props.error {
                <span class="field__error" id={error_id.clone()}>{ error }</span>
            }
        </div>
    }
}

/// What to say at `field` when a 422 named it: `required` in the interface's language, any
/// other refusal in the server's words.
pub fn field_error(
    error: &Option<crate::api::ApiError>,
    field: &str,
    required: &str,
) -> Option<String> {
    error
        .as_ref()?
        .body()?
        .details
        .iter()
        .find(|detail| detail.field == field)
        .map(|detail| match detail.code.as_str() {
            "required" => required.to_owned(),
            _ => detail.message.clone(),
        })
}

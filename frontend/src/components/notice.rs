//! Messages shown in a page: errors, successes and loading states.

use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Error,
    Success,
    Info,
}

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub tone: Tone,
    pub children: Html,
}

/// A message box. Errors are announced to screen readers at once (`role=alert`).
#[component]
pub fn Notice(props: &NoticeProps) -> Html {
    let (class, role) = match props.tone {
        Tone::Error => ("notice notice--error", "alert"),
        Tone::Success => ("notice notice--success", "status"),
        Tone::Info => ("notice notice--info", "status"),
    };
    html! { <div {class} {role}>{ props.children.clone() }</div> }
}

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    pub text: AttrValue,
}

#[component]
pub fn Loading(props: &LoadingProps) -> Html {
    html! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{ &props.text }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NotAllowedProps {
    pub title: &'static str,
    pub text: &'static str,
    /// The label of the way back to the user's own screens (`/`, which sends each role to its own).
    pub back: &'static str,
}

/// What a signed-in user sees on a screen of another role's bundle (the server refuses them the
/// data as well).
#[component]
pub fn NotAllowed(props: &NotAllowedProps) -> Html {
    html! {
        <div class="card empty" role="alert">
            <h1>{ props.title }</h1>
            <p>{ props.text }</p>
            <a href="/" class="button button--primary">{ props.back }</a>
        </div>
    }
}

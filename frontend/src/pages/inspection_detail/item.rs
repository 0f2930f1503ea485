//! The heading of a checklist item, the same when filling in and when reading.

use kiemtra_shared::template::Item;
use yew::prelude::*;

use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct ItemHeadingProps {
    pub item: Item,
    /// Shown as the item's number, e.g. `1.2`.
    pub number: AttrValue,
    /// The id of the heading, for `aria-labelledby`.
    pub heading_id: AttrValue,
}

#[component]
pub fn ItemHeading(props: &ItemHeadingProps) -> Html {
    let strings = use_strings();
    let item = &props.item;
    html! {
        <div class="item__heading">
            <h4 class="item__label" id={props.heading_id.clone()}>
                <span class="item__number">{ &props.number }</span>
                { strings.label(&item.label) }
            </h4>
            if item.required {
                <span class="tag tag--required">{ strings.required }</span>
            }
            if let Some(basis) = &item.legal_basis {
                <p class="item__legal">{ strings.legal_basis }{ ": " }{ basis }</p>
            }
        </div>
    }
}

/// A DOM id for an item key (keys contain dots).
pub fn dom_id(prefix: &str, key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{key}")
}

//! The heading of a checklist item, when filling in and when reading: its number, label and
//! legal basis; when filling in, also whether it is required and how to check it.

use kiemtra_shared::template::{Item, ItemKind};
use yew::prelude::*;

use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct ItemHeadingProps {
    pub item: Item,
    /// Shown as the item's number, e.g. `1.2`.
    pub number: AttrValue,
    /// The id of the heading, for `aria-labelledby`.
    pub heading_id: AttrValue,
    /// Read-only: what guides filling in (required, help) is left out.
    #[prop_or_default]
    pub reading: bool,
}

#[component]
pub fn ItemHeading(props: &ItemHeadingProps) -> Html {
    let strings = use_strings();
    let item = &props.item;
    // A measurement shows its limit's reference with the limit itself.
    let legal_basis = item
        .legal_basis
        .as_ref()
        .filter(|_| !matches!(item.kind, ItemKind::Measurement(_)));
    html! {
        <div class="item__heading">
            <h4 class="item__label" id={props.heading_id.clone()}>
                <span class="item__number">{ &props.number }</span>
                { strings.label(&item.label) }
            </h4>
            if item.required && !props.reading {
                <span class="tag tag--required">{ strings.required }</span>
            }
            if let Some(help) = item.help.as_ref().filter(|_| !props.reading) {
                <p class="item__help">{ strings.label(help) }</p>
            }
            if let Some(basis) = legal_basis {
                <p class="item__legal">{ strings.legal_basis }{ ": " }{ basis }</p>
            }
        </div>
    }
}

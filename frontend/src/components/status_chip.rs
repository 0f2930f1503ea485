//! The status of an inspection as a coloured chip.

use kiemtra_shared::inspection::InspectionStatus;
use yew::prelude::*;

use crate::i18n::use_strings;

#[derive(Properties, PartialEq)]
pub struct StatusChipProps {
    pub status: InspectionStatus,
}

#[component]
pub fn StatusChip(props: &StatusChipProps) -> Html {
    let strings = use_strings();
    let class = format!("chip chip--{}", props.status.as_str());
    html! { <span {class}>{ strings.status(props.status) }</span> }
}

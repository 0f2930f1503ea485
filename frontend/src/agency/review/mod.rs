//! Reviewing evidence: the record of one inspection (`/agency/inspections/:id`: answers by
//! section with the non-compliances, every piece of evidence with its decisions) and the review
//! queue across the agency (`/agency/queue`). Both list evidence through [`list::ReviewList`],
//! with the same cards, decisions and keyboard shortcuts.

mod list;
mod preview;
mod queue;
mod record;
mod strings;
mod thumb;

use yew::prelude::*;

use crate::i18n::use_lang;
pub use queue::QueuePage;
pub use record::RecordPage;
pub use strings::ReviewStrings;

/// The texts of the review screens in `lang` (for the navigation, outside any hook).
pub fn strings_of(lang: crate::i18n::Lang) -> &'static ReviewStrings {
    ReviewStrings::of(lang)
}

/// The texts of the review screens in the chosen language.
#[hook]
pub fn use_review_strings() -> &'static ReviewStrings {
    ReviewStrings::of(use_lang().lang())
}

//! The tab bar of one inspection's agency screens: its record (review), its findings and
//! corrective actions, and its plan. Plain links, so that each screen stays its own route.

use uuid::Uuid;
use yew::prelude::*;

use crate::i18n::{Lang, use_lang};

/// Which screen of the inspection is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionTab {
    /// Hồ sơ: answers, evidence and review decisions (`/agency/inspections/:id`).
    Record,
    /// Vi phạm & khắc phục (`/agency/inspections/:id/findings`).
    Findings,
    /// Kế hoạch (`/agency/inspections/:id/plan`).
    Plan,
}

impl InspectionTab {
    const ALL: [InspectionTab; 3] = [
        InspectionTab::Record,
        InspectionTab::Findings,
        InspectionTab::Plan,
    ];

    /// The URL of this tab of the inspection `id`.
    pub fn href(self, id: Uuid) -> String {
        match self {
            InspectionTab::Record => format!("/agency/inspections/{id}"),
            InspectionTab::Findings => format!("/agency/inspections/{id}/findings"),
            InspectionTab::Plan => format!("/agency/inspections/{id}/plan"),
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (InspectionTab::Record, Lang::Vi) => "Hồ sơ",
            (InspectionTab::Record, Lang::En) => "Record",
            (InspectionTab::Findings, Lang::Vi) => "Vi phạm & khắc phục",
            (InspectionTab::Findings, Lang::En) => "Findings & fixes",
            (InspectionTab::Plan, Lang::Vi) => "Kế hoạch",
            (InspectionTab::Plan, Lang::En) => "Plan",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectionTabsProps {
    pub inspection_id: Uuid,
    pub current: InspectionTab,
}

/// The tabs of an inspection, the current one marked for assistive technology.
#[component]
pub fn InspectionTabs(props: &InspectionTabsProps) -> Html {
    let lang = use_lang().lang();
    let name = match lang {
        Lang::Vi => "Các phần của cuộc thanh tra",
        Lang::En => "Parts of the inspection",
    };
    html! {
        <nav class="inspection-tabs" aria-label={name}>
            <ul>
                { for InspectionTab::ALL.iter().map(|&tab| {
                    let current = tab == props.current;
                    html! {
                        <li>
                            <a href={tab.href(props.inspection_id)}
                                class={classes!("inspection-tabs__tab", current.then_some("inspection-tabs__tab--current"))}
                                aria-current={current.then_some("page")}>
                                { tab.label(lang) }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}

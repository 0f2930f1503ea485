//! The tab bar of one inspection's agency screens: its record (review), its findings and
//! corrective actions, and its plan. Router links: each screen is its own route, and moving
//! between them does not reload the app.

use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::AgencyRoute;

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

    /// The route of this tab of the inspection `id`.
    pub fn route(self, id: Uuid) -> AgencyRoute {
        match self {
            InspectionTab::Record => AgencyRoute::Inspection { id },
            InspectionTab::Findings => AgencyRoute::Findings { id },
            InspectionTab::Plan => AgencyRoute::Plan { id },
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
                            <Link<AgencyRoute> to={tab.route(props.inspection_id)}
                                classes={classes!("inspection-tabs__tab", current.then_some("inspection-tabs__tab--current"))}>
                                <span aria-current={current.then_some("page")}>{ tab.label(lang) }</span>
                            </Link<AgencyRoute>>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}

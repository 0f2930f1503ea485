//! Texts of the agency screens, Vietnamese first, in their own table so that the phone's
//! download does not carry them.

use crate::i18n::Lang;

#[derive(Debug, PartialEq)]
pub struct AgencyStrings {
    pub lang: Lang,
    pub navigation: &'static str,
    pub dashboard: &'static str,
    pub inspections: &'static str,
    pub enterprises: &'static str,
    pub users: &'static str,
    pub dashboard_title: &'static str,
    pub by_status: &'static str,
    pub evidence_awaiting: &'static str,
    pub due_this_week: &'static str,
    pub overdue: &'static str,
    pub overdue_none: &'static str,
    pub enterprise: &'static str,
    pub decision_number: &'static str,
    pub action: &'static str,
    pub due_date: &'static str,
    pub days_late: &'static str,
    pub counted_on: &'static str,
    pub not_allowed_title: &'static str,
    pub not_allowed_text: &'static str,
    pub to_my_work: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub to_dashboard: &'static str,
    pub main_content: &'static str,
}

impl AgencyStrings {
    pub fn of(lang: Lang) -> &'static AgencyStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    pub fn more_overdue(&self, more: u64) -> String {
        match self.lang {
            Lang::Vi => format!("và {more} hành động quá hạn khác"),
            Lang::En => format!("and {more} more overdue actions"),
        }
    }
}

static VI: AgencyStrings = AgencyStrings {
    lang: Lang::Vi,
    navigation: "Điều hướng",
    dashboard: "Tổng quan",
    inspections: "Cuộc thanh tra",
    enterprises: "Doanh nghiệp",
    users: "Người dùng",
    dashboard_title: "Tổng quan",
    by_status: "Cuộc thanh tra theo trạng thái",
    evidence_awaiting: "Chứng cứ chờ duyệt",
    due_this_week: "Khắc phục đến hạn trong 7 ngày",
    overdue: "Khắc phục quá hạn",
    overdue_none: "Không có hành động khắc phục nào quá hạn.",
    enterprise: "Doanh nghiệp",
    decision_number: "Số quyết định",
    action: "Yêu cầu khắc phục",
    due_date: "Hạn",
    days_late: "Số ngày trễ",
    counted_on: "Số liệu ngày",
    not_allowed_title: "Không có quyền truy cập",
    not_allowed_text: "Màn hình này dành cho người duyệt và quản trị viên của cơ quan thanh tra.",
    to_my_work: "Về trang của tôi",
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Đường dẫn này không có trong màn hình của cơ quan.",
    to_dashboard: "Về tổng quan",
    main_content: "Nội dung chính",
};

static EN: AgencyStrings = AgencyStrings {
    lang: Lang::En,
    navigation: "Navigation",
    dashboard: "Overview",
    inspections: "Inspections",
    enterprises: "Enterprises",
    users: "Users",
    dashboard_title: "Overview",
    by_status: "Inspections by status",
    evidence_awaiting: "Evidence awaiting review",
    due_this_week: "Fixes due within 7 days",
    overdue: "Overdue fixes",
    overdue_none: "No corrective action is overdue.",
    enterprise: "Enterprise",
    decision_number: "Decision number",
    action: "Corrective action",
    due_date: "Due",
    days_late: "Days late",
    counted_on: "Figures of",
    not_allowed_title: "Not allowed",
    not_allowed_text: "This screen is for the inspectorate's reviewers and administrators.",
    to_my_work: "Back to my work",
    not_found_title: "Page not found",
    not_found_text: "The agency screens have no such page.",
    to_dashboard: "Back to the overview",
    main_content: "Main content",
};

//! Texts of the inspection list (Cuộc thanh tra), Vietnamese first.

use crate::i18n::Lang;

pub struct ListStrings {
    pub lang: Lang,
    pub title: &'static str,
    pub plan_new: &'static str,
    pub filters: &'static str,
    pub status: &'static str,
    pub enterprise: &'static str,
    pub campaign: &'static str,
    pub decision_number: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub apply: &'static str,
    pub clear: &'static str,
    pub dates: &'static str,
    pub evidence_waiting: &'static str,
    pub findings: &'static str,
    pub open_actions: &'static str,
    pub plan: &'static str,
    pub none: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub proposed: &'static str,
    pub tax_code: &'static str,
}

impl ListStrings {
    pub fn of(lang: Lang) -> &'static ListStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// "Trang 2/5 · 93 cuộc thanh tra".
    pub fn page_of(&self, page: u64, pages: u64, total: u64) -> String {
        match self.lang {
            Lang::Vi => format!("Trang {page}/{pages} · {total} cuộc thanh tra"),
            Lang::En => format!("Page {page} of {pages} · {total} inspections"),
        }
    }
}

static VI: ListStrings = ListStrings {
    lang: Lang::Vi,
    title: "Cuộc thanh tra",
    plan_new: "Lập kế hoạch",
    filters: "Lọc danh sách",
    status: "Trạng thái",
    enterprise: "Doanh nghiệp",
    campaign: "Chuyên đề",
    decision_number: "Số quyết định",
    from: "Từ ngày",
    to: "Đến ngày",
    apply: "Lọc",
    clear: "Bỏ lọc",
    dates: "Thời gian",
    evidence_waiting: "Chứng cứ chờ duyệt",
    findings: "Vi phạm",
    open_actions: "Khắc phục chưa xong",
    plan: "Kế hoạch",
    none: "Không có cuộc thanh tra nào khớp bộ lọc.",
    previous: "Trang trước",
    next: "Trang sau",
    pages: "Các trang",
    proposed: "đề xuất",
    tax_code: "MST",
};

static EN: ListStrings = ListStrings {
    lang: Lang::En,
    title: "Inspections",
    plan_new: "Plan an inspection",
    filters: "Filter the list",
    status: "Status",
    enterprise: "Enterprise",
    campaign: "Campaign",
    decision_number: "Decision number",
    from: "From",
    to: "To",
    apply: "Filter",
    clear: "Clear filters",
    dates: "Dates",
    evidence_waiting: "Evidence awaiting review",
    findings: "Findings",
    open_actions: "Open corrective actions",
    plan: "Plan",
    none: "No inspection matches the filters.",
    previous: "Previous page",
    next: "Next page",
    pages: "Pages",
    proposed: "proposed",
    tax_code: "Tax code",
};

//! Texts of planning (Lập kế hoạch, Kế hoạch), Vietnamese first.

use kiemtra_shared::inspection::InspectionStatus;

use crate::i18n::{Lang, Strings};

pub struct PlanStrings {
    pub lang: Lang,
    pub new_title: &'static str,
    pub plan_title: &'static str,
    pub enterprise: &'static str,
    pub decision_number: &'static str,
    pub title: &'static str,
    pub campaign: &'static str,
    pub optional: &'static str,
    pub start: &'static str,
    pub end: &'static str,
    pub lead: &'static str,
    pub members: &'static str,
    pub no_inspectors: &'static str,
    pub choose: &'static str,
    pub templates: &'static str,
    pub site_template: &'static str,
    pub questionnaire: &'static str,
    pub self_inspection: &'static str,
    pub none_template: &'static str,
    pub create: &'static str,
    pub saving: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub created: &'static str,
    pub team: &'static str,
    pub dates: &'static str,
    pub status: &'static str,
    pub change_plan: &'static str,
    pub move_title: &'static str,
    pub move_to: &'static str,
    pub moved: &'static str,
    pub no_moves: &'static str,
    pub not_yours: &'static str,
    pub fixed: &'static str,
    pub back: &'static str,
    pub need_enterprise: &'static str,
    pub need_text: &'static str,
    pub need_date: &'static str,
    pub need_lead: &'static str,
    pub need_site: &'static str,
    pub end_before_start: &'static str,
    pub lead_yourself: &'static str,
    pub lead_mark: &'static str,
    pub no_team: &'static str,
    pub not_planned_any_more: &'static str,
    pub tax_code: &'static str,
}

impl PlanStrings {
    pub fn of(lang: Lang) -> &'static PlanStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// A refused move, in words: where the inspection is and where it may go.
    pub fn refused_move(
        &self,
        strings: &Strings,
        to: InspectionStatus,
        allowed: &[InspectionStatus],
    ) -> String {
        let allowed: Vec<&str> = allowed.iter().map(|s| strings.status(*s)).collect();
        match self.lang {
            Lang::Vi => format!(
                "Không chuyển được sang “{}”: trạng thái của cuộc thanh tra đã thay đổi. Hiện chỉ có thể chuyển sang: {}.",
                strings.status(to),
                if allowed.is_empty() {
                    "không trạng thái nào (đã đóng)".to_owned()
                } else {
                    allowed.join(", ")
                }
            ),
            Lang::En => format!(
                "Could not move to “{}”: the inspection's status has changed. It can now move to: {}.",
                strings.status(to),
                if allowed.is_empty() {
                    "nothing (it is closed)".to_owned()
                } else {
                    allowed.join(", ")
                }
            ),
        }
    }

    pub fn moved_to(&self, strings: &Strings, to: InspectionStatus) -> String {
        format!("{} “{}”.", self.moved, strings.status(to))
    }
}

static VI: PlanStrings = PlanStrings {
    lang: Lang::Vi,
    new_title: "Lập kế hoạch",
    plan_title: "Kế hoạch",
    enterprise: "Doanh nghiệp",
    decision_number: "Số quyết định",
    title: "Tên cuộc thanh tra",
    campaign: "Chuyên đề",
    optional: "(không bắt buộc)",
    start: "Ngày bắt đầu",
    end: "Ngày kết thúc",
    lead: "Trưởng đoàn",
    members: "Thành viên đoàn",
    no_inspectors: "Cơ quan chưa có thanh tra viên nào đang hoạt động.",
    choose: "— Chọn —",
    templates: "Mẫu phiếu",
    site_template: "Phiếu kiểm tra hiện trường (đoàn thanh tra)",
    questionnaire: "Phiếu thu thập thông tin (doanh nghiệp)",
    self_inspection: "Bảng tự kiểm tra (doanh nghiệp)",
    none_template: "Không dùng",
    create: "Lập kế hoạch",
    saving: "Đang lưu…",
    save: "Lưu kế hoạch",
    saved: "Đã lưu kế hoạch.",
    created: "Đã lập kế hoạch thanh tra.",
    team: "Đoàn thanh tra",
    dates: "Thời gian",
    status: "Trạng thái",
    change_plan: "Thay đổi thời gian và đoàn",
    move_title: "Chuyển trạng thái",
    move_to: "Chuyển sang",
    moved: "Đã chuyển sang",
    no_moves: "Cuộc thanh tra đã đóng.",
    not_yours: "Chỉ quản trị viên và người duyệt làm trưởng đoàn thay đổi được kế hoạch này.",
    fixed: "Thời gian và đoàn chỉ thay đổi được khi cuộc thanh tra còn ở trạng thái Kế hoạch.",
    back: "Về danh sách",
    need_enterprise: "Chọn doanh nghiệp được thanh tra.",
    need_text: "Nhập nội dung này.",
    need_date: "Chọn ngày.",
    need_lead: "Chọn trưởng đoàn.",
    need_site: "Chọn phiếu kiểm tra hiện trường.",
    end_before_start: "Ngày kết thúc không được trước ngày bắt đầu.",
    lead_yourself: "Người duyệt lập kế hoạch cho đoàn do mình làm trưởng đoàn.",
    lead_mark: "trưởng đoàn",
    no_team: "Chưa có đoàn thanh tra.",
    not_planned_any_more: "Cuộc thanh tra không còn ở trạng thái Kế hoạch nên không thay đổi được thời gian và đoàn.",
    tax_code: "MST",
};

static EN: PlanStrings = PlanStrings {
    lang: Lang::En,
    new_title: "Plan an inspection",
    plan_title: "Plan",
    enterprise: "Enterprise",
    decision_number: "Decision number",
    title: "Title",
    campaign: "Campaign",
    optional: "(optional)",
    start: "Start date",
    end: "End date",
    lead: "Team lead",
    members: "Team members",
    no_inspectors: "The agency has no active inspector.",
    choose: "— Choose —",
    templates: "Forms",
    site_template: "Site checklist (the team)",
    questionnaire: "Questionnaire (the enterprise)",
    self_inspection: "Self-inspection checklist (the enterprise)",
    none_template: "None",
    create: "Plan the inspection",
    saving: "Saving…",
    save: "Save the plan",
    saved: "The plan is saved.",
    created: "The inspection is planned.",
    team: "Inspection team",
    dates: "Dates",
    status: "Status",
    change_plan: "Change the dates and the team",
    move_title: "Change the status",
    move_to: "Move to",
    moved: "Moved to",
    no_moves: "The inspection is closed.",
    not_yours: "Only administrators and the reviewer leading the team may change this plan.",
    fixed: "The dates and the team can change only while the inspection is planned.",
    back: "Back to the list",
    need_enterprise: "Choose the enterprise to inspect.",
    need_text: "Fill this in.",
    need_date: "Choose a date.",
    need_lead: "Choose the team lead.",
    need_site: "Choose the site checklist.",
    end_before_start: "The end date cannot be before the start date.",
    lead_yourself: "A reviewer plans the inspections they lead.",
    lead_mark: "team lead",
    no_team: "No team yet.",
    not_planned_any_more: "The inspection is no longer planned, so its dates and team cannot change.",
    tax_code: "Tax code",
};

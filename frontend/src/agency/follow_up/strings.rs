//! Texts of the follow-up board (theo dõi khắc phục), Vietnamese first.

use kiemtra_shared::review::CorrectiveActionStatus;

use crate::i18n::Lang;

#[derive(Debug, PartialEq)]
pub struct FollowUpStrings {
    pub lang: Lang,
    pub nav: &'static str,
    pub title: &'static str,
    pub filters: &'static str,
    pub all: &'static str,
    pub due_week: &'static str,
    pub enterprise: &'static str,
    pub decision_number: &'static str,
    pub action: &'static str,
    pub finding: &'static str,
    pub due_date: &'static str,
    pub status: &'static str,
    pub days_late: &'static str,
    pub proof: &'static str,
    pub open_proof: &'static str,
    pub hide_proof: &'static str,
    pub no_proof: &'static str,
    pub proof_note: &'static str,
    pub verify: &'static str,
    pub reject: &'static str,
    pub reject_reason: &'static str,
    pub send_rejection: &'static str,
    pub cancel: &'static str,
    pub required: &'static str,
    pub last_rejection: &'static str,
    pub empty: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub verified_done: &'static str,
    pub rejected_done: &'static str,
}

impl FollowUpStrings {
    pub fn of(lang: Lang) -> &'static FollowUpStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    pub fn status(&self, status: CorrectiveActionStatus) -> &'static str {
        match (self.lang, status) {
            (Lang::Vi, CorrectiveActionStatus::Open) => "Đang mở",
            (Lang::Vi, CorrectiveActionStatus::ProofSubmitted) => "Đã nộp minh chứng",
            (Lang::Vi, CorrectiveActionStatus::Verified) => "Đã xác nhận",
            (Lang::Vi, CorrectiveActionStatus::Overdue) => "Quá hạn",
            (Lang::En, CorrectiveActionStatus::Open) => "Open",
            (Lang::En, CorrectiveActionStatus::ProofSubmitted) => "Proof submitted",
            (Lang::En, CorrectiveActionStatus::Verified) => "Verified",
            (Lang::En, CorrectiveActionStatus::Overdue) => "Overdue",
        }
    }

    pub fn late_by(&self, days: i64) -> String {
        match self.lang {
            Lang::Vi => format!("Trễ {days} ngày"),
            Lang::En => format!("{days} days late"),
        }
    }

    pub fn counted(&self, total: u64, page: u64, pages: u64) -> String {
        match self.lang {
            Lang::Vi => format!("{total} yêu cầu khắc phục · trang {page}/{pages}"),
            Lang::En => format!("{total} corrective actions · page {page} of {pages}"),
        }
    }

    /// "Xem minh chứng (2)": the button that opens `n` files of proof.
    pub fn open_proof_of(&self, n: usize) -> String {
        format!("{} ({n})", self.open_proof)
    }
}

static VI: FollowUpStrings = FollowUpStrings {
    lang: Lang::Vi,
    nav: "Theo dõi khắc phục",
    title: "Theo dõi khắc phục",
    filters: "Lọc theo trạng thái",
    all: "Tất cả",
    due_week: "Đến hạn trong 7 ngày",
    enterprise: "Doanh nghiệp",
    decision_number: "Số quyết định",
    action: "Yêu cầu khắc phục",
    finding: "Vi phạm",
    due_date: "Hạn",
    status: "Trạng thái",
    days_late: "Số ngày trễ",
    proof: "Minh chứng",
    open_proof: "Xem minh chứng",
    hide_proof: "Đóng minh chứng",
    no_proof: "Chưa có minh chứng",
    proof_note: "Ghi chú của doanh nghiệp",
    verify: "Xác nhận đã khắc phục",
    reject: "Từ chối minh chứng",
    reject_reason: "Lý do từ chối",
    send_rejection: "Gửi từ chối",
    cancel: "Huỷ",
    required: "Bắt buộc.",
    last_rejection: "Minh chứng trước bị từ chối",
    empty: "Không có yêu cầu khắc phục nào ở mục này.",
    previous: "Trang trước",
    next: "Trang sau",
    pages: "Phân trang",
    verified_done: "Đã xác nhận khắc phục.",
    rejected_done: "Đã từ chối minh chứng; yêu cầu được mở lại.",
};

static EN: FollowUpStrings = FollowUpStrings {
    lang: Lang::En,
    nav: "Follow-up",
    title: "Follow-up of corrective actions",
    filters: "Filter by status",
    all: "All",
    due_week: "Due within 7 days",
    enterprise: "Enterprise",
    decision_number: "Decision number",
    action: "Corrective action",
    finding: "Finding",
    due_date: "Due",
    status: "Status",
    days_late: "Days late",
    proof: "Proof",
    open_proof: "Open the proof",
    hide_proof: "Close the proof",
    no_proof: "No proof yet",
    proof_note: "The enterprise's note",
    verify: "Verify the fix",
    reject: "Reject the proof",
    reject_reason: "Why it is rejected",
    send_rejection: "Send the rejection",
    cancel: "Cancel",
    required: "Required.",
    last_rejection: "The previous proof was rejected",
    empty: "No corrective action here.",
    previous: "Previous page",
    next: "Next page",
    pages: "Pages",
    verified_done: "The fix is verified.",
    rejected_done: "The proof was rejected; the action is open again.",
};

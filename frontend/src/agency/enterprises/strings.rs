//! Texts of the enterprise register (Doanh nghiệp), Vietnamese first.

use crate::i18n::Lang;

pub struct RegisterStrings {
    pub lang: Lang,
    pub title: &'static str,
    pub add: &'static str,
    pub search: &'static str,
    pub search_button: &'static str,
    pub name: &'static str,
    pub tax_code: &'static str,
    pub tax_code_hint: &'static str,
    pub address: &'static str,
    pub province: &'static str,
    pub industry_code: &'static str,
    pub headcount: &'static str,
    pub optional: &'static str,
    pub actions: &'static str,
    pub edit: &'static str,
    pub invite: &'static str,
    pub create_title: &'static str,
    pub edit_title: &'static str,
    pub invite_title: &'static str,
    pub save: &'static str,
    pub create: &'static str,
    pub cancel: &'static str,
    pub close: &'static str,
    pub saving: &'static str,
    pub created: &'static str,
    pub saved: &'static str,
    pub email: &'static str,
    pub person: &'static str,
    pub send_invite: &'static str,
    pub invite_link: &'static str,
    pub invite_made: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub none: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub need_text: &'static str,
    pub bad_tax_code: &'static str,
    pub bad_headcount: &'static str,
    pub tax_code_taken: &'static str,
    pub email_taken: &'static str,
    pub bad_email: &'static str,
}

impl RegisterStrings {
    pub fn of(lang: Lang) -> &'static RegisterStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    pub fn page_of(&self, page: u64, pages: u64, total: u64) -> String {
        match self.lang {
            Lang::Vi => format!("Trang {page}/{pages} · {total} doanh nghiệp"),
            Lang::En => format!("Page {page} of {pages} · {total} enterprises"),
        }
    }

    pub fn valid_until(&self, date: &str) -> String {
        match self.lang {
            Lang::Vi => {
                format!("Gửi liên kết này cho người được mời; dùng được một lần, đến {date}.")
            }
            Lang::En => {
                format!("Send this link to the person invited; it works once, until {date}.")
            }
        }
    }
}

static VI: RegisterStrings = RegisterStrings {
    lang: Lang::Vi,
    title: "Doanh nghiệp",
    add: "Thêm doanh nghiệp",
    search: "Tìm theo tên hoặc mã số thuế",
    search_button: "Tìm",
    name: "Tên doanh nghiệp",
    tax_code: "Mã số thuế",
    tax_code_hint: "10 chữ số, hoặc 13 cho chi nhánh (0101234567-001).",
    address: "Địa chỉ",
    province: "Tỉnh/thành phố",
    industry_code: "Mã ngành (VSIC)",
    headcount: "Số lao động",
    optional: "(không bắt buộc)",
    actions: "Thao tác",
    edit: "Sửa",
    invite: "Mời người dùng",
    create_title: "Thêm doanh nghiệp",
    edit_title: "Sửa thông tin doanh nghiệp",
    invite_title: "Mời người dùng của doanh nghiệp",
    save: "Lưu",
    create: "Thêm",
    cancel: "Huỷ",
    close: "Đóng",
    saving: "Đang lưu…",
    created: "Đã thêm doanh nghiệp.",
    saved: "Đã lưu thông tin doanh nghiệp.",
    email: "Email",
    person: "Họ và tên",
    send_invite: "Tạo lời mời",
    invite_link: "Liên kết mời",
    invite_made: "Đã tạo lời mời.",
    copy: "Sao chép liên kết",
    copied: "Đã sao chép liên kết.",
    copy_failed: "Trình duyệt không cho sao chép: hãy chọn liên kết và sao chép thủ công.",
    none: "Không có doanh nghiệp nào khớp.",
    previous: "Trang trước",
    next: "Trang sau",
    pages: "Các trang",
    need_text: "Nhập nội dung này.",
    bad_tax_code: "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số cho chi nhánh.",
    bad_headcount: "Số lao động là một số nguyên không âm.",
    tax_code_taken: "Mã số thuế này đã có trong danh bạ.",
    email_taken: "Email này đã có tài khoản.",
    bad_email: "Email không hợp lệ.",
};

static EN: RegisterStrings = RegisterStrings {
    lang: Lang::En,
    title: "Enterprises",
    add: "Add an enterprise",
    search: "Search by name or tax code",
    search_button: "Search",
    name: "Name",
    tax_code: "Tax code",
    tax_code_hint: "10 digits, or 13 for a branch (0101234567-001).",
    address: "Address",
    province: "Province",
    industry_code: "Industry code (VSIC)",
    headcount: "Headcount",
    optional: "(optional)",
    actions: "Actions",
    edit: "Edit",
    invite: "Invite a user",
    create_title: "Add an enterprise",
    edit_title: "Edit the enterprise",
    invite_title: "Invite a user of the enterprise",
    save: "Save",
    create: "Add",
    cancel: "Cancel",
    close: "Close",
    saving: "Saving…",
    created: "The enterprise is added.",
    saved: "The enterprise is saved.",
    email: "Email",
    person: "Full name",
    send_invite: "Make the invitation",
    invite_link: "Invitation link",
    invite_made: "The invitation is made.",
    copy: "Copy the link",
    copied: "The link is copied.",
    copy_failed: "The browser refused to copy: select the link and copy it by hand.",
    none: "No enterprise matches.",
    previous: "Previous page",
    next: "Next page",
    pages: "Pages",
    need_text: "Fill this in.",
    bad_tax_code: "A tax code has 10 digits, or 13 for a branch.",
    bad_headcount: "The headcount is a whole number.",
    tax_code_taken: "This tax code is in the register already.",
    email_taken: "This email has an account already.",
    bad_email: "Not an email address.",
};

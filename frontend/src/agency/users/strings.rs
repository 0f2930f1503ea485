//! Texts of the accounts screen (Người dùng), Vietnamese first.

use crate::i18n::Lang;

pub struct UserStrings {
    pub lang: Lang,
    pub title: &'static str,
    pub add: &'static str,
    pub create_title: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub state: &'static str,
    pub active: &'static str,
    pub disabled: &'static str,
    pub actions: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub create: &'static str,
    pub cancel: &'static str,
    pub saving: &'static str,
    pub created: &'static str,
    pub you: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub need_text: &'static str,
    pub short_password: &'static str,
    pub bad_email: &'static str,
    pub email_taken: &'static str,
    pub not_allowed_title: &'static str,
    pub not_allowed_text: &'static str,
    pub to_dashboard: &'static str,
}

impl UserStrings {
    pub fn of(lang: Lang) -> &'static UserStrings {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    pub fn page_of(&self, page: u64, pages: u64, total: u64) -> String {
        match self.lang {
            Lang::Vi => format!("Trang {page}/{pages} · {total} tài khoản"),
            Lang::En => format!("Page {page} of {pages} · {total} accounts"),
        }
    }

    pub fn role_of(&self, name: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Vai trò của {name}"),
            Lang::En => format!("Role of {name}"),
        }
    }

    pub fn changed(&self, name: &str, what: &str) -> String {
        match self.lang {
            Lang::Vi => format!("{name}: {what}."),
            Lang::En => format!("{name}: {what}."),
        }
    }
}

static VI: UserStrings = UserStrings {
    lang: Lang::Vi,
    title: "Người dùng",
    add: "Thêm tài khoản",
    create_title: "Tạo tài khoản cán bộ",
    name: "Họ và tên",
    email: "Email",
    role: "Vai trò",
    password: "Mật khẩu ban đầu",
    password_hint: "Ít nhất 10 ký tự; người dùng đổi sau khi đăng nhập.",
    state: "Trạng thái",
    active: "Đang hoạt động",
    disabled: "Đã vô hiệu hoá",
    actions: "Thao tác",
    disable: "Vô hiệu hoá",
    enable: "Kích hoạt lại",
    create: "Tạo tài khoản",
    cancel: "Huỷ",
    saving: "Đang lưu…",
    created: "Đã tạo tài khoản.",
    you: "(bạn)",
    previous: "Trang trước",
    next: "Trang sau",
    pages: "Các trang",
    need_text: "Nhập nội dung này.",
    short_password: "Mật khẩu cần ít nhất 10 ký tự.",
    bad_email: "Email không hợp lệ.",
    email_taken: "Email này đã có tài khoản.",
    not_allowed_title: "Không có quyền truy cập",
    not_allowed_text: "Chỉ quản trị viên quản lý tài khoản người dùng.",
    to_dashboard: "Về tổng quan",
};

static EN: UserStrings = UserStrings {
    lang: Lang::En,
    title: "Users",
    add: "Add an account",
    create_title: "Create a staff account",
    name: "Full name",
    email: "Email",
    role: "Role",
    password: "First password",
    password_hint: "At least 10 characters; the user changes it after signing in.",
    state: "State",
    active: "Active",
    disabled: "Disabled",
    actions: "Actions",
    disable: "Disable",
    enable: "Enable again",
    create: "Create the account",
    cancel: "Cancel",
    saving: "Saving…",
    created: "The account is created.",
    you: "(you)",
    previous: "Previous page",
    next: "Next page",
    pages: "Pages",
    need_text: "Fill this in.",
    short_password: "A password needs at least 10 characters.",
    bad_email: "Not an email address.",
    email_taken: "This email has an account already.",
    not_allowed_title: "Not allowed",
    not_allowed_text: "Only administrators manage user accounts.",
    to_dashboard: "Back to the overview",
};

//! Interface texts in Vietnamese (first) and English.
//!
//! Every text lives in one [`Strings`] table per language, so adding a text without its
//! translation does not compile. Components read the table of the chosen language with
//! [`use_strings`]; the choice is kept in local storage.

use gloo::storage::{LocalStorage, Storage};
use kiemtra_shared::auth::Role;
use kiemtra_shared::error::codes;
use kiemtra_shared::inspection::{InspectionStatus, YesNo};
use kiemtra_shared::template::Label;
use yew::prelude::*;

const STORAGE_KEY: &str = "kiemtra.lang";

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// All interface texts of one language.
#[derive(Debug, PartialEq)]
pub struct Strings {
    pub lang: Lang,
    pub app_name: &'static str,
    pub app_tagline: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub sign_out: &'static str,
    pub session_expired: &'static str,
    pub switch_language: &'static str,
    pub inspections: &'static str,
    pub no_inspections: &'static str,
    pub decision_number: &'static str,
    pub tax_code: &'static str,
    pub planned_dates: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub back_to_list: &'static str,
    pub site_checklist: &'static str,
    pub version: &'static str,
    pub required: &'static str,
    pub legal_basis: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub not_applicable: &'static str,
    pub not_answered: &'static str,
    pub take_photo: &'static str,
    pub remove_photo: &'static str,
    pub photo_of: &'static str,
    pub locating: &'static str,
    pub location: &'static str,
    pub no_location: &'static str,
    pub captured_at: &'static str,
    pub photo_failed: &'static str,
    pub photo_loading: &'static str,
    pub submit: &'static str,
    pub uploading_photos: &'static str,
    pub submitting: &'static str,
    pub submitted: &'static str,
    pub submitted_ok: &'static str,
    pub submitted_at: &'static str,
    pub answer_required: &'static str,
    pub no_submission_yet: &'static str,
    pub evidence: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub error_network: &'static str,
    pub error_unexpected: &'static str,
    pub error_invalid_credentials: &'static str,
    pub error_forbidden: &'static str,
    pub error_not_found: &'static str,
    pub error_conflict: &'static str,
    pub error_validation: &'static str,
    pub error_too_large: &'static str,
    pub error_unsupported_type: &'static str,
    pub error_digest_mismatch: &'static str,
    pub error_unavailable: &'static str,
    pub error_rate_limited: &'static str,
}

pub static VI: Strings = Strings {
    lang: Lang::Vi,
    app_name: "Kiểm tra",
    app_tagline: "Thanh tra lao động tại hiện trường",
    email: "Email",
    password: "Mật khẩu",
    sign_in: "Đăng nhập",
    signing_in: "Đang đăng nhập…",
    sign_out: "Đăng xuất",
    session_expired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    switch_language: "English",
    inspections: "Cuộc thanh tra",
    no_inspections: "Chưa có cuộc thanh tra nào.",
    decision_number: "Số quyết định",
    tax_code: "Mã số thuế",
    planned_dates: "Thời gian",
    loading: "Đang tải…",
    retry: "Thử lại",
    back_to_list: "Danh sách",
    site_checklist: "Phiếu kiểm tra hiện trường",
    version: "phiên bản",
    required: "Bắt buộc",
    legal_basis: "Căn cứ pháp lý",
    yes: "Có",
    no: "Không",
    not_applicable: "Không áp dụng",
    not_answered: "Chưa trả lời",
    take_photo: "Chụp ảnh",
    remove_photo: "Xoá ảnh",
    photo_of: "Ảnh chứng cứ",
    locating: "Đang xác định vị trí…",
    location: "Vị trí",
    no_location: "Không có vị trí",
    captured_at: "Chụp lúc",
    photo_failed: "Không đọc được ảnh",
    photo_loading: "Đang tải ảnh…",
    submit: "Nộp phiếu",
    uploading_photos: "Đang tải ảnh lên",
    submitting: "Đang nộp phiếu…",
    submitted: "Đã nộp",
    submitted_ok: "Đã nộp phiếu thành công.",
    submitted_at: "Nộp lúc",
    answer_required: "Vui lòng trả lời các mục bắt buộc.",
    no_submission_yet: "Chưa có phiếu nào được nộp.",
    evidence: "Chứng cứ",
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Trang bạn tìm không tồn tại.",
    error_network: "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.",
    error_unexpected: "Đã có lỗi xảy ra. Vui lòng thử lại.",
    error_invalid_credentials: "Email hoặc mật khẩu không đúng.",
    error_forbidden: "Bạn không có quyền thực hiện việc này.",
    error_not_found: "Không tìm thấy dữ liệu.",
    error_conflict: "Dữ liệu đã thay đổi trên máy chủ. Tải lại trang rồi thử lại.",
    error_validation: "Dữ liệu chưa hợp lệ.",
    error_too_large: "Tệp quá lớn để tải lên.",
    error_unsupported_type: "Loại tệp này không được hỗ trợ.",
    error_digest_mismatch: "Tệp bị hỏng trên đường truyền. Vui lòng thử lại.",
    error_unavailable: "Máy chủ đang tạm ngừng. Vui lòng thử lại sau.",
    error_rate_limited: "Quá nhiều lần thử. Vui lòng đợi một lúc rồi thử lại.",
};

pub static EN: Strings = Strings {
    lang: Lang::En,
    app_name: "Kiemtra",
    app_tagline: "Labour inspection in the field",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_out: "Sign out",
    session_expired: "Your session has expired. Please sign in again.",
    switch_language: "Tiếng Việt",
    inspections: "Inspections",
    no_inspections: "No inspections yet.",
    decision_number: "Decision no.",
    tax_code: "Tax code",
    planned_dates: "Dates",
    loading: "Loading…",
    retry: "Retry",
    back_to_list: "List",
    site_checklist: "Site checklist",
    version: "version",
    required: "Required",
    legal_basis: "Legal basis",
    yes: "Yes",
    no: "No",
    not_applicable: "Not applicable",
    not_answered: "Not answered",
    take_photo: "Take photo",
    remove_photo: "Remove photo",
    photo_of: "Evidence photo",
    locating: "Finding location…",
    location: "Location",
    no_location: "No location",
    captured_at: "Taken at",
    photo_failed: "Could not read the photo",
    photo_loading: "Loading photo…",
    submit: "Submit",
    uploading_photos: "Uploading photos",
    submitting: "Submitting…",
    submitted: "Submitted",
    submitted_ok: "The checklist was submitted.",
    submitted_at: "Submitted at",
    answer_required: "Please answer the required items.",
    no_submission_yet: "Nothing has been submitted yet.",
    evidence: "Evidence",
    not_found_title: "Page not found",
    not_found_text: "The page you are looking for does not exist.",
    error_network: "Cannot reach the server. Check the connection and try again.",
    error_unexpected: "Something went wrong. Please try again.",
    error_invalid_credentials: "Wrong email or password.",
    error_forbidden: "You are not allowed to do this.",
    error_not_found: "Not found.",
    error_conflict: "The data changed on the server. Reload the page and try again.",
    error_validation: "Some data is not valid.",
    error_too_large: "The file is too large to upload.",
    error_unsupported_type: "This type of file is not supported.",
    error_digest_mismatch: "The file was damaged in transit. Please try again.",
    error_unavailable: "The server is unavailable. Please try again later.",
    error_rate_limited: "Too many attempts. Please wait a while and try again.",
};

impl Strings {
    pub fn label<'a>(&self, label: &'a Label) -> &'a str {
        match self.lang {
            Lang::Vi => &label.vi,
            Lang::En => &label.en,
        }
    }

    pub fn answer(&self, value: YesNo) -> &'static str {
        match value {
            YesNo::Yes => self.yes,
            YesNo::No => self.no,
            YesNo::NotApplicable => self.not_applicable,
        }
    }

    /// The interface's own text for a stable error code of the API (the server's `message` is
    /// not in the interface language), or `None` for a code this client does not know.
    pub fn error(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            codes::INVALID_CREDENTIALS => self.error_invalid_credentials,
            codes::UNAUTHENTICATED | codes::TOKEN_EXPIRED | codes::TOKEN_INVALID => {
                self.session_expired
            }
            codes::FORBIDDEN => self.error_forbidden,
            codes::NOT_FOUND => self.error_not_found,
            codes::CONFLICT => self.error_conflict,
            codes::VALIDATION | codes::BAD_REQUEST | codes::INVALID_JSON => self.error_validation,
            codes::PAYLOAD_TOO_LARGE => self.error_too_large,
            codes::UNSUPPORTED_MEDIA_TYPE => self.error_unsupported_type,
            codes::DIGEST_MISMATCH => self.error_digest_mismatch,
            codes::UNAVAILABLE => self.error_unavailable,
            codes::RATE_LIMITED => self.error_rate_limited,
            codes::INTERNAL => self.error_unexpected,
            _ => return None,
        })
    }

    pub fn role(&self, role: Role) -> &'static str {
        match self.lang {
            Lang::Vi => role.label_vi(),
            Lang::En => match role {
                Role::Admin => "Administrator",
                Role::Reviewer => "Reviewer",
                Role::Inspector => "Inspector",
                Role::Enterprise => "Enterprise",
            },
        }
    }

    pub fn status(&self, status: InspectionStatus) -> &'static str {
        match self.lang {
            Lang::Vi => status.label_vi(),
            Lang::En => match status {
                InspectionStatus::Planned => "Planned",
                InspectionStatus::Preparing => "Preparing",
                InspectionStatus::InProgress => "In progress",
                InspectionStatus::Submitted => "Submitted",
                InspectionStatus::UnderReview => "Under review",
                InspectionStatus::Concluded => "Concluded",
                InspectionStatus::FollowUp => "Follow-up",
                InspectionStatus::Closed => "Closed",
            },
        }
    }
}

/// The chosen language and a way to change it.
#[derive(Clone, PartialEq)]
pub struct LangHandle {
    lang: UseStateHandle<Lang>,
}

impl LangHandle {
    pub fn lang(&self) -> Lang {
        *self.lang
    }

    pub fn set(&self, lang: Lang) {
        // Losing the preference (private mode, full storage) only costs the default language.
        let _ = LocalStorage::set(STORAGE_KEY, lang.code());
        set_document_lang(lang);
        self.lang.set(lang);
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

#[derive(Properties, PartialEq)]
pub struct LangProviderProps {
    pub children: Html,
}

/// Provides the language chosen earlier on this device, Vietnamese by default.
#[component]
pub fn LangProvider(props: &LangProviderProps) -> Html {
    let lang = use_state(|| {
        let lang = LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or(Lang::Vi);
        set_document_lang(lang);
        lang
    });
    html! {
        <ContextProvider<LangHandle> context={LangHandle { lang }}>
            { props.children.clone() }
        </ContextProvider<LangHandle>>
    }
}

/// The language handle (to switch language).
#[hook]
pub fn use_lang() -> LangHandle {
    use_context::<LangHandle>().expect("use_lang() needs a <LangProvider> above it")
}

/// The texts of the chosen language.
#[hook]
pub fn use_strings() -> &'static Strings {
    use_lang().lang().strings()
}

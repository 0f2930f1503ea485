//! Interface texts in Vietnamese (first) and English.
//!
//! Every text lives in one [`Strings`] table per language, so adding a text without its
//! translation does not compile. Components read the table of the chosen language with
//! [`use_strings`]; the choice is kept in local storage.

use gloo::storage::{LocalStorage, Storage};
use kiemtra_shared::auth::{MIN_PASSWORD_CHARS, Role};
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
    /// The BCP 47 code, for `lang` attributes.
    pub fn code(self) -> &'static str {
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
    /// The link from the field app to the agency screens (reviewers and admins).
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
    /// The enterprise portal's attach button (documents and photos).
    pub attach_document: &'static str,
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
    pub no_submission_yet: &'static str,
    pub evidence: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
    pub clear_choice: &'static str,
    pub choose_any: &'static str,
    pub not_a_number: &'static str,
    pub not_a_whole_number: &'static str,
    pub measured_value: &'static str,
    pub exposure_time: &'static str,
    pub exposure_short: &'static str,
    pub signed_at: &'static str,
    pub minutes: &'static str,
    pub hours: &'static str,
    pub instrument: &'static str,
    pub instrument_hint: &'static str,
    pub measured_at: &'static str,
    pub limit: &'static str,
    pub compliant: &'static str,
    pub non_compliant: &'static str,
    pub no_limit: &'static str,
    pub exposure_table: &'static str,
    pub exposure_default: &'static str,
    pub zero_exposure: &'static str,
    pub signer_name: &'static str,
    pub signer_role: &'static str,
    pub sign_here: &'static str,
    pub clear_strokes: &'static str,
    pub save_signature: &'static str,
    pub sign_again: &'static str,
    pub signature: &'static str,
    pub use_my_position: &'static str,
    pub update_position: &'static str,
    pub position_failed: &'static str,
    pub accuracy: &'static str,
    pub today: &'static str,
    pub photo_not_uploaded: &'static str,
    pub photo_not_kept: &'static str,
    pub upload_waiting: &'static str,
    pub upload_sending: &'static str,
    pub upload_sent: &'static str,
    pub photo_send_failed: &'static str,
    pub send_again: &'static str,
    pub photos_wait_connection: &'static str,
    pub offline_copy: &'static str,
    pub draft_restored: &'static str,
    pub open_photo: &'static str,
    pub close: &'static str,
    pub download_original: &'static str,
    pub thumbnail_pending: &'static str,
    pub document: &'static str,
    pub go_to_problem: &'static str,
    pub problem_required: &'static str,
    pub problem_instrument: &'static str,
    pub problem_signer_name: &'static str,
    pub problem_signer_role: &'static str,
    pub problem_evidence: &'static str,
    pub problem_photos_without_answer: &'static str,
    pub problem_wrong_type: &'static str,
    pub problem_option: &'static str,
    pub problem_duplicate_photo: &'static str,
    pub problem_hidden: &'static str,
    pub problem_photos_not_allowed: &'static str,
    pub problem_unit: &'static str,
    pub problem_position: &'static str,
    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub show: &'static str,
    pub hide: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,
    pub passwords_differ: &'static str,
    pub set_password: &'static str,
    pub setting_password: &'static str,
    pub invite_invalid_title: &'static str,
    pub invite_invalid_text: &'static str,
    pub account_exists_title: &'static str,
    pub account_exists_text: &'static str,
    pub have_account: &'static str,
    pub switch_account: &'static str,
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
    pub error_image_corrupt: &'static str,
    pub error_image_too_large: &'static str,
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
    attach_document: "Đính kèm tài liệu",
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
    no_submission_yet: "Chưa có phiếu nào được nộp.",
    evidence: "Chứng cứ",
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Trang bạn tìm không tồn tại.",
    add: "Thêm",
    remove: "Xoá",
    clear_choice: "Bỏ chọn",
    choose_any: "Chọn các mục phù hợp",
    not_a_number: "Nhập một số, phần thập phân sau dấu phẩy (ví dụ 85,5).",
    not_a_whole_number: "Nhập một số nguyên.",
    measured_value: "Kết quả đo",
    exposure_time: "Thời gian tiếp xúc trong ca",
    exposure_short: "tiếp xúc",
    signed_at: "Ký lúc",
    minutes: "phút",
    hours: "giờ",
    instrument: "Thiết bị đo",
    instrument_hint: "Loại máy, số hiệu",
    measured_at: "Đo lúc",
    limit: "Giới hạn",
    compliant: "Đạt",
    non_compliant: "Không đạt",
    no_limit: "Chưa có giới hạn: chỉ ghi nhận",
    exposure_table: "Giới hạn theo thời gian tiếp xúc",
    exposure_default: "Để trống: áp dụng giới hạn cả ca",
    zero_exposure: "Thời gian tiếp xúc ít nhất là 1 phút.",
    signer_name: "Họ và tên người ký",
    signer_role: "Chức vụ",
    sign_here: "Ký bằng ngón tay trong khung",
    clear_strokes: "Xoá nét",
    save_signature: "Lưu chữ ký",
    sign_again: "Ký lại",
    signature: "Chữ ký",
    use_my_position: "Lấy vị trí hiện tại",
    update_position: "Lấy lại vị trí",
    position_failed: "Không lấy được vị trí. Cho phép truy cập vị trí rồi thử lại.",
    accuracy: "sai số",
    today: "Hôm nay",
    photo_not_uploaded: "Ảnh không có trên máy chủ",
    photo_not_kept: "Không lưu được ảnh trên máy (bộ nhớ đầy?). Hãy chụp lại.",
    upload_waiting: "Chờ gửi",
    upload_sending: "Đang gửi",
    upload_sent: "Đã gửi",
    photo_send_failed: "Không gửi được ảnh",
    send_again: "Gửi lại",
    photos_wait_connection: "Chưa có mạng nên ảnh chưa gửi được. Ảnh được lưu trên máy và sẽ tự gửi khi có mạng; khi đó hãy nộp lại.",
    offline_copy: "Không có mạng: đang hiển thị bản lưu trên máy.",
    draft_restored: "Đã khôi phục bản nháp lưu trên máy.",
    open_photo: "Mở ảnh",
    close: "Đóng",
    download_original: "Tải ảnh gốc",
    thumbnail_pending: "Đang tạo ảnh thu nhỏ…",
    document: "Tài liệu",
    go_to_problem: "Xem",
    problem_required: "Mục này bắt buộc phải trả lời.",
    problem_instrument: "Ghi tên và số hiệu thiết bị đo.",
    problem_signer_name: "Ghi họ và tên người ký.",
    problem_signer_role: "Ghi chức vụ người ký.",
    problem_evidence: "Cần ít nhất một ảnh làm chứng cứ.",
    problem_photos_without_answer: "Đã chụp ảnh nhưng chưa trả lời: trả lời mục này hoặc xoá ảnh.",
    problem_wrong_type: "Giá trị không hợp lệ.",
    problem_option: "Lựa chọn không hợp lệ.",
    problem_duplicate_photo: "Một ảnh bị đính kèm hai lần.",
    problem_hidden: "Mục này đang ẩn nên không được trả lời.",
    problem_photos_not_allowed: "Mục này không nhận ảnh.",
    problem_unit: "Sai đơn vị đo.",
    problem_position: "Vị trí không hợp lệ.",
    invite_title: "Đặt mật khẩu",
    invite_intro: "Bạn được cơ quan thanh tra mời dùng Kiểm tra thay mặt doanh nghiệp. Chọn một mật khẩu để đăng nhập.",
    new_password: "Mật khẩu mới",
    confirm_password: "Nhập lại mật khẩu",
    show: "Hiện",
    hide: "Ẩn",
    show_password: "Hiện mật khẩu",
    hide_password: "Ẩn mật khẩu",
    passwords_differ: "Hai mật khẩu không khớp nhau.",
    set_password: "Đặt mật khẩu và đăng nhập",
    setting_password: "Đang đặt mật khẩu…",
    invite_invalid_title: "Liên kết không còn hiệu lực",
    invite_invalid_text: "Liên kết mời này không đúng, đã được dùng hoặc đã hết hạn. Hãy đề nghị cơ quan thanh tra gửi cho bạn một liên kết mới.",
    account_exists_title: "Bạn đã có tài khoản",
    account_exists_text: "Email được mời đã có tài khoản. Hãy đăng nhập bằng mật khẩu của tài khoản đó.",
    have_account: "Đã có tài khoản?",
    switch_account: "Khi đặt mật khẩu, tài khoản đó sẽ được đăng xuất khỏi máy này.",
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
    error_image_corrupt: "Tệp không phải là ảnh đọc được. Hãy chụp lại.",
    error_image_too_large: "Ảnh có kích thước điểm ảnh quá lớn nên không được nhận.",
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
    attach_document: "Attach a document",
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
    no_submission_yet: "Nothing has been submitted yet.",
    evidence: "Evidence",
    not_found_title: "Page not found",
    not_found_text: "The page you are looking for does not exist.",
    add: "Add",
    remove: "Remove",
    clear_choice: "Clear",
    choose_any: "Choose all that apply",
    not_a_number: "Enter a number (e.g. 85.5).",
    not_a_whole_number: "Enter a whole number.",
    measured_value: "Measured value",
    exposure_time: "Exposure per shift",
    exposure_short: "exposure",
    signed_at: "Signed at",
    minutes: "min",
    hours: "h",
    instrument: "Instrument",
    instrument_hint: "Type, serial number",
    measured_at: "Measured at",
    limit: "Limit",
    compliant: "Compliant",
    non_compliant: "Not compliant",
    no_limit: "No limit yet: recorded only",
    exposure_table: "Limits by exposure time",
    exposure_default: "Left empty: the full-shift limit applies",
    zero_exposure: "The exposure must be at least 1 minute.",
    signer_name: "Signer's name",
    signer_role: "Signer's role",
    sign_here: "Sign with a finger in the box",
    clear_strokes: "Clear",
    save_signature: "Save signature",
    sign_again: "Sign again",
    signature: "Signature",
    use_my_position: "Use my position",
    update_position: "Update position",
    position_failed: "Could not get the position. Allow location access and try again.",
    accuracy: "accuracy",
    today: "Today",
    photo_not_uploaded: "Photo missing on the server",
    photo_not_kept: "The photo could not be kept on this device (storage full?). Take it again.",
    upload_waiting: "Waiting to send",
    upload_sending: "Sending",
    upload_sent: "Sent",
    photo_send_failed: "The photo was not accepted",
    send_again: "Send again",
    photos_wait_connection: "No connection, so the photos are not sent yet. They are kept on this device and go as soon as there is a connection; submit again then.",
    offline_copy: "No connection: showing the copy kept on this device.",
    draft_restored: "The draft kept on this device was restored.",
    open_photo: "Open photo",
    close: "Close",
    download_original: "Download original",
    thumbnail_pending: "Making the thumbnail…",
    document: "Document",
    go_to_problem: "Show",
    problem_required: "This item must be answered.",
    problem_instrument: "Name the instrument used.",
    problem_signer_name: "Enter the signer's name.",
    problem_signer_role: "Enter the signer's role.",
    problem_evidence: "Take at least one photo as evidence.",
    problem_photos_without_answer: "Photos were taken but the item is not answered: answer it or remove them.",
    problem_wrong_type: "This value is not valid.",
    problem_option: "This choice is not valid.",
    problem_duplicate_photo: "A photo is attached twice.",
    problem_hidden: "This item is hidden and must not be answered.",
    problem_photos_not_allowed: "This item does not take photos.",
    problem_unit: "Wrong unit.",
    problem_position: "The position is not valid.",
    invite_title: "Set your password",
    invite_intro: "The inspection agency invited you to use Kiemtra for your enterprise. Choose a password to sign in.",
    new_password: "New password",
    confirm_password: "Repeat the password",
    show: "Show",
    hide: "Hide",
    show_password: "Show password",
    hide_password: "Hide password",
    passwords_differ: "The two passwords do not match.",
    set_password: "Set password and sign in",
    setting_password: "Setting the password…",
    invite_invalid_title: "This link is no longer valid",
    invite_invalid_text: "This invitation link is wrong, has been used already or has expired. Ask the inspection agency to send you a new link.",
    account_exists_title: "You already have an account",
    account_exists_text: "The invited email has an account already. Sign in with the password of that account.",
    have_account: "Already have an account?",
    switch_account: "Setting the password signs that account out of this device.",
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
    error_image_corrupt: "The file is not a readable image. Take the photo again.",
    error_image_too_large: "The image has too many pixels to be accepted.",
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

    /// "Phân xưởng" -> "phân xưởng": a label inside a sentence.
    fn lower(label: &str) -> String {
        let mut chars = label.chars();
        match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    /// "Thêm phân xưởng" / "Add workshop".
    pub fn add_instance(&self, label: &Label) -> String {
        format!("{} {}", self.add, Self::lower(self.label(label)))
    }

    /// "Phân xưởng 2": instance `n` (from 0) of a repeated section.
    pub fn instance_title(&self, label: &Label, n: usize) -> String {
        format!("{} {}", self.label(label), n + 1)
    }

    pub fn confirm_remove_instance(&self, title: &str) -> String {
        match self.lang {
            Lang::Vi => format!("Xoá {title} cùng mọi câu trả lời và ảnh của nó?"),
            Lang::En => format!("Remove {title} with all its answers and photos?"),
        }
    }

    pub fn no_instances(&self, label: &Label) -> String {
        match self.lang {
            Lang::Vi => format!("Chưa có {} nào.", Self::lower(self.label(label))),
            Lang::En => format!("No {} yet.", Self::lower(self.label(label))),
        }
    }

    pub fn at_most(&self, max: u32) -> String {
        match self.lang {
            Lang::Vi => format!("tối đa {max}"),
            Lang::En => format!("at most {max}"),
        }
    }

    /// A number as the interface writes it: decimal comma in Vietnamese.
    pub fn number(&self, value: f64) -> String {
        let text = format!("{value}");
        match self.lang {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// An exposure time: whole hours as hours ("8 giờ"), anything else in minutes.
    pub fn duration(&self, minutes: u32) -> String {
        if minutes >= 60 && minutes.is_multiple_of(60) {
            format!("{} {}", minutes / 60, self.hours)
        } else {
            format!("{minutes} {}", self.minutes)
        }
    }

    /// "vượt giới hạn 5 dBA" / "5 dBA above the limit".
    pub fn deviation(&self, above: bool, amount: &str) -> String {
        match (self.lang, above) {
            (Lang::Vi, true) => format!("vượt giới hạn {amount}"),
            (Lang::Vi, false) => format!("thấp hơn giới hạn {amount}"),
            (Lang::En, true) => format!("{amount} above the limit"),
            (Lang::En, false) => format!("{amount} below the limit"),
        }
    }

    pub fn exposure_beyond_table(&self, longest: u32) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Bảng giới hạn chỉ đến {}: không có giới hạn cho thời gian này.",
                self.duration(longest)
            ),
            Lang::En => format!(
                "The limit table stops at {}: it gives no limit for this exposure.",
                self.duration(longest)
            ),
        }
    }

    /// How many photos on this device the server does not have yet.
    pub fn unsent_photos(&self, n: usize) -> String {
        match self.lang {
            Lang::Vi => format!("{n} ảnh chưa gửi"),
            Lang::En if n == 1 => "1 photo not sent".to_owned(),
            Lang::En => format!("{n} photos not sent"),
        }
    }

    /// Asked before signing out while photos are still waiting.
    pub fn confirm_sign_out_unsent(&self, n: usize) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Còn {n} ảnh chưa gửi lên máy chủ. Ảnh vẫn được giữ trên máy này và sẽ gửi khi bạn đăng nhập lại. Đăng xuất?"
            ),
            Lang::En => format!(
                "{n} photo(s) are not on the server yet. They stay on this device and are sent when you sign in again. Sign out?"
            ),
        }
    }

    pub fn problem_count(&self, n: usize) -> String {
        match self.lang {
            Lang::Vi => format!("Chưa nộp được: còn {n} chỗ cần sửa."),
            Lang::En if n == 1 => "Not submitted: 1 thing to fix.".to_owned(),
            Lang::En => format!("Not submitted: {n} things to fix."),
        }
    }

    /// The rule a new password must follow, shown under the field.
    pub fn password_rule(&self) -> String {
        match self.lang {
            Lang::Vi => format!("Ít nhất {MIN_PASSWORD_CHARS} ký tự."),
            Lang::En => format!("At least {MIN_PASSWORD_CHARS} characters."),
        }
    }

    pub fn password_too_short(&self) -> String {
        match self.lang {
            Lang::Vi => format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
            Lang::En => format!("The password needs at least {MIN_PASSWORD_CHARS} characters."),
        }
    }

    /// Who this device is signed in as, on a page that does not need a session.
    pub fn signed_in_as(&self, name: &str, role: Role) -> String {
        match self.lang {
            Lang::Vi => format!(
                "Máy này đang đăng nhập với tài khoản {name} ({}).",
                self.role(role)
            ),
            Lang::En => format!("This device is signed in as {name} ({}).", self.role(role)),
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
            codes::IMAGE_CORRUPT => self.error_image_corrupt,
            codes::IMAGE_TOO_LARGE => self.error_image_too_large,
            codes::UNAVAILABLE => self.error_unavailable,
            codes::RATE_LIMITED => self.error_rate_limited,
            codes::INTERNAL => self.error_unexpected,
            _ => return None,
        })
    }

    pub fn role(&self, role: Role) -> &'static str {
        match self.lang {
            Lang::Vi => match role {
                Role::Admin => "Quản trị",
                Role::Reviewer => "Người duyệt",
                Role::Inspector => "Thanh tra viên",
                Role::Enterprise => "Doanh nghiệp",
            },
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
            Lang::Vi => match status {
                InspectionStatus::Planned => "Kế hoạch",
                InspectionStatus::Preparing => "Chuẩn bị",
                InspectionStatus::InProgress => "Đang thanh tra",
                InspectionStatus::Submitted => "Đã nộp",
                InspectionStatus::UnderReview => "Đang duyệt",
                InspectionStatus::Concluded => "Đã kết luận",
                InspectionStatus::FollowUp => "Theo dõi khắc phục",
                InspectionStatus::Closed => "Đã đóng",
            },
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

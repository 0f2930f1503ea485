//! Outgoing e-mail over SMTP (`lettre`): invitations and password-reset links, in Vietnamese.
//!
//! Without `mail.smtp_host` nothing is sent, and the staff who made a link pass it on
//! themselves. A delivery never holds up or fails the request that asked for it: it runs on its
//! own task, the request waits for it a short while ([`Mailer::WAIT`]) to report how it went,
//! and a slower delivery goes on in the background with its outcome in the log only.

use std::time::Duration;

use anyhow::Context;
use kiemtra_shared::auth::EmailDelivery;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::settings::{MailSettings, SmtpTls};

/// One e-mail: to whom, its subject and its plain-text body.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
pub struct Mailer {
    transport: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
}

impl Mailer {
    /// How long a request waits for its e-mail before answering `pending`.
    pub const WAIT: Duration = Duration::from_secs(3);

    /// The mailer the settings describe; `mail.smtp_host` unset gives one that sends nothing.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let Some(host) = settings.smtp_host.as_deref().filter(|h| !h.is_empty()) else {
            return Ok(Mailer { transport: None });
        };
        let from: Mailbox = settings
            .from
            .parse()
            .with_context(|| format!("mail.from is not an address: {}", settings.from))?;
        let mut builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .context("mail.smtp_host for STARTTLS")?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .context("mail.smtp_host for TLS")?,
        };
        let port = settings.smtp_port.unwrap_or(match settings.tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        });
        builder = builder
            .port(port)
            .timeout(Some(Duration::from_secs(settings.timeout_secs.max(1))));
        if let Some(user) = &settings.smtp_user {
            let password = settings
                .smtp_password
                .as_ref()
                .map(|p| p.expose_secret().to_owned())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        tracing::info!(host, port, tls = ?settings.tls, "e-mail is sent over SMTP");
        Ok(Mailer {
            transport: Some((builder.build(), from)),
        })
    }

    pub fn is_configured(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends `mail` on a task of its own and waits at most [`Mailer::WAIT`] for it: `sent`,
    /// `failed` (logged), `pending` (still going; its outcome is logged) or `not_configured`.
    pub async fn deliver(&self, mail: Mail) -> EmailDelivery {
        let Some((transport, from)) = self.transport.clone() else {
            return EmailDelivery::NotConfigured;
        };
        let task = tokio::spawn(async move {
            let to = mail.to.clone();
            let outcome = send(&transport, from, mail).await;
            match &outcome {
                Ok(()) => tracing::info!(%to, "e-mail sent"),
                Err(error) => tracing::warn!(%to, error = format!("{error:#}"), "e-mail not sent"),
            }
            outcome.is_ok()
        });
        match tokio::time::timeout(Self::WAIT, task).await {
            Ok(Ok(true)) => EmailDelivery::Sent,
            Ok(Ok(false)) | Ok(Err(_)) => EmailDelivery::Failed,
            Err(_) => EmailDelivery::Pending,
        }
    }
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    mail: Mail,
) -> anyhow::Result<()> {
    let to: Mailbox = mail.to.parse().context("recipient address")?;
    // Base64: the Vietnamese text and the long link arrive intact through any relay.
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(mail.body),
        )
        .context("building the message")?;
    transport.send(message).await.context("SMTP delivery")?;
    Ok(())
}

/// The invitation e-mail.
pub fn invitation(
    to: &str,
    display_name: &str,
    enterprise: &str,
    agency: &str,
    link: &str,
    expires: &str,
) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: format!("Lời mời tham gia kiemtra: {enterprise}"),
        body: format!(
            "Kính gửi {display_name},\r\n\r\n\
             {agency} mời anh/chị đại diện cho {enterprise} trên kiemtra, hệ thống thanh tra \
             lao động: điền phiếu thu thập thông tin, bảng tự kiểm tra và gửi minh chứng khắc \
             phục.\r\n\r\n\
             Mở liên kết sau để đặt mật khẩu và bắt đầu:\r\n{link}\r\n\r\n\
             Liên kết chỉ dùng được một lần và hết hạn lúc {expires} (UTC).\r\n\
             Nếu anh/chị không chờ thư này, hãy bỏ qua nó.\r\n"
        ),
    }
}

/// The password-reset e-mail.
pub fn password_reset(to: &str, display_name: &str, link: &str, expires: &str) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: "Đặt lại mật khẩu kiemtra".to_owned(),
        body: format!(
            "Kính gửi {display_name},\r\n\r\n\
             Có yêu cầu đặt lại mật khẩu cho tài khoản kiemtra của anh/chị.\r\n\
             Mở liên kết sau để chọn mật khẩu mới:\r\n{link}\r\n\r\n\
             Liên kết chỉ dùng được một lần và hết hạn lúc {expires} (UTC). Khi đặt mật khẩu \
             mới, mọi phiên đăng nhập đang mở sẽ kết thúc.\r\n\
             Nếu anh/chị không yêu cầu, hãy bỏ qua thư này: mật khẩu không đổi.\r\n"
        ),
    }
}

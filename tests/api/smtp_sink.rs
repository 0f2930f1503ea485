//! A tiny SMTP server for the tests: accepts every message on a loopback port and hands it
//! over, so the e-mails kiemtra sends are checked without any outside program.

use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::{Mutex, mpsc};

/// One message as received: the envelope's recipients and the decoded subject and body.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub subject: String,
    pub body: String,
}

pub struct SmtpSink {
    pub port: u16,
    received: Mutex<mpsc::UnboundedReceiver<Received>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the sink");
        let port = listener.local_addr().unwrap().port();
        let (sender, received) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, sender.clone()));
            }
        });
        SmtpSink {
            port,
            received: Mutex::new(received),
        }
    }

    /// The next message, waiting at most 10 s for it.
    pub async fn next(&self) -> Received {
        tokio::time::timeout(Duration::from_secs(10), self.received.lock().await.recv())
            .await
            .expect("an e-mail within 10 s")
            .expect("the sink runs")
    }

    /// Whether a message is waiting now.
    pub async fn is_empty(&self) -> bool {
        self.received.lock().await.is_empty()
    }
}

async fn serve(stream: tokio::net::TcpStream, sender: mpsc::UnboundedSender<Received>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut recipients = Vec::new();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL FROM")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            let address = line.split(['<', '>']).nth(1).unwrap_or_default().to_owned();
            recipients.push(address);
            b"250 OK\r\n"
        } else if command == "DATA" {
            let _ = write.write_all(b"354 go on\r\n").await;
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let _ = sender.send(decode(std::mem::take(&mut recipients), &data));
            b"250 OK queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not here\r\n"
        };
        let _ = write.write_all(reply).await;
    }
}

/// The subject (RFC 2047 words decoded) and the base64 body of a single-part message.
fn decode(recipients: Vec<String>, data: &str) -> Received {
    let (head, body) = data.split_once("\r\n\r\n").expect("headers and body");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let raw_subject = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .expect("a Subject header");
    let b64 = base64::engine::general_purpose::STANDARD;
    // Whitespace between two encoded words is dropped; next to plain text it is kept.
    let mut subject = Vec::new();
    let mut previous_encoded = None;
    for word in raw_subject.split_whitespace() {
        let encoded = word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?=");
        if previous_encoded.is_some_and(|p: bool| !(p && encoded)) {
            subject.push(b' ');
        }
        if encoded {
            subject.extend(b64.decode(&word[10..word.len() - 2]).expect("a B word"));
        } else {
            subject.extend(word.as_bytes());
        }
        previous_encoded = Some(encoded);
    }
    assert!(
        unfolded
            .to_ascii_lowercase()
            .contains("content-transfer-encoding: base64"),
        "a base64 body: {unfolded}"
    );
    let body: String = body.split_whitespace().collect();
    Received {
        recipients,
        subject: String::from_utf8(subject).expect("a UTF-8 subject"),
        body: String::from_utf8(b64.decode(body).expect("base64 body")).expect("a UTF-8 body"),
    }
}

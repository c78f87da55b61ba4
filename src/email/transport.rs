//! Where emails go: files in the data folder (the default) or an SMTP server (`SMTP_URL`).
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

/// Each SMTP command (and the connection) gives up after this, so a stuck server
/// cannot hold the worker or a start-up for long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Chosen by configuration: `smtp_url` set means SMTP, otherwise `.eml` files.
#[derive(Clone)]
pub enum Transport {
    /// One `.eml` file per message in this folder (`DATA_DIR/outbox/` by default).
    Files {
        dir: PathBuf,
        inner: AsyncFileTransport<Tokio1Executor>,
    },
    /// A pooled connection to the server in `SMTP_URL`; `server` has no credentials.
    Smtp {
        server: String,
        inner: AsyncSmtpTransport<Tokio1Executor>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(
        "SMTP_URL {url} is malformed: {reason} (expected e.g. smtp://host:25, \
         smtp://user:password@host:587?tls=required or smtps://user:password@host)"
    )]
    MalformedUrl { url: String, reason: String },
    #[error("SMTP_URL {url}: cannot reach the SMTP server: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("cannot create the email folder {dir}: {source}")]
    Folder { dir: String, source: std::io::Error },
}

/// Why one message was not handed over; kept in `outbox.last_error`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(String);

impl Transport {
    /// SMTP when `smtp_url` is set (checked by connecting), else files in `DATA_DIR/outbox/`.
    pub async fn from_settings(settings: &Settings) -> Result<Self, TransportError> {
        match settings.smtp_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => Self::smtp(url).await,
            _ => Self::files(&settings.data_dir.join("outbox")),
        }
    }

    /// Writes each message to `dir/<uuid>.eml`, creating `dir` if needed.
    pub fn files(dir: &Path) -> Result<Self, TransportError> {
        std::fs::create_dir_all(dir).map_err(|source| TransportError::Folder {
            dir: dir.display().to_string(),
            source,
        })?;
        Ok(Self::Files {
            dir: dir.to_path_buf(),
            inner: AsyncFileTransport::new(dir),
        })
    }

    /// Parses `url` (`smtp://` plain, `?tls=opportunistic` or `?tls=required` for
    /// STARTTLS, `smtps://` for TLS from the start; credentials as `user:password@`)
    /// and refuses it unless the server answers.
    pub async fn smtp(url: &str) -> Result<Self, TransportError> {
        let shown = without_password(url);
        let inner = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| TransportError::MalformedUrl {
                url: shown.clone(),
                reason: e.to_string(),
            })?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        match inner.test_connection().await {
            Ok(true) => {}
            Ok(false) => {
                return Err(TransportError::Unreachable {
                    url: shown,
                    reason: "the server did not answer NOOP".into(),
                });
            }
            Err(e) => {
                return Err(TransportError::Unreachable {
                    url: shown,
                    reason: e.to_string(),
                });
            }
        }
        Ok(Self::Smtp {
            server: shown,
            inner,
        })
    }

    /// Hands one message over: written to disk, or accepted by the SMTP server.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Files { inner, .. } => inner
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError(e.to_string())),
            Self::Smtp { inner, .. } => inner
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError(e.to_string())),
        }
    }

    /// For logs: the folder or the server, never the password.
    pub fn describe(&self) -> String {
        match self {
            Self::Files { dir, .. } => format!("files in {}", dir.display()),
            Self::Smtp { server, .. } => format!("SMTP {server}"),
        }
    }
}

/// `smtp://user:secret@host` as `smtp://user:***@host`, for messages and logs.
fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_never_reach_messages_or_logs() {
        assert_eq!(
            without_password("smtps://mail%40x.org:s3cr@t@smtp.x.org:465?tls=required"),
            "smtps://mail%40x.org:***@smtp.x.org:465?tls=required"
        );
        assert_eq!(
            without_password("smtp://127.0.0.1:2525"),
            "smtp://127.0.0.1:2525"
        );
        assert_eq!(without_password("smtp://user@host"), "smtp://user@host");
        assert_eq!(without_password("not a url"), "not a url");
    }
}

//! The email payload stored in `outbox.payload`, and the MIME message built from it.
use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use serde::{Deserialize, Serialize};

/// One email as queued: already rendered, so sending needs no templates or data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    /// `Name <address>` or a bare address.
    pub to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// The one-click unsubscribe link of a non-essential email (RFC 8058). Absent in
    /// essential emails and in rows queued before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe_url: Option<String>,
}

/// `<outbox-{id}@{host}>`: the same for every attempt, so a receiver (or a person)
/// can recognise a retry of a message that did arrive.
pub fn message_id(outbox_id: i32, host: &str) -> String {
    format!("<outbox-{outbox_id}@{host}>")
}

/// A multipart/alternative message (plain text first, then HTML) from `from`,
/// whose Message-ID derives from the outbox row.
pub fn build_message(
    email: &OutboxEmail,
    from: &Mailbox,
    outbox_id: i32,
) -> Result<Message, MessageError> {
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| MessageError::Address(email.to.clone(), e))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(message_id(outbox_id, from.email.domain())));
    if let Some(url) = &email.unsubscribe_url {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    let message = builder.multipart(MultiPart::alternative_plain_html(
        email.text_body.clone(),
        email.html_body.clone(),
    ))?;
    Ok(message)
}

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("\"{0}\" is not an email address: {1}")]
    Address(String, lettre::address::AddressError),
    #[error(transparent)]
    Build(#[from] lettre::error::Error),
}

//! Lays out an email's content in our shared HTML and plain-text templates, with the
//! footer naming why it came and how to stop it.
use askama::Template;

use super::OutboxEmail;
use super::kinds::{Content, Kind};

#[derive(Template)]
#[template(path = "emails/layout.html")]
struct HtmlPart<'a> {
    subject: &'a str,
    content: &'a Content,
    essential: bool,
    why: &'a str,
    preferences_url: &'a str,
    unsubscribe_url: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "emails/layout.txt")]
struct TextPart<'a> {
    content: &'a Content,
    essential: bool,
    why: &'a str,
    preferences_url: &'a str,
    unsubscribe_url: Option<&'a str>,
}

/// Both parts of `content` for `to`. `unsubscribe_url` is set for a non-essential kind
/// sent to someone with an account; it becomes the List-Unsubscribe header too.
pub fn render(
    kind: Kind,
    to: &str,
    content: &Content,
    base_url: &str,
    unsubscribe_url: Option<String>,
) -> OutboxEmail {
    let preferences_url = format!("{base_url}/account/email-preferences");
    let preference = kind.preference();
    let essential = preference.is_none();
    let why = preference.map_or("", |p| p.why());
    let unsubscribe_url = if essential { None } else { unsubscribe_url };
    let html = HtmlPart {
        subject: &content.subject,
        content,
        essential,
        why,
        preferences_url: &preferences_url,
        unsubscribe_url: unsubscribe_url.as_deref(),
    }
    .render()
    .expect("the email layout renders any content");
    let text = TextPart {
        content,
        essential,
        why,
        preferences_url: &preferences_url,
        unsubscribe_url: unsubscribe_url.as_deref(),
    }
    .render()
    .expect("the email layout renders any content");
    OutboxEmail {
        to: to.to_owned(),
        subject: content.subject.clone(),
        text_body: text,
        html_body: html,
        unsubscribe_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_text_is_not_and_essential_mail_has_no_unsubscribe() {
        let content = Content::new(
            "Confirm",
            &["Hello <Ada> & friends"],
            Some(("Confirm your email", "http://x/verify?t=1&u=2")),
        );
        let email = render(
            Kind::Verify,
            "a@b.org",
            &content,
            "http://x",
            Some("http://x/unsubscribe/t".into()),
        );
        assert!(email.text_body.contains("Hello <Ada> & friends"));
        assert!(email.text_body.contains("http://x/verify?t=1&u=2"));
        assert!(!email.html_body.contains("<Ada>"));
        assert!(
            email
                .html_body
                .contains("Hello &#60;Ada&#62; &#38; friends")
        );
        assert!(
            email
                .html_body
                .contains("href=\"http://x/verify?t=1&#38;u=2\"")
                || email
                    .html_body
                    .contains("href=\"http://x/verify?t=1&amp;u=2\"")
        );
        assert_eq!(email.unsubscribe_url, None);
        assert!(!email.text_body.contains("unsubscribe"));
        assert!(
            email
                .html_body
                .contains("http://x/account/email-preferences")
        );
    }

    #[test]
    fn non_essential_mail_links_its_unsubscribe_in_both_parts() {
        let content = Content::new("Application received", &["Thanks"], None);
        let email = render(
            Kind::ApplicationReceived,
            "a@b.org",
            &content,
            "http://x",
            Some("http://x/unsubscribe/1.application_updates.abc".into()),
        );
        assert_eq!(
            email.unsubscribe_url.as_deref(),
            Some("http://x/unsubscribe/1.application_updates.abc")
        );
        assert!(
            email
                .text_body
                .contains("Stop these emails: http://x/unsubscribe/1.application_updates.abc")
        );
        assert!(
            email
                .html_body
                .contains("href=\"http://x/unsubscribe/1.application_updates.abc\"")
        );
    }
}

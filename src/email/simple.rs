//! Plain emails (a few paragraphs and one button) without our layout: kept for callers
//! not yet moved to [`super::send`] with a [`super::kinds`] type.
use super::OutboxEmail;

/// An email of `paragraphs`, with an optional `(label, url)` call to action after them.
pub fn simple(
    to: &str,
    subject: &str,
    paragraphs: &[&str],
    action: Option<(&str, &str)>,
) -> OutboxEmail {
    let mut text = String::new();
    let mut html = String::from(
        "<div style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; max-width: 560px\">\
         <p style=\"font-size: 20px; font-weight: bold; color: #0b5560\">hubmatch Southwark</p>",
    );
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = action {
        text.push_str(&format!("{label}:\n{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{url}\" style=\"display: inline-block; background: #0b5560; color: #ffffff; \
             padding: 10px 16px; text-decoration: none; font-weight: bold\">{label}</a></p>\
             <p style=\"font-size: 14px; color: #505a5f\">Or copy this address into your browser: {url}</p>",
            url = escape(url),
            label = escape(label)
        ));
    }
    text.push_str("hubmatch is run by the Southwark Community Support Alliance.\n");
    html.push_str(
        "<p style=\"font-size: 14px; color: #505a5f\">hubmatch is run by the Southwark Community Support Alliance.</p></div>",
    );
    OutboxEmail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text_body: text,
        html_body: html,
        unsubscribe_url: None,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_words_and_the_link_and_html_is_escaped() {
        let email = simple(
            "a@b.org",
            "Confirm",
            &["Hello <Ada> & friends"],
            Some(("Confirm your email", "http://x/verify?t=1&u=2")),
        );
        assert!(email.text_body.contains("Hello <Ada> & friends"));
        assert!(email.text_body.contains("http://x/verify?t=1&u=2"));
        assert!(email.html_body.contains("Hello &lt;Ada&gt; &amp; friends"));
        assert!(
            email
                .html_body
                .contains("href=\"http://x/verify?t=1&amp;u=2\"")
        );
    }
}

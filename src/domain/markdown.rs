//! Role and organisation descriptions: Markdown in, safe HTML out.
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders Markdown written by organisation staff. Raw HTML is shown as text,
/// images become their alt text, and links keep only http(s) and mailto targets,
/// so nothing a writer types can run script or load from elsewhere.
pub fn to_safe_html(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Image { .. }) | Event::End(pulldown_cmark::TagEnd::Image) => None,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Some(Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            })),
            // Headings inside a page start below the page's own h1 and h2.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Some(Event::Start(Tag::Heading {
                level: level.max(pulldown_cmark::HeadingLevel::H3),
                id,
                classes,
                attrs,
            })),
            Event::End(pulldown_cmark::TagEnd::Heading(level)) => Some(Event::End(
                pulldown_cmark::TagEnd::Heading(level.max(pulldown_cmark::HeadingLevel::H3)),
            )),
            other => Some(other),
        });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lists_emphasis_and_headings_render() {
        let html = to_safe_html("## What you'll do\n\n- Pack parcels\n- Greet **visitors**\n");
        assert!(html.contains("<h3>What you'll do</h3>"), "{html}");
        assert!(
            html.contains("<li>Greet <strong>visitors</strong></li>"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text_not_run() {
        let html = to_safe_html("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        let html = to_safe_html(
            "[a](javascript:alert(1)) [b](https://example.org) [c](mailto:x@example.org) [d](data:text/html,hi)",
        );
        assert!(
            !html.contains("javascript:") && !html.contains("data:"),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://example.org""#)
                && html.contains(r#"href="mailto:x@example.org""#)
        );
    }

    #[test]
    fn images_become_their_alt_text() {
        let html = to_safe_html("![a food parcel](https://tracker.example/pixel.png)");
        assert!(
            !html.contains("<img") && html.contains("a food parcel"),
            "{html}"
        );
    }

    proptest! {
        #[test]
        fn no_input_produces_a_script_tag_or_event_handler(s in ".{0,200}") {
            let html = to_safe_html(&s).to_ascii_lowercase();
            prop_assert!(!html.contains("<script"));
            prop_assert!(!html.contains("<iframe"));
            prop_assert!(!html.contains("href=\"javascript"));
        }
    }
}

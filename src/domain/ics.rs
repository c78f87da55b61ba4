//! iCalendar (RFC 5545) text for a volunteer's calendar feed: events, escaping and line folding.
use time::{OffsetDateTime, UtcOffset};

/// One session in a volunteer's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across fetches, so calendar apps update an event instead of duplicating it.
    pub uid: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub summary: String,
    pub location: String,
    pub description: String,
}

/// RFC 5545 lines may be at most 75 octets, not counting the line break.
const MAX_LINE_OCTETS: usize = 75;

/// A whole `VCALENDAR` named `name`, stamped `now`, with CRLF line ends.
pub fn calendar(name: &str, events: &[CalendarEvent], now: OffsetDateTime) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Southwark Community Support Alliance//hubmatch//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
    ];
    let stamp = utc_stamp(now);
    for event in events {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}", escape_text(&event.uid)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART:{}", utc_stamp(event.starts_at)));
        lines.push(format!("DTEND:{}", utc_stamp(event.ends_at)));
        lines.push(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.location.is_empty() {
            lines.push(format!("LOCATION:{}", escape_text(&event.location)));
        }
        if !event.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        out.push_str(&fold_line(line));
        out.push_str("\r\n");
    }
    out
}

/// `20261205T100000Z`: the instant in UTC, to the second.
pub fn utc_stamp(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// A TEXT value: backslash, comma and semicolon are escaped, and line breaks become `\n`.
pub fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                // CRLF is one break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Splits a content line into lines of at most 75 octets; each continuation starts with
/// one space. A multi-byte character is never cut in two.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / MAX_LINE_OCTETS * 3);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space counts toward the continuation line's 75.
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "session-7-volunteer-3@hubmatch".into(),
            starts_at: datetime!(2026-06-06 10:00 +01:00),
            ends_at: datetime!(2026-06-06 13:30 +01:00),
            summary: "Food parcel packer".into(),
            location: "Peckham Food Hub, 1 High Street; SE15".into(),
            description: "Peckham Food Hub\nContact: Ama Mensah".into(),
        }
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(
            utc_stamp(datetime!(2026-06-06 10:00 +01:00)),
            "20260606T090000Z"
        );
        assert_eq!(
            utc_stamp(datetime!(2026-12-05 14:30:05 UTC)),
            "20261205T143005Z"
        );
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(
            escape_text("Tea, cake; and a \\ slash\r\nnext\nline"),
            "Tea\\, cake\\; and a \\\\ slash\\nnext\\nline"
        );
        assert_eq!(escape_text("bell\u{7}"), "bell");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold_line(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        let parts: Vec<&str> = folded.split("\r\n").collect();
        assert!(parts.len() > 1);
        assert!(parts[1..].iter().all(|p| p.starts_with(' ')));
        // Unfolding (removing CRLF + space) gives the line back.
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold_line("SHORT:line"), "SHORT:line");
        let exactly = "X".repeat(75);
        assert_eq!(fold_line(&exactly), exactly);
        assert_eq!(fold_line(&"X".repeat(76)), format!("{exactly}\r\n X"));
    }

    #[test]
    fn a_calendar_has_one_event_per_session_with_crlf_lines() {
        let ics = calendar(
            "My volunteering",
            &[event()],
            datetime!(2026-06-01 08:00 UTC),
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.contains("\r\nUID:session-7-volunteer-3@hubmatch\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20260601T080000Z\r\n"));
        assert!(ics.contains("\r\nDTSTART:20260606T090000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20260606T123000Z\r\n"));
        assert!(ics.contains("\r\nLOCATION:Peckham Food Hub\\, 1 High Street\\; SE15\r\n"));
        assert!(ics.contains("\r\nDESCRIPTION:Peckham Food Hub\\nContact: Ama Mensah\r\n"));
        // No bare line feeds: every line ends CRLF.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let ics = calendar("Nothing yet", &[], datetime!(2026-06-01 08:00 UTC));
        assert!(!ics.contains("VEVENT"));
        assert!(ics.contains("PRODID:"));
    }
}

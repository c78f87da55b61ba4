//! `EmailAddress`: an email address that has been checked, trimmed and lower-cased.
use std::fmt;

use serde::Serialize;

/// The longest address that fits a mailbox path (RFC 5321, as errata 1690 reads it).
pub const MAX_CHARS: usize = 254;

/// A plausible email address, stored lower-case (as `users.email` is). Only
/// [`EmailAddress::parse`] makes one, so holding one means the checks passed;
/// whether the mailbox exists is for the verification email to find out.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

/// Why an address was refused, worded for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter your email address")]
    Empty,
    #[error("Email address must be {MAX_CHARS} characters or fewer")]
    TooLong,
    #[error("Email address must not contain spaces")]
    Whitespace,
    #[error("Email address must not contain control characters")]
    ControlCharacter,
    #[error("Enter an email address in the correct format, like name@example.com")]
    NoAt,
    #[error("Email address must contain only one @")]
    SeveralAts,
    #[error("Enter the part of the email address before the @")]
    EmptyLocalPart,
    #[error("Enter the part of the email address after the @, like example.com")]
    BadDomain,
}

impl EmailAddress {
    /// Trims surrounding whitespace, lower-cases, then checks the shape:
    /// one `@`, something before it, a dotted domain after it, no spaces or
    /// control characters, at most [`MAX_CHARS`] characters.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.chars().count() > MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        if address.chars().any(char::is_control) {
            return Err(EmailError::ControlCharacter);
        }
        if address.chars().any(char::is_whitespace) {
            return Err(EmailError::Whitespace);
        }
        let (local, domain) = match address.split_once('@') {
            None => return Err(EmailError::NoAt),
            Some((_, domain)) if domain.contains('@') => return Err(EmailError::SeveralAts),
            Some(parts) => parts,
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        if !domain_looks_routable(domain) {
            return Err(EmailError::BadDomain);
        }
        Ok(Self(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@` (the password policy refuses passwords containing it).
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A dot inside the domain with a non-empty label on each side ("example.com",
/// not "example", ".com", "example." or "a..b").
fn domain_looks_routable(domain: &str) -> bool {
    domain.contains('.') && domain.split('.').all(|label| !label.is_empty())
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trims_and_lower_cases() {
        let email = EmailAddress::parse("  Ada.Lovelace@Example.ORG \n").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@example.org");
        assert_eq!(email.to_string(), "ada.lovelace@example.org");
        assert_eq!(email.local_part(), "ada.lovelace");
    }

    #[test]
    fn refuses_each_malformed_shape_with_its_reason() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("ada.example.org", EmailError::NoAt),
            ("ada@home@example.org", EmailError::SeveralAts),
            ("@example.org", EmailError::EmptyLocalPart),
            ("ada@", EmailError::BadDomain),
            ("ada@localhost", EmailError::BadDomain),
            ("ada@example.", EmailError::BadDomain),
            ("ada@.org", EmailError::BadDomain),
            ("ada@example..org", EmailError::BadDomain),
            ("ada lovelace@example.org", EmailError::Whitespace),
            ("ada@exa\u{0}mple.org", EmailError::ControlCharacter),
            ("ada\t@example.org", EmailError::ControlCharacter),
        ];
        for (input, want) in cases {
            assert_eq!(EmailAddress::parse(input), Err(want), "input {input:?}");
        }
    }

    #[test]
    fn length_limit_is_254_characters() {
        let domain = "@example.org"; // 12 characters
        let fits = format!("{}{domain}", "a".repeat(MAX_CHARS - domain.len()));
        assert!(EmailAddress::parse(&fits).is_ok());
        let over = format!("a{fits}");
        assert_eq!(EmailAddress::parse(&over), Err(EmailError::TooLong));
    }

    #[test]
    fn serializes_as_a_plain_string() {
        let email = EmailAddress::parse("Ada@Example.org").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            "\"ada@example.org\""
        );
    }

    /// Text made of the characters that matter to the rules: `@`, dots, spaces,
    /// tabs, NUL, upper case, and letters whose lower case is longer (İ).
    const TRICKY_TEXT: &str = "[ \\tA-Za-z0-9@.\u{0}\u{e9}\u{130}\u{a0}-]{0,30}";

    fn valid_address() -> impl Strategy<Value = String> {
        (
            "[A-Za-z0-9._%+-]{1,30}",
            proptest::collection::vec("[A-Za-z0-9-]{1,15}", 2..4),
        )
            .prop_map(|(local, labels)| format!("{local}@{}", labels.join(".")))
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(input in TRICKY_TEXT) {
            // Whatever it makes of arbitrary text, parsing its own output again agrees.
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
            }
        }

        #[test]
        fn valid_addresses_round_trip(address in valid_address(), pad in "[ \t\n]{0,3}") {
            let email = EmailAddress::parse(&format!("{pad}{address}{pad}")).unwrap();
            prop_assert_eq!(email.as_str(), address.to_lowercase());
            prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn never_holds_spaces_or_upper_case(input in TRICKY_TEXT) {
            if let Ok(email) = EmailAddress::parse(&input) {
                let s = email.as_str();
                prop_assert!(!s.chars().any(char::is_whitespace));
                prop_assert_eq!(s.to_lowercase(), s);
                prop_assert_eq!(s.matches('@').count(), 1);
            }
        }
    }
}

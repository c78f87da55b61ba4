//! Passwords: the policy a new password must meet, and argon2id hashing and verification.
use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use super::email::EmailAddress;

/// Shortest password accepted, in characters (not bytes).
pub const MIN_CHARS: usize = 10;
/// Longest password accepted: long passphrases are welcome, megabytes to hash are not.
pub const MAX_CHARS: usize = 128;

/// OWASP Password Storage Cheat Sheet baseline for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
/// Ceilings for parameters read back from a stored hash (well above today's,
/// so a later raise of the cost still verifies).
const MAX_STORED_MEMORY_KIB: u32 = 256 * 1024;
const MAX_STORED_PASSES: u32 = 16;
const MAX_STORED_LANES: u32 = 8;

/// Common passwords of `MIN_CHARS` or more characters, lower-case, one a line.
/// From Django's common-passwords list (BSD-3-Clause); see data-seed/passwords/README.md.
const COMMON_PASSWORDS: &str = include_str!("../../data-seed/passwords/common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect());

/// Why a new password was refused, worded for the person choosing it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("Password must be at least {MIN_CHARS} characters")]
    TooShort,
    #[error("Password must be {MAX_CHARS} characters or fewer")]
    TooLong,
    #[error("This password is too common: choose one that is harder to guess")]
    TooCommon,
    #[error("Password must not contain your email address")]
    ContainsEmail,
}

/// Hashing or checking failed for a reason other than a wrong password.
#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    /// The stored value is not a PHC string this code can check (corrupt row,
    /// unknown algorithm, impossible parameters). Treat as a failed log-in and log it.
    #[error("stored password hash is malformed: {0}")]
    Malformed(argon2::password_hash::Error),
    #[error("cannot hash password: {0}")]
    Hashing(argon2::password_hash::Error),
}

/// Checks a new password (at sign-up, change or reset) and returns the first
/// rule it breaks. The email's local part is only looked for when it has at
/// least 3 characters, so "a@example.org" doesn't forbid every "a".
pub fn check_policy(password: &str, email: &EmailAddress) -> Result<(), PasswordPolicyError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordPolicyError::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordPolicyError::TooLong);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Err(PasswordPolicyError::TooCommon);
    }
    let local = email.local_part();
    if local.chars().count() >= 3 && lower.contains(local) {
        return Err(PasswordPolicyError::ContainsEmail);
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    COMMON.contains(lower) || COMMON.contains(lower.trim())
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes with argon2id and a fresh random salt; returns the PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `users.password_hash`.
/// Takes ~50 ms of CPU: call it from `tokio::task::spawn_blocking`.
pub fn hash(password: &str) -> Result<String, PasswordHashError> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(PasswordHashError::Hashing)
}

/// `Ok(true)` when `password` matches the stored PHC string, `Ok(false)` when
/// it doesn't, an error (never a panic) when the stored string is unusable.
/// Uses the parameters recorded in the hash, so old hashes keep working.
/// Same cost as [`hash`]: call it from `spawn_blocking`.
pub fn verify(password: &str, stored: &str) -> Result<bool, PasswordHashError> {
    let parsed = PasswordHash::new(stored).map_err(|e| PasswordHashError::Malformed(e.into()))?;
    let params = Params::try_from(&parsed).map_err(PasswordHashError::Malformed)?;
    // Verification runs with the stored parameters: a corrupted or tampered row
    // must not make each log-in attempt allocate gigabytes or spin for seconds.
    if params.m_cost() > MAX_STORED_MEMORY_KIB
        || params.t_cost() > MAX_STORED_PASSES
        || params.p_cost() > MAX_STORED_LANES
    {
        return Err(PasswordHashError::Malformed(
            argon2::password_hash::Error::ParamsInvalid,
        ));
    }
    match hasher().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(PasswordHashError::Malformed(e)),
    }
}

/// True when a stored hash was made with other settings than today's, so a
/// successful log-in should store a fresh [`hash`].
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let current = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("OWASP parameters are valid");
    parsed.algorithm.as_str() != "argon2id"
        || Params::try_from(&parsed).map_or(true, |p| {
            (p.m_cost(), p.t_cost(), p.p_cost())
                != (current.m_cost(), current.t_cost(), current.p_cost())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> EmailAddress {
        EmailAddress::parse("marcia.okafor@example.org").unwrap()
    }

    #[test]
    fn accepts_a_strong_password() {
        assert_eq!(check_policy("walworth-rd-lantern-47", &email()), Ok(()));
    }

    #[test]
    fn refuses_short_passwords_counting_characters_not_bytes() {
        assert_eq!(
            check_policy("nine char", &email()),
            Err(PasswordPolicyError::TooShort)
        );
        // Nine characters but 18 bytes: still too short.
        assert_eq!(
            check_policy("ééééééééé", &email()),
            Err(PasswordPolicyError::TooShort)
        );
        assert_eq!(check_policy("éééééééééé", &email()), Ok(()));
    }

    #[test]
    fn refuses_overlong_passwords() {
        let longest = "k".repeat(MAX_CHARS);
        assert_eq!(check_policy(&longest, &email()), Ok(()));
        let over = format!("{longest}k");
        assert_eq!(
            check_policy(&over, &email()),
            Err(PasswordPolicyError::TooLong)
        );
    }

    #[test]
    fn refuses_common_passwords_whatever_their_case() {
        for common in [
            "password123",
            "Password1234",
            "qwertyuiop",
            "QWERTYUIOP",
            "1234567890",
        ] {
            assert_eq!(
                check_policy(common, &email()),
                Err(PasswordPolicyError::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn refuses_passwords_containing_the_email_local_part() {
        assert_eq!(
            check_policy("Marcia.Okafor2026!", &email()),
            Err(PasswordPolicyError::ContainsEmail)
        );
        // A very short local part is not treated as a word to avoid.
        let short = EmailAddress::parse("jo@example.org").unwrap();
        assert_eq!(check_policy("enjoy-the-long-walk", &short), Ok(()));
    }

    #[test]
    fn messages_are_the_ones_users_see() {
        assert_eq!(
            PasswordPolicyError::TooShort.to_string(),
            "Password must be at least 10 characters"
        );
        assert_eq!(
            PasswordPolicyError::TooCommon.to_string(),
            "This password is too common: choose one that is harder to guess"
        );
    }

    #[test]
    fn bundled_list_is_loaded_lower_case_and_only_holds_what_length_allows() {
        assert!(COMMON.len() > 1000, "list has {} entries", COMMON.len());
        for entry in COMMON.iter() {
            assert_eq!(entry.to_lowercase(), *entry);
            // Shorter entries were dropped from the copy; lowering MIN_CHARS needs them back.
            assert!(entry.chars().count() >= MIN_CHARS, "{entry:?}");
        }
    }

    #[test]
    fn hash_verifies_the_right_password_only_and_is_salted() {
        let first = hash("walworth-rd-lantern-47").unwrap();
        let second = hash("walworth-rd-lantern-47").unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("walworth-rd-lantern-47", &first).unwrap());
        assert!(verify("walworth-rd-lantern-47", &second).unwrap());
        assert!(!verify("walworth-rd-lantern-48", &first).unwrap());
        assert!(!needs_rehash(&first));
    }

    #[test]
    fn malformed_stored_hashes_are_errors_not_panics() {
        for stored in [
            "",
            "not a hash",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
            "$argon2id$v=19$m=1,t=0,p=0$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$bcrypt$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=19456,t=2,p=1$!!!!$????",
            // Well-formed but absurdly costly: refused before any work is done.
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=19456,t=100000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ] {
            assert!(
                matches!(
                    verify("anything at all", stored),
                    Err(PasswordHashError::Malformed(_))
                ),
                "{stored:?}"
            );
            assert!(needs_rehash(stored), "{stored:?}");
        }
    }

    #[test]
    fn weaker_hashes_are_flagged_for_rehash() {
        // Cheap parameters keep this test fast; they are what an old row might hold.
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"walworth-rd-lantern-47")
        .unwrap()
        .to_string();
        assert!(verify("walworth-rd-lantern-47", &weak).unwrap());
        assert!(needs_rehash(&weak));
    }
}

//! Signed unsubscribe links: a token naming a user and a preference, signed with the
//! service's link secret (HMAC-SHA-256), so it works without signing in.
//!
//! The secret is `HUBMATCH_LINK_SECRET` when set (set it when several servers share one
//! database), else a random one kept in `DATA_DIR/link-secret`, made on first start.
//! One secret per process: the first `configure` wins, and until then a random one is
//! used (so tokens still sign and verify within a process that never configured it).
use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::kinds::Preference;

static SECRET: OnceLock<Vec<u8>> = OnceLock::new();

/// Bytes of the MAC kept in a token: 128 bits is plenty against forgery and keeps links short.
const MAC_BYTES: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the link secret {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// Loads (or creates) the link secret for this process. Call once at start-up.
pub fn configure(data_dir: &Path) -> Result<(), SecretError> {
    if SECRET.get().is_some() {
        return Ok(());
    }
    let secret = match std::env::var("HUBMATCH_LINK_SECRET") {
        Ok(s) if !s.trim().is_empty() => s.trim().as_bytes().to_vec(),
        _ => from_file(&data_dir.join("link-secret"))?,
    };
    let _ = SECRET.set(secret);
    Ok(())
}

fn from_file(path: &Path) -> Result<Vec<u8>, SecretError> {
    let err = |source| SecretError::File {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(s) if s.trim().len() >= 32 => return Ok(s.trim().as_bytes().to_vec()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let secret = crate::auth::tokens::random_token();
    write_private(path, &secret).map_err(err)?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(secret.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    std::fs::write(path, secret)
}

/// The link secret, also the key of other signed links (pathway certificates).
pub(crate) fn secret() -> &'static [u8] {
    SECRET.get_or_init(|| crate::auth::tokens::random_token().into_bytes())
}

fn mac(user_id: i32, preference: Preference) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret()).expect("HMAC takes a key of any length");
    mac.update(format!("unsubscribe:{user_id}:{}", preference.key()).as_bytes());
    let bytes = mac.finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&bytes[..MAC_BYTES])
}

/// `{user_id}.{preference}.{mac}`: readable, and useless once changed.
pub fn token(user_id: i32, preference: Preference) -> String {
    format!(
        "{user_id}.{}.{}",
        preference.key(),
        mac(user_id, preference)
    )
}

/// The user and preference a token names, if it is one we signed.
pub fn verify(token: &str) -> Option<(i32, Preference)> {
    let mut parts = token.splitn(3, '.');
    let user_id: i32 = parts.next()?.parse().ok()?;
    let preference = Preference::parse(parts.next()?)?;
    let given = parts.next()?;
    crate::auth::tokens::same_secret(given, &mac(user_id, preference))
        .then_some((user_id, preference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_token_names_its_user_and_preference() {
        let t = token(42, Preference::WeeklyDigest);
        assert!(t.starts_with("42.weekly_digest."));
        assert_eq!(verify(&t), Some((42, Preference::WeeklyDigest)));
    }

    #[test]
    fn changing_the_user_or_the_preference_breaks_the_signature() {
        let t = token(42, Preference::WeeklyDigest);
        let mac = t.rsplit('.').next().unwrap();
        assert_eq!(verify(&format!("43.weekly_digest.{mac}")), None);
        assert_eq!(verify(&format!("42.referrals.{mac}")), None);
        assert_eq!(verify("42.weekly_digest"), None);
        assert_eq!(verify(""), None);
    }

    proptest! {
        #[test]
        fn any_altered_mac_is_refused(user in 1i32..1_000_000, flip in 0usize..22) {
            let t = token(user, Preference::Hours);
            let (head, mac) = t.rsplit_once('.').unwrap();
            let mut bytes = mac.as_bytes().to_vec();
            let i = flip % bytes.len();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = format!("{head}.{}", String::from_utf8(bytes).unwrap());
            prop_assert_eq!(verify(&altered), None);
        }
    }
}

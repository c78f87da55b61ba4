//! Accounts' credentials and sessions: email addresses, password policy and hashing, the session store.
pub mod csrf;
pub mod current;
pub mod email;
pub mod password;
pub mod rate_limit;
pub mod session;
pub mod session_store;
pub mod tokens;
pub mod totp;

pub use email::{EmailAddress, EmailError};
pub use password::{PasswordHashError, PasswordPolicyError};
pub use session_store::DatabaseSessionStore;

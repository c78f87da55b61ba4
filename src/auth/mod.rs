//! Accounts' credentials and sessions: email addresses, password policy and hashing, the session store.
pub mod email;
pub mod password;
pub mod session_store;

pub use email::{EmailAddress, EmailError};
pub use password::{PasswordHashError, PasswordPolicyError};
pub use session_store::DatabaseSessionStore;

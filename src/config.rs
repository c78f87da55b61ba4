//! Settings: defaults < `hubmatch.toml` < environment < command-line flags.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything an operator can set. Field names are the `hubmatch.toml` keys and,
/// upper-cased with the `HUBMATCH_` prefix, the environment variables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    /// Address to listen on (`--bind`, `HUBMATCH_BIND`).
    pub bind: SocketAddr,
    /// Folder holding the SQLite file, the search index and emails written to files
    /// (`--data-dir`, `HUBMATCH_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL` (or `HUBMATCH_DATABASE_URL`); unset means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// The URL people use to reach the service, for links in emails and feeds.
    pub public_url: Option<String>,
    /// `pretty` for people at a terminal, `json` for log collectors.
    pub log_format: LogFormat,
    /// Requests taking longer than this are answered 408.
    pub request_timeout_secs: u64,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// Database pool size.
    pub db_max_connections: u32,
    /// Where static assets are served from.
    pub static_dir: PathBuf,
    /// `SMTP_URL` (or `HUBMATCH_SMTP_URL`); unset means emails are written as
    /// `.eml` files to `data_dir/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of every email; its domain also names Message-IDs.
    pub email_from: String,
    /// A signed-in session ends after this long without a request.
    pub session_idle_minutes: u32,
    /// ... and this long after signing in, however busy.
    pub session_absolute_hours: u32,
    /// Mark cookies `Secure`. Unset: on when `public_url` is https.
    pub secure_cookies: Option<bool>,
    /// Take the client address from the last `X-Forwarded-For` entry (set this only
    /// behind a reverse proxy that writes it), for rate limits and the audit log.
    pub trust_forwarded_for: bool,
    /// Matching's weights (`[matching.weights]`, or e.g.
    /// `HUBMATCH_MATCHING__WEIGHTS__SKILLS=0.3`); see docs/matching.md.
    #[serde(default)]
    pub matching: MatchingSettings,
    /// `MEILI_URL` (or `HUBMATCH_MEILI_URL`): search with Meilisearch there;
    /// unset means the embedded tantivy index in `data_dir/search/`.
    #[serde(default)]
    pub meili_url: Option<String>,
    /// `MEILI_API_KEY` (or `HUBMATCH_MEILI_API_KEY`).
    #[serde(default)]
    pub meili_api_key: Option<String>,
}

/// How matching ranks roles and volunteers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MatchingSettings {
    /// Relative weights of the score's parts; missing keys take the documented
    /// defaults (`crate::domain::matching::Weights`).
    pub weights: crate::domain::matching::Weights,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Pretty,
            request_timeout_secs: 30,
            body_limit_bytes: 1024 * 1024,
            db_max_connections: 10,
            static_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
            smtp_url: None,
            email_from: "hubmatch <no-reply@hubmatch.localhost>".into(),
            session_idle_minutes: 120,
            session_absolute_hours: 12,
            secure_cookies: None,
            trust_forwarded_for: false,
            matching: MatchingSettings::default(),
            meili_url: None,
            meili_api_key: None,
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers alone.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(Box<figment::Error>);

impl Settings {
    /// Reads the layers in order. `config_file` defaults to `hubmatch.toml` in the
    /// working directory, which may be absent.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Self, ConfigError> {
        let file = config_file.unwrap_or(Path::new("hubmatch.toml"));
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            // `__` nests: HUBMATCH_MATCHING__WEIGHTS__SKILLS is matching.weights.skills.
            .merge(Env::prefixed("HUBMATCH_").split("__"))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(Env::raw().only(&["SMTP_URL"]).map(|_| "smtp_url".into()))
            .merge(Env::raw().only(&["MEILI_URL"]).map(|_| "meili_url".into()))
            .merge(
                Env::raw()
                    .only(&["MEILI_API_KEY"])
                    .map(|_| "meili_api_key".into()),
            )
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| ConfigError(Box::new(e)))
    }

    /// The database to use: `database_url` if set, else SQLite in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.sqlite_path().display()),
        }
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("hubmatch.db")
    }

    /// Whether cookies carry `Secure`: as configured, else when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| {
            self.public_url
                .as_deref()
                .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
        })
    }

    pub fn session_absolute(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.session_absolute_hours) * 3600)
    }

    /// The Meilisearch server to use, if one is set (blank means none).
    pub fn meili_url(&self) -> Option<String> {
        self.meili_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
    }

    pub fn meili_api_key(&self) -> Option<String> {
        self.meili_api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
    }

    /// The address to show people: `public_url`, else derived from `bind`.
    pub fn base_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{bound}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn matching_weights_come_from_the_file_and_the_environment() {
        Jail::expect_with(|jail| {
            let none = Settings::load(None, &Overrides::default()).expect("defaults load");
            assert_eq!(
                none.matching.weights,
                crate::domain::matching::Weights::default()
            );
            jail.create_file(
                "hubmatch.toml",
                "[matching.weights]\nskills = 0.5\nfairness = 0.2\n",
            )?;
            jail.set_env("HUBMATCH_MATCHING__WEIGHTS__FAIRNESS", "0.3");
            let s = Settings::load(None, &Overrides::default()).expect("weights load");
            assert_eq!(s.matching.weights.skills, 0.5);
            assert_eq!(s.matching.weights.fairness, 0.3);
            assert_eq!(
                s.matching.weights.causes,
                crate::domain::matching::Weights::default().causes
            );
            jail.create_file("hubmatch.toml", "[matching.weights]\nskils = 0.5\n")?;
            assert!(Settings::load(None, &Overrides::default()).is_err());
            Ok(())
        });
    }

    #[test]
    fn nothing_configured_gives_embedded_defaults() {
        Jail::expect_with(|_jail| {
            let s = Settings::load(None, &Overrides::default()).expect("defaults load");
            assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
            assert_eq!(s.data_dir, PathBuf::from("data"));
            assert_eq!(s.database_url(), "sqlite://data/hubmatch.db?mode=rwc");
            Ok(())
        });
    }

    #[test]
    fn layers_apply_in_order_file_then_env_then_flags() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "hubmatch.toml",
                "bind = \"127.0.0.1:9000\"\ndata_dir = \"/srv/file\"\nlog_format = \"json\"",
            )?;
            let s = Settings::load(None, &Overrides::default()).expect("file loads");
            assert_eq!(s.bind.port(), 9000);
            assert_eq!(s.log_format, LogFormat::Json);

            jail.set_env("HUBMATCH_DATA_DIR", "/srv/env");
            jail.set_env("DATABASE_URL", "postgres://db/hubmatch");
            let s = Settings::load(None, &Overrides::default()).expect("env loads");
            assert_eq!(s.data_dir, PathBuf::from("/srv/env"));
            assert_eq!(s.bind.port(), 9000, "file value kept where env is silent");
            assert_eq!(s.database_url(), "postgres://db/hubmatch");

            let flags = Overrides {
                data_dir: Some("/srv/flag".into()),
                bind: Some("0.0.0.0:7000".parse().unwrap()),
                database_url: None,
            };
            let s = Settings::load(None, &flags).expect("flags load");
            assert_eq!(s.data_dir, PathBuf::from("/srv/flag"));
            assert_eq!(s.bind.port(), 7000);
            assert_eq!(s.database_url(), "postgres://db/hubmatch");
            Ok(())
        });
    }

    #[test]
    fn the_example_settings_file_loads_and_matches_the_defaults() {
        Jail::expect_with(|_jail| {
            let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("hubmatch.toml.example");
            let s = Settings::load(Some(&example), &Overrides::default()).expect("example loads");
            assert_eq!(s, Settings::default());
            Ok(())
        });
    }

    #[test]
    fn smtp_url_comes_from_smtp_url_like_database_url_from_database_url() {
        Jail::expect_with(|jail| {
            let s = Settings::load(None, &Overrides::default()).expect("defaults load");
            assert_eq!(s.smtp_url, None, "files unless SMTP is configured");
            jail.set_env("HUBMATCH_SMTP_URL", "smtp://prefixed:25");
            let s = Settings::load(None, &Overrides::default()).expect("env loads");
            assert_eq!(s.smtp_url.as_deref(), Some("smtp://prefixed:25"));
            jail.set_env("SMTP_URL", "smtps://u:p@mail.example.org");
            let s = Settings::load(None, &Overrides::default()).expect("env loads");
            assert_eq!(s.smtp_url.as_deref(), Some("smtps://u:p@mail.example.org"));
            Ok(())
        });
    }

    #[test]
    fn a_malformed_bind_address_is_an_error_naming_the_key() {
        Jail::expect_with(|jail| {
            jail.set_env("HUBMATCH_BIND", "not-an-address");
            let err = Settings::load(None, &Overrides::default()).unwrap_err();
            assert!(err.to_string().to_lowercase().contains("bind"), "{err}");
            Ok(())
        });
    }
}

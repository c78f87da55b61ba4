//! `TestApp`: the real application on a random loopback port with a database of its own.
use std::net::SocketAddr;

use hubmatch::config::Settings;
use hubmatch::startup::Application;
use sea_orm::DatabaseConnection;
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub backend: &'static str,
    _dir: TempDir,
}

impl TestApp {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|_| {}).await
    }

    /// SQLite, with some settings changed.
    pub async fn sqlite_with(change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = settings_in(&dir, None);
        change(&mut settings);
        Self::start(settings, dir, "sqlite").await
    }

    /// A fresh PostgreSQL database on the server at `TEST_DATABASE_URL`, or `None`
    /// (with a note on stderr) when that is not set.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
            return None;
        };
        let url = hubmatch::db::create_scratch_database(&admin_url, "hm_test")
            .await
            .expect("create a test database through TEST_DATABASE_URL");
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = settings_in(&dir, Some(url));
        Some(Self::start(settings, dir, "postgres").await)
    }

    async fn start(settings: Settings, dir: TempDir, backend: &'static str) -> Self {
        hubmatch::telemetry::init(settings.log_format);
        let db = hubmatch::db::prepare(&settings)
            .await
            .expect("prepare database");
        let app = Application::with_database(settings, db.clone())
            .await
            .expect("bind");
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base,
            client,
            db,
            backend,
            _dir: dir,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET, expecting `status`, returning the body text.
    pub async fn get_text(&self, path: &str, status: u16) -> String {
        let res = self.get(path).await;
        let got = res.status().as_u16();
        let body = res.text().await.expect("body");
        assert_eq!(got, status, "GET {path} on {}: {body}", self.backend);
        body
    }

    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let body = self.get_text(path, status).await;
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {body}"))
    }
}

fn settings_in(dir: &TempDir, database_url: Option<String>) -> Settings {
    Settings {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: dir.path().to_path_buf(),
        database_url,
        db_max_connections: 5,
        ..Settings::default()
    }
}

/// Runs each named `async fn(TestApp)` as two tests, `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::TestApp::sqlite().await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::postgres().await {
                        super::$name(app).await
                    }
                }
            }
        )*
    };
}

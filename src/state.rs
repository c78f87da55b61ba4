//! What every handler can reach: the database pool and the settings.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Where people reach this service (`public_url`, else the bound address), for
    /// links in emails.
    pub base_url: Arc<str>,
    /// The search back end (tantivy or Meilisearch); written only by the search sync worker.
    pub search: crate::search::SharedIndex,
}

impl AppState {
    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

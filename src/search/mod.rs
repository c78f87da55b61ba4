//! Full-text search: the `SearchIndex` trait both back ends (tantivy, Meilisearch) implement, and what a search asks and answers.
//!
//! Settings are data (`search-config/*.json`), documents are built from the
//! database (`documents`), and the index follows the database through the outbox
//! (`sync`): no request handler ever writes to a search server.
pub mod documents;
mod facet_counts;
pub mod highlight;
pub mod meili;
pub mod params;
pub mod settings;
pub mod sync;
pub mod tantivy;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

pub use settings::{IndexName, IndexSettings, SettingsError};

/// Longer queries are refused with a 400 naming `q`: nobody types more, and
/// fuzzy matching costs grow with every word.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are used (the rest would only slow it down).
pub const MAX_QUERY_WORDS: usize = 12;

/// A document as both back ends index it: searchable text per attribute,
/// facet values per filterable attribute, numbers to sort by, and a place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub id: i64,
    /// Searchable attribute -> text (several values joined by ", ").
    pub text: BTreeMap<String, String>,
    /// Filterable attribute -> its values (slugs, codes, "true"/"false").
    pub facets: BTreeMap<String, Vec<String>>,
    /// Sortable attribute -> value (Unix seconds for dates). Absent sorts last.
    pub numbers: BTreeMap<String, i64>,
    /// Latitude and longitude (a ward centroid), for sorting by distance.
    pub geo: Option<(f64, f64)>,
}

impl Document {
    pub fn new(id: i64) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    pub fn text(mut self, attribute: &str, value: impl Into<String>) -> Self {
        self.text.insert(attribute.to_owned(), value.into());
        self
    }

    pub fn facet(mut self, attribute: &str, value: impl Into<String>) -> Self {
        self.facets
            .entry(attribute.to_owned())
            .or_default()
            .push(value.into());
        self
    }

    pub fn flag(self, attribute: &str, value: bool) -> Self {
        self.facet(attribute, if value { "true" } else { "false" })
    }

    pub fn number(mut self, attribute: &str, value: Option<i64>) -> Self {
        if let Some(v) = value {
            self.numbers.insert(attribute.to_owned(), v);
        }
        self
    }

    /// The document as Meilisearch stores it (`_geo` as `{lat, lng}`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), self.id.into());
        for (k, v) in &self.text {
            map.insert(k.clone(), v.clone().into());
        }
        for (k, v) in &self.facets {
            map.insert(k.clone(), v.clone().into());
        }
        for (k, v) in &self.numbers {
            map.insert(k.clone(), (*v).into());
        }
        if let Some((lat, lng)) = self.geo {
            map.insert("_geo".into(), serde_json::json!({ "lat": lat, "lng": lng }));
        }
        serde_json::Value::Object(map)
    }
}

/// The order of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SortBy {
    /// Best match first (with no words: newest first).
    #[default]
    Relevance,
    /// By a sortable attribute, smallest first; documents without it last.
    Ascending(String),
    /// By a sortable attribute, largest first; documents without it last.
    Descending(String),
    /// Nearest to a point first (`_geo`); documents without a place last.
    Near { lat: f64, lon: f64 },
}

/// One search: words, filters (any of the values within an attribute, all of the
/// attributes), facets to count, order and page.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub text: String,
    pub filters: BTreeMap<String, Vec<String>>,
    pub facets: Vec<String>,
    pub sort: SortBy,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self {
            text: String::new(),
            filters: BTreeMap::new(),
            facets: Vec::new(),
            sort: SortBy::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

impl SearchQuery {
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            ..Self::default()
        }
    }

    pub fn filter(mut self, attribute: &str, value: &str) -> Self {
        self.filters
            .entry(attribute.to_owned())
            .or_default()
            .push(value.to_owned());
        self
    }

    /// Checks the query against the index's settings: every filter, facet and sort
    /// attribute must be declared, the text not too long. Both back ends call this
    /// first, so they refuse the same things with the same words.
    pub fn check(&self, settings: &IndexSettings) -> Result<(), SearchError> {
        if self.text.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong);
        }
        for attribute in self.filters.keys().chain(self.facets.iter()) {
            if !settings.is_filterable(attribute) {
                return Err(SearchError::UnknownFilter(attribute.clone()));
            }
        }
        match &self.sort {
            SortBy::Ascending(a) | SortBy::Descending(a) if !settings.is_sortable(a) => {
                Err(SearchError::UnknownSort(a.clone()))
            }
            SortBy::Near { lat, lon }
                if !settings.is_sortable("_geo") || !lat.is_finite() || !lon.is_finite() =>
            {
                Err(SearchError::UnknownSort("_geo".into()))
            }
            _ if self.page == 0 || self.per_page == 0 => Err(SearchError::BadPage),
            _ => Ok(()),
        }
    }

    pub fn offset(&self) -> usize {
        (self.page.saturating_sub(1) as usize).saturating_mul(self.per_page as usize)
    }
}

/// One result: the document id and its title and best passage with the matched
/// words in `<mark>` (HTML, everything else escaped).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub id: i64,
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// All matching documents, not just this page.
    pub total: u64,
    /// Facet -> values with how many matching documents have each, most first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

impl SearchResults {
    pub fn ids(&self) -> Vec<i64> {
        self.hits.iter().map(|h| h.id).collect()
    }

    pub fn facet_count(&self, facet: &str, value: &str) -> u64 {
        self.facets
            .get(facet)
            .and_then(|values| values.iter().find(|v| v.value == value))
            .map_or(0, |v| v.count)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot filter by '{0}'")]
    UnknownFilter(String),
    #[error("cannot sort by '{0}'")]
    UnknownSort(String),
    #[error("the search is longer than {MAX_QUERY_CHARS} characters")]
    QueryTooLong,
    #[error("page and per_page start at 1")]
    BadPage,
    /// The index cannot be reached or written now; try again later.
    #[error("the search index is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("search failed: {0}")]
    Backend(String),
}

impl SearchError {
    /// The request parameter a visitor got wrong, with why, when it is their mistake.
    pub fn field(&self) -> Option<(&'static str, String)> {
        match self {
            Self::UnknownFilter(name) => Some(("filter", format!("cannot filter by '{name}'"))),
            Self::UnknownSort(name) => Some(("sort", format!("cannot sort by '{name}'"))),
            Self::QueryTooLong => Some((
                "q",
                format!("must be {MAX_QUERY_CHARS} characters or fewer"),
            )),
            Self::BadPage => Some(("page", "must be a whole number from 1".into())),
            _ => None,
        }
    }
}

/// A search index of one kind of document. Implementations are cheap to share
/// (`Arc<dyn SearchIndex>`) and safe to call from many requests at once.
#[async_trait::async_trait]
pub trait SearchIndex: Send + Sync {
    /// "tantivy" or "meilisearch", for logs and `/readyz`.
    fn backend(&self) -> &'static str;
    /// Adds or replaces documents by id.
    async fn upsert(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError>;
    /// Removes documents by id; ids not in the index are fine.
    async fn delete(&self, index: IndexName, ids: Vec<i64>) -> Result<(), SearchError>;
    async fn search(
        &self,
        index: IndexName,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError>;
    /// Facet counts alone, for a query (no hits).
    async fn facets(
        &self,
        index: IndexName,
        query: &SearchQuery,
    ) -> Result<BTreeMap<String, Vec<FacetCount>>, SearchError> {
        let mut q = query.clone();
        q.per_page = 1;
        q.page = 1;
        Ok(self.search(index, &q).await?.facets)
    }
    /// Builds a fresh index from `docs` beside the live one, then swaps it in:
    /// searches keep working on the old one until the swap.
    async fn reindex(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError>;
    /// Number of documents, cheap: for health checks and tests.
    async fn count(&self, index: IndexName) -> Result<u64, SearchError>;
}

pub type SharedIndex = Arc<dyn SearchIndex>;

/// The back end the settings choose: Meilisearch when `meili_url` is set, else
/// tantivy in `<data_dir>/search/`.
pub async fn open(settings: &crate::config::Settings) -> Result<SharedIndex, SearchError> {
    match settings.meili_url() {
        Some(url) => Ok(Arc::new(
            meili::MeiliIndex::connect(&url, settings.meili_api_key().as_deref()).await?,
        )),
        None => open_tantivy(&settings.data_dir.join("search")),
    }
}

/// The embedded index in `dir` (one per folder per process).
pub fn open_tantivy(dir: &Path) -> Result<SharedIndex, SearchError> {
    Ok(tantivy::TantivyIndex::open_shared(dir)?)
}

//! The Meilisearch back end (`MEILI_URL`, `MEILI_API_KEY`): the same settings file, filters built from escaped values, rebuilds by swapping a new index in.
use std::collections::BTreeMap;
use std::time::Duration;

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::search::{MatchingStrategies, Selectors};
use meilisearch_sdk::settings::Settings;
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;

use super::highlight::escape;
use super::{
    Document, FacetCount, Hit, IndexName, IndexSettings, SearchError, SearchIndex, SearchQuery,
    SearchResults, SortBy,
};

/// Settings and bulk loads of tens of thousands of documents take longer than
/// the SDK's default 5 seconds.
const TASK_TIMEOUT: Duration = Duration::from_secs(300);
const TASK_POLL: Duration = Duration::from_millis(50);
/// Highlight tags no document contains, turned into `<mark>` after escaping.
const PRE: &str = "\u{e000}";
const POST: &str = "\u{e001}";

pub struct MeiliIndex {
    client: Client,
    settings: BTreeMap<IndexName, IndexSettings>,
}

fn unavailable(e: impl std::fmt::Display) -> SearchError {
    SearchError::Unavailable(e.to_string())
}

/// A filter value as a Meilisearch string literal: quoted, with `\` and `"`
/// escaped, so no value can end the string and add `OR …` to the expression.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `(a = "x" OR a = "y") AND (b = "z")`; attribute names come from the settings
/// file (checked before this is called), values are quoted.
pub fn filter_expression(filters: &BTreeMap<String, Vec<String>>) -> Option<String> {
    let parts: Vec<String> = filters
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(attribute, values)| {
            let any: Vec<String> = values
                .iter()
                .map(|v| format!("{attribute} = {}", quote(v)))
                .collect();
            format!("({})", any.join(" OR "))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Meilisearch returns highlighted text unescaped: escape it, then turn our
/// private-use tags into `<mark>`.
fn marked(raw: &str) -> String {
    escape(raw).replace(PRE, "<mark>").replace(POST, "</mark>")
}

impl MeiliIndex {
    /// Connects and applies the settings files to both indexes (creating them).
    pub async fn connect(url: &str, api_key: Option<&str>) -> Result<Self, SearchError> {
        let client = Client::new(url, api_key).map_err(unavailable)?;
        let mut settings = BTreeMap::new();
        for name in IndexName::ALL {
            settings.insert(name, IndexSettings::load(name)?);
        }
        let me = Self { client, settings };
        for name in IndexName::ALL {
            me.prepare(name.as_str(), name).await?;
        }
        Ok(me)
    }

    async fn wait(&self, task: TaskInfo) -> Result<(), SearchError> {
        match task
            .wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_TIMEOUT))
            .await
            .map_err(unavailable)?
        {
            Task::Failed { content } => Err(SearchError::Backend(content.error.error_message)),
            _ => Ok(()),
        }
    }

    /// Creates the index if need be and applies the settings file to it.
    async fn prepare(&self, uid: &str, name: IndexName) -> Result<(), SearchError> {
        if self.client.get_index(uid).await.is_err() {
            let task = self
                .client
                .create_index(uid, Some("id"))
                .await
                .map_err(unavailable)?;
            // "index already exists" from a concurrent start is fine.
            let _ = self.wait(task).await;
        }
        let settings: Settings = serde_json::from_str(name.settings_json())
            .map_err(|e| SearchError::Backend(e.to_string()))?;
        let task = self
            .client
            .index(uid)
            .set_settings(&settings)
            .await
            .map_err(unavailable)?;
        self.wait(task).await
    }

    fn settings(&self, name: IndexName) -> &IndexSettings {
        &self.settings[&name]
    }
}

#[async_trait::async_trait]
impl SearchIndex for MeiliIndex {
    fn backend(&self) -> &'static str {
        "meilisearch"
    }

    async fn upsert(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError> {
        let json: Vec<serde_json::Value> = docs.iter().map(Document::to_json).collect();
        let task = self
            .client
            .index(index.as_str())
            .add_or_replace(&json, Some("id"))
            .await
            .map_err(unavailable)?;
        self.wait(task).await
    }

    async fn delete(&self, index: IndexName, ids: Vec<i64>) -> Result<(), SearchError> {
        let task = self
            .client
            .index(index.as_str())
            .delete_documents(&ids)
            .await
            .map_err(unavailable)?;
        self.wait(task).await
    }

    async fn search(
        &self,
        index: IndexName,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError> {
        let settings = self.settings(index);
        query.check(settings)?;
        let idx = self.client.index(index.as_str());
        let filter = filter_expression(&query.filters);
        let facets: Vec<&str> = query.facets.iter().map(String::as_str).collect();
        let sort_owned: Vec<String> = match &query.sort {
            SortBy::Relevance if query.text.trim().is_empty() => {
                if settings.is_sortable("opened_at") {
                    vec!["opened_at:desc".into()]
                } else {
                    vec![]
                }
            }
            SortBy::Relevance => vec![],
            SortBy::Ascending(a) => vec![format!("{a}:asc")],
            SortBy::Descending(a) => vec![format!("{a}:desc")],
            SortBy::Near { lat, lon } => vec![format!("_geoPoint({lat}, {lon}):asc")],
        };
        let sort: Vec<&str> = sort_owned.iter().map(String::as_str).collect();
        let title = settings
            .searchable_attributes
            .first()
            .cloned()
            .unwrap_or_default();
        let highlight: Vec<&str> = settings
            .searchable_attributes
            .iter()
            .map(String::as_str)
            .collect();
        let crop = ["summary", "description", "bio"];
        let mut q = idx.search();
        q.with_query(&query.text)
            .with_page(query.page as usize)
            .with_hits_per_page(query.per_page as usize)
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_attributes_to_highlight(Selectors::Some(&highlight))
            .with_attributes_to_crop(Selectors::Some(&[("description", Some(30))]))
            .with_highlight_pre_tag(PRE)
            .with_highlight_post_tag(POST)
            .with_attributes_to_retrieve(Selectors::Some(&["id"]));
        if let Some(f) = &filter {
            q.with_filter(f);
        }
        if !facets.is_empty() {
            q.with_facets(Selectors::Some(&facets));
        }
        if !sort.is_empty() {
            q.with_sort(&sort);
        }
        let found = q
            .execute::<serde_json::Value>()
            .await
            .map_err(|e| match e {
                meilisearch_sdk::errors::Error::Meilisearch(m) => {
                    SearchError::Backend(m.error_message)
                }
                e => unavailable(e),
            })?;
        let hits = found
            .hits
            .iter()
            .filter_map(|h| {
                let id = h.result.get("id")?.as_i64()?;
                let formatted = h.formatted_result.as_ref();
                let field = |name: &str| {
                    formatted
                        .and_then(|f| f.get(name))
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let title_html = marked(&field(&title));
                let snippet_html = crop
                    .iter()
                    .map(|c| field(c))
                    .find(|t| t.contains(PRE))
                    .or_else(|| crop.iter().map(|c| field(c)).find(|t| !t.is_empty()))
                    .map(|t| marked(&t))
                    .unwrap_or_default();
                Some(Hit {
                    id,
                    title_html,
                    snippet_html,
                })
            })
            .collect();
        let mut facet_counts = BTreeMap::new();
        for facet in &query.facets {
            let mut values: Vec<FacetCount> = found
                .facet_distribution
                .as_ref()
                .and_then(|d| d.get(facet))
                .map(|m| {
                    m.iter()
                        .map(|(v, n)| FacetCount {
                            value: v.clone(),
                            count: *n as u64,
                        })
                        .collect()
                })
                .unwrap_or_default();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            facet_counts.insert(facet.clone(), values);
        }
        Ok(SearchResults {
            hits,
            total: found.total_hits.unwrap_or(0) as u64,
            facets: facet_counts,
        })
    }

    /// Builds `<index>_<timestamp>` with the settings and documents, swaps it
    /// with the live index, then deletes the old one. Searches use the live
    /// index throughout.
    async fn reindex(&self, index: IndexName, docs: Vec<Document>) -> Result<(), SearchError> {
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let fresh = format!("{}_{stamp}", index.as_str());
        self.prepare(&fresh, index).await?;
        let json: Vec<serde_json::Value> = docs.iter().map(Document::to_json).collect();
        for chunk in json.chunks(10_000) {
            let task = self
                .client
                .index(&fresh)
                .add_or_replace(chunk, Some("id"))
                .await
                .map_err(unavailable)?;
            self.wait(task).await?;
        }
        let swap = SwapIndexes {
            indexes: (index.as_str().to_owned(), fresh.clone()),
            rename: None,
        };
        let task = self
            .client
            .swap_indexes([&swap])
            .await
            .map_err(unavailable)?;
        self.wait(task).await?;
        let task = self
            .client
            .delete_index(&fresh)
            .await
            .map_err(unavailable)?;
        self.wait(task).await
    }

    async fn count(&self, index: IndexName) -> Result<u64, SearchError> {
        let stats = self
            .client
            .index(index.as_str())
            .get_stats()
            .await
            .map_err(unavailable)?;
        Ok(stats.number_of_documents as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_cannot_change_the_expression() {
        let mut filters = BTreeMap::new();
        filters.insert(
            "cause".to_owned(),
            vec![
                "food\" OR cause = \"x".to_owned(),
                "back\\slash\\".to_owned(),
            ],
        );
        filters.insert("ward".to_owned(), vec!["E05011110 OR 1 = 1".to_owned()]);
        let expr = filter_expression(&filters).unwrap();
        assert_eq!(
            expr,
            r#"(cause = "food\" OR cause = \"x" OR cause = "back\\slash\\") AND (ward = "E05011110 OR 1 = 1")"#
        );
        // Every value is one string literal: unescaped quotes only open and close them.
        let unescaped_quotes = expr
            .char_indices()
            .filter(|(i, c)| {
                *c == '"' && {
                    let backslashes = expr[..*i].chars().rev().take_while(|c| *c == '\\').count();
                    backslashes % 2 == 0
                }
            })
            .count();
        assert_eq!(unescaped_quotes, 6);
    }

    #[test]
    fn highlighted_text_from_the_server_is_escaped() {
        assert_eq!(
            marked(&format!("<script>{PRE}café{POST}")),
            "&lt;script&gt;<mark>café</mark>"
        );
    }
}

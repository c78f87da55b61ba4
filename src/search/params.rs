//! Search parameters from a query string (`?q=…&cause=…&sort=…`), checked: every bad or unknown parameter is named.
use std::collections::BTreeMap;

use super::{IndexName, MAX_QUERY_CHARS, SearchQuery, SortBy};
use crate::domain::filters::{PER_PAGE_DEFAULT, PER_PAGE_MAX};

/// Facets the roles page and API count, in the order the page shows them.
pub const ROLE_FACETS: [&str; 9] = [
    "cause",
    "hub",
    "ward",
    "organisation",
    "commitment",
    "remote",
    "youth_friendly",
    "skill",
    "time_slot",
];

pub const VOLUNTEER_FACETS: [&str; 5] = ["skill", "cause", "ward", "time_slot", "remote"];

/// A parsed search: the query for the index, and the ward to measure distance
/// from when sorting by distance (resolved to a centroid by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    pub query: SearchQuery,
    /// `sort` as given, for the page's select ("relevance" when absent).
    pub sort: String,
    pub near: Option<String>,
}

/// Parameters that are not filters; everything else must be a filterable attribute.
const CONTROL: [&str; 5] = ["q", "sort", "near", "page", "per_page"];
const MAX_VALUE_CHARS: usize = 100;

/// Parses query pairs for `index`. Filter names are the settings file's filterable
/// attributes (plus `youth` for `youth_friendly`, as on `/roles`); repeat one for
/// any of several values. Tracking tags (`utm_…`) are ignored; any other unknown
/// parameter is an error naming it, so a mistyped filter is never silently dropped.
pub fn parse(
    index: IndexName,
    filterable: &[String],
    pairs: &[(String, String)],
) -> Result<SearchParams, BTreeMap<String, String>> {
    let mut query = SearchQuery {
        per_page: PER_PAGE_DEFAULT,
        facets: match index {
            IndexName::Roles => ROLE_FACETS.iter().map(|s| (*s).to_owned()).collect(),
            IndexName::Volunteers => VOLUNTEER_FACETS.iter().map(|s| (*s).to_owned()).collect(),
        },
        ..SearchQuery::default()
    };
    let mut sort = String::from("relevance");
    let mut near = None;
    let mut errors = BTreeMap::new();
    for (key, raw) in pairs {
        let value = raw.trim();
        let mut fail = |why: String| {
            errors.entry(key.clone()).or_insert(why);
        };
        match key.as_str() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    fail(format!("must be {MAX_QUERY_CHARS} characters or fewer"));
                } else {
                    query.text = value.to_owned();
                }
            }
            "sort" => sort = value.to_owned(),
            "near" if value.is_empty() => {}
            "near" => near = Some(value.to_ascii_uppercase()),
            "page" => match value.parse::<u32>() {
                Ok(p) if p >= 1 => query.page = p,
                _ => fail("must be a whole number from 1".into()),
            },
            "per_page" => match value.parse::<u32>() {
                Ok(n) if (1..=PER_PAGE_MAX).contains(&n) => query.per_page = n,
                _ => fail(format!("must be a whole number from 1 to {PER_PAGE_MAX}")),
            },
            k if k.starts_with("utm_") => {}
            k => {
                let attribute = if k == "youth" { "youth_friendly" } else { k };
                if !filterable.iter().any(|a| a == attribute) || CONTROL.contains(&attribute) {
                    fail(format!("there is no filter '{k}'"));
                    continue;
                }
                if value.is_empty() {
                    continue;
                }
                if value.chars().count() > MAX_VALUE_CHARS {
                    fail(format!("must be {MAX_VALUE_CHARS} characters or fewer"));
                    continue;
                }
                let value = match attribute {
                    "remote" | "youth_friendly" | "dbs_required" => {
                        match value.to_ascii_lowercase().as_str() {
                            "yes" | "true" | "1" | "on" => "true".to_owned(),
                            "no" | "false" | "0" | "off" => continue,
                            _ => {
                                fail("must be yes or no".into());
                                continue;
                            }
                        }
                    }
                    "ward" => value.to_ascii_uppercase(),
                    "time_slot" => value.to_owned(),
                    _ => value.to_ascii_lowercase(),
                };
                let values = query.filters.entry(attribute.to_owned()).or_default();
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
    }
    query.sort = match sort.as_str() {
        "" | "relevance" => SortBy::Relevance,
        "closing" if index == IndexName::Roles => SortBy::Ascending("closes_at".into()),
        "newest" if index == IndexName::Roles => SortBy::Descending("opened_at".into()),
        "updated" if index == IndexName::Volunteers => SortBy::Descending("updated_at".into()),
        // The place is filled in once the ward's centroid is known.
        "distance" => {
            if near.is_none() {
                near = query
                    .filters
                    .get("ward")
                    .and_then(|w| (w.len() == 1).then(|| w[0].clone()));
            }
            if near.is_none() {
                errors
                    .entry("near".to_owned())
                    .or_insert_with(|| "choose a ward to sort by distance from".to_owned());
            }
            SortBy::Near { lat: 0.0, lon: 0.0 }
        }
        other => {
            let allowed = match index {
                IndexName::Roles => "relevance, closing, newest or distance",
                IndexName::Volunteers => "relevance, updated or distance",
            };
            errors
                .entry("sort".to_owned())
                .or_insert_with(|| format!("cannot sort by '{other}': use {allowed}"));
            SortBy::Relevance
        }
    };
    if sort.is_empty() {
        sort = "relevance".into();
    }
    if errors.is_empty() {
        Ok(SearchParams { query, sort, near })
    } else {
        Err(errors)
    }
}

/// The query string for these parameters on another page.
pub fn query_for_page(params: &SearchParams, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !params.query.text.is_empty() {
        pairs.push(("q", params.query.text.clone()));
    }
    for (attribute, values) in &params.query.filters {
        for v in values {
            pairs.push((attribute.as_str(), v.clone()));
        }
    }
    if params.sort != "relevance" {
        pairs.push(("sort", params.sort.clone()));
    }
    if let Some(n) = &params.near {
        pairs.push(("near", n.clone()));
    }
    if params.query.per_page != PER_PAGE_DEFAULT {
        pairs.push(("per_page", params.query.per_page.to_string()));
    }
    pairs.push(("page", page.to_string()));
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::IndexSettings;

    fn roles(q: &str) -> Result<SearchParams, BTreeMap<String, String>> {
        let s = IndexSettings::load(IndexName::Roles).unwrap();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        parse(IndexName::Roles, &s.filterable_attributes, &pairs)
    }

    #[test]
    fn filters_repeat_and_flags_read_yes() {
        let p =
            roles("q=garden&cause=food-poverty&cause=older-people&remote=yes&youth=no").unwrap();
        assert_eq!(p.query.text, "garden");
        assert_eq!(
            p.query.filters["cause"],
            vec!["food-poverty", "older-people"]
        );
        assert_eq!(p.query.filters["remote"], vec!["true"]);
        assert!(!p.query.filters.contains_key("youth_friendly"));
    }

    #[test]
    fn unknown_filters_and_sorts_are_named() {
        let e = roles("colour=red&sort=price").unwrap_err();
        assert!(e["colour"].contains("no filter 'colour'"), "{e:?}");
        assert!(e["sort"].contains("'price'"), "{e:?}");
        assert!(roles("utm_source=newsletter").is_ok());
    }

    #[test]
    fn a_query_over_the_cap_is_refused() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(roles(&format!("q={long}")).unwrap_err().contains_key("q"));
        assert!(roles(&format!("q={}", "a".repeat(MAX_QUERY_CHARS))).is_ok());
    }

    #[test]
    fn distance_needs_a_ward() {
        assert!(roles("sort=distance").unwrap_err().contains_key("near"));
        let p = roles("sort=distance&ward=e05011095").unwrap();
        assert_eq!(p.near.as_deref(), Some("E05011095"));
    }

    #[test]
    fn page_links_keep_everything() {
        let p = roles("q=café&cause=faith&sort=closing&per_page=5").unwrap();
        let again = roles(&query_for_page(&p, 3)).unwrap();
        assert_eq!(again.query.page, 3);
        assert_eq!(again.query.text, "café");
        assert_eq!(again.query.filters, p.query.filters);
        assert_eq!(again.sort, "closing");
    }
}

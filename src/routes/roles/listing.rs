//! The public roles list (`/roles`): browse with filters, or search with words, facet counts, highlights and help when nothing matches.
//!
//! Browsing without words reads the database directly, so a role opened a moment
//! ago is listed at once; words (or a search-only filter or sort) go to the search
//! index. Facet counts come from the index in both cases.
use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::filters::{RoleFilter, RoleSort, parse_role_filter};
use crate::error::{AppError, FieldErrors};
use crate::models::roles::{self, RoleHit};
use crate::models::{Named, vocab};
use crate::routes::QueryPairs;
use crate::routes::page::PageContext;
use crate::routes::pagination::Pagination;
use crate::search::highlight::escape;
use crate::search::params::{self, ROLE_FACETS, SearchParams};
use crate::search::{FacetCount, IndexName, IndexSettings, SearchQuery};
use crate::state::AppState;

/// The choices the filter form offers.
pub struct FilterChoices {
    pub causes: Vec<Named>,
    pub wards: Vec<Named>,
    pub hubs: Vec<Named>,
    pub organisations: Vec<Named>,
    pub skills: Vec<Named>,
}

/// One checkbox of a facet: value, label, count (when the index answered), ticked.
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: Option<u64>,
    pub checked: bool,
}

/// A group of checkboxes in the form.
pub struct FacetGroup {
    pub name: &'static str,
    pub legend: &'static str,
    pub options: Vec<FacetOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/index.html")]
pub struct RolesIndex {
    pub page: PageContext,
    /// The words searched for ("" when browsing).
    pub q: String,
    pub searching: bool,
    pub sort: String,
    pub near: String,
    pub ward: String,
    pub hub: String,
    pub organisation: String,
    pub choices: FilterChoices,
    pub groups: Vec<FacetGroup>,
    pub more_groups: Vec<FacetGroup>,
    pub suits: Vec<FacetOption>,
    pub hits: Option<Vec<RoleHit>>,
    pub total: u64,
    pub filtered: bool,
    /// Links that each remove one active filter, for the no-results help.
    pub removals: Vec<(String, String)>,
    pub pagination: Option<Pagination>,
    pub errors: Vec<(String, String)>,
}

impl RolesIndex {
    fn sort_is(&self, value: &str) -> bool {
        self.sort == value
    }

    fn has_more(&self) -> bool {
        self.more_groups.iter().any(|g| !g.options.is_empty())
    }

    /// The extra filters start open when one of them is ticked.
    fn more_open(&self) -> bool {
        self.more_groups
            .iter()
            .any(|g| g.options.iter().any(|o| o.checked))
    }
}

/// Parameters only the search index can answer.
const SEARCH_ONLY: [&str; 8] = [
    "commitment",
    "skill",
    "time_slot",
    "near",
    "location_type",
    "dbs_required",
    "youth_friendly",
    "status",
];

fn wants_search(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(k, v)| {
        let v = v.trim();
        (k == "q" && !v.is_empty())
            || (SEARCH_ONLY.contains(&k.as_str()) && !v.is_empty())
            || (k == "sort" && matches!(v, "relevance" | "distance"))
    })
}

/// The browse filter as a search query, for facet counts.
fn query_of(filter: &RoleFilter) -> SearchQuery {
    let mut q = SearchQuery {
        per_page: 1,
        facets: ROLE_FACETS.iter().map(|s| (*s).to_owned()).collect(),
        ..SearchQuery::default()
    };
    for c in &filter.causes {
        q = q.filter("cause", c);
    }
    for (name, value) in [
        ("ward", &filter.ward),
        ("hub", &filter.hub),
        ("organisation", &filter.organisation),
    ] {
        if let Some(v) = value {
            q = q.filter(name, v);
        }
    }
    if filter.remote_only {
        q = q.filter("remote", "true");
    }
    if filter.youth_friendly {
        q = q.filter("youth_friendly", "true");
    }
    q
}

fn chosen_of(filter: &RoleFilter) -> BTreeMap<String, Vec<String>> {
    query_of(filter).filters
}

pub async fn index(
    State(state): State<AppState>,
    page_context: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let choices = FilterChoices {
        causes: vocab::causes(&state.db).await?,
        wards: vocab::wards(&state.db).await?,
        hubs: vocab::hubs(&state.db).await?,
        organisations: vocab::approved_organisations(&state.db).await?,
        skills: crate::seed::vocab::SKILLS
            .iter()
            .map(|s| Named {
                id: 0,
                name: s.name.to_owned(),
                slug: s.slug.to_owned(),
            })
            .collect(),
    };
    let q_text = pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if wants_search(&pairs) {
        search(state, page_context, choices, q_text, &pairs).await
    } else {
        browse(state, page_context, choices, &pairs).await
    }
}

async fn browse(
    state: AppState,
    page_context: PageContext,
    choices: FilterChoices,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    // "Best match" without words is the list's own order (closing soonest).
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| !(k == "sort" && v.trim() == "relevance"))
        .cloned()
        .collect();
    let pairs = &pairs[..];
    let outcome = match parse_role_filter(pairs) {
        Ok(filter) => match roles::list_open(&state.db, &filter).await {
            Ok(page) => Ok((filter, page)),
            Err(AppError::BadRequest { fields, .. }) => Err((filter, fields)),
            Err(e) => return Err(e),
        },
        Err(fields) => Err((RoleFilter::default(), fields)),
    };
    let (filter, page, errors) = match outcome {
        Ok((filter, page)) => (filter, Some(page), FieldErrors::new()),
        Err((filter, fields)) => (filter, None, fields),
    };
    // Counts are a help, not a need: without the index the form still works.
    let facets = match state
        .search
        .facets(IndexName::Roles, &query_of(&filter))
        .await
    {
        Ok(f) => Some(f),
        Err(e) => {
            tracing::warn!(error = %e, "no facet counts for /roles");
            None
        }
    };
    let chosen = chosen_of(&filter);
    let asked = |v: &str| pairs.iter().any(|(k, s)| k == "sort" && s.trim() == v);
    let sort = match filter.sort {
        RoleSort::ClosingSoon if asked("closing") => "closing",
        RoleSort::ClosingSoon => "relevance",
        RoleSort::Newest => "newest",
    };
    let pagination = page.as_ref().and_then(|p| {
        Pagination::new(p.page, p.total_pages(), |n| {
            format!("/roles?{}", filter.query_for_page(n))
        })
    });
    let hits = page.as_ref().map(|p| {
        p.items
            .iter()
            .cloned()
            .map(|card| RoleHit {
                title_html: escape(&card.title),
                snippet_html: escape(&card.summary),
                card,
            })
            .collect()
    });
    let view = build(
        page_context,
        choices,
        String::new(),
        false,
        sort.to_owned(),
        String::new(),
        &chosen,
        facets.as_ref(),
        hits,
        page.as_ref().map_or(0, |p| p.total),
        pagination,
        errors,
        pairs,
    );
    Ok(respond(view))
}

async fn search(
    state: AppState,
    page_context: PageContext,
    choices: FilterChoices,
    q_text: String,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let settings =
        IndexSettings::load(IndexName::Roles).map_err(|e| AppError::Internal(e.to_string()))?;
    let parsed: Result<SearchParams, FieldErrors> =
        params::parse(IndexName::Roles, &settings.filterable_attributes, pairs);
    let (chosen, sort, near, outcome) = match parsed {
        Ok(p) => {
            let outcome = match roles::search_open(&state.db, &state.search, &p).await {
                Ok(found) => Ok(found),
                Err(AppError::BadRequest { fields, .. }) => Err(fields),
                Err(e) => return Err(e),
            };
            (
                p.query.filters.clone(),
                p.sort.clone(),
                p.near.clone().unwrap_or_default(),
                outcome.map(|found| (p, found)),
            )
        }
        Err(fields) => (
            BTreeMap::new(),
            "relevance".to_owned(),
            String::new(),
            Err(fields),
        ),
    };
    let view = match outcome {
        Ok((p, found)) => {
            let pages = found.total.div_ceil(u64::from(found.per_page.max(1)));
            let pagination =
                Pagination::new(found.page, u32::try_from(pages).unwrap_or(u32::MAX), |n| {
                    format!("/roles?{}", params::query_for_page(&p, n))
                });
            build(
                page_context,
                choices,
                q_text,
                true,
                sort,
                near,
                &chosen,
                Some(&found.facets),
                Some(found.items),
                found.total,
                pagination,
                FieldErrors::new(),
                pairs,
            )
        }
        Err(fields) => {
            let facets = state
                .search
                .facets(
                    IndexName::Roles,
                    &SearchQuery {
                        facets: ROLE_FACETS.iter().map(|s| (*s).to_owned()).collect(),
                        ..SearchQuery::default()
                    },
                )
                .await
                .ok();
            build(
                page_context,
                choices,
                q_text,
                true,
                sort,
                near,
                &chosen,
                facets.as_ref(),
                None,
                0,
                None,
                fields,
                pairs,
            )
        }
    };
    Ok(respond(view))
}

fn respond(view: RolesIndex) -> Response {
    if view.errors.is_empty() {
        view.into_response()
    } else {
        (StatusCode::BAD_REQUEST, view).into_response()
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    page: PageContext,
    choices: FilterChoices,
    q: String,
    searching: bool,
    sort: String,
    near: String,
    chosen: &BTreeMap<String, Vec<String>>,
    facets: Option<&BTreeMap<String, Vec<FacetCount>>>,
    hits: Option<Vec<RoleHit>>,
    total: u64,
    pagination: Option<Pagination>,
    errors: FieldErrors,
    pairs: &[(String, String)],
) -> RolesIndex {
    let count = |facet: &str, value: &str| -> Option<u64> {
        facets.map(|f| {
            f.get(facet)
                .and_then(|vs| vs.iter().find(|v| v.value == value))
                .map_or(0, |v| v.count)
        })
    };
    let is_chosen = |facet: &str, value: &str| {
        chosen
            .get(facet)
            .is_some_and(|vs| vs.iter().any(|v| v == value))
    };
    let group = |name: &'static str,
                 legend: &'static str,
                 options: Vec<(String, String)>,
                 hide_empty: bool| FacetGroup {
        name,
        legend,
        options: options
            .into_iter()
            .map(|(value, label)| FacetOption {
                count: count(name, &value),
                checked: is_chosen(name, &value),
                value,
                label,
            })
            .filter(|o| !hide_empty || o.checked || o.count.unwrap_or(0) > 0)
            .collect(),
    };
    let named = |list: &[Named]| -> Vec<(String, String)> {
        list.iter()
            .map(|n| (n.slug.clone(), n.name.clone()))
            .collect()
    };
    let groups = vec![
        group("cause", "Cause", named(&choices.causes), false),
        group(
            "commitment",
            "Commitment",
            vec![
                ("one_off".into(), "One-off".into()),
                ("regular".into(), "Regular, weekly".into()),
                ("flexible".into(), "Flexible".into()),
            ],
            false,
        ),
    ];
    let slots = migration::AVAILABILITY_SLOTS
        .iter()
        .map(|s| ((*s).to_owned(), crate::models::profiles::slot_words(s)))
        .collect();
    let more_groups = vec![
        group("skill", "Skills used", named(&choices.skills), true),
        group("time_slot", "When", slots, true),
    ];
    let suits = vec![
        FacetOption {
            value: "remote".into(),
            label: "Can be done from home".into(),
            count: count("remote", "true"),
            checked: is_chosen("remote", "true"),
        },
        FacetOption {
            value: "youth".into(),
            label: "Open to under-18s".into(),
            count: count("youth_friendly", "true"),
            checked: is_chosen("youth_friendly", "true"),
        },
    ];
    let single = |name: &str| {
        chosen
            .get(name)
            .and_then(|v| v.first().cloned())
            .unwrap_or_default()
    };
    let filtered = !chosen.is_empty();
    // "Remove this filter" links: the same request without one parameter value.
    let mut removals = Vec::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if matches!(key.as_str(), "q" | "sort" | "near" | "page" | "per_page")
            || value.trim().is_empty()
        {
            continue;
        }
        let rest: Vec<&(String, String)> = pairs
            .iter()
            .enumerate()
            .filter(|(j, (k, _))| *j != i && k != "page")
            .map(|(_, p)| p)
            .collect();
        let href = format!(
            "/roles?{}",
            serde_urlencoded::to_string(&rest).unwrap_or_default()
        );
        removals.push((format!("{key}: {value}"), href));
    }
    RolesIndex {
        page,
        q,
        searching,
        sort,
        near,
        ward: single("ward"),
        hub: single("hub"),
        organisation: single("organisation"),
        choices,
        groups,
        more_groups,
        suits,
        hits,
        total,
        filtered,
        removals,
        pagination,
        errors: errors.into_iter().collect(),
    }
}

//! The public role filters (`/roles?cause=…&ward=…`), parsed and checked from query pairs.
use std::collections::BTreeMap;

pub const PER_PAGE_DEFAULT: u32 = 20;
pub const PER_PAGE_MAX: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoleSort {
    /// Closing soonest first; roles with no closing date last.
    #[default]
    ClosingSoon,
    Newest,
}

impl RoleSort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClosingSoon => "closing",
            Self::Newest => "newest",
        }
    }
}

/// What a visitor asked for on the roles list. Slugs and codes are checked for
/// shape here and for existence by the model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleFilter {
    pub causes: Vec<String>,
    pub ward: Option<String>,
    pub hub: Option<String>,
    pub organisation: Option<String>,
    pub remote_only: bool,
    pub youth_friendly: bool,
    pub sort: RoleSort,
    pub page: u32,
    pub per_page: u32,
}

impl RoleFilter {
    pub fn is_filtered(&self) -> bool {
        !self.causes.is_empty()
            || self.ward.is_some()
            || self.hub.is_some()
            || self.organisation.is_some()
            || self.remote_only
            || self.youth_friendly
    }

    /// The query string for this filter on another page, e.g. for pagination links.
    pub fn query_for_page(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for c in &self.causes {
            pairs.push(("cause", c.clone()));
        }
        let singles = [
            ("ward", &self.ward),
            ("hub", &self.hub),
            ("organisation", &self.organisation),
        ];
        for (name, value) in singles {
            if let Some(v) = value {
                pairs.push((name, v.clone()));
            }
        }
        if self.remote_only {
            pairs.push(("remote", "yes".into()));
        }
        if self.youth_friendly {
            pairs.push(("youth", "yes".into()));
        }
        if self.sort != RoleSort::default() {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if self.per_page != PER_PAGE_DEFAULT {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs.push(("page", page.to_string()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// Parses query pairs. Unknown parameters are ignored (links from elsewhere may
/// carry tracking tags); known ones with bad values are errors naming the parameter.
pub fn parse_role_filter(
    pairs: &[(String, String)],
) -> Result<RoleFilter, BTreeMap<String, String>> {
    let mut filter = RoleFilter {
        page: 1,
        per_page: PER_PAGE_DEFAULT,
        ..RoleFilter::default()
    };
    let mut errors = BTreeMap::new();
    for (key, raw) in pairs {
        let value = raw.trim();
        let mut fail = |why: String| {
            errors.entry(key.clone()).or_insert(why);
        };
        match key.as_str() {
            "cause" | "ward" | "hub" | "organisation" if value.is_empty() => {}
            "cause" => match slug(value) {
                Some(s) if !filter.causes.contains(&s) => filter.causes.push(s),
                Some(_) => {}
                None => fail(format!("'{value}' is not a cause")),
            },
            "ward" => match ward_code(value) {
                Some(code) => filter.ward = Some(code),
                None => fail(format!("'{value}' is not a ward code like E05011110")),
            },
            "hub" => match slug(value) {
                Some(s) => filter.hub = Some(s),
                None => fail(format!("'{value}' is not a hub")),
            },
            "organisation" => match slug(value) {
                Some(s) => filter.organisation = Some(s),
                None => fail(format!("'{value}' is not an organisation")),
            },
            "remote" => match flag(value) {
                Some(b) => filter.remote_only = b,
                None => fail("must be yes or no".into()),
            },
            "youth" => match flag(value) {
                Some(b) => filter.youth_friendly = b,
                None => fail("must be yes or no".into()),
            },
            "sort" => match value {
                "" | "closing" => filter.sort = RoleSort::ClosingSoon,
                "newest" => filter.sort = RoleSort::Newest,
                _ => fail("must be closing or newest".into()),
            },
            "page" => match page_number(value) {
                Ok(p) => filter.page = p,
                Err(why) => fail(why),
            },
            "per_page" => match per_page_number(value) {
                Ok(n) => filter.per_page = n,
                Err(why) => fail(why),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(errors)
    }
}

/// Just `page` and `per_page`, for lists without other filters.
pub fn parse_paging(pairs: &[(String, String)]) -> Result<(u32, u32), BTreeMap<String, String>> {
    let (mut page, mut per_page) = (1, PER_PAGE_DEFAULT);
    let mut errors = BTreeMap::new();
    for (key, raw) in pairs {
        let parsed = match key.as_str() {
            "page" => page_number(raw.trim()).map(|p| page = p),
            "per_page" => per_page_number(raw.trim()).map(|n| per_page = n),
            _ => Ok(()),
        };
        if let Err(why) = parsed {
            errors.entry(key.clone()).or_insert(why);
        }
    }
    if errors.is_empty() {
        Ok((page, per_page))
    } else {
        Err(errors)
    }
}

fn page_number(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(p) if p >= 1 => Ok(p),
        _ => Err("must be a whole number from 1".into()),
    }
}

fn per_page_number(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (1..=PER_PAGE_MAX).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from 1 to {PER_PAGE_MAX}")),
    }
}

/// Lower-case letters, digits and single hyphens, up to 80 characters.
fn slug(value: &str) -> Option<String> {
    let v = value.to_ascii_lowercase();
    let ok = !v.is_empty()
        && v.len() <= 80
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-')
        && !v.ends_with('-');
    ok.then_some(v)
}

/// An ONS ward code: a letter, then eight digits (E05011110).
fn ward_code(value: &str) -> Option<String> {
    let v = value.to_ascii_uppercase();
    let mut chars = v.chars();
    let ok = v.len() == 9
        && chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_digit());
    ok.then_some(v)
}

fn flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Some(true),
        "no" | "false" | "0" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn no_parameters_mean_first_page_of_everything() {
        let f = parse_role_filter(&[]).unwrap();
        assert_eq!(f.page, 1);
        assert_eq!(f.per_page, PER_PAGE_DEFAULT);
        assert!(!f.is_filtered());
    }

    #[test]
    fn several_causes_and_one_ward() {
        let f = parse_role_filter(&pairs(
            "cause=older-people&cause=Food-Poverty&ward=e05011110&remote=yes",
        ))
        .unwrap();
        assert_eq!(f.causes, vec!["older-people", "food-poverty"]);
        assert_eq!(f.ward.as_deref(), Some("E05011110"));
        assert!(f.remote_only);
        assert!(f.is_filtered());
    }

    #[test]
    fn empty_select_values_mean_any() {
        let f = parse_role_filter(&pairs("cause=&ward=&hub=&organisation=&page=2")).unwrap();
        assert!(!f.is_filtered());
        assert_eq!(f.page, 2);
    }

    #[test]
    fn each_bad_parameter_is_named() {
        let errors = parse_role_filter(&pairs(
            "page=0&ward=Peckham&cause=food%20bank&sort=random&youth=maybe&per_page=1000",
        ))
        .unwrap_err();
        let names: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            vec!["cause", "page", "per_page", "sort", "ward", "youth"]
        );
    }

    #[test]
    fn paging_alone_names_its_bad_parameters() {
        assert_eq!(
            parse_paging(&pairs("page=3&per_page=50&cause=anything")).unwrap(),
            (3, 50)
        );
        let errors = parse_paging(&pairs("page=-2&per_page=x")).unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        assert!(parse_role_filter(&pairs("utm_source=newsletter")).is_ok());
    }

    proptest! {
        #[test]
        fn pagination_links_keep_the_filter(page in 1u32..500, causes in proptest::collection::vec("[a-z]{1,8}", 0..3), remote: bool, youth: bool) {
            let f = RoleFilter { causes: causes.iter().fold(Vec::new(), |mut v, c| { if !v.contains(c) { v.push(c.clone()) } v }), remote_only: remote, youth_friendly: youth, page: 1, per_page: PER_PAGE_DEFAULT, ..RoleFilter::default() };
            let again = parse_role_filter(&pairs(&f.query_for_page(page))).unwrap();
            prop_assert_eq!(again, RoleFilter { page, ..f });
        }

        #[test]
        fn any_query_parses_or_names_what_is_wrong(q in "[a-z_=&%0-9]{0,40}") {
            if let Ok(p) = serde_urlencoded::from_str::<Vec<(String, String)>>(&q) {
                match parse_role_filter(&p) {
                    Ok(f) => prop_assert!(f.page >= 1),
                    Err(e) => prop_assert!(!e.is_empty()),
                }
            }
        }
    }
}

//! Search settings as data: `search-config/<index>.json` in Meilisearch's own format, loaded and checked.
//!
//! Both back ends read the same file. The tantivy back end uses the parts it can
//! honour (attributes, synonyms, stop words, typo tolerance); Meilisearch gets the
//! file as it is. The files are compiled in, so a binary never runs with settings
//! that disagree with its code.
use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The roles index settings, as shipped.
pub const ROLES_JSON: &str = include_str!("../../search-config/roles.json");
/// The volunteers index settings, as shipped.
pub const VOLUNTEERS_JSON: &str = include_str!("../../search-config/volunteers.json");

/// Which index: each has its own settings file and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexName {
    Roles,
    Volunteers,
}

impl IndexName {
    pub const ALL: [IndexName; 2] = [IndexName::Roles, IndexName::Volunteers];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Roles => "roles",
            Self::Volunteers => "volunteers",
        }
    }

    pub fn settings_json(self) -> &'static str {
        match self {
            Self::Roles => ROLES_JSON,
            Self::Volunteers => VOLUNTEERS_JSON,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MinWordSizeForTypos {
    pub one_typo: usize,
    pub two_typos: usize,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TypoTolerance {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub min_word_size_for_typos: MinWordSizeForTypos,
    #[serde(default)]
    pub disable_on_words: Vec<String>,
    #[serde(default)]
    pub disable_on_attributes: Vec<String>,
}

fn yes() -> bool {
    true
}

/// The parts of a Meilisearch settings document both back ends honour.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IndexSettings {
    pub searchable_attributes: Vec<String>,
    pub filterable_attributes: Vec<String>,
    pub sortable_attributes: Vec<String>,
    pub ranking_rules: Vec<String>,
    #[serde(default)]
    pub stop_words: Vec<String>,
    #[serde(default)]
    pub synonyms: BTreeMap<String, Vec<String>>,
    pub typo_tolerance: TypoTolerance,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SettingsError {
    #[error("search settings for {index} are not valid JSON settings: {why}")]
    Json { index: &'static str, why: String },
    #[error("search settings for {index}: {why}")]
    Invalid { index: &'static str, why: String },
}

/// Ranking rules Meilisearch knows; anything else is a typo in the file.
const RANKING_RULES: [&str; 6] = [
    "words",
    "typo",
    "proximity",
    "attribute",
    "sort",
    "exactness",
];

impl IndexSettings {
    /// The shipped settings of `index`, checked.
    pub fn load(index: IndexName) -> Result<Self, SettingsError> {
        Self::parse(index.as_str(), index.settings_json())
    }

    /// Parses and checks one settings document.
    pub fn parse(index: &'static str, json: &str) -> Result<Self, SettingsError> {
        let settings: Self = serde_json::from_str(json).map_err(|e| SettingsError::Json {
            index,
            why: e.to_string(),
        })?;
        settings.validate(index)?;
        Ok(settings)
    }

    fn validate(&self, index: &'static str) -> Result<(), SettingsError> {
        let invalid = |why: String| SettingsError::Invalid { index, why };
        if self.searchable_attributes.is_empty() {
            return Err(invalid("searchableAttributes is empty".into()));
        }
        for rule in &self.ranking_rules {
            let custom = rule.ends_with(":asc") || rule.ends_with(":desc");
            if !custom && !RANKING_RULES.contains(&rule.as_str()) {
                return Err(invalid(format!("unknown ranking rule '{rule}'")));
            }
        }
        let sizes = &self.typo_tolerance.min_word_size_for_typos;
        if sizes.one_typo == 0 || sizes.two_typos < sizes.one_typo {
            return Err(invalid(format!(
                "minWordSizeForTypos must have 0 < oneTypo ({}) <= twoTypos ({})",
                sizes.one_typo, sizes.two_typos
            )));
        }
        let mut seen = BTreeSet::new();
        for a in &self.filterable_attributes {
            if !seen.insert(a) {
                return Err(invalid(format!(
                    "filterable attribute '{a}' is listed twice"
                )));
            }
        }
        for (word, others) in &self.synonyms {
            if word.trim().is_empty() || others.iter().any(|o| o.trim().is_empty()) {
                return Err(invalid(format!("synonyms of '{word}' have an empty entry")));
            }
        }
        Ok(())
    }

    /// How many typos a query word of this many characters may have.
    pub fn typos_allowed(&self, word: &str) -> u8 {
        let tolerance = &self.typo_tolerance;
        if !tolerance.enabled || tolerance.disable_on_words.iter().any(|w| w == word) {
            return 0;
        }
        let chars = word.chars().count();
        let sizes = &tolerance.min_word_size_for_typos;
        if chars >= sizes.two_typos {
            2
        } else if chars >= sizes.one_typo {
            1
        } else {
            0
        }
    }

    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.iter().any(|s| s == word)
    }

    pub fn is_filterable(&self, attribute: &str) -> bool {
        self.filterable_attributes.iter().any(|a| a == attribute)
    }

    pub fn is_sortable(&self, attribute: &str) -> bool {
        self.sortable_attributes.iter().any(|a| a == attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::vocab::CAUSES;

    #[test]
    fn shipped_settings_load_and_agree_with_the_meilisearch_sdk() {
        for index in IndexName::ALL {
            let ours = IndexSettings::load(index).unwrap();
            assert!(!ours.synonyms.is_empty());
            // The same file must also be a Meilisearch settings document.
            let theirs: meilisearch_sdk::settings::Settings =
                serde_json::from_str(index.settings_json()).unwrap();
            assert_eq!(theirs.stop_words.unwrap(), ours.stop_words);
            assert_eq!(
                theirs.searchable_attributes.unwrap(),
                ours.searchable_attributes
            );
        }
    }

    #[test]
    fn every_cause_synonym_in_the_vocabulary_is_a_search_synonym() {
        let s = IndexSettings::load(IndexName::Roles).unwrap();
        for cause in CAUSES {
            let name = cause.name.to_lowercase();
            for synonym in cause.synonyms.split(',') {
                let synonym = synonym.trim().to_lowercase();
                let of_name = s.synonyms.get(&name).cloned().unwrap_or_default();
                assert!(
                    of_name.contains(&synonym),
                    "'{name}' should have the synonym '{synonym}'"
                );
                let back = s.synonyms.get(&synonym).cloned().unwrap_or_default();
                assert!(
                    back.contains(&name),
                    "'{synonym}' should lead back to '{name}'"
                );
            }
        }
        assert!(s.synonyms["elderly"].contains(&"older people".to_owned()));
        assert!(s.synonyms["food bank"].contains(&"food hub".to_owned()));
        assert!(s.synonyms["it"].contains(&"digital".to_owned()));
    }

    #[test]
    fn one_typo_from_five_letters_two_from_nine() {
        let s = IndexSettings::load(IndexName::Roles).unwrap();
        assert_eq!(s.typos_allowed("food"), 0);
        assert_eq!(s.typos_allowed("garden"), 1);
        assert_eq!(s.typos_allowed("befriend"), 1);
        assert_eq!(s.typos_allowed("befriends"), 2);
        assert_eq!(s.typos_allowed("café"), 0);
    }

    #[test]
    fn a_mistyped_ranking_rule_or_typo_size_is_refused() {
        let good = ROLES_JSON;
        let bad = good.replace("\"exactness\"", "\"exactnes\"");
        assert!(matches!(
            IndexSettings::parse("roles", &bad),
            Err(SettingsError::Invalid { .. })
        ));
        let bad = good.replace("\"twoTypos\": 9", "\"twoTypos\": 3");
        assert!(IndexSettings::parse("roles", &bad).is_err());
        assert!(matches!(
            IndexSettings::parse("roles", "{"),
            Err(SettingsError::Json { .. })
        ));
    }
}

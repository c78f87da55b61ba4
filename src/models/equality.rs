//! A volunteer's own equality-monitoring answers: the questions, checking, saving and withdrawing.
//!
//! Answers are special-category data: only the person reads their own row here; every
//! other reader gets aggregates from `models::representativeness`.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};

use crate::domain::representativeness::{PREFER_NOT_TO_SAY, category_label, ethnic_group_of};
use crate::entities::equality_monitoring;
use crate::error::FieldErrors;
use crate::seed::reference::census_categories;

/// One question of the form: the field name (also the census dimension and the column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub field: &'static str,
    pub question: &'static str,
    pub hint: &'static str,
}

/// The single-choice questions, in the order the form asks them. Ethnicity is asked
/// as a group (5) and, within it, a background (19): see [`ethnicity_choices`].
pub const QUESTIONS: [Question; 4] = [
    Question {
        field: "sex",
        question: "What is your sex?",
        hint: "As in the 2021 Census. A question about gender identity is not asked here.",
    },
    Question {
        field: "disability",
        question: "Are you disabled under the Equality Act 2010?",
        hint: "A physical or mental condition or illness that has lasted or is expected to last 12 months or more and reduces your ability to carry out day-to-day activities.",
    },
    Question {
        field: "religion",
        question: "What is your religion?",
        hint: "",
    },
    Question {
        field: "sexual_orientation",
        question: "Which of the following best describes your sexual orientation?",
        hint: "",
    },
];

/// A choice on the form: the stored slug and the words shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The census categories of `dimension` as choices (the census's own "not answered"
/// is not something a person chooses), then "Prefer not to say".
pub fn choices(dimension: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = census_categories(dimension)
        .into_iter()
        .filter(|c| *c != "not_answered")
        .map(|c| Choice {
            value: c.to_owned(),
            label: category_label(dimension, c),
        })
        .collect();
    out.push(Choice {
        value: PREFER_NOT_TO_SAY.to_owned(),
        label: category_label(dimension, PREFER_NOT_TO_SAY),
    });
    out
}

/// An ethnic group (of the 5) with its backgrounds (of the 19).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthnicGroupChoice {
    pub group: Choice,
    pub backgrounds: Vec<Choice>,
}

/// The 5 groups, each with the census backgrounds within it.
pub fn ethnicity_choices() -> Vec<EthnicGroupChoice> {
    let backgrounds = census_categories("ethnicity");
    census_categories("ethnic_group")
        .into_iter()
        .filter(|g| *g != "not_answered")
        .map(|g| EthnicGroupChoice {
            group: Choice {
                value: g.to_owned(),
                label: category_label("ethnic_group", g),
            },
            backgrounds: backgrounds
                .iter()
                .filter(|b| ethnic_group_of(b) == Some(g))
                .map(|b| Choice {
                    value: (*b).to_owned(),
                    label: category_label("ethnicity", b),
                })
                .collect(),
        })
        .collect()
}

/// A person's answers as the form sends them: `None` is a question left blank.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    pub sex: Option<String>,
    pub ethnic_group: Option<String>,
    pub ethnicity: Option<String>,
    pub disability: Option<String>,
    pub religion: Option<String>,
    pub sexual_orientation: Option<String>,
}

impl Answers {
    pub fn from_row(row: &equality_monitoring::Model) -> Self {
        Self {
            sex: row.sex.clone(),
            ethnic_group: row.ethnic_group.clone(),
            ethnicity: row.ethnicity.clone(),
            disability: row.disability.clone(),
            religion: row.religion.clone(),
            sexual_orientation: row.sexual_orientation.clone(),
        }
    }

    /// The answer to a question by field name ("" when blank), for the form.
    pub fn value(&self, field: &str) -> &str {
        let answer = match field {
            "sex" => &self.sex,
            "ethnic_group" => &self.ethnic_group,
            "ethnicity" => &self.ethnicity,
            "disability" => &self.disability,
            "religion" => &self.religion,
            "sexual_orientation" => &self.sexual_orientation,
            _ => &None,
        };
        answer.as_deref().unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        *self == Self::default()
    }
}

/// Checks submitted answers against the census vocabulary. `get` reads a field
/// ("" when absent). A background implies its group; a group that contradicts the
/// background, or any value outside the census categories, is named as the problem.
pub fn check<'a>(get: impl Fn(&str) -> &'a str) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut read = |field: &str, dimension: &str| -> Option<String> {
        let raw = get(field).trim();
        if raw.is_empty() {
            return None;
        }
        let known = raw == PREFER_NOT_TO_SAY
            || (raw != "not_answered" && census_categories(dimension).contains(&raw));
        if known {
            Some(raw.to_owned())
        } else {
            errors.insert(
                field.to_owned(),
                format!("'{raw}' is not one of the choices: choose an answer from the list"),
            );
            None
        }
    };
    let sex = read("sex", "sex");
    let mut ethnic_group = read("ethnic_group", "ethnic_group");
    let ethnicity = read("ethnicity", "ethnicity");
    let disability = read("disability", "disability");
    let religion = read("religion", "religion");
    let sexual_orientation = read("sexual_orientation", "sexual_orientation");
    if let Some(background) = ethnicity.as_deref().filter(|e| *e != PREFER_NOT_TO_SAY) {
        let group = ethnic_group_of(background).map(str::to_owned);
        match ethnic_group.as_deref() {
            None => ethnic_group = group,
            Some(chosen) if Some(chosen) == group.as_deref() => {}
            Some(_) => {
                errors.insert(
                    "ethnicity".to_owned(),
                    "Choose a background within the ethnic group you chose, or change the group"
                        .to_owned(),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(Answers {
            sex,
            ethnic_group,
            ethnicity,
            disability,
            religion,
            sexual_orientation,
        })
    } else {
        Err(errors)
    }
}

/// This person's answers, if they have given any.
pub async fn answers_of<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<equality_monitoring::Model>, DbErr> {
    equality_monitoring::Entity::find()
        .filter(equality_monitoring::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Saves (or replaces) this person's answers in one transaction. Consent is recorded
/// when they first save and kept on edits.
pub async fn save(db: &DatabaseConnection, user_id: i32, answers: &Answers) -> Result<(), DbErr> {
    let txn = crate::db::begin(db).await?;
    let now = crate::db::now();
    match answers_of(&txn, user_id).await? {
        Some(row) => {
            let mut row: equality_monitoring::ActiveModel = row.into();
            set_answers(&mut row, answers);
            row.updated_at = Set(now);
            row.update(&txn).await?;
        }
        None => {
            let mut row = equality_monitoring::ActiveModel {
                user_id: Set(user_id),
                consented_at: Set(now),
                age_band_override: Set(None),
                updated_at: Set(now),
                ..Default::default()
            };
            set_answers(&mut row, answers);
            row.insert(&txn).await?;
        }
    }
    txn.commit().await
}

fn set_answers(row: &mut equality_monitoring::ActiveModel, answers: &Answers) {
    row.sex = Set(answers.sex.clone());
    row.ethnic_group = Set(answers.ethnic_group.clone());
    row.ethnicity = Set(answers.ethnicity.clone());
    row.disability = Set(answers.disability.clone());
    row.religion = Set(answers.religion.clone());
    row.sexual_orientation = Set(answers.sexual_orientation.clone());
}

/// Deletes this person's answers (withdrawing consent); `true` if there were any.
pub async fn withdraw(db: &DatabaseConnection, user_id: i32) -> Result<bool, DbErr> {
    let txn = crate::db::begin(db).await?;
    let deleted = equality_monitoring::Entity::delete_many()
        .filter(equality_monitoring::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(deleted > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> &'a str + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map_or("", |(_, v)| *v)
        }
    }

    #[test]
    fn every_question_may_be_left_blank() {
        assert_eq!(check(form(&[])).unwrap(), Answers::default());
    }

    #[test]
    fn a_background_implies_its_group() {
        let answers = check(form(&[("ethnicity", "black_caribbean")])).unwrap();
        assert_eq!(answers.ethnic_group.as_deref(), Some("black"));
    }

    #[test]
    fn a_background_outside_the_chosen_group_is_named() {
        let errors = check(form(&[
            ("ethnic_group", "asian"),
            ("ethnicity", "white_irish"),
        ]))
        .unwrap_err();
        assert!(errors.contains_key("ethnicity"), "{errors:?}");
    }

    #[test]
    fn unknown_categories_are_named_by_field() {
        let errors = check(form(&[("sex", "martian"), ("religion", "not_answered")])).unwrap_err();
        assert!(errors.contains_key("sex"));
        assert!(errors.contains_key("religion"));
    }

    #[test]
    fn prefer_not_to_say_is_offered_and_accepted_everywhere() {
        for q in QUESTIONS {
            assert_eq!(choices(q.field).last().unwrap().value, PREFER_NOT_TO_SAY);
            let answers = check(form(&[(q.field, PREFER_NOT_TO_SAY)])).unwrap();
            assert_eq!(answers.value(q.field), PREFER_NOT_TO_SAY);
        }
    }

    #[test]
    fn the_nineteen_backgrounds_fall_in_the_five_groups() {
        let groups = ethnicity_choices();
        assert_eq!(groups.len(), 5);
        assert_eq!(
            groups.iter().map(|g| g.backgrounds.len()).sum::<usize>(),
            19
        );
    }
}

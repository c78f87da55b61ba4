//! Volunteer profiles: the form's rules (garde), loading one with its skills, causes and
//! weekly availability, saving it (replacing those rows in one go), and its completeness.
use std::collections::BTreeSet;

use migration::AVAILABILITY_SLOTS;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TryIntoModel,
};
use time::Date;

use super::Named;
use crate::domain::profile_completeness::{self, Completeness, ProfileFacts};
use crate::entities::{availability, skill, volunteer_cause, volunteer_profile, volunteer_skill};
use crate::models::sign_up;
use crate::seed::vocab::{ACCESS_TAGS, FUNCTIONAL_LEVELS, LANGUAGES, MAX_SKILL_LEVEL};

/// Stored as `travel_km` for "any distance": further than across the borough.
pub const ANY_DISTANCE_KM: i32 = 100;
/// The distances offered, in km.
pub const TRAVEL_CHOICES: [i32; 6] = [1, 2, 5, 10, 20, ANY_DISTANCE_KM];
pub const BIO_MAX_CHARS: usize = 500;
/// The simple self-rating for practical skills, mapped onto the 0–15 scale so matching
/// compares them with a role's minimum level like any other skill.
pub const SIMPLE_LEVELS: [(i32, &str); 4] = [
    (1, "Beginner"),
    (5, "Some experience"),
    (10, "Confident"),
    (15, "Expert"),
];

/// A skill from the vocabulary, as the form offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillOption {
    pub id: i32,
    pub name: String,
    /// `essential` | `functional` | `practical`.
    pub group: String,
    pub description: String,
}

impl SkillOption {
    /// The levels a volunteer may choose for this skill, value and words.
    pub fn levels(&self) -> Vec<(i32, String)> {
        match self.group.as_str() {
            "essential" => (0..=MAX_SKILL_LEVEL)
                .map(|step| (step, format!("Step {step}")))
                .collect(),
            "functional" => FUNCTIONAL_LEVELS
                .iter()
                .map(|(l, name)| (*l, (*name).to_owned()))
                .collect(),
            _ => SIMPLE_LEVELS
                .iter()
                .map(|(l, name)| (*l, (*name).to_owned()))
                .collect(),
        }
    }

    pub fn accepts(&self, level: i32) -> bool {
        match self.group.as_str() {
            "functional" => FUNCTIONAL_LEVELS.iter().any(|(l, _)| *l == level),
            _ => (0..=MAX_SKILL_LEVEL).contains(&level),
        }
    }

    /// The form field of this skill's level.
    pub fn field(&self) -> String {
        format!("skill-{}", self.id)
    }
}

/// Skills in vocabulary order: essential, then functional, then practical; by name within.
pub async fn skill_options<C: ConnectionTrait>(db: &C) -> Result<Vec<SkillOption>, DbErr> {
    let mut all: Vec<SkillOption> = skill::Entity::find()
        .order_by_asc(skill::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SkillOption {
            id: s.id,
            name: s.name,
            group: s.skill_group,
            description: s.description,
        })
        .collect();
    let rank = |g: &str| match g {
        "essential" => 0,
        "functional" => 1,
        _ => 2,
    };
    all.sort_by_key(|s| rank(&s.group));
    Ok(all)
}

/// What the form may refer to, and the date ages are counted on.
pub struct Vocabulary {
    pub skills: Vec<SkillOption>,
    pub causes: Vec<Named>,
    pub wards: Vec<Named>,
    pub today: Date,
}

/// The date of birth: typed in when the profile is new, fixed once it exists.
#[derive(Clone, Debug, Default)]
pub enum DateOfBirthInput {
    #[default]
    AlreadyGiven,
    Typed {
        day: String,
        month: String,
        year: String,
    },
}

/// The profile form as submitted, checked field by field against the vocabulary.
#[derive(Clone, Debug, Default, garde::Validate)]
#[garde(context(Vocabulary as vocab))]
pub struct ProfileForm {
    #[garde(custom(date_of_birth_rule))]
    pub dob: DateOfBirthInput,
    /// A ward's ONS code, or empty.
    #[garde(custom(ward_rule))]
    pub ward: String,
    #[garde(custom(district_rule))]
    pub postcode_district: String,
    #[garde(custom(travel_rule))]
    pub travel_km: String,
    #[garde(skip)]
    pub remote_ok: bool,
    /// `(skill id, level)` as typed: from the `skill-{id}` fields that were given a level.
    #[garde(custom(skills_rule))]
    pub skills: Vec<(String, String)>,
    /// Cause ids.
    #[garde(custom(causes_rule))]
    pub causes: Vec<String>,
    /// ODI slot names, e.g. `SaturdayMorning`.
    #[garde(custom(availability_rule))]
    pub availability: Vec<String>,
    /// Ticked common languages (ISO 639-1).
    #[garde(custom(languages_rule))]
    pub languages: Vec<String>,
    /// Other languages, comma-separated codes.
    #[garde(custom(other_languages_rule))]
    pub other_languages: String,
    #[garde(custom(access_rule))]
    pub access_needs: Vec<String>,
    #[garde(custom(bio_rule))]
    pub bio: String,
    #[garde(skip)]
    pub open_to_suggestions: bool,
}

fn date_of_birth_rule(value: &DateOfBirthInput, vocab: &Vocabulary) -> garde::Result {
    parse_born(value, vocab.today).map(|_| ())
}

/// The typed date of birth, checked for the minimum age; `None` when already given.
fn parse_born(value: &DateOfBirthInput, today: Date) -> Result<Option<Date>, garde::Error> {
    let DateOfBirthInput::Typed { day, month, year } = value else {
        return Ok(None);
    };
    let born = sign_up::parse_date_of_birth(day, month, year, today).map_err(garde::Error::new)?;
    let age = sign_up::age_on(born, today);
    if age < sign_up::MINIMUM_AGE {
        return Err(garde::Error::new(format!(
            "You must be {} or older to volunteer through hubmatch",
            sign_up::MINIMUM_AGE
        )));
    }
    if age > 120 {
        return Err(garde::Error::new("Date of birth must be a real date"));
    }
    Ok(Some(born))
}

fn ward_rule(value: &str, vocab: &Vocabulary) -> garde::Result {
    if value.is_empty() || vocab.wards.iter().any(|w| w.slug == value) {
        Ok(())
    } else {
        Err(garde::Error::new("Choose your ward from the list"))
    }
}

fn district_rule(value: &str, _: &Vocabulary) -> garde::Result {
    if value.trim().is_empty() {
        return Ok(());
    }
    sign_up::parse_postcode_district(value)
        .map(|_| ())
        .map_err(garde::Error::new)
}

fn travel_rule(value: &str, _: &Vocabulary) -> garde::Result {
    match value.parse::<i32>() {
        Ok(km) if TRAVEL_CHOICES.contains(&km) => Ok(()),
        _ => Err(garde::Error::new("Choose how far you will travel")),
    }
}

fn skills_rule(value: &[(String, String)], vocab: &Vocabulary) -> garde::Result {
    for (id, level) in value {
        let Some(skill) = id
            .parse::<i32>()
            .ok()
            .and_then(|id| vocab.skills.iter().find(|s| s.id == id))
        else {
            return Err(garde::Error::new("Choose skills from the list"));
        };
        match level.parse::<i32>() {
            Ok(l) if skill.accepts(l) => {}
            _ => {
                return Err(garde::Error::new(format!(
                    "Choose a level from the list for {}",
                    skill.name
                )));
            }
        }
    }
    Ok(())
}

fn causes_rule(value: &[String], vocab: &Vocabulary) -> garde::Result {
    let known = |raw: &String| {
        raw.parse::<i32>()
            .is_ok_and(|id| vocab.causes.iter().any(|c| c.id == id))
    };
    if value.iter().all(known) {
        Ok(())
    } else {
        Err(garde::Error::new("Choose causes from the list"))
    }
}

fn availability_rule(value: &[String], _: &Vocabulary) -> garde::Result {
    match value
        .iter()
        .find(|slot| !AVAILABILITY_SLOTS.contains(&slot.as_str()))
    {
        None => Ok(()),
        Some(_) => Err(garde::Error::new(
            "Choose the times you are free from the grid",
        )),
    }
}

fn languages_rule(value: &[String], _: &Vocabulary) -> garde::Result {
    if value
        .iter()
        .all(|code| LANGUAGES.iter().any(|(c, _)| c == code))
    {
        Ok(())
    } else {
        Err(garde::Error::new("Choose languages from the list"))
    }
}

fn other_languages_rule(value: &str, _: &Vocabulary) -> garde::Result {
    match split_codes(value)
        .into_iter()
        .find(|c| !is_language_code(c))
    {
        None => Ok(()),
        Some(bad) => Err(garde::Error::new(format!(
            "'{bad}' is not a language code: use two-letter codes like so, ti, am, separated by commas"
        ))),
    }
}

fn access_rule(value: &[String], _: &Vocabulary) -> garde::Result {
    if value
        .iter()
        .all(|tag| ACCESS_TAGS.iter().any(|(t, _)| t == tag))
    {
        Ok(())
    } else {
        Err(garde::Error::new("Choose access needs from the list"))
    }
}

fn bio_rule(value: &str, _: &Vocabulary) -> garde::Result {
    if value.chars().count() > BIO_MAX_CHARS {
        Err(garde::Error::new(format!(
            "Your bio must be {BIO_MAX_CHARS} characters or fewer"
        )))
    } else {
        Ok(())
    }
}

/// An ISO 639-1 code: two lower-case letters.
fn is_language_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
}

fn split_codes(raw: &str) -> Vec<String> {
    raw.split([',', ' '])
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect()
}

/// A checked form, ready to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileUpdate {
    /// Set only when the profile is being created.
    pub date_of_birth: Option<Date>,
    pub ward_id: Option<i32>,
    pub postcode_district: Option<String>,
    pub travel_km: i32,
    pub remote_ok: bool,
    pub skills: Vec<(i32, i32)>,
    pub cause_ids: Vec<i32>,
    pub slots: Vec<String>,
    pub languages: Vec<String>,
    pub access_needs: Vec<String>,
    pub bio: String,
    pub open_to_suggestions: bool,
}

impl ProfileForm {
    /// The values of a form that passed `validate_with(vocab)`.
    pub fn into_update(self, vocab: &Vocabulary) -> ProfileUpdate {
        let ward_id = vocab
            .wards
            .iter()
            .find(|w| w.slug == self.ward)
            .map(|w| w.id);
        let mut skills: Vec<(i32, i32)> = self
            .skills
            .iter()
            .filter_map(|(id, level)| Some((id.parse().ok()?, level.parse().ok()?)))
            .collect();
        skills.sort_unstable();
        skills.dedup_by_key(|(id, _)| *id);
        let cause_ids: BTreeSet<i32> = self.causes.iter().filter_map(|c| c.parse().ok()).collect();
        // Kept in the grid's order (Monday morning first), each once.
        let slots = AVAILABILITY_SLOTS
            .iter()
            .filter(|s| self.availability.iter().any(|a| a == *s))
            .map(|s| (*s).to_owned())
            .collect();
        let mut languages: Vec<String> = Vec::new();
        for code in self
            .languages
            .iter()
            .cloned()
            .chain(split_codes(&self.other_languages))
        {
            if !languages.contains(&code) {
                languages.push(code);
            }
        }
        let access_needs = ACCESS_TAGS
            .iter()
            .filter(|(t, _)| self.access_needs.iter().any(|a| a == t))
            .map(|(t, _)| (*t).to_owned())
            .collect();
        ProfileUpdate {
            date_of_birth: parse_born(&self.dob, vocab.today).ok().flatten(),
            ward_id,
            postcode_district: sign_up::parse_postcode_district(&self.postcode_district).ok(),
            travel_km: self.travel_km.parse().unwrap_or(5),
            remote_ok: self.remote_ok,
            skills,
            cause_ids: cause_ids.into_iter().collect(),
            slots,
            languages,
            access_needs,
            bio: self.bio.trim().to_owned(),
            open_to_suggestions: self.open_to_suggestions,
        }
    }

    /// The form showing what a profile holds now.
    pub fn from_profile(p: &LoadedProfile, wards: &[Named]) -> Self {
        let common: Vec<String> = p
            .languages()
            .into_iter()
            .filter(|c| LANGUAGES.iter().any(|(l, _)| l == c))
            .collect();
        let other: Vec<String> = p
            .languages()
            .into_iter()
            .filter(|c| !common.contains(c))
            .collect();
        Self {
            dob: DateOfBirthInput::AlreadyGiven,
            ward: p
                .profile
                .ward_id
                .and_then(|id| wards.iter().find(|w| w.id == id))
                .map(|w| w.slug.clone())
                .unwrap_or_default(),
            postcode_district: p.profile.postcode_district.clone().unwrap_or_default(),
            travel_km: p.profile.travel_km.to_string(),
            remote_ok: p.profile.remote_ok,
            skills: p
                .skills
                .iter()
                .map(|(id, level)| (id.to_string(), level.to_string()))
                .collect(),
            causes: p.cause_ids.iter().map(i32::to_string).collect(),
            availability: p.slots.clone(),
            languages: common,
            other_languages: other.join(", "),
            access_needs: crate::models::roles::split_tags(&p.profile.access_needs),
            bio: p.profile.bio.clone(),
            open_to_suggestions: p.profile.open_to_suggestions,
        }
    }

    /// A new profile's defaults: 5 km, English.
    pub fn blank() -> Self {
        Self {
            dob: DateOfBirthInput::Typed {
                day: String::new(),
                month: String::new(),
                year: String::new(),
            },
            travel_km: "5".into(),
            languages: vec!["en".into()],
            ..Self::default()
        }
    }

    /// The level chosen for a skill, as typed ("" when none).
    pub fn level_of(&self, skill_id: i32) -> &str {
        let id = skill_id.to_string();
        self.skills
            .iter()
            .find(|(s, _)| *s == id)
            .map_or("", |(_, l)| l.as_str())
    }
}

/// A profile with its skills, causes and availability.
#[derive(Clone, Debug)]
pub struct LoadedProfile {
    pub profile: volunteer_profile::Model,
    /// `(skill id, level)`.
    pub skills: Vec<(i32, i32)>,
    pub cause_ids: Vec<i32>,
    /// ODI slot names.
    pub slots: Vec<String>,
}

impl LoadedProfile {
    pub fn languages(&self) -> Vec<String> {
        crate::models::roles::split_tags(&self.profile.languages)
    }

    pub fn completeness(&self) -> Completeness {
        profile_completeness::assess(&ProfileFacts {
            has_place: self.profile.ward_id.is_some() || self.profile.postcode_district.is_some(),
            availability_slots: self.slots.len(),
            skills: self.skills.len(),
            causes: self.cause_ids.len(),
            has_bio: !self.profile.bio.trim().is_empty(),
            open_to_suggestions: self.profile.open_to_suggestions,
        })
    }
}

pub async fn find_for_user<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<volunteer_profile::Model>, DbErr> {
    volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(user_id))
        .one(db)
        .await
}

pub async fn load<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<LoadedProfile>, DbErr> {
    let Some(profile) = find_for_user(db, user_id).await? else {
        return Ok(None);
    };
    let skills = volunteer_skill::Entity::find()
        .filter(volunteer_skill::Column::VolunteerId.eq(profile.id))
        .order_by_asc(volunteer_skill::Column::SkillId)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.skill_id, s.level))
        .collect();
    let cause_ids = volunteer_cause::Entity::find()
        .filter(volunteer_cause::Column::VolunteerId.eq(profile.id))
        .order_by_asc(volunteer_cause::Column::CauseId)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.cause_id)
        .collect();
    let stored: Vec<String> = availability::Entity::find()
        .filter(availability::Column::VolunteerId.eq(profile.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.slot)
        .collect();
    let slots = AVAILABILITY_SLOTS
        .iter()
        .filter(|s| stored.iter().any(|a| a == *s))
        .map(|s| (*s).to_owned())
        .collect();
    Ok(Some(LoadedProfile {
        profile,
        skills,
        cause_ids,
        slots,
    }))
}

/// Writes the profile (creating it when `existing` is `None`) and replaces its skills,
/// causes and availability. Call inside the action's transaction.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    existing: Option<volunteer_profile::Model>,
    update: &ProfileUpdate,
) -> Result<volunteer_profile::Model, DbErr> {
    let now = crate::db::now();
    let mut row: volunteer_profile::ActiveModel = match existing {
        Some(p) => p.into(),
        None => volunteer_profile::ActiveModel {
            user_id: Set(user_id),
            date_of_birth: Set(update
                .date_of_birth
                .ok_or_else(|| DbErr::Custom("a new profile needs a date of birth".into()))?),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.ward_id = Set(update.ward_id);
    row.postcode_district = Set(update.postcode_district.clone());
    row.travel_km = Set(update.travel_km);
    row.remote_ok = Set(update.remote_ok);
    row.languages = Set(update.languages.join(","));
    row.access_needs = Set(update.access_needs.join(","));
    row.bio = Set(update.bio.clone());
    row.open_to_suggestions = Set(update.open_to_suggestions);
    row.updated_at = Set(now);
    let profile = row.save(db).await?.try_into_model()?;
    crate::search::sync::queue_volunteer(db, profile.id).await?;

    volunteer_skill::Entity::delete_many()
        .filter(volunteer_skill::Column::VolunteerId.eq(profile.id))
        .exec(db)
        .await?;
    if !update.skills.is_empty() {
        volunteer_skill::Entity::insert_many(update.skills.iter().map(|(skill_id, level)| {
            volunteer_skill::ActiveModel {
                volunteer_id: Set(profile.id),
                skill_id: Set(*skill_id),
                level: Set(*level),
                verified_by: Set(None),
                verified_at: Set(None),
            }
        }))
        .exec(db)
        .await?;
    }
    volunteer_cause::Entity::delete_many()
        .filter(volunteer_cause::Column::VolunteerId.eq(profile.id))
        .exec(db)
        .await?;
    if !update.cause_ids.is_empty() {
        volunteer_cause::Entity::insert_many(update.cause_ids.iter().map(|cause_id| {
            volunteer_cause::ActiveModel {
                volunteer_id: Set(profile.id),
                cause_id: Set(*cause_id),
            }
        }))
        .exec(db)
        .await?;
    }
    availability::Entity::delete_many()
        .filter(availability::Column::VolunteerId.eq(profile.id))
        .exec(db)
        .await?;
    if !update.slots.is_empty() {
        availability::Entity::insert_many(update.slots.iter().map(|slot| {
            availability::ActiveModel {
                volunteer_id: Set(profile.id),
                slot: Set(slot.clone()),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(profile)
}

/// "Monday morning" for `MondayMorning`.
pub fn slot_words(slot: &str) -> String {
    let split = slot
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(slot.len(), |(i, _)| i);
    let (day, part) = slot.split_at(split);
    format!("{day} {}", part.to_lowercase()).trim().to_owned()
}

/// The distance choice in words.
pub fn travel_words(km: i32) -> String {
    if km >= ANY_DISTANCE_KM {
        "Any distance".to_owned()
    } else {
        format!("Up to {km} km")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use garde::Validate;

    fn vocab() -> Vocabulary {
        Vocabulary {
            skills: vec![
                SkillOption {
                    id: 1,
                    name: "Listening".into(),
                    group: "essential".into(),
                    description: String::new(),
                },
                SkillOption {
                    id: 2,
                    name: "English".into(),
                    group: "functional".into(),
                    description: String::new(),
                },
            ],
            causes: vec![Named {
                id: 7,
                name: "Food poverty".into(),
                slug: "food-poverty".into(),
            }],
            wards: vec![Named {
                id: 3,
                name: "Peckham".into(),
                slug: "E05011110".into(),
            }],
            today: Date::from_calendar_date(2026, time::Month::June, 1).unwrap(),
        }
    }

    fn errors_of(form: ProfileForm) -> crate::routes::forms::FormErrors {
        form.validate_with(&vocab()).unwrap_err().into()
    }

    #[test]
    fn slots_read_as_words() {
        assert_eq!(slot_words("SaturdayMorning"), "Saturday morning");
        assert_eq!(slot_words("WednesdayEvening"), "Wednesday evening");
    }

    #[test]
    fn a_good_form_becomes_an_update() {
        let form = ProfileForm {
            ward: "E05011110".into(),
            skills: vec![("1".into(), "15".into()), ("2".into(), "4".into())],
            causes: vec!["7".into()],
            availability: vec!["SundayEvening".into(), "MondayMorning".into()],
            languages: vec!["en".into()],
            other_languages: "SO, en".into(),
            access_needs: vec!["seated".into(), "step_free".into()],
            ..ProfileForm::blank()
        };
        let form = ProfileForm {
            dob: DateOfBirthInput::Typed {
                day: "1".into(),
                month: "2".into(),
                year: "2000".into(),
            },
            ..form
        };
        form.validate_with(&vocab()).unwrap();
        let update = form.into_update(&vocab());
        assert_eq!(update.ward_id, Some(3));
        assert_eq!(update.skills, vec![(1, 15), (2, 4)]);
        assert_eq!(update.slots, vec!["MondayMorning", "SundayEvening"]);
        assert_eq!(update.languages, vec!["en", "so"]);
        assert_eq!(update.access_needs, vec!["step_free", "seated"]);
        assert_eq!(update.travel_km, 5);
        assert!(update.date_of_birth.is_some());
    }

    #[test]
    fn each_bad_field_is_named() {
        let e = errors_of(ProfileForm {
            skills: vec![("99".into(), "3".into())],
            ..ProfileForm::blank()
        });
        assert_eq!(e.message("skills"), "Choose skills from the list");
        assert_eq!(e.message("dob"), "Enter your date of birth");

        let e = errors_of(ProfileForm {
            dob: DateOfBirthInput::AlreadyGiven,
            skills: vec![("2".into(), "9".into())],
            travel_km: "3".into(),
            availability: vec!["Caturday".into()],
            other_languages: "english".into(),
            bio: "x".repeat(501),
            ..ProfileForm::default()
        });
        assert_eq!(
            e.message("skills"),
            "Choose a level from the list for English"
        );
        assert_eq!(e.message("travel_km"), "Choose how far you will travel");
        assert!(e.has("availability"));
        assert!(e.message("other_languages").contains("'english'"));
        assert_eq!(e.message("bio"), "Your bio must be 500 characters or fewer");
    }

    #[test]
    fn under_fourteens_cannot_make_a_profile() {
        let e = errors_of(ProfileForm {
            dob: DateOfBirthInput::Typed {
                day: "2".into(),
                month: "6".into(),
                year: "2012".into(),
            },
            ..ProfileForm::blank()
        });
        assert_eq!(
            e.message("dob"),
            "You must be 14 or older to volunteer through hubmatch"
        );
    }
}

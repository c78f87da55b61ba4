//! The volunteer profile page: create one (with a date of birth) or change it.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use garde::Validate;
use serde::Deserialize;

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::london_time;
use crate::domain::profile_completeness::Completeness;
use crate::error::AppError;
use crate::models::profiles::{
    self, DateOfBirthInput, ProfileForm, SkillOption, TRAVEL_CHOICES, Vocabulary,
};
use crate::models::{Named, vocab};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::seed::vocab::{ACCESS_TAGS, LANGUAGES};
use crate::state::AppState;

pub const PARTS_OF_DAY: [&str; 3] = ["Morning", "Afternoon", "Evening"];
pub const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A group of skills on the form, with how its levels work.
pub struct SkillGroup {
    pub heading: &'static str,
    pub hint: &'static str,
    pub skills: Vec<SkillOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/profile.html")]
pub struct ProfilePage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub form: ProfileForm,
    /// No profile yet: the date of birth is asked for.
    pub is_new: bool,
    /// The date of birth in words, once given.
    pub born_on: String,
    pub wards: Vec<Named>,
    pub causes: Vec<Named>,
    pub skill_groups: Vec<SkillGroup>,
    pub completeness: Option<Completeness>,
    pub notice: String,
}

impl ProfilePage {
    pub fn dob_part(&self, part: &str) -> &str {
        match (&self.form.dob, part) {
            (DateOfBirthInput::Typed { day, .. }, "day") => day,
            (DateOfBirthInput::Typed { month, .. }, "month") => month,
            (DateOfBirthInput::Typed { year, .. }, "year") => year,
            _ => "",
        }
    }

    pub fn travel_choices(&self) -> Vec<(String, String)> {
        TRAVEL_CHOICES
            .iter()
            .map(|km| (km.to_string(), profiles::travel_words(*km)))
            .collect()
    }

    pub fn slot(&self, day: &str, part: &str) -> String {
        format!("{day}{part}")
    }

    pub fn slot_label(&self, day: &str, part: &str) -> String {
        format!("{day} {}", part.to_lowercase())
    }

    pub fn has_slot(&self, slot: &str) -> bool {
        self.form.availability.iter().any(|s| s == slot)
    }

    pub fn level_is(&self, skill_id: &i32, level: &i32) -> bool {
        self.form.level_of(*skill_id) == level.to_string()
    }

    pub fn has_cause(&self, id: &i32) -> bool {
        let id = id.to_string();
        self.form.causes.contains(&id)
    }

    pub fn speaks(&self, code: &str) -> bool {
        self.form.languages.iter().any(|c| c == code)
    }

    pub fn needs(&self, tag: &str) -> bool {
        self.form.access_needs.iter().any(|t| t == tag)
    }

    pub fn languages(&self) -> &'static [(&'static str, &'static str)] {
        LANGUAGES
    }

    pub fn access_tags(&self) -> &'static [(&'static str, &'static str)] {
        ACCESS_TAGS
    }

    pub fn days(&self) -> [&'static str; 7] {
        DAYS
    }

    pub fn parts(&self) -> [&'static str; 3] {
        PARTS_OF_DAY
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

fn notice_text(key: &str) -> &'static str {
    match key {
        "saved" => "Your profile has been saved.",
        "create" => {
            "Create your volunteer profile first: your dashboard shows your applications, sessions and hours once you have one."
        }
        _ => "",
    }
}

fn group_skills(all: &[SkillOption]) -> Vec<SkillGroup> {
    let of = |g: &str| all.iter().filter(|s| s.group == g).cloned().collect();
    vec![
        SkillGroup {
            heading: "Essential skills",
            hint: "Skills Builder steps 0 to 15: step 0 is just starting out, step 15 is \
                   teaching others. Choose the step you are at now.",
            skills: of("essential"),
        },
        SkillGroup {
            heading: "English, maths and digital",
            hint: "Your Functional Skills level, from Entry Level 1 to Level 2.",
            skills: of("functional"),
        },
        SkillGroup {
            heading: "Practical skills",
            hint: "Rate yourself: beginner, some experience, confident or expert. We keep \
                   these on the same 0 to 15 scale as essential skills (1, 5, 10 and 15), \
                   so roles asking for a level can be matched.",
            skills: of("practical"),
        },
    ]
}

async fn vocabulary(state: &AppState) -> Result<Vocabulary, AppError> {
    Ok(Vocabulary {
        skills: profiles::skill_options(&state.db).await?,
        causes: vocab::causes(&state.db).await?,
        wards: vocab::wards(&state.db).await?,
        today: london_time::to_london(crate::db::now()).date(),
    })
}

fn render(
    page: PageContext,
    vocab: Vocabulary,
    form: ProfileForm,
    errors: FormErrors,
    loaded: Option<&profiles::LoadedProfile>,
    notice: &str,
) -> ProfilePage {
    ProfilePage {
        page,
        errors,
        form,
        is_new: loaded.is_none(),
        born_on: loaded
            .map(|p| london_time::long_date(p.profile.date_of_birth))
            .unwrap_or_default(),
        skill_groups: group_skills(&vocab.skills),
        wards: vocab.wards,
        causes: vocab.causes,
        completeness: loaded.map(profiles::LoadedProfile::completeness),
        notice: notice_text(notice).to_owned(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<ProfilePage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let vocab = vocabulary(&state).await?;
    let loaded = profiles::load(&state.db, me.0.id()).await?;
    let form = match &loaded {
        Some(p) => ProfileForm::from_profile(p, &vocab.wards),
        None => ProfileForm::blank(),
    };
    Ok(render(
        page,
        vocab,
        form,
        FormErrors::new(),
        loaded.as_ref(),
        &q.notice,
    ))
}

/// The form's fields as typed (skills come from one `skill-{id}` select each).
fn read_form(form: &FormFields, is_new: bool) -> ProfileForm {
    let owned = |values: Vec<&str>| values.into_iter().map(str::to_owned).collect();
    ProfileForm {
        dob: if is_new {
            DateOfBirthInput::Typed {
                day: form.trimmed("dob-day"),
                month: form.trimmed("dob-month"),
                year: form.trimmed("dob-year"),
            }
        } else {
            DateOfBirthInput::AlreadyGiven
        },
        ward: form.trimmed("ward"),
        postcode_district: form.trimmed("postcode_district"),
        travel_km: form.trimmed("travel_km"),
        remote_ok: form.checked("remote_ok"),
        skills: form
            .0
            .iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("skill-")?;
                let level = v.trim();
                (!level.is_empty()).then(|| (id.to_owned(), level.to_owned()))
            })
            .collect(),
        causes: owned(form.all("causes")),
        availability: owned(form.all("availability")),
        languages: owned(form.all("languages")),
        other_languages: form.trimmed("other_languages"),
        access_needs: owned(form.all("access_needs")),
        bio: form.get("bio").replace("\r\n", "\n"),
        open_to_suggestions: form.checked("open_to_suggestions"),
    }
}

/// garde names the date of birth `dob`; the form's first box is `dob-day`.
fn page_errors(report: garde::Report) -> FormErrors {
    let mut errors = FormErrors::new();
    for (field, message) in FormErrors::from(report).iter() {
        let field = if field == "dob" { "dob-day" } else { field };
        errors.add(field, message.clone());
    }
    errors
}

pub async fn save(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    fields: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let vocab = vocabulary(&state).await?;
    let loaded = profiles::load(&state.db, me.0.id()).await?;
    let form = read_form(&fields, loaded.is_none());
    if let Err(report) = form.validate_with(&vocab) {
        let errors = page_errors(report);
        return Ok((
            StatusCode::BAD_REQUEST,
            render(page, vocab, form, errors, loaded.as_ref(), ""),
        )
            .into_response());
    }
    let update = form.into_update(&vocab);
    let txn = crate::db::begin(&state.db).await?;
    // Read again inside the transaction: a profile made in another tab meanwhile is
    // updated, not duplicated.
    let existing = profiles::find_for_user(&txn, me.0.id()).await?;
    if existing.is_none() && update.date_of_birth.is_none() {
        return Err(AppError::field("dob-day", "Enter your date of birth"));
    }
    profiles::save(&txn, me.0.id(), existing, &update).await?;
    txn.commit().await?;
    Ok(Redirect::to("/profile?notice=saved").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use migration::AVAILABILITY_SLOTS;

    /// Every ODI slot is a day and a part of the day, in the grid's order.
    #[test]
    fn the_grid_covers_the_odi_slots_in_order() {
        let grid: Vec<String> = DAYS
            .iter()
            .flat_map(|d| PARTS_OF_DAY.iter().map(move |p| format!("{d}{p}")))
            .collect();
        assert_eq!(grid, AVAILABILITY_SLOTS);
    }
}

//! Hubs as alliance admins create and edit them: the form's checks and the writes.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};

use super::Named;
use super::organisation_profile::check;
use crate::entities::hub;
use crate::routes::forms::FormErrors;

const NAME_MAX: usize = 120;
const DESCRIPTION_MAX: usize = 5000;
const ADDRESS_MAX: usize = 300;

/// The hub form as typed; the ward is its ONS code.
#[derive(Clone, Debug, Default, garde::Validate)]
#[garde(context(HubChoices as choices))]
pub struct HubForm {
    #[garde(custom(check::required("the name of the hub", NAME_MAX)))]
    pub name: String,
    #[garde(custom(check::required("a description of the hub", DESCRIPTION_MAX)))]
    pub description: String,
    #[garde(custom(check::optional_choice(&choices.wards, "Select a ward from the list")))]
    pub ward: String,
    #[garde(custom(check::at_most("the address", ADDRESS_MAX)))]
    pub address: String,
    #[garde(custom(check::optional_email))]
    pub email: String,
    #[garde(custom(check::optional_phone))]
    pub phone: String,
}

/// The wards the form offers.
#[derive(Clone, Debug, Default)]
pub struct HubChoices {
    pub wards: Vec<Named>,
}

/// A checked hub, ready to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubDetails {
    pub name: String,
    pub description: String,
    pub ward_id: Option<i32>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl HubForm {
    pub fn from_saved(h: &hub::Model, wards: &[Named]) -> Self {
        Self {
            name: h.name.clone(),
            description: h.description.clone(),
            ward: h
                .ward_id
                .and_then(|id| wards.iter().find(|w| w.id == id))
                .map(|w| w.slug.clone())
                .unwrap_or_default(),
            address: h.address.clone().unwrap_or_default(),
            email: h.email.clone().unwrap_or_default(),
            phone: h.phone.clone().unwrap_or_default(),
        }
    }

    pub fn check(&self, choices: &HubChoices) -> Result<HubDetails, FormErrors> {
        use garde::Validate;
        self.validate_with(choices).map_err(FormErrors::from)?;
        Ok(HubDetails {
            name: self.name.clone(),
            description: self.description.clone(),
            ward_id: check::id_of(&choices.wards, &self.ward),
            address: check::optional(&self.address),
            email: crate::auth::EmailAddress::parse(&self.email)
                .ok()
                .map(|e| e.as_str().to_owned()),
            phone: check::optional(&self.phone),
        })
    }
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<hub::Model>, DbErr> {
    hub::Entity::find_by_id(id).one(db).await
}

/// `base`, or `base-2`, `base-3` … whichever no hub has yet.
async fn free_slug<C: ConnectionTrait>(db: &C, base: &str) -> Result<String, DbErr> {
    let taken: Vec<String> = hub::Entity::find()
        .select_only()
        .column(hub::Column::Slug)
        .filter(hub::Column::Slug.starts_with(base))
        .into_tuple()
        .all(db)
        .await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_owned()))
}

pub async fn create<C: ConnectionTrait>(db: &C, details: HubDetails) -> Result<hub::Model, DbErr> {
    let mut base = crate::models::staff::slugify(&details.name);
    // slugify names a nameless thing "organisation"; a hub is a hub.
    if base == "organisation" && !details.name.to_lowercase().contains("organisation") {
        base = "hub".to_owned();
    }
    let slug = free_slug(db, &base).await?;
    hub::ActiveModel {
        slug: Set(slug),
        name: Set(details.name),
        description: Set(details.description),
        ward_id: Set(details.ward_id),
        address: Set(details.address),
        email: Set(details.email),
        phone: Set(details.phone),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Saves the hub's details. The slug stays as it was, so links to the hub keep working.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    h: hub::Model,
    details: HubDetails,
) -> Result<hub::Model, DbErr> {
    let mut row: hub::ActiveModel = h.into();
    row.name = Set(details.name);
    row.description = Set(details.description);
    row.ward_id = Set(details.ward_id);
    row.address = Set(details.address);
    row.email = Set(details.email);
    row.phone = Set(details.phone);
    row.update(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_needs_a_name_and_a_description_and_good_contacts() {
        let wards = HubChoices {
            wards: vec![Named {
                id: 1,
                name: "Peckham".into(),
                slug: "E05011110".into(),
            }],
        };
        let errors = HubForm {
            email: "nope".into(),
            phone: "ring ring".into(),
            ward: "E0nowhere".into(),
            ..HubForm::default()
        }
        .check(&wards)
        .unwrap_err();
        assert_eq!(errors.message("name"), "Enter the name of the hub");
        assert_eq!(
            errors.message("description"),
            "Enter a description of the hub"
        );
        for field in ["email", "phone", "ward"] {
            assert!(errors.has(field), "{field}");
        }
        let ok = HubForm {
            name: "Camberwell Hub".into(),
            description: "Drop in on Tuesdays".into(),
            ward: "E05011110".into(),
            ..HubForm::default()
        }
        .check(&wards)
        .unwrap();
        assert_eq!(ok.ward_id, Some(1));
        assert_eq!(ok.email, None);
    }
}

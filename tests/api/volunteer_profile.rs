//! The volunteer profile page: every field saved and shown back, a new profile needs a
//! date of birth (14 or older), each bad field named, and the completeness hint.
use hubmatch::entities::{
    availability, skill, volunteer_cause, volunteer_profile, volunteer_skill,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::fixtures::{PECKHAM, cause_id, ward_id};
use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::people::{Browser, PersonSpec, add_person, adult_birthday, location};

pub async fn skill_id(db: &DatabaseConnection, slug: &str) -> i32 {
    skill::Entity::find()
        .filter(skill::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("reference skill {slug}"))
        .id
}

async fn volunteer(app: &TestApp) -> Browser {
    add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            name: "Ada Okafor",
            born: Some(adult_birthday()),
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(app);
    browser.sign_in(&app.db, "ada@example.org").await;
    browser
}

async fn profile_of(db: &DatabaseConnection) -> volunteer_profile::Model {
    let person = hubmatch::models::accounts::find_by_email(db, "ada@example.org")
        .await
        .unwrap()
        .unwrap();
    volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await
        .unwrap()
        .expect("a profile")
}

async fn slots_of(db: &DatabaseConnection, profile: i32) -> Vec<String> {
    let mut slots: Vec<String> = availability::Entity::find()
        .filter(availability::Column::VolunteerId.eq(profile))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.slot)
        .collect();
    slots.sort();
    slots
}

async fn skills_of(db: &DatabaseConnection, profile: i32) -> Vec<(i32, i32)> {
    volunteer_skill::Entity::find()
        .filter(volunteer_skill::Column::VolunteerId.eq(profile))
        .order_by_asc(volunteer_skill::Column::SkillId)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.skill_id, s.level))
        .collect()
}

async fn causes_of(db: &DatabaseConnection, profile: i32) -> Vec<i32> {
    let mut ids: Vec<i32> = volunteer_cause::Entity::find()
        .filter(volunteer_cause::Column::VolunteerId.eq(profile))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.cause_id)
        .collect();
    ids.sort();
    ids
}

async fn every_field_is_saved_and_shown_back_and_lists_are_replaced(app: TestApp) {
    let browser = volunteer(&app).await;
    let page = browser.get_text("/profile", 200).await;
    assert!(page.contains("Your volunteer profile"), "{page}");
    assert!(page.contains("17 May 1990"), "the date of birth is shown");
    assert!(!page.contains("name=\"dob-day\""), "and cannot be changed");

    let listening = skill_id(&app.db, "listening").await.to_string();
    let english = skill_id(&app.db, "english").await.to_string();
    let service = skill_id(&app.db, "customer-service").await.to_string();
    let food = cause_id(&app.db, "food-poverty").await;
    let older = cause_id(&app.db, "older-people").await;
    let (food_s, older_s) = (food.to_string(), older.to_string());
    let listening_field = format!("skill-{listening}");
    let english_field = format!("skill-{english}");
    let service_field = format!("skill-{service}");
    let res = browser
        .post(
            "/profile",
            &[
                ("ward", PECKHAM),
                ("postcode_district", "se15 4ab"),
                ("travel_km", "10"),
                ("remote_ok", "yes"),
                (&listening_field, "7"),
                (&english_field, "4"),
                (&service_field, "10"),
                ("causes", &food_s),
                ("causes", &older_s),
                ("availability", "SaturdayMorning"),
                ("availability", "MondayEvening"),
                ("languages", "en"),
                ("languages", "yo"),
                ("other_languages", "fa, NE"),
                ("access_needs", "step_free"),
                ("access_needs", "bsl"),
                ("bio", "I cook for 40 on Sundays; happy to help."),
                ("open_to_suggestions", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/profile?notice=saved");

    let p = profile_of(&app.db).await;
    assert_eq!(p.ward_id, Some(ward_id(&app.db, PECKHAM).await));
    assert_eq!(p.postcode_district.as_deref(), Some("SE15"));
    assert_eq!(p.travel_km, 10);
    assert!(p.remote_ok);
    assert_eq!(p.languages, "en,yo,fa,ne");
    assert_eq!(p.access_needs, "step_free,bsl");
    assert_eq!(p.bio, "I cook for 40 on Sundays; happy to help.");
    assert!(p.open_to_suggestions);
    let mut want_skills = vec![
        (listening.parse().unwrap(), 7),
        (english.parse().unwrap(), 4),
        (service.parse().unwrap(), 10),
    ];
    want_skills.sort();
    assert_eq!(skills_of(&app.db, p.id).await, want_skills);
    let mut want_causes = vec![food, older];
    want_causes.sort();
    assert_eq!(causes_of(&app.db, p.id).await, want_causes);
    assert_eq!(
        slots_of(&app.db, p.id).await,
        vec!["MondayEvening", "SaturdayMorning"]
    );

    let page = browser.get_text("/profile?notice=saved", 200).await;
    assert!(page.contains("Your profile has been saved."));
    assert!(page.contains("100% complete"), "{page}");
    assert!(page.contains("value=\"SaturdayMorning\" checked"));
    assert!(
        page.contains("value=\"fa, ne\""),
        "other languages shown back"
    );

    // Saving again replaces the lists rather than adding to them.
    let res = browser
        .post(
            "/profile",
            &[
                ("travel_km", "100"),
                ("availability", "SundayEvening"),
                ("causes", &older_s),
                ("languages", "en"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 303);
    let p = profile_of(&app.db).await;
    assert_eq!(slots_of(&app.db, p.id).await, vec!["SundayEvening"]);
    assert_eq!(causes_of(&app.db, p.id).await, vec![older]);
    assert!(skills_of(&app.db, p.id).await.is_empty());
    assert_eq!(p.travel_km, 100, "any distance");
    assert_eq!(
        (p.ward_id, p.access_needs.as_str(), p.bio.as_str()),
        (None, "", "")
    );
    assert!(!p.open_to_suggestions && !p.remote_ok);
}

async fn someone_without_a_profile_makes_one_with_their_date_of_birth(app: TestApp) {
    add_person(
        &app.db,
        PersonSpec {
            email: "ada@example.org",
            organisation: None,
            ..PersonSpec::default()
        },
    )
    .await;
    let browser = Browser::new(&app);
    browser.sign_in(&app.db, "ada@example.org").await;

    let res = browser.get("/dashboard").await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(location(&res), "/profile?notice=create");
    let page = browser.get_text("/profile?notice=create", 200).await;
    assert!(page.contains("Create your volunteer profile"));
    assert!(page.contains("name=\"dob-day\""));

    let base = [("travel_km", "5"), ("languages", "en")];
    let post = |dob: [(&'static str, &'static str); 3]| {
        let mut fields = base.to_vec();
        fields.extend(dob);
        let browser = &browser;
        async move { browser.post("/profile", &fields).await }
    };
    for (dob, why) in [
        (
            [("dob-day", ""), ("dob-month", ""), ("dob-year", "")],
            "Enter your date of birth",
        ),
        (
            [("dob-day", "31"), ("dob-month", "2"), ("dob-year", "2001")],
            "Date of birth must be a real date",
        ),
        (
            [("dob-day", "1"), ("dob-month", "1"), ("dob-year", "2099")],
            "Date of birth must be in the past",
        ),
    ] {
        let res = post(dob).await;
        assert_eq!(res.status().as_u16(), 400);
        let body = res.text().await.unwrap();
        assert!(body.contains(why), "{why}: {body}");
        assert!(
            body.contains("href=\"#dob-day\""),
            "the summary links to the box"
        );
    }
    // Thirteen today (born 13 years ago, tomorrow's date) is too young.
    let today = time::OffsetDateTime::now_utc().date();
    let thirteen = today
        .replace_year(today.year() - 14)
        .unwrap_or(today)
        .next_day()
        .unwrap();
    let (d, m, y) = (
        thirteen.day().to_string(),
        (thirteen.month() as u8).to_string(),
        thirteen.year().to_string(),
    );
    let mut fields = base.to_vec();
    fields.extend([
        ("dob-day", d.as_str()),
        ("dob-month", m.as_str()),
        ("dob-year", y.as_str()),
    ]);
    let res = browser.post("/profile", &fields).await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("You must be 14 or older to volunteer through hubmatch")
    );
    assert!(
        volunteer_profile::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );

    let res = post([("dob-day", "2"), ("dob-month", "3"), ("dob-year", "2004")]).await;
    assert_eq!(res.status().as_u16(), 303);
    let p = profile_of(&app.db).await;
    assert_eq!(p.date_of_birth.to_string(), "2004-03-02");
    let dashboard = browser.get_text("/dashboard", 200).await;
    assert!(dashboard.contains("Your volunteering"));

    // Once given, the date of birth is fixed: a posted one is ignored.
    let res = post([("dob-day", "1"), ("dob-month", "1"), ("dob-year", "1950")]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        profile_of(&app.db).await.date_of_birth.to_string(),
        "2004-03-02"
    );
}

async fn each_bad_field_is_named_and_nothing_is_written(app: TestApp) {
    let browser = volunteer(&app).await;
    let before = profile_of(&app.db).await;
    let listening = format!("skill-{}", skill_id(&app.db, "listening").await);
    let english = format!("skill-{}", skill_id(&app.db, "english").await);
    let long_bio = "a".repeat(501);
    // (extra fields, the field named, the message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("bio", long_bio.as_str())],
            "bio",
            "Your bio must be 500 characters or fewer",
        ),
        (
            vec![("skill-999999", "3")],
            "skills",
            "Choose skills from the list",
        ),
        (
            vec![(listening.as_str(), "16")],
            "skills",
            "Choose a level from the list for Listening",
        ),
        (
            vec![(english.as_str(), "9")],
            "skills",
            "Choose a level from the list for English",
        ),
        (
            vec![("availability", "Caturday")],
            "availability",
            "Choose the times you are free from the grid",
        ),
        (
            vec![("causes", "999999")],
            "causes",
            "Choose causes from the list",
        ),
        (
            vec![("access_needs", "jetpack")],
            "access_needs",
            "Choose access needs from the list",
        ),
        (
            vec![("other_languages", "english")],
            "other_languages",
            "is not a language code",
        ),
        (
            vec![("ward", "E99999999")],
            "ward",
            "Choose your ward from the list",
        ),
        (
            vec![("postcode_district", "PECKHAM!")],
            "postcode_district",
            "Enter the first part of your postcode",
        ),
    ];
    for (extra, field, why) in cases {
        let mut fields = vec![("travel_km", "5"), ("availability", "MondayMorning")];
        fields.extend(extra);
        let res = browser.post("/profile", &fields).await;
        assert_eq!(res.status().as_u16(), 400, "{field}");
        let body = res.text().await.unwrap();
        assert!(body.contains(why), "{field}: {why}: {body}");
        assert!(
            body.contains(&format!("href=\"#{field}\"")),
            "the summary links to {field}"
        );
        assert!(
            body.contains(&format!("id=\"{field}\"")),
            "the page has an element for #{field}"
        );
    }
    let res = browser.post("/profile", &[("travel_km", "3")]).await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Choose how far you will travel")
    );

    let after = profile_of(&app.db).await;
    assert_eq!(after, before, "a refused form changes nothing");
    assert!(slots_of(&app.db, after.id).await.is_empty());
}

async fn the_completeness_hint_moves_on_as_fields_are_filled(app: TestApp) {
    let browser = volunteer(&app).await;
    let page = browser.get_text("/profile", 200).await;
    assert!(page.contains("Your profile is 0% complete"), "{page}");
    assert!(page.contains("Add when you are free so we can suggest roles at the right times"));

    browser
        .post(
            "/profile",
            &[("travel_km", "5"), ("availability", "SaturdayMorning")],
        )
        .await;
    let page = browser.get_text("/profile", 200).await;
    assert!(page.contains("Your profile is 25% complete"), "{page}");
    assert!(page.contains("Choose the causes you care about"));

    let food = cause_id(&app.db, "food-poverty").await.to_string();
    browser
        .post(
            "/profile",
            &[
                ("travel_km", "5"),
                ("availability", "SaturdayMorning"),
                ("causes", &food),
                ("postcode_district", "SE15"),
            ],
        )
        .await;
    let dashboard = browser.get_text("/dashboard", 200).await;
    assert!(
        dashboard.contains("Your profile is 60% complete"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Add your skills so organisations can see what you can bring"));
}

async fn the_profile_needs_signing_in(app: TestApp) {
    let res = app.get("/profile").await;
    assert_eq!(res.status().as_u16(), 303);
    assert!(location(&res).starts_with("/sign-in?next=%2Fprofile"));
    let res = app.get("/dashboard").await;
    assert!(location(&res).starts_with("/sign-in"));
}

on_both_databases!(
    every_field_is_saved_and_shown_back_and_lists_are_replaced,
    someone_without_a_profile_makes_one_with_their_date_of_birth,
    each_bad_field_is_named_and_nothing_is_written,
    the_completeness_hint_moves_on_as_fields_are_filled,
    the_profile_needs_signing_in,
);

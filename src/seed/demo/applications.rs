//! Demo applications with their event history, session sign-ups and hours logged.
//!
//! People mostly apply to roles for causes they care about and near where they
//! live, so an offline evaluation can compare recommendations with applications.
//! No role ever has more accepted applications than places.

use time::{Duration, OffsetDateTime};

use super::content::{APPLICATION_MESSAGES, DECLINE_NOTES};
use super::pick::{between, chance, one, weighted_index};
use super::roles::{ONE_OFF, REGULAR, RoleStatus};
use super::volunteers::Person;
use super::{
    APPLICATION, APPLICATION_EVENT, APPLICATION_SESSION, Gen, HOURS_LOG, date, int, opt_int,
    opt_text, opt_ts, take, text, ts,
};

/// One application_event: from, to, who, note, when.
type Transition = (
    Option<&'static str>,
    &'static str,
    Option<i32>,
    String,
    OffsetDateTime,
);

/// How many roles someone has applied to: 0–4, about 1.5 on average.
const APPLICATIONS_PER_PERSON: [f64; 5] = [0.22, 0.30, 0.25, 0.15, 0.08];

impl Gen {
    pub(super) fn applications(&mut self, p: &Person) {
        let n = weighted_index(&mut self.rng, &APPLICATIONS_PER_PERSON);
        let mut applied: Vec<u32> = Vec::with_capacity(n);
        for _ in 0..n {
            if let Some(r) = self.choose_role(p, &applied) {
                applied.push(r);
                self.application(p, r as usize);
            }
        }
    }

    /// A role this person would plausibly have applied to: usually one for a cause
    /// they care about, the nearest of a few candidates; sometimes anything.
    fn choose_role(&mut self, p: &Person, already: &[u32]) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for _ in 0..6 {
            let pool = if chance(&mut self.rng, 0.85) {
                let c = *one(&mut self.rng, &p.causes);
                &self.roles_by_cause[c]
            } else {
                &self.appliable_roles
            };
            if pool.is_empty() {
                continue;
            }
            let r = pool[between(&mut self.rng, 0, pool.len() as i64 - 1) as usize];
            let role = &self.roles[r as usize];
            // Full roles mostly stop showing up in searches.
            let full = role.accepted >= role.places && role.status == RoleStatus::Open;
            let eligible = p.age >= role.min_age
                && !(full && chance(&mut self.rng, 0.7))
                && (p.age >= 18 || role.youth_friendly)
                && !already.contains(&r)
                && role.closes > p.created.max(role.opens);
            if !eligible {
                continue;
            }
            let distance = match role.ward {
                None if p.remote_ok => 0.0,
                None => 8.0,
                Some(w) => self.km(p.ward, w),
            };
            // Beyond their travel distance is possible but unlikely.
            let score = distance
                + if distance > p.travel_km as f64 {
                    6.0
                } else {
                    0.0
                }
                + rand::Rng::random::<f64>(&mut self.rng);
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, r));
            }
        }
        best.map(|(_, r)| r)
    }

    fn application(&mut self, p: &Person, r: usize) {
        let role = &self.roles[r];
        let (role_id, org, closed, places) = (
            role.id,
            role.org,
            role.status == RoleStatus::Closed,
            role.places,
        );
        // Most people apply within weeks of registering (or of the role going up).
        let from = p.created.max(role.opens);
        let window_days = (role.closes - from).whole_days().max(0);
        let u: f64 = rand::Rng::random(&mut self.rng);
        let mut after_days = (-45.0 * (1.0 - u).ln()) as i64;
        if after_days > window_days {
            after_days = between(&mut self.rng, 0, window_days);
        }
        let day = (from + Duration::days(after_days)).date();
        let (h, m) = (
            between(&mut self.rng, 7, 23) as u8,
            between(&mut self.rng, 0, 59) as u8,
        );
        let created = super::date_at(day, h, m).max(from).min(role.closes);
        let reviewer = self.orgs[org].reviewer;
        let id = take(&mut self.ids.application);
        let message = if chance(&mut self.rng, 0.5) {
            one(&mut self.rng, APPLICATION_MESSAGES).to_string()
        } else {
            String::new()
        };
        let mut events: Vec<Transition> =
            vec![(None, "applied", Some(p.user_id), String::new(), created)];

        // What happened next. Organisations answer within a fortnight; recent
        // applications may still be waiting.
        let mut wait_days = between(&mut self.rng, 1, 10);
        if self.roles[r].dbs_required && !p.dbs_checked {
            // Waiting for the DBS certificate.
            wait_days += between(&mut self.rng, 5, 15);
        }
        let decided = self.office_hours(created.date() + Duration::days(wait_days));
        let mut status = "applied";
        let mut decided_at = None;
        if decided <= self.now {
            let outcome = if closed {
                weighted_index(&mut self.rng, &[0.64, 0.16, 0.03, 0.12, 0.05])
            } else {
                weighted_index(&mut self.rng, &[0.63, 0.11, 0.07, 0.12, 0.07])
            };
            let full = self.roles[r].accepted >= places;
            match outcome {
                0 if !full => {
                    if chance(&mut self.rng, 0.15) {
                        let waited = created + (decided - created) / 3;
                        events.push((
                            Some("applied"),
                            "waitlisted",
                            reviewer,
                            String::new(),
                            waited,
                        ));
                        events.push((
                            Some("waitlisted"),
                            "accepted",
                            reviewer,
                            String::new(),
                            decided,
                        ));
                    } else {
                        events.push((
                            Some("applied"),
                            "accepted",
                            reviewer,
                            String::new(),
                            decided,
                        ));
                    }
                    self.roles[r].accepted += 1;
                    status = "accepted";
                    decided_at = Some(decided);
                }
                0 | 2 => {
                    let to = if closed { "declined" } else { "waitlisted" };
                    let note = if to == "declined" {
                        DECLINE_NOTES[0].to_string()
                    } else {
                        String::new()
                    };
                    events.push((Some("applied"), to, reviewer, note, decided));
                    status = to;
                    decided_at = Some(decided);
                }
                1 => {
                    let note = one(&mut self.rng, DECLINE_NOTES).to_string();
                    events.push((Some("applied"), "declined", reviewer, note, decided));
                    status = "declined";
                    decided_at = Some(decided);
                }
                3 => {
                    events.push((
                        Some("applied"),
                        "withdrawn",
                        Some(p.user_id),
                        String::new(),
                        decided,
                    ));
                    status = "withdrawn";
                }
                _ => {}
            }
        }
        let updated = events.last().map(|e| e.4).unwrap_or(created);
        self.sink.row(
            APPLICATION,
            [
                int(id),
                int(role_id),
                int(p.volunteer_id),
                text(status),
                text(message),
                ts(created),
                ts(updated),
                opt_ts(decided_at),
            ],
        );
        for (from_status, to_status, actor, note, at) in events {
            let event_id = take(&mut self.ids.event);
            self.sink.row(
                APPLICATION_EVENT,
                [
                    int(event_id),
                    int(id),
                    opt_text(from_status.map(str::to_string)),
                    text(to_status),
                    opt_int(actor),
                    text(note),
                    ts(at),
                ],
            );
        }
        if status == "accepted" {
            let role = &self.roles[r];
            let (first, count) = (role.first_session, role.sessions as i32);
            if count > 0 {
                let k = between(&mut self.rng, 1, count.min(3) as i64) as i32;
                for s in 0..k {
                    self.sink
                        .row(APPLICATION_SESSION, [int(id), int(first + s)]);
                }
            }
            if let Some(decided) = decided_at {
                self.hours(p, r, decided, reviewer);
            }
        }
    }

    /// A time in office hours on `day` (when organisations answer and confirm).
    fn office_hours(&mut self, day: time::Date) -> OffsetDateTime {
        let (h, m) = (
            between(&mut self.rng, 9, 17) as u8,
            between(&mut self.rng, 0, 59) as u8,
        );
        super::date_at(day, h, m)
    }

    /// Hours logged by an accepted volunteer, from a few days after acceptance up to
    /// today (never more than a year back); the recent ones make people "active".
    fn hours(&mut self, p: &Person, r: usize, accepted: OffsetDateTime, reviewer: Option<i32>) {
        let role = &self.roles[r];
        let (role_id, commitment, shift, one_off_on) = (
            role.id,
            role.commitment,
            role.shift_minutes,
            role.first_session_on.filter(|_| role.commitment == ONE_OFF),
        );
        let start = (accepted.date() + Duration::days(between(&mut self.rng, 1, 14)))
            .max(self.today - Duration::days(364));
        if start > self.today {
            return;
        }
        let span = (self.today - start).whole_days();
        let dates: Vec<time::Date> = match commitment {
            ONE_OFF => match one_off_on {
                Some(d) if d <= self.today && d >= self.today - Duration::days(364) => vec![d],
                Some(_) => Vec::new(),
                None => vec![start],
            },
            REGULAR => {
                // Some keep going to this day, others stop after a while.
                let keeps_going = chance(&mut self.rng, 0.6);
                let weeks = span / 7 + 1;
                let n = between(&mut self.rng, 2, 12).min(weeks);
                let step = if keeps_going {
                    (span / n.max(1)).max(7)
                } else {
                    7
                };
                (0..n)
                    .map(|k| start + Duration::days(k * step + between(&mut self.rng, 0, 2)))
                    .collect()
            }
            _ => {
                let n = between(&mut self.rng, 1, 4);
                (0..n)
                    .map(|_| start + Duration::days(between(&mut self.rng, 0, span)))
                    .collect()
            }
        };
        let today = self.today;
        for worked_on in dates.into_iter().filter(|d| *d <= today) {
            let minutes = ((shift + 30 * between(&mut self.rng, -2, 2) as i32).max(30) / 30) * 30;
            let recent = (self.today - worked_on).whole_days() < 14;
            let status = if recent {
                if chance(&mut self.rng, 0.6) {
                    "claimed"
                } else {
                    "confirmed"
                }
            } else {
                match weighted_index(&mut self.rng, &[0.9, 0.04, 0.06]) {
                    0 => "confirmed",
                    1 => "rejected",
                    _ => "claimed",
                }
            };
            let created = super::date_at(
                worked_on,
                between(&mut self.rng, 17, 22) as u8,
                between(&mut self.rng, 0, 59) as u8,
            )
            .min(self.now);
            let reviewed = (status != "claimed").then(|| {
                let day = worked_on + Duration::days(between(&mut self.rng, 1, 7));
                self.office_hours(day).max(created).min(self.now)
            });
            let note = match status {
                "rejected" => "No session ran that day.",
                _ if chance(&mut self.rng, 0.1) => "Stayed on to help clear up.",
                _ => "",
            };
            let id = take(&mut self.ids.hours);
            self.sink.row(
                HOURS_LOG,
                [
                    int(id),
                    int(p.volunteer_id),
                    int(role_id),
                    opt_int(None),
                    date(worked_on),
                    int(minutes),
                    text(status),
                    text(note),
                    opt_int(reviewed.and(reviewer)),
                    opt_ts(reviewed),
                    ts(created),
                ],
            );
        }
    }
}

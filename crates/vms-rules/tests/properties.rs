//! Properties of rule evaluation that must hold for every rule and every
//! sequence of events, checked on generated cases: matching only narrows as
//! conditions are added, a rule fires at most once per event and never
//! inside its cooldown, and schedules cover exactly the minutes they say.
//!
//! Names and ids are drawn from small sets so that generated conditions and
//! events often agree, and both sides of each property get exercised.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp, ToSpan, civil, tz::TimeZone};
use proptest::{option, prelude::*, sample::select};
use serde_json::{Map, Value, json};
use uuid::Uuid;
use vms_base::schedule::WeeklyRange;
use vms_rules::{Action, Conditions, Decision, EventFacts, Firings, Rule, matches};

const KINDS: [&str; 4] = ["object", "line_crossed", "camera_offline", "motion"];
const LABELS: [&str; 3] = ["person", "car", "dog"];
const ZONES: [&str; 3] = ["door", "yard", "gate"];
const LINES: [&str; 2] = ["north", "south"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONE_NAMES: [&str; 4] = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"];
const MINUTES_PER_WEEK: usize = 7 * 24 * 60;

/// Monday 2026-07-13, a week with no daylight-saving change in any zone
/// drawn here, so each local minute of it is exactly one instant.
fn week_start() -> civil::DateTime {
    civil::date(2026, 7, 13).at(0, 0, 0, 0)
}

fn camera(i: u8) -> Uuid {
    Uuid::from_u128(0xca00 + u128::from(i))
}

fn site(i: u8) -> Uuid {
    Uuid::from_u128(0x5100 + u128::from(i))
}

/// An event owning everything its facts borrow.
#[derive(Debug, Clone)]
struct Event {
    id: Uuid,
    camera_id: Option<Uuid>,
    site_id: Option<Uuid>,
    kind: String,
    start: Timestamp,
    end: Option<Timestamp>,
    attributes: Map<String, Value>,
    tz: TimeZone,
}

impl Event {
    fn facts(&self) -> EventFacts<'_> {
        EventFacts {
            id: self.id,
            camera_id: self.camera_id,
            site_id: self.site_id,
            kind: &self.kind,
            start: self.start,
            end: self.end,
            attributes: &self.attributes,
            site_tz: &self.tz,
        }
    }
}

fn rule(conditions: Conditions, cooldown_secs: u32) -> Rule {
    Rule {
        id: Uuid::new_v4(),
        name: "r".into(),
        enabled: true,
        conditions,
        actions: vec![Action::Snapshot],
        cooldown_secs,
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn time_zone() -> impl Strategy<Value = TimeZone> {
    prop_oneof![
        Just(TimeZone::UTC),
        (-12i8..=14).prop_map(|h| TimeZone::fixed(jiff::tz::Offset::constant(h))),
        select(&ZONE_NAMES[..]).prop_map(|name| TimeZone::get(name).expect("the zone should be in the tz database")),
    ]
}

fn attributes() -> impl Strategy<Value = Map<String, Value>> {
    (
        option::of(select(&LABELS[..])),
        option::of(prop::collection::vec(select(&ZONES[..]), 0..3)),
        option::of(select(&LINES[..])),
    )
        .prop_map(|(label, zones, line)| {
            let mut map = Map::new();
            if let Some(label) = label {
                map.insert("label".into(), json!(label));
            }
            if let Some(zones) = zones {
                map.insert("zones".into(), json!(zones));
            }
            if let Some(line) = line {
                map.insert("line".into(), json!(line));
            }
            map
        })
}

/// Any event in the reference week, ended or not.
fn event() -> impl Strategy<Value = Event> {
    (
        select(&KINDS[..]),
        option::of(0u8..3),
        option::of(0u8..3),
        0..MINUTES_PER_WEEK as i64 * 60,
        option::of(0i64..7200),
        attributes(),
        time_zone(),
    )
        .prop_map(|(kind, camera_i, site_i, offset, lasted, attributes, tz)| {
            let start = week_start().to_zoned(TimeZone::UTC).unwrap().timestamp() + offset.seconds();
            Event {
                id: Uuid::new_v4(),
                camera_id: camera_i.map(camera),
                site_id: site_i.map(site),
                kind: kind.into(),
                start,
                end: lasted.map(|secs| start + secs.seconds()),
                attributes,
                tz,
            }
        })
}

/// A range starting on some days at any minute, ending at any minute
/// (overnight whenever the end is not after the start).
fn any_range() -> impl Strategy<Value = WeeklyRange> {
    (prop::collection::vec(select(&DAYS[..]), 1..4), 0u16..1440, 0u16..=1440).prop_map(|(days, start, end)| {
        WeeklyRange { days: days.into_iter().map(String::from).collect(), start: hhmm(start), end: hhmm(end) }
    })
}

/// A range that runs overnight: its end is not after its start.
fn overnight_range() -> impl Strategy<Value = WeeklyRange> {
    (prop::collection::vec(select(&DAYS[..]), 1..4), 0u16..1440)
        .prop_flat_map(|(days, start)| (Just(days), Just(start), 0..=start))
        .prop_map(|(days, start, end)| WeeklyRange {
            days: days.into_iter().map(String::from).collect(),
            start: hhmm(start),
            end: hhmm(end),
        })
}

fn some_of(names: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(select(names).prop_map(String::from), 1..3)
}

fn ids(of: fn(u8) -> Uuid) -> impl Strategy<Value = Vec<Uuid>> {
    prop::collection::vec((0u8..3).prop_map(of), 1..3)
}

/// Conditions with each field, independently, either empty or set.
fn conditions() -> impl Strategy<Value = Conditions> {
    fn maybe<T: std::fmt::Debug + Clone>(set: impl Strategy<Value = Vec<T>>) -> impl Strategy<Value = Vec<T>> {
        prop_oneof![Just(Vec::new()), set]
    }
    (
        maybe(some_of(&KINDS)),
        maybe(some_of(&LABELS)),
        maybe(ids(camera)),
        maybe(ids(site)),
        maybe(some_of(&ZONES)),
        maybe(some_of(&LINES)),
        maybe(prop::collection::vec(any_range(), 1..3)),
        prop_oneof![Just(0u32), 1u32..600],
    )
        .prop_map(|(types, labels, cameras, sites, zones, lines, schedule, min_duration_secs)| Conditions {
            types,
            labels,
            cameras,
            sites,
            zones,
            lines,
            schedule,
            min_duration_secs,
        })
}

/// One more condition, on a field a rule may leave open.
#[derive(Debug, Clone)]
enum Extra {
    Types(Vec<String>),
    Labels(Vec<String>),
    Cameras(Vec<Uuid>),
    Sites(Vec<Uuid>),
    Zones(Vec<String>),
    Lines(Vec<String>),
    Schedule(Vec<WeeklyRange>),
    MinDuration(u32),
}

fn extra() -> impl Strategy<Value = Extra> {
    prop_oneof![
        some_of(&KINDS).prop_map(Extra::Types),
        some_of(&LABELS).prop_map(Extra::Labels),
        ids(camera).prop_map(Extra::Cameras),
        ids(site).prop_map(Extra::Sites),
        some_of(&ZONES).prop_map(Extra::Zones),
        some_of(&LINES).prop_map(Extra::Lines),
        prop::collection::vec(any_range(), 1..3).prop_map(Extra::Schedule),
        (1u32..600).prop_map(Extra::MinDuration),
    ]
}

/// Returns `conditions` with `extra` added, or none if that field is already
/// set (where more entries would widen the rule, not narrow it).
fn with_extra(conditions: &Conditions, extra: Extra) -> Option<Conditions> {
    fn fill<T>(field: &mut Vec<T>, values: Vec<T>) -> Option<()> {
        field.is_empty().then(|| *field = values)
    }
    let mut c = conditions.clone();
    match extra {
        Extra::Types(v) => fill(&mut c.types, v)?,
        Extra::Labels(v) => fill(&mut c.labels, v)?,
        Extra::Cameras(v) => fill(&mut c.cameras, v)?,
        Extra::Sites(v) => fill(&mut c.sites, v)?,
        Extra::Zones(v) => fill(&mut c.zones, v)?,
        Extra::Lines(v) => fill(&mut c.lines, v)?,
        Extra::Schedule(v) => fill(&mut c.schedule, v)?,
        Extra::MinDuration(secs) => {
            if c.min_duration_secs != 0 {
                return None;
            }
            c.min_duration_secs = secs;
        }
    }
    Some(c)
}

/// The minutes of the week (0 is Monday 00:00) that `ranges` cover, found by
/// laying each range out minute by minute from its start.
fn brute_force_week(ranges: &[WeeklyRange]) -> Vec<bool> {
    let minutes = |text: &str| {
        let (h, m) = text.split_once(':').unwrap();
        h.parse::<usize>().unwrap() * 60 + m.parse::<usize>().unwrap()
    };
    let mut week = vec![false; MINUTES_PER_WEEK];
    for range in ranges {
        let (start, end) = (minutes(&range.start), minutes(&range.end));
        let length = if start < end { end - start } else { 24 * 60 - start + end };
        for day in &range.days {
            let day = DAYS.iter().position(|d| d == day).unwrap();
            for minute in 0..length {
                week[(day * 24 * 60 + start + minute) % MINUTES_PER_WEEK] = true;
            }
        }
    }
    week
}

/// Checks every minute of the reference week, read in `tz`, against the
/// brute-force layout of `ranges`.
fn schedule_matches_brute_force(ranges: Vec<WeeklyRange>, tz: TimeZone) -> Result<(), TestCaseError> {
    let expected = brute_force_week(&ranges);
    let conditions = Conditions { schedule: ranges, ..Default::default() };
    let first = week_start().to_zoned(tz.clone()).unwrap().timestamp();
    let attributes = Map::new();
    for (minute, expected) in expected.into_iter().enumerate() {
        let start = first + SignedDuration::from_mins(minute as i64) + SignedDuration::from_secs(minute as i64 % 60);
        let event = Event {
            id: Uuid::nil(),
            camera_id: None,
            site_id: None,
            kind: "object".into(),
            start,
            end: None,
            attributes: attributes.clone(),
            tz: tz.clone(),
        };
        prop_assert_eq!(matches(&conditions, &event.facts()), expected, "minute {} of the week", minute);
    }
    Ok(())
}

proptest! {
    #[test]
    fn empty_conditions_match_every_event(event in event()) {
        prop_assert!(matches(&Conditions::default(), &event.facts()));
        let decision = Firings::new().decide(&rule(Conditions::default(), 0), &event.facts(), event.start);
        prop_assert_eq!(decision, Decision::Fire);
    }

    #[test]
    fn adding_a_condition_never_widens_a_rule(
        base in conditions(),
        extra in extra(),
        event in event(),
        later in 0i64..7200,
    ) {
        let narrower = with_extra(&base, extra);
        prop_assume!(narrower.is_some());
        let narrower = narrower.unwrap();
        if matches(&narrower, &event.facts()) {
            prop_assert!(matches(&base, &event.facts()));
        }
        let now = event.start + later.seconds();
        let fires = |conditions: &Conditions| Firings::new().decide(&rule(conditions.clone(), 0), &event.facts(), now);
        if fires(&narrower) == Decision::Fire {
            prop_assert_eq!(fires(&base), Decision::Fire);
        }
    }

    #[test]
    fn a_rule_never_fires_twice_for_a_camera_within_its_cooldown(
        cooldown_secs in 0u32..900,
        min_duration_secs in prop_oneof![Just(0u32), 1u32..120],
        steps in prop::collection::vec((any::<bool>(), 0usize..4, 0i64..600, any::<bool>()), 1..80),
    ) {
        let rule = rule(Conditions { min_duration_secs, ..Default::default() }, cooldown_secs);
        let mut firings = Firings::new();
        let mut now = week_start().to_zoned(TimeZone::UTC).unwrap().timestamp();
        let mut open: Vec<Event> = Vec::new();
        let mut last_fired: Option<Timestamp> = None;
        for (new, pick, advance, ends) in steps {
            now += advance.seconds();
            let event = if new || open.is_empty() {
                open.push(Event {
                    id: Uuid::new_v4(),
                    camera_id: Some(camera(0)),
                    site_id: Some(site(0)),
                    kind: "object".into(),
                    start: now,
                    end: None,
                    attributes: Map::new(),
                    tz: TimeZone::UTC,
                });
                open.len() - 1
            } else {
                pick % open.len()
            };
            if ends && open[event].end.is_none() {
                open[event].end = Some(now);
            }
            let event = &open[event];
            if firings.decide(&rule, &event.facts(), now) == Decision::Fire {
                if let Some(last) = last_fired {
                    prop_assert!(now.duration_since(last) >= SignedDuration::from_secs(cooldown_secs.into()));
                }
                firings.record(&rule, &event.facts(), now);
                last_fired = Some(now);
            }
        }
    }

    #[test]
    fn a_rule_never_fires_twice_for_one_event(
        max_age_hours in prop_oneof![Just(1i64), Just(24)],
        conditions in conditions(),
        cooldown_secs in prop_oneof![Just(0u32), 1u32..900],
        steps in prop::collection::vec(
            (any::<bool>(), 0usize..6, 0i64..6 * 3600, 0i64..3600, option::of(0i64..7200), attributes()),
            1..60,
        ),
    ) {
        let rule = rule(conditions, cooldown_secs);
        let mut firings = Firings::with_limits(SignedDuration::from_hours(max_age_hours), 10_000);
        let mut now = week_start().to_zoned(TimeZone::UTC).unwrap().timestamp();
        let mut events: Vec<Event> = Vec::new();
        let mut fired: HashMap<Uuid, u32> = HashMap::new();
        for (new, pick, advance, age, lasted, attributes) in steps {
            now += advance.seconds();
            let event = if new || events.is_empty() {
                let i = events.len() as u8;
                events.push(Event {
                    id: Uuid::new_v4(),
                    camera_id: Some(camera(i % 3)),
                    site_id: Some(site(i % 3)),
                    kind: KINDS[usize::from(i) % KINDS.len()].into(),
                    start: now - age.seconds(),
                    end: None,
                    attributes: Map::new(),
                    tz: TimeZone::UTC,
                });
                events.len() - 1
            } else {
                pick % events.len()
            };
            // Any update: new attributes, ended or not, whenever.
            let event = &mut events[event];
            event.attributes = attributes;
            event.end = lasted.map(|secs| event.start + secs.seconds());
            if firings.decide(&rule, &event.facts(), now) == Decision::Fire {
                firings.record(&rule, &event.facts(), now);
                let count = fired.entry(event.id).or_default();
                *count += 1;
                prop_assert_eq!(*count, 1, "event {} fired again at {}", event.id, now);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn overnight_ranges_cover_exactly_their_minutes(
        ranges in prop::collection::vec(overnight_range(), 1..3),
        tz in time_zone(),
    ) {
        schedule_matches_brute_force(ranges, tz)?;
    }

    #[test]
    fn any_ranges_cover_exactly_their_minutes(
        ranges in prop::collection::vec(any_range(), 1..4),
        tz in time_zone(),
    ) {
        schedule_matches_brute_force(ranges, tz)?;
    }
}

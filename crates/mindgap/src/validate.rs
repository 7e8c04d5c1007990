//! Validation of a diary: the definitions (stages, expectations, calendars,
//! customers) and every record (interactions, feedback, observations) against
//! them. Each rule fails with an [`Error`] that names the place, the record and
//! the field, and says what was expected.
//!
//! Rules, in the order they are checked:
//! - ids are non-empty and unique per kind (touchpoints: per stage);
//!   an expectation id may repeat only with distinct `recorded_at`, and its
//!   records must agree on stage, touchpoint, channel, segment and metric kind;
//! - every reference (stage, touchpoint, calendar, expectation, interaction)
//!   names something that exists;
//! - zones of tolerance point the right way (durations: desired ≤ adequate;
//!   ratings: adequate ≤ desired, both on `1..=scale`); importance is a finite
//!   number above 0;
//! - a reply, a resolution or a status change is not before the interaction
//!   was opened, and status changes are in time order;
//! - a score is on its kind's scale (NPS: whole numbers 0–10, so `6.5` is an
//!   error and never lands in a bucket); a dismissed survey has no score; a
//!   `reason` record has a reason and a `comment` record a comment;
//! - text fields that CSV cannot carry (a `;` in a tag) are rejected.
//!
//! Empty optional text (`""`) is read as absent, like an empty CSV cell.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::error::{Error, Location, Result};
use crate::model::*;
use crate::util::ids::Registry;

/// Strict stops at the first error; lenient skips the bad record and lists it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Stop at the first error (the default).
    #[default]
    Strict,
    /// Skip bad records, keep going, and report every skipped record.
    Lenient,
}

/// Checks records one at a time against the diary's definitions, remembering
/// ids to catch duplicates. Used by every reader, and by callers that add
/// records one by one.
#[derive(Debug, Default)]
pub struct Checker {
    files: Vec<String>,
    stages: HashMap<StageId, HashSet<TouchpointId>>,
    /// Stage ids and names in every language the diary gives (in lower
    /// case) → the stage: a record may name its stage so, in any case.
    stage_names: HashMap<String, StageId>,
    expectations: HashMap<ExpectationId, ExpectationShape>,
    calendars: HashSet<CalendarId>,
    /// The follow-the-sun calendars among them.
    sun_calendars: HashSet<CalendarId>,
    interactions: Registry,
    feedback: Registry,
    observations: Registry,
    follow_ups: Registry,
    /// Interactions of files read a second time: their ids were registered
    /// (and their duplicates found) at the first reading.
    read_again: bool,
}

#[derive(Debug, Clone)]
struct ExpectationShape {
    first: Location,
    stage: StageId,
    touchpoint: Option<TouchpointId>,
    channel: Option<Channel>,
    segment: Option<String>,
    when: When,
    metric: &'static str,
    /// What the duration levels count (time or business days).
    levels: Option<crate::model::level::LevelKind>,
    calendar: Option<CalendarId>,
    pause_statuses: Vec<Status>,
    recorded: Vec<Option<Timestamp>>,
}

fn level_kind(metric: &Metric) -> Option<crate::model::level::LevelKind> {
    metric.duration_zone().map(|z| z.desired.kind())
}

/// An expectation's `when`: known fields, conditions that test something,
/// and an expectation whose records it can narrow.
fn check_when(e: &Expectation, at: &Location) -> Result<()> {
    if e.when.is_empty() {
        return Ok(());
    }
    if matches!(e.metric, Metric::Flag(_)) {
        return Err(Error::invalid(
            at_field(at, "when"),
            e.id.as_str().to_owned(),
            "no `when` on a flag expectation: its observations are recorded for it, not selected",
        ));
    }
    for (key, condition) in &e.when {
        let field = || at_field(at, &format!("when.{key}"));
        if Selectable::parse(key).is_none() {
            return Err(Error::invalid(
                field(),
                key.clone(),
                format!(
                    "a field to select by: {} or field:<name> for a custom field",
                    SELECTABLE.join(", ")
                ),
            ));
        }
        if let Some(problem) = condition.problem() {
            return Err(Error::invalid(
                field(),
                serde_json::to_string(condition).unwrap_or_default(),
                problem,
            ));
        }
    }
    Ok(())
}

/// Any instant mindgap accepts it can write and read back: years 1 to
/// 9999, in UTC and in its own offset (RFC 3339 has four-digit years; the
/// business-time arithmetic works in that range).
#[inline]
fn check_instant(t: &Timestamp, at: &Location, field: &str) -> Result<()> {
    const DAY: i64 = 86_400_000;
    // A day inside the range, the local year is inside it too (offsets are
    // under a day): the usual case, without reading the local date.
    let inner =
        crate::time::calendar::MIN_INSTANT_MS + DAY..=crate::time::calendar::MAX_INSTANT_MS - DAY;
    if inner.contains(&t.timestamp_millis()) {
        return Ok(());
    }
    instant_at_the_edge(t, at, field)
}

/// [`check_instant`] within a day of the range's ends.
#[cold]
fn instant_at_the_edge(t: &Timestamp, at: &Location, field: &str) -> Result<()> {
    use chrono::Datelike;
    let ms = t.timestamp_millis();
    let utc = crate::time::calendar::MIN_INSTANT_MS..=crate::time::calendar::MAX_INSTANT_MS;
    // Out of that range, the local time may be past what chrono can hold
    // (reading it would panic): the instant is named in milliseconds.
    let shown = if utc.contains(&ms) {
        if (1..=9999).contains(&t.year()) {
            return Ok(());
        }
        t.to_rfc3339()
    } else {
        format!("{ms} ms since 1970-01-01T00:00:00Z")
    };
    Err(Error::invalid(
        at_field(at, field),
        shown,
        "an instant from the year 1 to 9999 (one that RFC 3339 can write)",
    ))
}

fn at_field(at: &Location, field: &str) -> Location {
    at.clone().with_field(field)
}

/// Empty or all white space (`str::trim` leaves nothing); quick for the
/// usual text, which starts with a visible ASCII character.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

fn check_id(id: &str, at: &Location) -> Result<()> {
    if blank(id) {
        return Err(Error::MissingField {
            at: at_field(at, "id"),
        });
    }
    Ok(())
}

/// Turns `Some("")` (and all-blank text) into `None`.
pub(crate) fn blank_to_none(s: &mut Option<String>) {
    if s.as_deref().is_some_and(blank) {
        *s = None;
    }
}

fn blank_id_to_none<T: AsRef<str>>(s: &mut Option<T>) {
    if s.as_ref().is_some_and(|v| blank(v.as_ref())) {
        *s = None;
    }
}

impl Checker {
    /// Checks the definitions of `diary` (stages, calendars, customers,
    /// expectations) and returns a checker for its records. The records already
    /// in `diary` are not checked here: pass them to [`Checker::interaction`] and
    /// the others (the readers do).
    pub fn new(diary: &Diary) -> Result<Checker> {
        let mut c = Checker::default();
        if diary.schema != SCHEMA {
            return Err(Error::UnknownSchema {
                at: Location::default().with_field("schema"),
                found: diary.schema.clone(),
                expected: SCHEMA,
            });
        }
        for (i, stage) in diary.stages.iter().enumerate() {
            let at = Location::default()
                .with_path(format!("stages[{i}]"))
                .with_record(stage.id.as_str());
            check_id(stage.id.as_str(), &at)?;
            if c.stages.contains_key(&stage.id) {
                return Err(Error::Duplicate {
                    at,
                    kind: "stage",
                    id: stage.id.as_str().to_owned(),
                    first: Location::default().with_path(format!(
                        "stages[{}]",
                        diary
                            .stages
                            .iter()
                            .position(|s| s.id == stage.id)
                            .unwrap_or(0)
                    )),
                });
            }
            let mut tps = HashSet::default();
            for (j, tp) in stage.touchpoints.iter().enumerate() {
                let at = Location::default()
                    .with_path(format!("stages[{i}].touchpoints[{j}]"))
                    .with_record(tp.id.as_str());
                check_id(tp.id.as_str(), &at)?;
                if !tps.insert(tp.id.clone()) {
                    return Err(Error::Duplicate {
                        at,
                        kind: "touchpoint",
                        id: tp.id.as_str().to_owned(),
                        first: Location::default().with_path(format!("stages[{i}].touchpoints")),
                    });
                }
            }
            c.stages.insert(stage.id.clone(), tps);
        }
        for stage in &diary.stages {
            let names = std::iter::once(stage.id.as_str())
                .chain(std::iter::once(stage.name.as_str()))
                .chain(stage.names.values().map(String::as_str));
            for name in names {
                let key = name.trim().to_lowercase();
                if !key.is_empty() {
                    c.stage_names.entry(key).or_insert_with(|| stage.id.clone());
                }
            }
        }
        if c.stages.is_empty() {
            return Err(Error::MissingField {
                at: Location::default().with_field("stages"),
            });
        }
        for (i, cal) in diary.calendars.iter().enumerate() {
            let at = Location::default()
                .with_path(format!("calendars[{i}]"))
                .with_record(cal.id.as_str());
            check_id(cal.id.as_str(), &at)?;
            if !c.calendars.insert(cal.id.clone()) {
                return Err(Error::Duplicate {
                    at,
                    kind: "calendar",
                    id: cal.id.as_str().to_owned(),
                    first: Location::default().with_path("calendars"),
                });
            }
        }
        for (i, list) in diary.holiday_lists.iter().enumerate() {
            let at = Location::default()
                .with_path(format!("holiday_lists[{i}]"))
                .with_record(list.id.as_str());
            check_id(&list.id, &at)?;
            if let Some(first) = diary
                .holiday_lists
                .iter()
                .take(i)
                .position(|l| l.id == list.id)
            {
                return Err(Error::Duplicate {
                    at,
                    kind: "holiday list",
                    id: list.id.clone(),
                    first: Location::default().with_path(format!("holiday_lists[{first}]")),
                });
            }
        }
        for (i, cal) in diary.calendars.iter().enumerate() {
            let checked = if cal.follow_the_sun.is_empty() {
                cal.with_lists(&diary.holiday_lists).map(drop)
            } else {
                c.sun_calendars.insert(cal.id.clone());
                cal.compile_among(diary.timezone, &diary.calendars, &diary.holiday_lists)
                    .map(drop)
            };
            if let Err(e) = checked {
                return Err(e.within(&Location::default().with_path(format!("calendars[{i}]"))));
            }
        }
        let mut customers = HashSet::default();
        for (i, cust) in diary.customers.iter().enumerate() {
            let at = Location::default()
                .with_path(format!("customers[{i}]"))
                .with_record(cust.id.as_str());
            check_id(cust.id.as_str(), &at)?;
            if !customers.insert(&cust.id) {
                return Err(Error::Duplicate {
                    at,
                    kind: "customer",
                    id: cust.id.as_str().to_owned(),
                    first: Location::default().with_path("customers"),
                });
            }
        }
        for (i, e) in diary.expectations.iter().enumerate() {
            let at = Location::default()
                .with_path(format!("expectations[{i}]"))
                .with_record(e.id.as_str());
            c.expectation(e, &at)?;
        }
        check_rules(&diary.follow_up)?;
        Ok(c)
    }

    /// Checks a follow-up record and registers its id. The feedback it names
    /// is checked once every record is read ([`crate::input::read::Loader::finish`]).
    pub fn follow_up(&mut self, rec: &FollowUpRecord, at: &Location) -> Result<()> {
        check_id(&rec.id, at)?;
        check_instant(&rec.at, at, "at")?;
        check_id(rec.feedback.as_str(), &at_field(at, "feedback"))?;
        self.register_id(IdKind::FollowUp, &rec.id, at)
    }

    fn file_index(&mut self, at: &Location) -> u32 {
        let name = at.file.as_deref().unwrap_or("");
        // The latest file first: records come file after file.
        match self.files.iter().rposition(|f| f == name) {
            Some(i) => i as u32,
            None => {
                self.files.push(name.to_owned());
                (self.files.len() - 1) as u32
            }
        }
    }

    fn seen_location(&self, (file, line): (u32, u64)) -> Location {
        let mut loc = Location::default();
        if let Some(f) = self.files.get(file as usize).filter(|f| !f.is_empty()) {
            loc.file = Some(f.clone());
        }
        // Records added one by one (JSON, structs) have no line.
        if line > 0 {
            loc.line = Some(line);
        } else if loc.file.is_none() {
            loc.path = Some("a record added earlier".to_owned());
        }
        loc
    }

    /// Whether `name` names a stage: its id, or a name in any language the
    /// diary gives, in any case.
    pub(crate) fn knows_stage(&self, name: &str) -> bool {
        self.stages.contains_key(name) || self.stage_names.contains_key(&name.trim().to_lowercase())
    }

    /// A stage named by its name in any language the diary gives
    /// (`Обслуживание` for `service`), or by its id or name in another case
    /// (`Service`), becomes its id.
    fn name_stage(&self, stage: &mut StageId) {
        if let Some(id) = self.stage_names.get(&stage.as_str().trim().to_lowercase()) {
            *stage = id.clone();
        }
    }

    /// [`Checker::check_stage`] of a stage that may be named by its name
    /// ([`Checker::name_stage`]); one lookup when it is named by its id.
    fn check_named_stage(
        &self,
        stage: &mut StageId,
        touchpoint: Option<&TouchpointId>,
        at: &Location,
    ) -> Result<()> {
        if !self.stages.contains_key(stage) {
            self.name_stage(stage);
        } else if touchpoint.is_none() {
            return Ok(());
        }
        self.check_stage(stage, touchpoint, at)
    }

    fn check_stage(
        &self,
        stage: &StageId,
        touchpoint: Option<&TouchpointId>,
        at: &Location,
    ) -> Result<()> {
        let Some(tps) = self.stages.get(stage) else {
            return Err(Error::UnknownReference {
                at: at_field(at, "stage"),
                kind: "stage",
                id: stage.as_str().to_owned(),
            });
        };
        if let Some(tp) = touchpoint {
            if !tps.contains(tp) {
                return Err(Error::UnknownReference {
                    at: at_field(at, "touchpoint"),
                    kind: "touchpoint",
                    id: format!("{tp} (in stage {stage})"),
                });
            }
        }
        Ok(())
    }

    /// Makes room for `more` ids of the records of a CSV file (a guess from
    /// its length).
    pub(crate) fn reserve_ids(&mut self, kind: crate::model::CsvKind, more: usize) {
        match kind {
            crate::model::CsvKind::Interactions => self.interactions.reserve(more),
            crate::model::CsvKind::Feedback => self.feedback.reserve(more),
        }
    }

    /// What [`Checker::undo`] needs to forget the records checked after
    /// now: the number of ids of each kind, and the expectations (a few:
    /// kept whole).
    pub(crate) fn mark(&self) -> CheckMark {
        CheckMark {
            ids: [
                self.interactions.len(),
                self.feedback.len(),
                self.observations.len(),
                self.follow_ups.len(),
            ],
            expectations: self.expectations.clone(),
        }
    }

    /// Forgets every record checked since `mark` (a strict read that
    /// failed): their ids may come again.
    pub(crate) fn undo(&mut self, mark: CheckMark) {
        let [interactions, feedback, observations, follow_ups] = mark.ids;
        self.interactions.truncate(interactions);
        self.feedback.truncate(feedback);
        self.observations.truncate(observations);
        self.follow_ups.truncate(follow_ups);
        self.expectations = mark.expectations;
    }

    /// The number of feedback ids registered.
    pub(crate) fn feedback_ids(&self) -> usize {
        self.feedback.len()
    }

    /// Forgets the feedback ids registered after the first `len` (a record
    /// registered by [`Checker::feedback`], then refused for its link).
    pub(crate) fn forget_feedback_after(&mut self, len: usize) {
        self.feedback.truncate(len);
    }

    /// Forgets the feedback ids seen (for a reader that takes no more
    /// feedback: a streamed report, once its feedback is read).
    pub(crate) fn forget_feedback_ids(&mut self) {
        self.feedback = Registry::default();
    }

    /// The position of an accepted interaction among the accepted ones (the
    /// index a reader that stores every accepted interaction in order keeps
    /// it at).
    pub fn interaction_slot(&self, id: &str) -> Option<usize> {
        self.interactions.get(id).map(|s| s as usize)
    }

    /// Checks an expectation record (a definition, or a new measurement of one
    /// already defined) and registers it.
    pub fn expectation(&mut self, e: &Expectation, at: &Location) -> Result<()> {
        check_id(e.id.as_str(), at)?;
        self.check_stage(&e.stage, e.touchpoint.as_ref(), at)?;
        if let Some(cal) = &e.calendar {
            if !self.calendars.contains(cal) {
                return Err(Error::UnknownReference {
                    at: at_field(at, "calendar"),
                    kind: "calendar",
                    id: cal.as_str().to_owned(),
                });
            }
        }
        if !(e.importance.is_finite() && e.importance > 0.0) {
            return Err(Error::invalid(
                at_field(at, "importance"),
                e.importance.to_string(),
                "a number above 0",
            ));
        }
        check_metric(&e.metric, at)?;
        if e.metric
            .duration_zone()
            .is_some_and(|z| z.desired.is_business_days())
        {
            match &e.calendar {
                None => {
                    return Err(Error::invalid(
                        at_field(at, "calendar"),
                        "none",
                        "a calendar: levels in business days count the calendar's business days",
                    ));
                }
                Some(c) if self.sun_calendars.contains(c) => {
                    return Err(Error::invalid(
                        at_field(at, "calendar"),
                        c.as_str(),
                        "a calendar with days of its own: a follow-the-sun calendar's members \
                         start their days at different times (give the levels in business hours)",
                    ));
                }
                Some(_) => {}
            }
        }
        check_when(e, at)?;
        if let Some(shape) = self.expectations.get_mut(&e.id) {
            let same = shape.stage == e.stage
                && shape.touchpoint == e.touchpoint
                && shape.channel == e.channel
                && shape.segment == e.segment
                && shape.when == e.when
                && shape.metric == e.metric.kind()
                && shape.levels == level_kind(&e.metric)
                && shape.calendar == e.calendar
                && shape.pause_statuses == e.pause_statuses;
            if !same {
                return Err(Error::invalid(
                    at.clone(),
                    e.id.as_str().to_owned(),
                    format!(
                        "records of one expectation to share stage, touchpoint, channel, segment, when, metric kind, kind of levels, calendar and pause statuses (first record: {})",
                        shape.first
                    ),
                ));
            }
            if e.recorded_at.is_none() || shape.recorded.iter().any(|r| r.is_none()) {
                return Err(Error::Duplicate {
                    at: at_field(at, "recorded_at"),
                    kind: "expectation",
                    id: e.id.as_str().to_owned(),
                    first: shape.first.clone(),
                });
            }
            if shape
                .recorded
                .iter()
                .flatten()
                .any(|r| Some(r) == e.recorded_at.as_ref())
            {
                return Err(Error::Duplicate {
                    at: at_field(at, "recorded_at"),
                    kind: "expectation record",
                    id: format!(
                        "{} at {}",
                        e.id,
                        e.recorded_at.map(|t| t.to_rfc3339()).unwrap_or_default()
                    ),
                    first: shape.first.clone(),
                });
            }
            shape.recorded.push(e.recorded_at);
        } else {
            self.expectations.insert(
                e.id.clone(),
                ExpectationShape {
                    first: at.clone(),
                    stage: e.stage.clone(),
                    touchpoint: e.touchpoint.clone(),
                    channel: e.channel.clone(),
                    segment: e.segment.clone(),
                    when: e.when.clone(),
                    metric: e.metric.kind(),
                    levels: level_kind(&e.metric),
                    calendar: e.calendar.clone(),
                    pause_statuses: e.pause_statuses.clone(),
                    recorded: vec![e.recorded_at],
                },
            );
        }
        Ok(())
    }

    /// Normalises (blank text → absent) and checks an interaction, and
    /// registers its id.
    pub fn interaction(&mut self, rec: &mut Interaction, at: &Location) -> Result<()> {
        check_id(rec.id.as_str(), at)?;
        for s in [
            &mut rec.segment,
            &mut rec.team,
            &mut rec.request,
            &mut rec.resolution,
            &mut rec.outcome,
            &mut rec.category,
            &mut rec.priority,
        ] {
            blank_to_none(s);
        }
        blank_id_to_none(&mut rec.touchpoint);
        blank_id_to_none(&mut rec.customer);
        blank_id_to_none(&mut rec.employee);
        if rec.fields.keys().any(|k| k.trim().is_empty()) {
            return Err(Error::MissingField {
                at: at_field(at, "fields (a custom field's name)"),
            });
        }
        rec.fields.retain(|_, v| !v.trim().is_empty());
        if rec.channel.as_str().is_empty() {
            return Err(Error::MissingField {
                at: at_field(at, "channel"),
            });
        }
        self.check_named_stage(&mut rec.stage, rec.touchpoint.as_ref(), at)?;
        check_instant(&rec.opened_at, at, "opened_at")?;
        for (field, t) in [
            ("first_response_at", &rec.first_response_at),
            ("resolved_at", &rec.resolved_at),
        ] {
            if let Some(t) = t {
                check_instant(t, at, field)?;
            }
        }
        for (i, change) in rec.statuses.iter().enumerate() {
            check_instant(&change.at, at, &format!("statuses[{i}].at"))?;
        }
        let opened = rec.opened_at;
        for (field, t) in [
            ("first_response_at", rec.first_response_at),
            ("resolved_at", rec.resolved_at),
        ] {
            if let Some(t) = t {
                if t < opened {
                    return Err(Error::OutOfOrder {
                        at: at_field(at, field),
                        message: format!(
                            "{field} {} is before opened_at {}",
                            t.to_rfc3339(),
                            opened.to_rfc3339()
                        ),
                    });
                }
            }
        }
        let mut prev = opened;
        for (i, change) in rec.statuses.iter().enumerate() {
            if change.at < prev {
                return Err(Error::OutOfOrder {
                    at: at_field(at, &format!("statuses[{i}].at")),
                    message: match i.checked_sub(1).and_then(|p| rec.statuses.get(p)) {
                        None => format!(
                            "status {} at {} is before opened_at {}",
                            change.status,
                            change.at.to_rfc3339(),
                            opened.to_rfc3339()
                        ),
                        Some(before) => format!(
                            "status {} at {} is before the change listed ahead of it ({} at {}); list status changes in time order",
                            change.status,
                            change.at.to_rfc3339(),
                            before.status,
                            before.at.to_rfc3339()
                        ),
                    },
                });
            }
            check_plain(change.status.as_str(), &[';', '@'], || {
                at_field(at, &format!("statuses[{i}].status"))
            })?;
            prev = change.at;
        }
        let mut prev = opened;
        for (i, m) in rec.messages.iter().enumerate() {
            let field = format!("messages[{i}].at");
            check_instant(&m.at, at, &field)?;
            if m.at < prev {
                return Err(Error::OutOfOrder {
                    at: at_field(at, &field),
                    message: match i.checked_sub(1).and_then(|p| rec.messages.get(p)) {
                        None => format!(
                            "{} message at {} is before opened_at {}",
                            m.kind.as_str(),
                            m.at.to_rfc3339(),
                            opened.to_rfc3339()
                        ),
                        Some(before) => format!(
                            "{} message at {} is before the message listed ahead of it ({} at {}); \
                             list messages in time order",
                            m.kind.as_str(),
                            m.at.to_rfc3339(),
                            before.kind.as_str(),
                            before.at.to_rfc3339()
                        ),
                    },
                });
            }
            prev = m.at;
        }
        rec.tags.retain(|t| !t.trim().is_empty());
        for (i, tag) in rec.tags.iter().enumerate() {
            check_plain(tag, &[';'], || at_field(at, &format!("tags[{i}]")))?;
        }
        if self.read_again {
            return Ok(());
        }
        self.register_id(IdKind::Interaction, rec.id.as_str(), at)
    }

    /// Interactions from now on are files read a second time: their ids
    /// are not registered again (the first reading did, and refused or
    /// skipped their duplicates).
    #[cfg(feature = "analyses")]
    pub(crate) fn read_again(&mut self) {
        self.read_again = true;
    }

    /// Normalises and checks a feedback record, and registers its id. Whether
    /// its `interaction` exists is checked by [`Checker::link_feedback`] once
    /// all interactions are known.
    pub fn feedback(&mut self, rec: &mut Feedback, at: &Location) -> Result<()> {
        self.feedback_fields(rec, at)?;
        self.register_id(IdKind::Feedback, rec.id.as_str(), at)
    }

    /// [`Checker::feedback`] but for the id's registration: the record's
    /// own fields (blanks made none).
    pub(crate) fn feedback_fields(&self, rec: &mut Feedback, at: &Location) -> Result<()> {
        check_id(rec.id.as_str(), at)?;
        check_instant(&rec.at, at, "at")?;
        blank_to_none(&mut rec.reason);
        blank_to_none(&mut rec.comment);
        blank_id_to_none(&mut rec.interaction);
        blank_id_to_none(&mut rec.stage);
        blank_id_to_none(&mut rec.touchpoint);
        blank_id_to_none(&mut rec.customer);
        match &mut rec.stage {
            Some(stage) => self.check_named_stage(stage, rec.touchpoint.as_ref(), at)?,
            None if rec.touchpoint.is_some() && rec.interaction.is_none() => {
                return Err(Error::MissingField {
                    at: at_field(at, "stage"),
                });
            }
            None => {}
        }
        if rec.scale.is_some() && rec.kind != FeedbackKind::Rating {
            return Err(Error::invalid(
                at_field(at, "scale"),
                rec.scale.map(|s| s.to_string()).unwrap_or_default(),
                format!("no scale for kind {} (its scale is fixed)", rec.kind),
            ));
        }
        if let Some(scale) = rec.scale {
            if !(2..=1000).contains(&scale) {
                return Err(Error::invalid(
                    at_field(at, "scale"),
                    scale.to_string(),
                    "a scale from 2 to 1000",
                ));
            }
        }
        match (rec.score_range(), rec.score) {
            (Some(_), Some(score)) if rec.dismissed => {
                return Err(Error::invalid(
                    at_field(at, "score"),
                    score.to_string(),
                    "no score on a dismissed survey (it was shown, not answered)",
                ));
            }
            (Some(_), None) if !rec.dismissed => {
                return Err(Error::MissingField {
                    at: at_field(at, "score"),
                });
            }
            (Some((lo, hi, whole)), Some(score)) => {
                let ok = score.is_finite()
                    && score >= lo
                    && score <= hi
                    && (!whole || score.fract() == 0.0);
                if !ok {
                    let expected = if whole {
                        format!("a whole number from {lo} to {hi} for {}", rec.kind)
                    } else {
                        format!("a number from {lo} to {hi} for {}", rec.kind)
                    };
                    return Err(Error::invalid(
                        at_field(at, "score"),
                        score.to_string(),
                        expected,
                    ));
                }
            }
            (None, Some(score)) => {
                return Err(Error::invalid(
                    at_field(at, "score"),
                    score.to_string(),
                    format!("no score for kind {}", rec.kind),
                ));
            }
            _ => {}
        }
        if !rec.dismissed {
            if rec.kind == FeedbackKind::Reason && rec.reason.is_none() {
                return Err(Error::MissingField {
                    at: at_field(at, "reason"),
                });
            }
            if rec.kind == FeedbackKind::Comment && rec.comment.is_none() {
                return Err(Error::MissingField {
                    at: at_field(at, "comment"),
                });
            }
        }
        Ok(())
    }

    /// Checks a feedback record's link: the interaction it names was read
    /// (`interaction_stage` is that interaction's stage, `None` when no such
    /// interaction was read), and the feedback's own stage, when it gives
    /// one, is the interaction's. Scoring takes the attributes the feedback
    /// leaves out from the interaction.
    pub fn link_feedback(
        &self,
        rec: &mut Feedback,
        interaction_stage: Option<&StageId>,
        at: &Location,
    ) -> Result<()> {
        link_record(rec, interaction_stage, at)
    }

    /// Checks an observation and registers its id.
    pub fn observation(
        &mut self,
        rec: &Observation,
        metric: Option<&Metric>,
        at: &Location,
    ) -> Result<()> {
        check_id(&rec.id, at)?;
        check_instant(&rec.at, at, "at")?;
        let Some(metric) = metric else {
            return Err(Error::UnknownReference {
                at: at_field(at, "expectation"),
                kind: "expectation",
                id: rec.expectation.as_str().to_owned(),
            });
        };
        let fits = matches!(
            (metric, &rec.value),
            (Metric::Flag(_), ObservedValue::Flag(_))
                | (Metric::Rating(_), ObservedValue::Number(_))
                | (
                    Metric::FirstResponse(_)
                        | Metric::NextResponse(_)
                        | Metric::Update(_)
                        | Metric::Resolution(_)
                        | Metric::FollowUp(_),
                    ObservedValue::Duration(_)
                )
        );
        if !fits {
            let expected = match metric {
                Metric::Flag(_) => "true or false (the expectation is a flag)".to_owned(),
                Metric::Rating(z) => {
                    format!("a number on 1..{} (the expectation is a rating)", z.scale)
                }
                _ => format!(
                    "an ISO 8601 duration (the expectation is {})",
                    metric.kind()
                ),
            };
            let value = serde_json::to_string(&rec.value).unwrap_or_default();
            return Err(Error::invalid(at_field(at, "value"), value, expected));
        }
        match (&rec.value, metric) {
            (ObservedValue::Number(x), Metric::Rating(z))
                if !(x.is_finite() && *x >= 1.0 && *x <= f64::from(z.scale)) =>
            {
                return Err(Error::invalid(
                    at_field(at, "value"),
                    x.to_string(),
                    format!("a number from 1 to {}", z.scale),
                ));
            }
            (ObservedValue::Duration(d), _) if d.as_millis() < 0 => {
                return Err(Error::invalid(
                    at_field(at, "value"),
                    d.to_string(),
                    "a duration of zero or more",
                ));
            }
            _ => {}
        }
        self.register_id(IdKind::Observation, &rec.id, at)
    }

    fn register_id(&mut self, kind: IdKind, id: &str, at: &Location) -> Result<()> {
        let file = self.file_index(at);
        let map = match kind {
            IdKind::Interaction => &mut self.interactions,
            IdKind::Feedback => &mut self.feedback,
            IdKind::Observation => &mut self.observations,
            IdKind::FollowUp => &mut self.follow_ups,
        };
        match map.insert(id, file, at.line.unwrap_or(0)) {
            Ok(_) => Ok(()),
            Err(first) => {
                let first = map.seen(first);
                Err(Error::Duplicate {
                    at: at_field(at, "id"),
                    kind: kind.name(),
                    id: id.to_owned(),
                    first: self.seen_location(first),
                })
            }
        }
    }
}

/// Where a [`Checker`] was (see [`Checker::mark`]).
#[derive(Debug)]
pub(crate) struct CheckMark {
    ids: [usize; 4],
    expectations: HashMap<ExpectationId, ExpectationShape>,
}

#[derive(Clone, Copy)]
enum IdKind {
    Interaction,
    Feedback,
    Observation,
    FollowUp,
}

impl IdKind {
    fn name(self) -> &'static str {
        match self {
            IdKind::Interaction => "interaction",
            IdKind::Feedback => "feedback",
            IdKind::Observation => "observation",
            IdKind::FollowUp => "follow-up",
        }
    }
}

/// `at` makes the location when there is an error to name it.
fn check_plain(text: &str, forbidden: &[char], at: impl FnOnce() -> Location) -> Result<()> {
    if let Some(c) = text.chars().find(|c| forbidden.contains(c)) {
        return Err(Error::invalid(
            at(),
            text,
            format!("text without {c:?} (CSV uses it as a separator here)"),
        ));
    }
    Ok(())
}

/// [`Checker::link_feedback`], for a reader that holds no checker (a
/// stream's second reading of its feedback).
pub(crate) fn link_record(
    rec: &Feedback,
    interaction_stage: Option<&StageId>,
    at: &Location,
) -> Result<()> {
    link_parts(
        rec.interaction.as_ref().map(InteractionId::as_str),
        rec.stage.as_ref().map(StageId::as_str),
        interaction_stage,
        at,
    )
}

/// [`Checker::link_feedback`] of a feedback record naming `interaction` and
/// `stage`, however it is held.
pub(crate) fn link_parts(
    interaction: Option<&str>,
    stage: Option<&str>,
    interaction_stage: Option<&StageId>,
    at: &Location,
) -> Result<()> {
    let Some(id) = interaction else {
        if stage.is_none() {
            return Err(Error::MissingField {
                at: at_field(at, "stage"),
            });
        }
        return Ok(());
    };
    let Some(found) = interaction_stage else {
        return Err(Error::UnknownReference {
            at: at_field(at, "interaction"),
            kind: "interaction",
            id: id.to_owned(),
        });
    };
    if let Some(stage) = stage {
        if stage != found.as_str() {
            return Err(Error::invalid(
                at_field(at, "stage"),
                stage,
                format!("the stage of interaction {id} ({found})"),
            ));
        }
    }
    Ok(())
}

/// Checks that a follow-up record names a known feedback (given by its id
/// and instant) and does not come before it.
pub(crate) fn follow_up_link(
    rec: &FollowUpRecord,
    feedback: Option<(&str, Timestamp)>,
    at: &Location,
) -> Result<()> {
    let Some((id, f_at)) = feedback else {
        return Err(Error::UnknownReference {
            at: at_field(at, "feedback"),
            kind: "feedback",
            id: rec.feedback.as_str().to_owned(),
        });
    };
    if rec.at < f_at {
        return Err(Error::invalid(
            at_field(at, "at"),
            rec.at.to_rfc3339(),
            format!(
                "an instant at or after the feedback {id} it follows up ({})",
                f_at.to_rfc3339()
            ),
        ));
    }
    Ok(())
}

/// Checks the follow-up rules: each threshold on its kind's scale.
fn check_rules(rules: &FollowUpRules) -> Result<()> {
    let at = Location::default().with_path("follow_up");
    for (field, value, lo, hi) in [
        ("nps_at_most", rules.nps_at_most, 0.0, 10.0),
        ("csat_at_most", rules.csat_at_most, 1.0, 5.0),
        ("ces_at_most", rules.ces_at_most, 1.0, 7.0),
        ("rating_at_most", rules.rating_at_most, 1.0, 5.0),
    ] {
        if let Some(v) = value {
            if !(v.is_finite() && (lo..=hi).contains(&v)) {
                return Err(Error::invalid(
                    at.clone().with_field(field),
                    v.to_string(),
                    format!("a score from {lo} to {hi}"),
                ));
            }
        }
    }
    for (i, r) in rules.reasons.iter().enumerate() {
        if r.trim().is_empty() {
            return Err(Error::invalid(
                at.clone().with_field(format!("reasons[{i}]")),
                r,
                "a reason code that is not blank",
            ));
        }
    }
    Ok(())
}

fn check_metric(metric: &Metric, at: &Location) -> Result<()> {
    match metric {
        Metric::FirstResponse(z)
        | Metric::NextResponse(z)
        | Metric::Update(z)
        | Metric::Resolution(z)
        | Metric::FollowUp(z) => {
            for (name, v) in [
                ("desired", Some(z.desired)),
                ("adequate", Some(z.adequate)),
                ("promised", z.promised),
            ] {
                let Some(v) = v else { continue };
                if v.kind() != z.desired.kind() {
                    return Err(Error::invalid(
                        at_field(at, &format!("metric.{name}")),
                        v.to_string(),
                        format!("a level of the same kind as desired ({})", z.desired),
                    ));
                }
                if v.value() < 0 {
                    return Err(Error::invalid(
                        at_field(at, &format!("metric.{name}")),
                        v.to_string(),
                        "a duration of zero or more",
                    ));
                }
            }
            if z.desired.value() > z.adequate.value() {
                return Err(Error::InvertedZone {
                    at: at_field(at, "metric"),
                    desired: z.desired.to_string(),
                    adequate: z.adequate.to_string(),
                    direction: "lower",
                });
            }
        }
        Metric::Rating(z) => {
            if !(2..=1000).contains(&z.scale) {
                return Err(Error::invalid(
                    at_field(at, "metric.scale"),
                    z.scale.to_string(),
                    "a scale from 2 to 1000",
                ));
            }
            let top = f64::from(z.scale);
            for (name, v) in [
                ("desired", Some(z.desired)),
                ("adequate", Some(z.adequate)),
                ("promised", z.promised),
            ] {
                if let Some(v) = v {
                    if !(v.is_finite() && (1.0..=top).contains(&v)) {
                        return Err(Error::invalid(
                            at_field(at, &format!("metric.{name}")),
                            v.to_string(),
                            format!("a level from 1 to {}", z.scale),
                        ));
                    }
                }
            }
            if z.desired < z.adequate {
                return Err(Error::InvertedZone {
                    at: at_field(at, "metric"),
                    desired: z.desired.to_string(),
                    adequate: z.adequate.to_string(),
                    direction: "higher",
                });
            }
            if let Some(kind) = z.from.iter().find(|k| !k.has_score()) {
                return Err(Error::invalid(
                    at_field(at, "metric.from"),
                    kind.as_str(),
                    "feedback kinds that carry a score (nps, csat, ces, rating)",
                ));
            }
        }
        Metric::Flag(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod blank_tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn blank_is_what_trim_leaves_empty(s in "[ \t\r\n\u{a0}\u{2003}a-z-]{0,6}") {
            prop_assert_eq!(super::blank(&s), s.trim().is_empty());
        }
    }
}

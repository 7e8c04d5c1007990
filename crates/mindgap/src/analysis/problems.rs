//! Recurring problems and reason gaps over a stream, in two readings.
//!
//! The first reading counts the reason gaps as the in-memory analysis does
//! (observations per stage and per interaction feedback with a reason links
//! to, then the feedback) and keeps every event compactly: an interaction's
//! category as its group (scope, key, label packed in 64 bits) and instant,
//! 16 bytes, without its id; feedback's reasons with their ids (the feedback
//! is held anyway). Episodes depend on the instants alone
//! ([`super::drill::episodes`]), so at the end of the first reading every
//! episode is known but for which interactions it holds where several share
//! an instant; the second reading takes the interactions of each episode's
//! span, and they are ordered by instant and id as in memory. The result
//! equals that of the files loaded whole (tested on the sample).

use rustc_hash::FxHashMap as HashMap;

use super::Header;
use super::drill::{
    PROBLEMS_SCHEMA, ProblemKind, ProblemOptions, ProblemScope, Problems, ReasonTally, Recurring,
    episodes, recurring_of, sort_recurring,
};
use crate::engine::observe::Scope;
use crate::engine::{Fb, NONE, Prepared};
use crate::error::{Error, Result};
use crate::model::*;

/// Events a block holds (16 MB).
const BLOCK: usize = 1 << 20;

/// Labels a group packs (29 bits).
const LABELS: u32 = 1 << 29;

/// A group of events: scope, kind, label and key in one word.
fn group(scope: ProblemScope, kind: ProblemKind, label: u32, key: u32) -> u64 {
    let scope = match scope {
        ProblemScope::Customer => 0u64,
        ProblemScope::Stage => 1,
        ProblemScope::Employee => 2,
    };
    let kind = u64::from(kind == ProblemKind::Reason);
    scope << 62 | kind << 61 | u64::from(label) << 32 | u64::from(key)
}

fn ungroup(g: u64) -> (ProblemScope, ProblemKind, u32, u32) {
    let scope = match g >> 62 {
        0 => ProblemScope::Customer,
        1 => ProblemScope::Stage,
        _ => ProblemScope::Employee,
    };
    let kind = if g >> 61 & 1 == 1 {
        ProblemKind::Reason
    } else {
        ProblemKind::Category
    };
    (scope, kind, (g >> 32) as u32 & (LABELS - 1), g as u32)
}

/// The keys of a record with attributes `a` in each scope of `by` (none
/// where it has none).
fn keys(
    by: &[ProblemScope],
    a: crate::engine::Attrs,
) -> impl Iterator<Item = (ProblemScope, u32)> + '_ {
    by.iter()
        .map(move |&s| {
            let key = match s {
                ProblemScope::Customer => a.customer,
                ProblemScope::Stage => a.stage,
                ProblemScope::Employee => a.employee,
            };
            (s, key)
        })
        .filter(|k| k.1 != NONE)
}

/// What the problems of a stream have gathered so far.
#[derive(Debug)]
pub(crate) struct ProblemTally {
    options: ProblemOptions,
    labels: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// Interactions' categories: (group, instant), in blocks of [`BLOCK`]
    /// (a growing vector would copy itself, twice the room for a while).
    events: Vec<Vec<(u64, i64)>>,
    /// Feedback's reasons: (group, instant, id).
    feedback: Vec<(u64, i64, Box<str>)>,
    reasons: ReasonTally,
}

impl ProblemTally {
    /// An empty tally; the options are checked against the definitions.
    pub(crate) fn new(defs: &Prepared<'_>, options: &ProblemOptions) -> Result<ProblemTally> {
        defs.problems(options)?;
        Ok(ProblemTally {
            options: options.clone(),
            labels: HashMap::default(),
            names: Vec::new(),
            events: Vec::new(),
            feedback: Vec::new(),
            reasons: ReasonTally::default(),
        })
    }

    /// The filters.
    pub(crate) fn filters(&self) -> &super::drill::Filters {
        &self.options.filters
    }

    /// The feedback the stream holds: the interactions feedback with a
    /// reason links to are observed one by one (whatever the filters: those
    /// the filters leave out are not read at the end).
    pub(crate) fn see_feedback<'f>(&mut self, feedback: impl Iterator<Item = Fb<'f>>) {
        for f in feedback {
            if let (false, Some(_), Some(i)) = (f.dismissed(), f.reason(), f.interaction()) {
                self.reasons.want(i);
            }
        }
    }

    /// The same for the interactions feedback read twice (not held) names.
    pub(crate) fn see_reason_links<'i>(&mut self, ids: impl Iterator<Item = &'i str>) {
        for id in ids {
            self.reasons.want(id);
        }
    }

    fn label(&mut self, text: &str) -> Result<u32> {
        if let Some(&l) = self.labels.get(text) {
            return Ok(l);
        }
        let l = u32::try_from(self.names.len())
            .ok()
            .filter(|&l| l < LABELS)
            .ok_or_else(|| Error::InvalidOption {
                option: "by".into(),
                message: format!("more than {LABELS} distinct categories and reasons"),
            })?;
        self.labels.insert(text.into(), l);
        self.names.push(text.into());
        Ok(l)
    }

    /// Adds a part of the stream at its instant.
    pub(crate) fn part(&mut self, p: &Prepared<'_>, scope: &Scope) -> Result<()> {
        let by = std::mem::take(&mut self.options.by);
        let mut done = Ok(());
        for row in p.rows.iter().flatten() {
            if let (true, Some(c)) = (scope.admits(&row.attrs, row.opened), &row.i.category) {
                let l = match self.label(c) {
                    Ok(l) => l,
                    Err(e) => {
                        done = Err(e);
                        break;
                    }
                };
                for (s, key) in keys(&by, row.attrs) {
                    let event = (group(s, ProblemKind::Category, l, key), row.opened);
                    match self.events.last_mut().filter(|b| b.len() < BLOCK) {
                        Some(block) => block.push(event),
                        None => {
                            let mut block = Vec::with_capacity(BLOCK);
                            block.push(event);
                            self.events.push(block);
                        }
                    }
                }
            }
        }
        for f in &p.feedback {
            if done.is_err() {
                break;
            }
            if let (true, false, Some(r)) =
                (scope.admits(&f.attrs, f.at), f.f.dismissed(), f.f.reason())
            {
                let l = match self.label(r) {
                    Ok(l) => l,
                    Err(e) => {
                        done = Err(e);
                        break;
                    }
                };
                for (s, key) in keys(&by, f.attrs) {
                    let g = group(s, ProblemKind::Reason, l, key);
                    self.feedback.push((g, f.at, f.f.id().into()));
                }
            }
        }
        self.options.by = by;
        done?;
        p.reason_part(scope, &mut self.reasons)
    }

    /// The problems once every record has been read (`p` the last part, at
    /// the instant `as_of`): the reason gaps and the feedback's episodes are
    /// final; the interactions' episodes wait for the second reading.
    pub(crate) fn finish(mut self: Box<Self>, p: &Prepared<'_>, as_of: Timestamp) -> ProblemsHalf {
        let ProblemOptions {
            min_count: k,
            within,
            confidence,
            ..
        } = self.options;
        let w = within.as_millis();
        let as_of_ms = as_of.timestamp_millis();
        let zone = p.diary().timezone;
        let mut recurring = Vec::new();
        // The feedback's: exact now.
        let mut fb = std::mem::take(&mut self.feedback);
        fb.retain(|e| e.1 <= as_of_ms);
        crate::util::sort::sort_by(&mut fb, |a, b| {
            (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.2.cmp(&b.2))
        });
        for run in fb.chunk_by(|a, b| a.0 == b.0) {
            let Some(g) = run.first().map(|e| e.0) else {
                continue;
            };
            let (scope, kind, label, key) = ungroup(g);
            let times: Vec<i64> = run.iter().map(|e| e.1).collect();
            for (lo, hi) in episodes(&times, k, w) {
                let Some(part) = run.get(lo..=hi) else {
                    continue;
                };
                let part: Vec<(i64, RecordKind, &str)> = part
                    .iter()
                    .map(|e| (e.1, RecordKind::Feedback, &*e.2))
                    .collect();
                let name = self.names.get(label as usize).map_or("", |n| &**n);
                recurring.extend(recurring_of(
                    zone,
                    scope,
                    p.problem_key(scope, key),
                    kind,
                    name,
                    &part,
                ));
            }
        }
        drop(fb);
        // The interactions': known but for who is in them.
        let blocks = std::mem::take(&mut self.events);
        let mut events = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
        for block in blocks {
            events.extend(block.into_iter().filter(|e| e.1 <= as_of_ms));
        }
        events.sort_unstable();
        let mut wanted: HashMap<(ProblemScope, Box<str>, Box<str>), Vec<Episode>> =
            HashMap::default();
        for run in events.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(g, _)) = run.first() else { continue };
            let times: Vec<i64> = run.iter().map(|e| e.1).collect();
            let found = episodes(&times, k, w);
            if found.is_empty() {
                continue;
            }
            let (scope, _, label, key) = ungroup(g);
            let name = self.names.get(label as usize).cloned().unwrap_or_default();
            let list = wanted
                .entry((scope, p.problem_key(scope, key).into(), name))
                .or_default();
            for (lo, hi) in found {
                let (Some(&from), Some(&to)) = (times.get(lo), times.get(hi)) else {
                    continue;
                };
                // The first event at the episode's first instant.
                let first = times.partition_point(|&t| t < from);
                list.push(Episode {
                    from,
                    to,
                    skip: lo - first,
                    count: hi - lo + 1,
                    taken: Vec::new(),
                });
            }
        }
        drop(events);
        let reasons = p.reasons_of(std::mem::take(&mut self.reasons), confidence);
        let f = &self.options.filters;
        ProblemsHalf {
            header: Header {
                schema: PROBLEMS_SCHEMA.to_owned(),
                diary: Some(p.diary().name.clone()),
                timezone: None,
                as_of,
            },
            zone,
            admit: Admit {
                stages: f.stages.clone(),
                channels: f.channels.clone(),
                since: f.since.map_or(i64::MIN, |t| t.timestamp_millis()),
                until: f.until.map_or(i64::MAX, |t| t.timestamp_millis()),
                as_of: as_of_ms,
            },
            options: self.options,
            recurring,
            reasons,
            wanted,
        }
    }
}

/// An episode of an interaction group: its instants, and its place among
/// the events at them (those at `from` before it are skipped).
#[derive(Debug)]
struct Episode {
    from: i64,
    to: i64,
    skip: usize,
    count: usize,
    /// The interactions of the group in `from..=to`, at the second reading.
    taken: Vec<(i64, Box<str>)>,
}

/// The filters as the second reading applies them, by name.
#[derive(Debug)]
struct Admit {
    stages: Vec<StageId>,
    channels: Vec<Channel>,
    since: i64,
    until: i64,
    as_of: i64,
}

/// Problems between the two readings of the interactions.
#[derive(Debug)]
pub(crate) struct ProblemsHalf {
    header: Header,
    zone: crate::time::TimeZone,
    admit: Admit,
    options: ProblemOptions,
    recurring: Vec<Recurring>,
    reasons: Vec<super::drill::ReasonGap>,
    wanted: HashMap<(ProblemScope, Box<str>, Box<str>), Vec<Episode>>,
}

impl ProblemsHalf {
    /// Takes an interaction of the second reading if an episode holds it.
    pub(crate) fn take(&mut self, i: &Interaction) {
        let Some(category) = &i.category else { return };
        if self.wanted.is_empty() {
            return;
        }
        let t = i.opened_at.timestamp_millis();
        let a = &self.admit;
        let admitted = (a.stages.is_empty() || a.stages.contains(&i.stage))
            && (a.channels.is_empty() || a.channels.contains(&i.channel))
            && t >= a.since
            && t < a.until
            && t <= a.as_of;
        if !admitted {
            return;
        }
        for &s in &self.options.by {
            let key = match s {
                ProblemScope::Customer => i.customer.as_ref().map(CustomerId::as_str),
                ProblemScope::Stage => Some(i.stage.as_str()),
                ProblemScope::Employee => i.employee.as_ref().map(EmployeeId::as_str),
            };
            let Some(key) = key else { continue };
            let Some(list) = self
                .wanted
                .get_mut(&(s, key.into(), category.as_str().into()))
            else {
                continue;
            };
            for e in list.iter_mut().filter(|e| (e.from..=e.to).contains(&t)) {
                e.taken.push((t, i.id.as_str().into()));
            }
        }
    }

    /// The problems, every interaction having been offered to
    /// [`ProblemsHalf::take`].
    pub(crate) fn finish(self) -> Problems {
        let ProblemsHalf {
            header,
            zone,
            options,
            mut recurring,
            reasons,
            wanted,
            ..
        } = self;
        for ((scope, key, label), list) in wanted {
            for mut e in list {
                crate::util::sort::sort_by(&mut e.taken, |a, b| a.cmp(b));
                let Some(part) = e.taken.get(e.skip..e.skip + e.count) else {
                    continue;
                };
                let part: Vec<(i64, RecordKind, &str)> = part
                    .iter()
                    .map(|(t, id)| (*t, RecordKind::Interaction, &**id))
                    .collect();
                recurring.extend(recurring_of(
                    zone,
                    scope,
                    key.to_string(),
                    ProblemKind::Category,
                    &label,
                    &part,
                ));
            }
        }
        sort_recurring(&mut recurring);
        Problems {
            header,
            options,
            recurring,
            reasons,
        }
    }
}

//! Recurring problems and reason gaps over a stream, in three readings.
//!
//! The first reading is the stream: it counts the reason gaps as the
//! in-memory analysis does (observations per stage and per interaction
//! feedback with a reason links to, then the feedback) and the feedback's
//! reasons (with their ids: the feedback is read whole at the end), and
//! learns the instant of the analysis. The second reading (without the
//! stream's id registry and links, so in far less memory) keeps each
//! interaction's category compactly: its group (scope, key, label packed in
//! 64 bits) and instant, 16 bytes, without its id. Episodes depend on the
//! instants alone ([`super::drill::episodes`]), so they are all known then
//! but for which interactions they hold where several share an instant;
//! the third reading takes the interactions of each episode's span, ordered
//! by instant and id as in memory. The result equals that of the files
//! loaded whole (tested on the sample).

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
use crate::util::ids::Ids;

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

/// What the problems of a stream have gathered so far (its first reading).
#[derive(Debug)]
pub(crate) struct ProblemTally {
    options: ProblemOptions,
    labels: Ids,
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
            labels: Ids::default(),
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

    /// Adds a part of the stream at its instant: its feedback's reasons and
    /// what the reason gaps count.
    pub(crate) fn part(&mut self, p: &Prepared<'_>, scope: &Scope) -> Result<()> {
        for f in &p.feedback {
            if let (true, false, Some(r)) =
                (scope.admits(&f.attrs, f.at), f.f.dismissed(), f.f.reason())
            {
                let l = label(&mut self.labels, r)?;
                for (s, key) in keys(&self.options.by, f.attrs) {
                    let g = group(s, ProblemKind::Reason, l, key);
                    self.feedback.push((g, f.at, f.f.id().into()));
                }
            }
        }
        p.reason_part(scope, &mut self.reasons)
    }

    /// The problems once the stream has read every record (`p` the last
    /// part, at the instant `as_of`): the reason gaps and the feedback's
    /// episodes are final; the interactions' wait for the other readings.
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
                let name = self.labels.name(label);
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
            labels: Ids::default(),
            keys: Default::default(),
            events: Vec::new(),
            wanted: HashMap::default(),
        }
    }
}

/// The slot of a label, interned.
fn label(labels: &mut Ids, text: &str) -> Result<u32> {
    let l = labels.insert(text).unwrap_or_else(|l| l);
    if l >= LABELS {
        return Err(Error::InvalidOption {
            option: "by".into(),
            message: format!("more than {LABELS} distinct categories and reasons"),
        });
    }
    Ok(l)
}

/// An episode of an interaction group: its instants, and its place among
/// the events at them (those at `from` before it are skipped).
#[derive(Debug)]
struct Episode {
    from: i64,
    to: i64,
    skip: usize,
    count: usize,
    /// The interactions of the group in `from..=to`, at the third reading.
    taken: Vec<(i64, Box<str>)>,
}

/// The filters as the later readings apply them, by name.
#[derive(Debug)]
struct Admit {
    stages: Vec<StageId>,
    channels: Vec<Channel>,
    since: i64,
    until: i64,
    as_of: i64,
}

impl Admit {
    fn admits(&self, i: &Interaction) -> bool {
        let t = i.opened_at.timestamp_millis();
        (self.stages.is_empty() || self.stages.contains(&i.stage))
            && (self.channels.is_empty() || self.channels.contains(&i.channel))
            && t >= self.since
            && t < self.until
            && t <= self.as_of
    }
}

/// Problems after the stream: the interactions' categories are gathered
/// at the second reading ([`ProblemsHalf::gather`]), their episodes found
/// ([`ProblemsHalf::find`]), their records taken at the third
/// ([`ProblemsHalf::take`]).
#[derive(Debug)]
pub(crate) struct ProblemsHalf {
    header: Header,
    zone: crate::time::TimeZone,
    admit: Admit,
    options: ProblemOptions,
    recurring: Vec<Recurring>,
    reasons: Vec<super::drill::ReasonGap>,
    /// Categories, and the keys of each scope (customer, stage, employee).
    labels: Ids,
    keys: [Ids; 3],
    /// (group, instant) of every category, in blocks of [`BLOCK`] (a
    /// growing vector would copy itself, twice the room for a while).
    events: Vec<Vec<(u64, i64)>>,
    wanted: HashMap<u64, Vec<Episode>>,
}

/// The slot of a scope in [`ProblemsHalf::keys`], and an interaction's key
/// name in it.
fn key_of(s: ProblemScope, i: &Interaction) -> (usize, Option<&str>) {
    match s {
        ProblemScope::Customer => (0, i.customer.as_ref().map(CustomerId::as_str)),
        ProblemScope::Stage => (1, Some(i.stage.as_str())),
        ProblemScope::Employee => (2, i.employee.as_ref().map(EmployeeId::as_str)),
    }
}

impl ProblemsHalf {
    /// The second reading: keeps `i`'s category, if it is in scope.
    pub(crate) fn gather(&mut self, i: &Interaction) -> Result<()> {
        let Some(category) = &i.category else {
            return Ok(());
        };
        if !self.admit.admits(i) {
            return Ok(());
        }
        let l = label(&mut self.labels, category)?;
        let t = i.opened_at.timestamp_millis();
        for &s in &self.options.by {
            let (slot, Some(name)) = key_of(s, i) else {
                continue;
            };
            let Some(keys) = self.keys.get_mut(slot) else {
                continue;
            };
            let key = keys.insert(name).unwrap_or_else(|k| k);
            let event = (group(s, ProblemKind::Category, l, key), t);
            match self.events.last_mut().filter(|b| b.len() < BLOCK) {
                Some(block) => block.push(event),
                None => {
                    let mut block = Vec::with_capacity(BLOCK);
                    block.push(event);
                    self.events.push(block);
                }
            }
        }
        Ok(())
    }

    /// Finds the episodes of the categories gathered.
    pub(crate) fn find(&mut self) {
        let ProblemOptions {
            min_count: k,
            within,
            ..
        } = self.options;
        let w = within.as_millis();
        let blocks = std::mem::take(&mut self.events);
        let mut events = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
        for block in blocks {
            events.extend(block);
        }
        events.sort_unstable();
        for run in events.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(g, _)) = run.first() else { continue };
            let times: Vec<i64> = run.iter().map(|e| e.1).collect();
            for (lo, hi) in episodes(&times, k, w) {
                let (Some(&from), Some(&to)) = (times.get(lo), times.get(hi)) else {
                    continue;
                };
                // The first event at the episode's first instant.
                let first = times.partition_point(|&t| t < from);
                self.wanted.entry(g).or_default().push(Episode {
                    from,
                    to,
                    skip: lo - first,
                    count: hi - lo + 1,
                    taken: Vec::new(),
                });
            }
        }
    }

    /// The third reading: takes `i` if an episode holds it.
    pub(crate) fn take(&mut self, i: &Interaction) {
        if self.wanted.is_empty() {
            return;
        }
        let Some(l) = i.category.as_deref().and_then(|c| self.labels.get(c)) else {
            return;
        };
        if !self.admit.admits(i) {
            return;
        }
        let t = i.opened_at.timestamp_millis();
        for &s in &self.options.by {
            let (slot, Some(name)) = key_of(s, i) else {
                continue;
            };
            let Some(key) = self.keys.get(slot).and_then(|k| k.get(name)) else {
                continue;
            };
            let g = group(s, ProblemKind::Category, l, key);
            let Some(list) = self.wanted.get_mut(&g) else {
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
            labels,
            keys,
            wanted,
            ..
        } = self;
        for (g, list) in wanted {
            let (scope, kind, label, key) = ungroup(g);
            let slot = match scope {
                ProblemScope::Customer => 0,
                ProblemScope::Stage => 1,
                ProblemScope::Employee => 2,
            };
            let key = keys.get(slot).map_or("", |k| k.name(key)).to_owned();
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
                    key.clone(),
                    kind,
                    labels.name(label),
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

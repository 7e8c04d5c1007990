//! What the data holds that the diary does not measure, said as notes: the
//! interactions no duration expectation reaches (by stage and channel: a
//! `Via` value no expectation names), the duration expectations no
//! interaction reaches, and status values mindgap does not know. Every
//! reader sees every accepted interaction here, so the notes are the same
//! however the records arrive.

use std::collections::BTreeMap;

use crate::model::*;
use crate::words::{Msg, Sentence};

/// How many groups a note lists before "and N more".
const LISTED: usize = 5;

/// Where a duration expectation applies.
#[derive(Debug, Clone)]
struct Shape {
    touchpoint: Option<TouchpointId>,
    channel: Option<Channel>,
    segment: Option<String>,
    /// Its place in [`Coverage::expectations`].
    expectation: usize,
}

/// See the [module documentation](self).
#[derive(Debug, Clone, Default)]
pub(crate) struct Coverage {
    /// Per stage, the duration expectations' shapes.
    stages: Vec<(StageId, Vec<Shape>)>,
    /// Duration expectations by id (with their metric), and whether an
    /// interaction reached each.
    expectations: Vec<(ExpectationId, Msg, bool)>,
    /// Interactions no duration expectation measures, by stage and channel
    /// (a few groups: searched in order, nothing allocated for a row).
    unmeasured: Vec<(StageId, Channel, u64)>,
    /// Status values mindgap does not know, with their rows.
    statuses: BTreeMap<String, u64>,
    /// Interactions seen.
    seen: u64,
    /// The stage of the last interaction seen, by its place in `stages`.
    last: Option<usize>,
    /// Expectations no interaction has reached yet.
    unreached: usize,
}

impl Coverage {
    /// The coverage of `diary`'s duration expectations.
    pub(crate) fn new(diary: &Diary) -> Coverage {
        let mut c = Coverage::default();
        for e in &diary.expectations {
            c.expect(e);
        }
        c
    }

    /// Adds an expectation (a duration one counts; others are left).
    pub(crate) fn expect(&mut self, e: &Expectation) {
        let metric = match e.metric {
            Metric::FirstResponse(_) => Msg::MetricFirstResponse,
            Metric::NextResponse(_) => Msg::MetricNextResponse,
            Metric::Resolution(_) => Msg::MetricResolution,
            _ => return,
        };
        let expectation = match self.expectations.iter().position(|(id, ..)| *id == e.id) {
            Some(k) => k,
            None => {
                self.expectations.push((e.id.clone(), metric, false));
                self.unreached += 1;
                self.expectations.len() - 1
            }
        };
        let shape = Shape {
            touchpoint: e.touchpoint.clone(),
            channel: e.channel.clone(),
            segment: e.segment.clone(),
            expectation,
        };
        match self.stages.iter_mut().find(|(s, _)| *s == e.stage) {
            Some((_, shapes)) => shapes.push(shape),
            None => self.stages.push((e.stage.clone(), vec![shape])),
        }
    }

    /// Counts an accepted interaction.
    pub(crate) fn see(&mut self, i: &Interaction) {
        self.seen += 1;
        for s in i.status.iter().chain(i.statuses.iter().map(|c| &c.status)) {
            if let Status::Other(text) = s {
                *self.statuses.entry(text.clone()).or_default() += 1;
            }
        }
        if self.expectations.is_empty() {
            return;
        }
        let stage = match self.last.filter(|&k| self.stages[k].0 == i.stage) {
            Some(k) => Some(k),
            None => self.stages.iter().position(|(s, _)| *s == i.stage),
        };
        self.last = stage;
        let fits = |shape: &Shape| {
            shape
                .touchpoint
                .as_ref()
                .is_none_or(|t| i.touchpoint.as_ref() == Some(t))
                && shape.channel.as_ref().is_none_or(|c| *c == i.channel)
                && shape
                    .segment
                    .as_ref()
                    .is_none_or(|s| i.segment.as_ref() == Some(s))
        };
        let measured = match stage {
            None => false,
            // Every expectation reached: is this row measured at all?
            Some(k) if self.unreached == 0 => self.stages[k].1.iter().any(fits),
            Some(k) => {
                let mut measured = false;
                for shape in &self.stages[k].1 {
                    if fits(shape) {
                        measured = true;
                        let reached = &mut self.expectations[shape.expectation].2;
                        if !*reached {
                            *reached = true;
                            self.unreached -= 1;
                        }
                    }
                }
                measured
            }
        };
        if !measured {
            match (self.unmeasured.iter_mut()).find(|(s, c, _)| *s == i.stage && *c == i.channel) {
                Some((_, _, n)) => *n += 1,
                None => self
                    .unmeasured
                    .push((i.stage.clone(), i.channel.clone(), 1)),
            }
        }
    }

    /// The notes: nothing when every interaction is measured, every
    /// expectation reached and every status known.
    pub(crate) fn notes(&self) -> Vec<Sentence> {
        let mut notes = Vec::new();
        if self.seen == 0 {
            return notes;
        }
        if !self.unmeasured.is_empty() {
            let total: u64 = self.unmeasured.iter().map(|g| g.2).sum();
            let mut groups: Vec<(&str, &str, u64)> = (self.unmeasured.iter())
                .map(|(s, c, n)| (s.as_str(), c.as_str(), *n))
                .collect();
            crate::util::sort::sort_by(&mut groups, |a, b| {
                b.2.cmp(&a.2).then_with(|| (a.0, a.1).cmp(&(b.0, b.1)))
            });
            let listed: Vec<Sentence> = groups
                .iter()
                .take(LISTED)
                .map(|(stage, channel, n)| {
                    Sentence::new(Msg::NoteUnmeasuredGroup)
                        .count("n", *n)
                        .value("stage", stage)
                        .quoted("channel", channel)
                })
                .collect();
            notes.push(
                Sentence::new(Msg::NoteUnmeasured)
                    .count("total", total)
                    .count("seen", self.seen)
                    .list("groups", listed)
                    .with("more", more(groups.len()))
                    .value("example", "\"values\": {\"channel\": {…}}"),
            );
        }
        let unreached: Vec<Sentence> = (self.expectations.iter())
            .filter(|(.., reached)| !reached)
            .map(|(id, metric, _)| {
                Sentence::new(Msg::NoteUnreachedItem)
                    .value("id", id)
                    .with("metric", Sentence::new(*metric))
            })
            .collect();
        if !unreached.is_empty() {
            let n = unreached.len();
            notes.push(
                Sentence::new(Msg::NoteUnreached)
                    .count("n", n as u64)
                    .list("expectations", unreached.into_iter().take(LISTED).collect())
                    .with("more", more(n)),
            );
        }
        if !self.statuses.is_empty() {
            let mut values: Vec<(&String, &u64)> = self.statuses.iter().collect();
            crate::util::sort::sort_by(&mut values, |a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            let listed: Vec<Sentence> = values
                .iter()
                .take(LISTED)
                .map(|(v, n)| {
                    Sentence::new(Msg::NoteStatusItem)
                        .quoted("value", v)
                        .count("n", **n)
                })
                .collect();
            notes.push(
                Sentence::new(Msg::NoteStatuses)
                    .count("n", values.len() as u64)
                    .list("values", listed)
                    .with("more", more(values.len()))
                    .value(
                        "example",
                        "\"values\": {\"status\": {\"…\": \"waiting_customer\"}}",
                    )
                    .value(
                        "known",
                        "new, open, waiting_customer, on_hold, resolved, closed",
                    ),
            );
        }
        notes
    }
}

/// ` and 3 more` after a list cut at [`LISTED`], or nothing.
fn more(n: usize) -> Sentence {
    if n > LISTED {
        Sentence::new(Msg::NoteMore).count("n", (n - LISTED) as u64)
    } else {
        Sentence::verbatim("")
    }
}

#[cfg(test)]
mod tests {
    use crate::input::read::{Loader, ReadOptions};

    #[test]
    fn what_the_diary_does_not_measure_is_noted_however_it_is_read() {
        let defs = crate::sample::definitions();
        let csv = "id,opened_at,first_response_at,channel,stage,status\n\
                   a,2026-05-05T10:00:00+03:00,2026-05-05T11:00:00+03:00,Web Widget,service,Ждёт\n\
                   b,2026-05-05T10:00:00+03:00,,Web Widget,service,open\n\
                   c,2026-05-05T10:00:00+03:00,,email,service,Ждёт\n";
        let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        loader.read_csv(csv.as_bytes(), "i.csv").unwrap();
        let notes = loader.notes();
        let all = notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            all.contains("2 of 3 interaction(s) no duration expectation measures: 2 in stage service by channel \"Web Widget\""),
            "{all}"
        );
        assert!(
            all.contains("no interaction reaches expectation(s)"),
            "{all}"
        );
        assert!(
            all.contains("status value(s) mindgap does not know: \"Ждёт\" (2)"),
            "{all}"
        );
        // The same notes when the records come one at a time.
        let mut one = Loader::new(defs, ReadOptions::default()).unwrap();
        for line in csv.lines().skip(1) {
            let header = csv.lines().next().unwrap();
            one.read_csv(format!("{header}\n{line}\n").as_bytes(), "one.csv")
                .unwrap();
        }
        assert_eq!(one.finish().unwrap().notes, notes);
    }
}

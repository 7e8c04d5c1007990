//! The analyses a stream folds part by part besides the report: what each
//! counts of a part of the records, and its result once all are read.
//!
//! A part is a [`Prepared`] of some of the records (a chunk of interactions,
//! a part of the feedback, the observations at the end), prepared with the
//! stream's one interner so that keys mean the same in every part. An
//! analysis that counts (people) adds its counts; one that lists (drill)
//! keeps its first records in an order that does not depend on the parts.
//! Without the `analyses` feature there is none, and nothing here is used.
#![cfg_attr(not(feature = "analyses"), allow(dead_code))]

#[cfg(feature = "analyses")]
use super::drill::ProblemOptions;
#[cfg(feature = "analyses")]
use super::drill::{Drill, DrillOptions, DrillTally, People, PeopleOptions, PeopleTally};
#[cfg(feature = "analyses")]
use super::followup::FollowUpOptions;
#[cfg(feature = "analyses")]
use super::problems::{ProblemTally, ProblemsHalf};
#[cfg(feature = "analyses")]
use crate::engine::Dimension;
use crate::engine::{Prepared, ReportOptions};
use crate::error::Result;
use crate::model::Timestamp;

/// An analysis folded over a stream's parts (none without the `analyses`
/// feature). One is made per stream: its variants' sizes do not matter.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Fold {
    /// A people ranking.
    #[cfg(feature = "analyses")]
    People(PeopleOptions, PeopleTally),
    /// A drill-down.
    #[cfg(feature = "analyses")]
    Drill(DrillOptions, DrillTally),
    /// A follow-up list: nothing is counted in the parts (the stream keeps
    /// the contacts of customers with negative feedback); the list is made
    /// at the end, and the interactions it reads are read again.
    #[cfg(feature = "analyses")]
    FollowUps(FollowUpOptions),
    /// Recurring problems and reason gaps: the interactions' events are
    /// kept compactly, and their records read again at the end.
    #[cfg(feature = "analyses")]
    Problems(Box<ProblemTally>),
    /// None without the `analyses` feature.
    #[cfg(not(feature = "analyses"))]
    Never(std::convert::Infallible),
}

/// What a [`Fold`] gives at the end.
#[derive(Debug)]
pub(crate) enum Folded {
    /// A people ranking.
    #[cfg(feature = "analyses")]
    People(People),
    /// A drill-down.
    #[cfg(feature = "analyses")]
    Drill(Drill),
    /// Problems waiting for the second reading of the interactions.
    #[cfg(feature = "analyses")]
    Problems(Box<ProblemsHalf>),
    /// None without the `analyses` feature.
    #[cfg(not(feature = "analyses"))]
    Never(std::convert::Infallible),
}

impl Fold {
    /// A people ranking, its options checked against `defs`.
    #[cfg(feature = "analyses")]
    pub(crate) fn people(defs: &Prepared<'_>, options: &PeopleOptions) -> Result<Fold> {
        let tally = PeopleTally::new(defs, options)?;
        defs.filters(&options.filters)?;
        Ok(Fold::People(options.clone(), tally))
    }

    /// A drill-down, its options checked against `defs`.
    #[cfg(feature = "analyses")]
    pub(crate) fn drill(defs: &Prepared<'_>, options: &DrillOptions) -> Result<Fold> {
        let tally = DrillTally::new(defs, options)?;
        defs.filters(&options.filters)?;
        Ok(Fold::Drill(options.clone(), tally))
    }

    /// A follow-up list, its options checked against `defs`.
    #[cfg(feature = "analyses")]
    pub(crate) fn follow_ups(defs: &Prepared<'_>, options: &FollowUpOptions) -> Result<Fold> {
        defs.follow_ups(options)?;
        Ok(Fold::FollowUps(options.clone()))
    }

    /// Recurring problems and reason gaps, the options checked against
    /// `defs`.
    #[cfg(feature = "analyses")]
    pub(crate) fn problems(defs: &Prepared<'_>, options: &ProblemOptions) -> Result<Fold> {
        ProblemTally::new(defs, options).map(|t| Fold::Problems(Box::new(t)))
    }

    /// Sees the feedback the stream holds, before any part.
    pub(crate) fn see_feedback<'f>(
        &mut self,
        feedback: impl Iterator<Item = crate::engine::Fb<'f>>,
    ) {
        #[cfg(feature = "analyses")]
        if let Fold::Problems(t) = self {
            t.see_feedback(feedback);
        }
        #[cfg(not(feature = "analyses"))]
        drop(feedback);
    }

    /// Sees the interactions feedback with a reason names, of the feedback
    /// the stream reads twice (not held).
    pub(crate) fn see_reason_links<'i>(&mut self, ids: impl Iterator<Item = &'i str>) {
        #[cfg(feature = "analyses")]
        if let Fold::Problems(t) = self {
            t.see_reason_links(ids);
        }
        #[cfg(not(feature = "analyses"))]
        drop(ids);
    }

    /// Whether the stream keeps the contacts of every customer with
    /// negative feedback (they close follow-ups).
    pub(crate) fn reads_contacts(&self) -> bool {
        #[cfg(feature = "analyses")]
        if let Fold::FollowUps(_) = self {
            return true;
        }
        false
    }

    /// The report options a stream runs with for this analysis: its instant
    /// (no row is kept when it is given) and whether customers are told
    /// apart.
    pub(crate) fn stream_options(&self) -> ReportOptions {
        match self {
            #[cfg(feature = "analyses")]
            Fold::People(o, _) => ReportOptions {
                as_of: o.filters.as_of,
                ..ReportOptions::default()
            },
            #[cfg(feature = "analyses")]
            // Its records name their customers.
            Fold::Drill(DrillOptions { filters, .. }, _) => ReportOptions {
                as_of: filters.as_of,
                by: vec![Dimension::Customer],
                ..ReportOptions::default()
            },
            // The customers it names gave negative feedback: the stream
            // tells them apart (their contacts close follow-ups), and no
            // other.
            #[cfg(feature = "analyses")]
            Fold::FollowUps(FollowUpOptions { filters, .. }) => ReportOptions {
                as_of: filters.as_of,
                ..ReportOptions::default()
            },
            #[cfg(feature = "analyses")]
            Fold::Problems(t) => ReportOptions {
                as_of: t.filters().as_of,
                // A key of a problem may be a customer.
                by: vec![Dimension::Customer],
                ..ReportOptions::default()
            },
            #[cfg(not(feature = "analyses"))]
            Fold::Never(n) => match *n {},
        }
    }

    /// Adds what `p` observes at the stream's instant `as_of`.
    #[cfg_attr(not(feature = "analyses"), allow(unused_variables))]
    pub(crate) fn part(&mut self, p: &Prepared<'_>, as_of: Timestamp) -> Result<()> {
        match self {
            #[cfg(feature = "analyses")]
            Fold::People(o, t) => {
                let f = &o.filters;
                let scope = p.scope(Some(as_of), f.since, f.until, &f.stages, &f.channels)?;
                p.people_part(o, &scope, t)
            }
            #[cfg(feature = "analyses")]
            Fold::Drill(o, t) => {
                let f = &o.filters;
                let scope = p.scope(Some(as_of), f.since, f.until, &f.stages, &f.channels)?;
                p.drill_part(o, &scope, t)
            }
            #[cfg(feature = "analyses")]
            Fold::FollowUps(_) => Ok(()),
            #[cfg(feature = "analyses")]
            Fold::Problems(t) => {
                let f = t.filters();
                let scope = p.scope(Some(as_of), f.since, f.until, &f.stages, &f.channels)?;
                t.part(p, &scope)
            }
            #[cfg(not(feature = "analyses"))]
            Fold::Never(n) => match *n {},
        }
    }

    /// The result, `p` being the last part (it knows every key's name).
    #[cfg_attr(not(feature = "analyses"), allow(unused_variables))]
    pub(crate) fn finish(self, p: &Prepared<'_>, as_of: Timestamp) -> Result<Folded> {
        match self {
            #[cfg(feature = "analyses")]
            Fold::People(o, t) => Ok(Folded::People(p.people_of(&o, as_of, t))),
            #[cfg(feature = "analyses")]
            Fold::Drill(o, t) => p.drill_of(&o, as_of, t).map(Folded::Drill),
            #[cfg(feature = "analyses")]
            Fold::Problems(t) => Ok(Folded::Problems(Box::new(t.finish(p, as_of)))),
            #[cfg(feature = "analyses")]
            Fold::FollowUps(_) => Err(crate::error::Error::internal(
                "a follow-up list is made from the feedback held, not from the last part",
            )),
            #[cfg(not(feature = "analyses"))]
            Fold::Never(n) => match n {},
        }
    }
}

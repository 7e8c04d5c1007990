//! A follow-up list from files in bounded memory, in two readings.
//!
//! The first reading is a stream like a report's: it keeps what feedback
//! reads of the interactions it links to and the instants of every contact
//! with a customer who gave negative feedback. With the feedback held, that
//! is enough to list the follow-ups exactly but for what they show of the
//! interactions (the one the feedback is about, the contact that closed it,
//! the customer's history): the closes, states, ages and the summary are
//! final. The list tells which interactions it would show; the second
//! reading holds only those, and the list is made again with them. It
//! equals the list of the files loaded whole (tested on the sample).

use crate::analysis::followup::{FollowUpList, FollowUpOptions, Wanted};
use crate::engine::{External, Fb, Held, Interner, Links, Prepared, Unheld};
use crate::error::Result;
use crate::input::read::{Loader, Skim};
use crate::model::rules::judge;
use crate::model::{Diary, Interaction};

use super::stream::{State, Streamed, links_of};

/// A follow-up list between its two readings of the interactions.
pub(crate) struct FollowUpsHalf {
    options: FollowUpOptions,
    /// The definitions, the follow-up records and the observations.
    diary: Diary,
    feedback: Held,
    links: Links,
    contacts: Vec<(u32, i64)>,
    interner: Interner,
    /// The latest instant of the data (the default instant of the list).
    latest: Option<i64>,
    wanted: Wanted,
}

impl std::fmt::Debug for FollowUpsHalf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FollowUpsHalf")
            .field("feedback", &self.feedback.len())
            .field("contacts", &self.contacts.len())
            .field("wanted", &self.wanted)
            .finish_non_exhaustive()
    }
}

impl FollowUpsHalf {
    /// The list made at the end of the first reading (every row scored,
    /// the feedback linked and held), and what it reads again.
    pub(super) fn new(
        state: State,
        loader: Loader,
        mut feedback: Held,
        skim: Option<Skim>,
        options: FollowUpOptions,
        kept: usize,
    ) -> Result<Streamed<FollowUpsHalf>> {
        if let Some(mut skim) = skim {
            hold_for_follow_ups(&state, &loader, &mut skim, &mut feedback)?;
        }
        let loaded = loader.into_loaded();
        // The data's latest instant (the feedback read twice is not all
        // held): the list's instant, as the stream found it.
        let latest = Some(state.as_of.timestamp_millis());
        let State {
            interner,
            external,
            read,
            ..
        } = state;
        let External { links, contacts } = external;
        let mut half = FollowUpsHalf {
            options,
            diary: loaded.diary,
            feedback,
            links,
            contacts,
            interner: Interner::default(),
            latest,
            wanted: Wanted::default(),
        };
        let p = half.prepare(&[], interner)?;
        let wanted = p.follow_ups_wanted(&half.options)?;
        let latest = p.latest;
        let interner = p.into_interner();
        half.latest = latest;
        half.interner = interner;
        half.wanted = wanted;
        Ok(Streamed {
            result: half,
            skipped: loaded.skipped,
            notes: loaded.notes,
            interactions: read,
            kept,
        })
    }

    /// The definitions, follow-up records and observations.
    pub(crate) fn diary(&self) -> &Diary {
        &self.diary
    }

    /// Whether the list reads `i` (the second reading holds only those).
    pub(crate) fn wants(&self, i: &Interaction) -> bool {
        self.wanted.wants(i)
    }

    /// The list, `rows` being the interactions [`FollowUpsHalf::wants`]
    /// (in the order read).
    pub(crate) fn finish(mut self, rows: &[Interaction]) -> Result<FollowUpList> {
        let interner = std::mem::take(&mut self.interner);
        let p = self.prepare(rows, interner)?;
        p.follow_ups(&self.options)
    }

    /// The feedback held, with `rows`, and what the stream kept of the
    /// rest; its instant that of the whole data.
    fn prepare<'a>(&'a self, rows: &'a [Interaction], interner: Interner) -> Result<Prepared<'a>> {
        let link = |f: crate::engine::Fb<'_>| links_of(&self.links, f);
        let unheld = Unheld {
            link: &link,
            contacts: &self.contacts,
        };
        let held = Some((&self.feedback, 0..self.feedback.len()));
        let mut p = Prepared::with(&self.diary, &mut rows.iter(), interner, Some(unheld), held)?;
        p.latest = p.latest.max(self.latest);
        Ok(p)
    }
}

/// Reads the feedback files read twice again, holding what a follow-up list
/// reads: negative feedback and every record of a customer who gave some
/// (the history shows it), by its own customer or its interaction's. Each
/// link is checked, and the records must be those of the first reading.
fn hold_for_follow_ups(
    state: &State,
    loader: &Loader,
    skim: &mut Skim,
    held: &mut Held,
) -> Result<()> {
    let (links, stages) = (&state.external.links, &state.defs.stages);
    let customers = &state.interner.keys[4];
    let negative_customer = |k: u32| k < state.contacts;
    let (mut count, mut digest) = (0usize, 0u64);
    for (file, skipped) in &mut skim.files {
        let reader = file.reader()?;
        loader.reread_feedback_csv(reader, &file.name, skipped, &mut |r, at| {
            let link = r.interaction.as_ref().and_then(|id| links.get(id.as_str()));
            let found = link
                .and_then(|l| stages.get(l.attrs.stage as usize))
                .map(|s| &s.id);
            crate::validate::link_record(&r, found, at)?;
            count += 1;
            digest = digest.wrapping_add(Skim::hash(&r));
            let own = r.customer.as_ref().map(|c| customers.get(Some(c.as_str())));
            let wanted = own.is_some_and(negative_customer)
                || link.is_some_and(|l| negative_customer(l.attrs.customer))
                || judge(&state.defs.follow_up, Fb::Record(&r), None).is_some();
            if wanted {
                held.push(&r);
            }
            Ok(())
        })?;
    }
    super::stream::same_feedback(skim, count, digest)
}

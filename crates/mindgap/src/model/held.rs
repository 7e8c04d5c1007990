//! Feedback held compactly for the length of a streamed report.
//!
//! A streamed report holds every feedback record to the end (the last
//! interaction may be the one a feedback names). As [`Feedback`] records a
//! third of a million feedback rows take about 90 MB: 216 bytes inline and
//! three or more small strings each. [`Held`] keeps the same fields in one
//! 48-byte row each, with every text in one shared buffer, each text after
//! its length (one byte under 64 bytes): about 75 bytes a record of the
//! sample, and no allocation per record. Nothing is dropped: [`Fb`] reads a
//! held record field by field exactly as it reads a [`Feedback`].

use crate::model::{
    CustomerId, Feedback, FeedbackId, FeedbackKind, InteractionId, Sentiment, StageId, Timestamp,
    TouchpointId,
};

/// The texts of a held record, in their order in the buffer.
const ID: usize = 0;
const REASON: usize = 1;
const COMMENT: usize = 2;
const INTERACTION: usize = 3;
const STAGE: usize = 4;
const TOUCHPOINT: usize = 5;
const CUSTOMER: usize = 6;
const TEXTS: usize = 7;

/// Flag bits of [`HeldRow::flags`]: the optional texts present (bit `k` for
/// text `k`, the id always being there), then the optional values.
const HAS_SCORE: u16 = 1 << 8;
const HAS_SCALE: u16 = 1 << 9;
const DISMISSED: u16 = 1 << 10;

/// Feedback records, held compactly (see the [module documentation](self)).
#[derive(Debug, Default)]
pub(crate) struct Held {
    rows: Vec<HeldRow>,
    /// Every record's texts, one after another.
    text: String,
}

/// One held record (its texts in [`Held::text`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeldRow {
    at: Timestamp,
    score: f64,
    /// Where the record's texts start in [`Held::text`]: each text present
    /// (see [`HeldRow::flags`]), in [`TEXTS`] order, after its length (see
    /// [`put_len`]).
    start: usize,
    scale: u32,
    /// The slot of the interaction it names among a stream's links
    /// ([`NO_LINK`] until set).
    link: u32,
    kind: FeedbackKind,
    sentiment: Option<Sentiment>,
    flags: u16,
}

const NO_LINK: u32 = u32::MAX;

impl Held {
    /// Holds `feedback`, freeing each record as it is taken.
    pub(crate) fn new(feedback: Vec<Feedback>) -> Held {
        let mut held = Held {
            rows: Vec::with_capacity(feedback.len()),
            text: String::new(),
        };
        for f in feedback {
            held.push(&f);
        }
        held.text.shrink_to_fit();
        held
    }

    /// Adds a record.
    pub(crate) fn push(&mut self, f: &Feedback) {
        let texts: [Option<&str>; TEXTS] = [
            Some(f.id.as_str()),
            f.reason.as_deref(),
            f.comment.as_deref(),
            f.interaction.as_ref().map(|i| i.as_str()),
            f.stage.as_ref().map(|s| s.as_str()),
            f.touchpoint.as_ref().map(|t| t.as_str()),
            f.customer.as_ref().map(|c| c.as_str()),
        ];
        let start = self.text.len();
        let mut flags = 0;
        for (k, t) in texts.into_iter().enumerate() {
            let Some(t) = t else { continue };
            put_len(&mut self.text, t.len());
            self.text.push_str(t);
            flags |= 1 << k;
        }
        for (on, bit) in [
            (f.score.is_some(), HAS_SCORE),
            (f.scale.is_some(), HAS_SCALE),
            (f.dismissed, DISMISSED),
        ] {
            if on {
                flags |= bit;
            }
        }
        self.rows.push(HeldRow {
            at: f.at,
            score: f.score.unwrap_or(0.0),
            start,
            scale: f.scale.unwrap_or(0),
            link: NO_LINK,
            kind: f.kind,
            sentiment: f.sentiment,
            flags,
        });
    }

    /// Makes room for `more` records with texts as long as those so far on
    /// average (a guess: room that cannot be had is left to grow).
    pub(crate) fn reserve(&mut self, more: usize) {
        let per_row = self.text.len().div_ceil(self.rows.len().max(1));
        let _ = self.rows.try_reserve_exact(more);
        let _ = self.text.try_reserve_exact(more.saturating_mul(per_row));
    }

    /// Drops every record, keeping the room.
    pub(crate) fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
    }

    /// Frees the room kept for more records.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.rows.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The record at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<Fb<'_>> {
        self.rows.get(index).map(|row| Fb::Held(self, row))
    }

    /// Every record, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Fb<'_>> {
        self.rows.iter().map(|row| Fb::Held(self, row))
    }

    /// The records at `range`, in order (those there are).
    pub(crate) fn part(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = Fb<'_>> {
        let end = range.end.min(self.rows.len());
        let rows = self.rows.get(range.start.min(end)..end).unwrap_or_default();
        rows.iter().map(|row| Fb::Held(self, row))
    }

    /// Sets the link slot of each record, in order (see [`Fb::link`]).
    pub(crate) fn set_links(&mut self, slots: &[u32]) {
        for (row, &slot) in self.rows.iter_mut().zip(slots) {
            row.link = slot;
        }
    }

    /// Drops the records at the ascending indices `drop` (their texts stay
    /// in the buffer, unread).
    pub(crate) fn remove_sorted(&mut self, drop: &[usize]) {
        crate::util::remove_sorted(&mut self.rows, drop);
    }

    fn text(&self, row: &HeldRow, k: usize) -> Option<&str> {
        if row.flags & (1 << k) == 0 {
            return None;
        }
        // The texts before it that are present are skipped.
        let mut at = row.start;
        for before in 0..k {
            if row.flags & (1 << before) != 0 {
                let (len, text) = get_len(self.text.as_bytes(), at)?;
                at = text.checked_add(len)?;
            }
        }
        let (len, text) = get_len(self.text.as_bytes(), at)?;
        self.text.get(text..text.checked_add(len)?)
    }
}

/// Appends `len` in digits of 6 bits, lowest first, each but the last with
/// bit 6 set: every byte is ASCII, so the buffer stays UTF-8, and a text
/// under 64 bytes costs one byte more.
fn put_len(text: &mut String, mut len: usize) {
    loop {
        let digit = (len & 0x3f) as u8;
        len >>= 6;
        if len == 0 {
            text.push(char::from(digit));
            return;
        }
        text.push(char::from(digit | 0x40));
    }
}

/// The length [`put_len`] wrote at `at`, and where its text starts.
fn get_len(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut len = 0usize;
    let mut shift = 0u32;
    loop {
        let digit = *bytes.get(at)?;
        at += 1;
        len |= usize::from(digit & 0x3f).checked_shl(shift)?;
        if digit & 0x40 == 0 {
            return Some((len, at));
        }
        shift += 6;
    }
}

/// A feedback record as the scoring reads it: a [`Feedback`] of a diary, or
/// a record [`Held`] by a stream.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fb<'a> {
    Record(&'a Feedback),
    Held(&'a Held, &'a HeldRow),
}

impl<'a> Fb<'a> {
    /// The record as a [`Feedback`].
    pub(crate) fn to_feedback(self) -> Feedback {
        match self {
            Fb::Record(f) => f.clone(),
            Fb::Held(..) => Feedback {
                id: FeedbackId::from(self.id()),
                at: self.at(),
                kind: self.kind(),
                score: self.score(),
                scale: self.scale(),
                reason: self.reason().map(str::to_owned),
                comment: self.comment().map(str::to_owned),
                sentiment: self.sentiment(),
                dismissed: self.dismissed(),
                interaction: self.interaction().map(InteractionId::from),
                stage: self.stage().map(StageId::from),
                touchpoint: self.touchpoint().map(TouchpointId::from),
                customer: self.customer().map(CustomerId::from),
            },
        }
    }

    fn held_text(self, k: usize) -> Option<&'a str> {
        match self {
            Fb::Record(_) => None,
            Fb::Held(h, row) => h.text(row, k),
        }
    }

    /// The slot of the interaction it names among a stream's links, when
    /// set (held records only).
    pub(crate) fn link(self) -> Option<u32> {
        match self {
            Fb::Record(_) => None,
            Fb::Held(_, row) => (row.link != NO_LINK).then_some(row.link),
        }
    }

    pub(crate) fn id(self) -> &'a str {
        match self {
            Fb::Record(f) => f.id.as_str(),
            Fb::Held(..) => self.held_text(ID).unwrap_or(""),
        }
    }

    pub(crate) fn at(self) -> Timestamp {
        match self {
            Fb::Record(f) => f.at,
            Fb::Held(_, row) => row.at,
        }
    }

    pub(crate) fn kind(self) -> FeedbackKind {
        match self {
            Fb::Record(f) => f.kind,
            Fb::Held(_, row) => row.kind,
        }
    }

    pub(crate) fn score(self) -> Option<f64> {
        match self {
            Fb::Record(f) => f.score,
            Fb::Held(_, row) => (row.flags & HAS_SCORE != 0).then_some(row.score),
        }
    }

    pub(crate) fn scale(self) -> Option<u32> {
        match self {
            Fb::Record(f) => f.scale,
            Fb::Held(_, row) => (row.flags & HAS_SCALE != 0).then_some(row.scale),
        }
    }

    pub(crate) fn sentiment(self) -> Option<Sentiment> {
        match self {
            Fb::Record(f) => f.sentiment,
            Fb::Held(_, row) => row.sentiment,
        }
    }

    pub(crate) fn dismissed(self) -> bool {
        match self {
            Fb::Record(f) => f.dismissed,
            Fb::Held(_, row) => row.flags & DISMISSED != 0,
        }
    }

    pub(crate) fn reason(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.reason.as_deref(),
            Fb::Held(..) => self.held_text(REASON),
        }
    }

    pub(crate) fn comment(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.comment.as_deref(),
            Fb::Held(..) => self.held_text(COMMENT),
        }
    }

    pub(crate) fn interaction(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.interaction.as_ref().map(|i| i.as_str()),
            Fb::Held(..) => self.held_text(INTERACTION),
        }
    }

    pub(crate) fn stage(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.stage.as_ref().map(|s| s.as_str()),
            Fb::Held(..) => self.held_text(STAGE),
        }
    }

    pub(crate) fn touchpoint(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.touchpoint.as_ref().map(|t| t.as_str()),
            Fb::Held(..) => self.held_text(TOUCHPOINT),
        }
    }

    pub(crate) fn customer(self) -> Option<&'a str> {
        match self {
            Fb::Record(f) => f.customer.as_ref().map(|c| c.as_str()),
            Fb::Held(..) => self.held_text(CUSTOMER),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use proptest::prelude::*;

    fn read_back(f: Fb<'_>) -> Feedback {
        f.to_feedback()
    }

    fn text() -> impl Strategy<Value = Option<String>> {
        // Short texts mostly; now and then one whose length takes two or
        // three digits (64 bytes and more, 4,096 and more).
        let long = (60usize..5000).prop_map(|n| "é".repeat(n / 2));
        proptest::option::of(prop_oneof![8 => "[a-zé ]{0,6}", 1 => long])
    }

    prop_compose! {
        fn feedback()(
            id in "[a-z0-9-]{1,8}",
            secs in 0i64..4_000_000_000,
            nanos in 0u32..1_000_000_000,
            offset in -50_000i32..50_000,
            kind in 0usize..6,
            score in proptest::option::of(-1e3f64..1e3),
            scale in proptest::option::of(0u32..20),
            texts in proptest::array::uniform6(text()),
            sentiment in proptest::option::of(0usize..3),
            dismissed in any::<bool>(),
        ) -> Feedback {
            let tz = chrono::FixedOffset::east_opt(offset).unwrap_or(chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
            let at = chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default().with_timezone(&tz);
            let [reason, comment, interaction, stage, touchpoint, customer] = texts;
            Feedback {
                id: FeedbackId::from(id),
                at,
                kind: [FeedbackKind::Nps, FeedbackKind::Csat, FeedbackKind::Ces, FeedbackKind::Rating, FeedbackKind::Comment, FeedbackKind::Reason][kind],
                score,
                scale,
                reason,
                comment,
                sentiment: sentiment.map(|s| [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive][s]),
                dismissed,
                interaction: interaction.map(InteractionId::from),
                stage: stage.map(StageId::from),
                touchpoint: touchpoint.map(TouchpointId::from),
                customer: customer.map(CustomerId::from),
            }
        }
    }

    proptest! {
        #[test]
        fn held_records_read_back_as_they_were(
            records in proptest::collection::vec(feedback(), 0..40),
            drop in proptest::collection::btree_set(0usize..40, 0..10),
        ) {
            let mut held = Held::new(records.clone());
            prop_assert_eq!(held.len(), records.len());
            for (k, f) in records.iter().enumerate() {
                let h = held.get(k).map(read_back);
                prop_assert_eq!(h.as_ref(), Some(f));
            }
            let drop: Vec<usize> = drop.into_iter().collect();
            held.remove_sorted(&drop);
            let kept: Vec<&Feedback> = records
                .iter()
                .enumerate()
                .filter(|(k, _)| drop.binary_search(k).is_err())
                .map(|(_, f)| f)
                .collect();
            let back: Vec<Feedback> = held.iter().map(read_back).collect();
            prop_assert_eq!(back.iter().collect::<Vec<_>>(), kept);
        }
    }

    #[test]
    fn lengths_read_back_as_written() {
        let lens = [
            0,
            1,
            63,
            64,
            4095,
            4096,
            262_143,
            262_144,
            u32::MAX as usize,
        ];
        let mut text = String::from("x");
        for &len in &lens {
            put_len(&mut text, len);
        }
        let mut at = 1;
        for &len in &lens {
            let (got, next) = get_len(text.as_bytes(), at).unwrap_or_default();
            assert_eq!(got, len);
            at = next;
        }
        assert_eq!(at, text.len());
        assert!(text.is_ascii());
        // A torn buffer reads as nothing, not as a panic.
        assert_eq!(get_len(&[0x41], 0), None);
    }

    #[test]
    fn a_held_record_takes_a_fraction_of_a_feedback() {
        assert!(std::mem::size_of::<HeldRow>() <= 48);
        assert!(std::mem::size_of::<Fb<'_>>() <= 16);
    }
}

//! Interactions a stream keeps to the end, packed.
//!
//! A streamed report keeps the interactions whose clock still runs: their
//! reading waits for the report instant, known only once every file is read.
//! As [`Interaction`] records (408 bytes inline and a small string per
//! field) sixty thousand of them took 34 MB of a million-row report; packed
//! one after another in one byte buffer they take about 120 bytes each.
//! [`Kept::push`] packs the fields a figure or a `when` selector reads (the
//! free texts — `request`, `resolution`, `outcome` — are not kept: nothing
//! reads them; a streamed CSV reads `category`, `tags` and custom fields
//! only when an expectation selects by them, so they cost a byte each
//! otherwise); [`Kept::unpack`] gives the records back, in order, equal to
//! what was pushed without those texts.

use crate::error::{Error, Result};
use crate::model::*;
use chrono::{DateTime, FixedOffset};

/// Interactions packed in one buffer (see the [module documentation](self)).
#[derive(Debug, Default)]
pub(crate) struct Kept {
    pub(crate) tape: Vec<u8>,
    pub(crate) len: usize,
    /// The latest instant of the records (epoch ms), as a preparation
    /// counts it: opened, first response, resolution, last status change.
    pub(crate) latest: Option<i64>,
}

/// An open enum's tag on the tape: a well-known name is read back with
/// `parse`, any other kept as written (`parse` of a name written as `Other`
/// might find a well-known one).
const NONE: u8 = 0;
const KNOWN: u8 = 1;
const OTHER: u8 = 2;

impl Kept {
    /// The number of records.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The latest instant of the records (epoch ms).
    pub(crate) fn latest(&self) -> Option<i64> {
        self.latest
    }

    /// Packs `i` (without its free texts).
    pub(crate) fn push(&mut self, i: &Interaction) {
        let t = &mut self.tape;
        put_str(t, i.id.as_str());
        put_time(t, &i.opened_at);
        for at in [&i.first_response_at, &i.resolved_at] {
            match at {
                Some(at) => {
                    t.push(1);
                    put_time(t, at);
                }
                None => t.push(0),
            }
        }
        put_len(t, i.statuses.len());
        for s in &i.statuses {
            put_time(t, &s.at);
            put_status(t, Some(&s.status));
        }
        put_enum(
            t,
            matches!(i.channel, Channel::Other(_)),
            i.channel.as_str(),
        );
        put_str(t, i.stage.as_str());
        for text in [
            i.touchpoint.as_ref().map(TouchpointId::as_str),
            i.customer.as_ref().map(CustomerId::as_str),
            i.segment.as_deref(),
            i.employee.as_ref().map(EmployeeId::as_str),
            i.team.as_deref(),
        ] {
            put_opt_str(t, text);
        }
        put_status(t, i.status.as_ref());
        put_opt_str(t, i.priority.as_deref());
        put_opt_str(t, i.category.as_deref());
        put_len(t, i.tags.len());
        for tag in &i.tags {
            put_str(t, tag);
        }
        put_len(t, i.fields.len());
        for (k, v) in &i.fields {
            put_str(t, k);
            put_str(t, v);
        }
        put_len(t, i.messages.len());
        for m in &i.messages {
            put_time(t, &m.at);
            t.push(match m.kind {
                MessageKind::Customer => 0,
                MessageKind::Reply => 1,
                _ => 2,
            });
        }
        self.len += 1;
        let last = i.statuses.last().map(|s| &s.at);
        let times = [Some(&i.opened_at), i.first_response_at.as_ref()];
        for at in times
            .into_iter()
            .chain([i.resolved_at.as_ref(), last])
            .flatten()
        {
            let ms = at.timestamp_millis();
            self.latest = Some(self.latest.map_or(ms, |l| l.max(ms)));
        }
    }

    /// Adds the records of `other` after these.
    #[cfg(any(feature = "parallel", test))]
    pub(crate) fn append(&mut self, other: Kept) {
        if self.len == 0 {
            *self = other;
            return;
        }
        self.tape.extend_from_slice(&other.tape);
        self.len += other.len;
        self.latest = self.latest.max(other.latest);
    }

    /// The id and stage of each record, in order (nothing unpacked).
    pub(crate) fn stages<'k>(&'k self, each: &mut dyn FnMut(&'k str, &'k str)) -> Result<()> {
        let mut tape = Tape {
            bytes: &self.tape,
            at: 0,
        };
        for _ in 0..self.len {
            let (id, stage) = tape.skip()?;
            each(id, stage);
        }
        Ok(())
    }

    /// The records, in the order pushed, handed to `each` `chunk` at a time
    /// (`each` may take them; what it leaves is cleared).
    pub(crate) fn unpack(
        self,
        chunk: usize,
        each: &mut dyn FnMut(&mut Vec<Interaction>) -> Result<()>,
    ) -> Result<()> {
        let mut tape = Tape {
            bytes: &self.tape,
            at: 0,
        };
        let mut rows = Vec::with_capacity(chunk.min(self.len));
        for _ in 0..self.len {
            rows.push(tape.interaction()?);
            if rows.len() >= chunk {
                each(&mut rows)?;
                rows.clear();
            }
        }
        if !rows.is_empty() {
            each(&mut rows)?;
        }
        Ok(())
    }
}

fn put_len(t: &mut Vec<u8>, mut n: usize) {
    // LEB128: seven bits a byte, the high bit set on all but the last.
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            t.push(low);
            return;
        }
        t.push(low | 0x80);
    }
}

fn put_str(t: &mut Vec<u8>, s: &str) {
    put_len(t, s.len());
    t.extend_from_slice(s.as_bytes());
}

/// An optional text: its length plus one, 0 for none.
fn put_opt_str(t: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            put_len(t, s.len() + 1);
            t.extend_from_slice(s.as_bytes());
        }
        None => t.push(0),
    }
}

fn put_enum(t: &mut Vec<u8>, other: bool, text: &str) {
    t.push(if other { OTHER } else { KNOWN });
    put_str(t, text);
}

fn put_status(t: &mut Vec<u8>, s: Option<&Status>) {
    match s {
        Some(s) => put_enum(t, matches!(s, Status::Other(_)), s.as_str()),
        None => t.push(NONE),
    }
}

/// The instant (seconds and nanoseconds since the epoch) and its offset.
fn put_time(t: &mut Vec<u8>, at: &Timestamp) {
    t.extend_from_slice(&at.timestamp().to_le_bytes());
    t.extend_from_slice(&at.timestamp_subsec_nanos().to_le_bytes());
    t.extend_from_slice(&at.offset().local_minus_utc().to_le_bytes());
}

/// Reads a tape back.
struct Tape<'t> {
    pub(crate) bytes: &'t [u8],
    pub(crate) at: usize,
}

/// A tape that does not read back: never written so (an internal error,
/// not the data's).
fn torn() -> Error {
    Error::internal("the interactions kept by the stream did not read back")
}

impl<'t> Tape<'t> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'t [u8]> {
        let bytes = self.bytes;
        let out = bytes.get(self.at..self.at + n).ok_or_else(torn)?;
        self.at += n;
        Ok(out)
    }

    pub(crate) fn byte(&mut self) -> Result<u8> {
        self.take(1).map(|b| b.first().copied().unwrap_or(0))
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| torn())
    }

    pub(crate) fn len(&mut self) -> Result<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift).ok_or_else(torn)?;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(torn())
    }

    pub(crate) fn str(&mut self) -> Result<&'t str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| torn())
    }

    pub(crate) fn opt_str(&mut self) -> Result<Option<&'t str>> {
        match self.len()? {
            0 => Ok(None),
            n => std::str::from_utf8(self.take(n - 1)?)
                .map(Some)
                .map_err(|_| torn()),
        }
    }

    pub(crate) fn time(&mut self) -> Result<Timestamp> {
        let secs = i64::from_le_bytes(self.array()?);
        let nanos = u32::from_le_bytes(self.array()?);
        let offset = i32::from_le_bytes(self.array()?);
        let offset = FixedOffset::east_opt(offset).ok_or_else(torn)?;
        let utc = DateTime::from_timestamp(secs, nanos).ok_or_else(torn)?;
        Ok(utc.with_timezone(&offset))
    }

    /// An open enum: `None` for none.
    pub(crate) fn open<T>(
        &mut self,
        parse: fn(&str) -> T,
        other: fn(String) -> T,
    ) -> Result<Option<T>> {
        match self.byte()? {
            NONE => Ok(None),
            KNOWN => Ok(Some(parse(self.str()?))),
            OTHER => Ok(Some(other(self.str()?.to_owned()))),
            _ => Err(torn()),
        }
    }

    /// Reads past a record: its id and stage.
    pub(crate) fn skip(&mut self) -> Result<(&'t str, &'t str)> {
        let id = self.str()?;
        self.time()?;
        for _ in 0..2 {
            if self.byte()? == 1 {
                self.time()?;
            }
        }
        for _ in 0..self.len()? {
            self.time()?;
            self.open(|_| (), |_| ())?;
        }
        self.open(|_| (), |_| ())?;
        let stage = self.str()?;
        for _ in 0..5 {
            self.opt_str()?;
        }
        self.open(|_| (), |_| ())?;
        self.opt_str()?;
        self.opt_str()?;
        for _ in 0..self.len()? {
            self.str()?;
        }
        for _ in 0..self.len()? {
            self.str()?;
            self.str()?;
        }
        for _ in 0..self.len()? {
            self.time()?;
            self.byte()?;
        }
        Ok((id, stage))
    }

    pub(crate) fn interaction(&mut self) -> Result<Interaction> {
        let id = InteractionId::from(self.str()?);
        let opened_at = self.time()?;
        let mut times = [None, None];
        for t in &mut times {
            if self.byte()? == 1 {
                *t = Some(self.time()?);
            }
        }
        let [first_response_at, resolved_at] = times;
        let n = self.len()?;
        let mut statuses = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            let at = self.time()?;
            let status = self.open(Status::parse, Status::Other)?.ok_or_else(torn)?;
            statuses.push(StatusChange { at, status });
        }
        let channel = self
            .open(Channel::parse, Channel::Other)?
            .ok_or_else(torn)?;
        let stage = StageId::from(self.str()?);
        let touchpoint = self.opt_str()?.map(TouchpointId::from);
        let customer = self.opt_str()?.map(CustomerId::from);
        let segment = self.opt_str()?.map(str::to_owned);
        let employee = self.opt_str()?.map(EmployeeId::from);
        let team = self.opt_str()?.map(str::to_owned);
        let status = self.open(Status::parse, Status::Other)?;
        let priority = self.opt_str()?.map(str::to_owned);
        let category = self.opt_str()?.map(str::to_owned);
        let n = self.len()?;
        let mut tags = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            tags.push(self.str()?.to_owned());
        }
        let mut fields = std::collections::BTreeMap::new();
        for _ in 0..self.len()? {
            let k = self.str()?.to_owned();
            fields.insert(k, self.str()?.to_owned());
        }
        let n = self.len()?;
        let mut messages = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            let at = self.time()?;
            let kind = match self.byte()? {
                0 => MessageKind::Customer,
                1 => MessageKind::Reply,
                2 => MessageKind::Note,
                _ => return Err(torn()),
            };
            messages.push(Message { at, kind });
        }
        Ok(Interaction {
            id,
            opened_at,
            first_response_at,
            resolved_at,
            statuses,
            messages,
            channel,
            stage,
            touchpoint,
            customer,
            segment,
            employee,
            team,
            request: None,
            resolution: None,
            outcome: None,
            status,
            category,
            priority,
            tags,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without_texts(mut i: Interaction) -> Interaction {
        i.request = None;
        i.resolution = None;
        i.outcome = None;
        i
    }

    fn unpacked(kept: Kept, chunk: usize) -> Vec<Interaction> {
        let mut out = Vec::new();
        let mut sizes = Vec::new();
        kept.unpack(chunk, &mut |rows| {
            sizes.push(rows.len());
            out.append(rows);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(sizes.iter().all(|&n| n > 0 && n <= chunk), "{sizes:?}");
        out
    }

    #[test]
    fn the_samples_interactions_read_back_without_their_texts() {
        let diary = crate::sample::diary(3_000);
        let mut kept = Kept::default();
        for i in &diary.interactions {
            kept.push(i);
        }
        assert_eq!(kept.len(), diary.interactions.len());
        let latest = diary
            .interactions
            .iter()
            .flat_map(|i| {
                let last = i.statuses.last().map(|s| s.at);
                [Some(i.opened_at), i.first_response_at, i.resolved_at, last]
            })
            .flatten()
            .map(|t| t.timestamp_millis())
            .max();
        assert_eq!(kept.latest(), latest);
        let per_row = kept.tape.len() / kept.len();
        assert!(per_row < 160, "{per_row} bytes a row");
        let mut stages = Vec::new();
        kept.stages(&mut |id, stage| stages.push((id.to_owned(), stage.to_owned())))
            .unwrap_or_else(|e| panic!("{e}"));
        let want: Vec<(String, String)> = (diary.interactions.iter())
            .map(|i| (i.id.as_str().to_owned(), i.stage.as_str().to_owned()))
            .collect();
        assert_eq!(stages, want);
        // In two parts, appended.
        let (a, b) = diary.interactions.split_at(1_000);
        let mut first = Kept::default();
        let mut second = Kept::default();
        a.iter().for_each(|i| first.push(i));
        b.iter().for_each(|i| second.push(i));
        first.append(second);
        assert_eq!((first.len(), first.latest()), (kept.len(), kept.latest()));
        assert_eq!(first.tape, kept.tape);
        let back = unpacked(kept, 100);
        let want: Vec<Interaction> = diary.interactions.into_iter().map(without_texts).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn odd_values_read_back_as_they_were() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{e}"));
        let i = Interaction {
            id: InteractionId::from("ы-1"),
            opened_at: at("1969-12-31T23:59:59.123456789-09:30"),
            first_response_at: None,
            resolved_at: Some(at("2262-01-01T00:00:00+14:00")),
            statuses: vec![
                StatusChange {
                    at: at("2026-01-01T00:00:00Z"),
                    status: Status::Other("resolved".into()),
                },
                StatusChange {
                    at: at("2026-01-02T00:00:00Z"),
                    status: Status::parse("On hold"),
                },
            ],
            messages: vec![
                Message {
                    at: at("2026-01-01T00:00:00.5+05:45"),
                    kind: MessageKind::Customer,
                },
                Message {
                    at: at("2026-01-01T01:00:00Z"),
                    kind: MessageKind::Reply,
                },
                Message {
                    at: at("2026-01-01T02:00:00Z"),
                    kind: MessageKind::Note,
                },
            ],
            // Written as `Other` though `parse` would find a known name.
            channel: Channel::Other("email".into()),
            stage: StageId::default(),
            touchpoint: Some(TouchpointId::default()),
            customer: None,
            segment: Some("x".repeat(300)),
            employee: None,
            team: Some("t".into()),
            request: Some("dropped".into()),
            resolution: None,
            outcome: None,
            status: Some(Status::Other("odd".into())),
            category: Some("kept".into()),
            priority: Some("Срочный".into()),
            tags: vec!["a".into(), String::new(), "c;d".into()],
            fields: [
                ("Region".to_owned(), "EU".to_owned()),
                (String::new(), "ы".into()),
            ]
            .into(),
        };
        let mut kept = Kept::default();
        kept.push(&i);
        kept.push(&without_texts(i.clone()));
        let mut stages = 0;
        kept.stages(&mut |id, stage| {
            assert_eq!((id, stage), ("ы-1", ""));
            stages += 1;
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stages, 2);
        let back = unpacked(kept, 1);
        assert_eq!(back, vec![without_texts(i.clone()), without_texts(i)]);
    }

    #[test]
    fn a_torn_tape_is_an_error_not_a_panic() {
        let diary = crate::sample::diary(50);
        let mut kept = Kept::default();
        for i in &diary.interactions {
            kept.push(i);
        }
        let full = kept.tape.clone();
        for cut in (0..full.len()).step_by(7) {
            let torn = Kept {
                tape: full.get(..cut).map(<[u8]>::to_vec).unwrap_or_default(),
                len: kept.len,
                latest: None,
            };
            assert!(torn.stages(&mut |_, _| {}).is_err(), "cut at {cut}");
            assert!(torn.unpack(10, &mut |_| Ok(())).is_err(), "cut at {cut}");
        }
    }
}

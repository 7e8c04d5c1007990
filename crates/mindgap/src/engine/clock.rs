//! SLA clocks: how long an interaction waited for its first reply, for each
//! later reply, and for its resolution, in elapsed or business time. The
//! rules are documented where an embedder reads them: [`crate::clock`].

// `Error` is the crate's one error type (over clippy's 128-byte limit); boxing
// it is a crate-wide choice, not this module's.
#![allow(clippy::result_large_err)]

use crate::error::{Error, Location};
use crate::model::{Interaction, Message, MessageKind, Status, StatusChange, Timestamp};
use crate::time::calendar::BusinessCalendar;
use crate::time::span::Span;
use crate::words::{Msg, Sentence};

/// What the clocks read of an interaction: its id (named by their errors),
/// its instants and its histories. A view of a record ([`Hist::of`]) or of
/// an engine row (the rows keep no record: [`crate::engine::sheet`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hist<'a> {
    pub(crate) id: &'a str,
    pub(crate) opened_at: &'a Timestamp,
    pub(crate) first_response_at: Option<&'a Timestamp>,
    pub(crate) resolved_at: Option<&'a Timestamp>,
    pub(crate) statuses: &'a [StatusChange],
    pub(crate) messages: &'a [Message],
}

impl<'a> Hist<'a> {
    /// The view of a record.
    pub(crate) fn of(i: &'a Interaction) -> Hist<'a> {
        Hist {
            id: i.id.as_str(),
            opened_at: &i.opened_at,
            first_response_at: i.first_response_at.as_ref(),
            resolved_at: i.resolved_at.as_ref(),
            statuses: &i.statuses,
            messages: &i.messages,
        }
    }
}

/// The statuses that pause a resolution clock when the expectation names none:
/// `waiting_customer`.
pub const DEFAULT_PAUSE_STATUSES: &[Status] = &[Status::WaitingCustomer];

/// The pause statuses of an expectation: its `pause_statuses`, or
/// [`DEFAULT_PAUSE_STATUSES`] when it lists none.
pub fn pause_statuses(expectation: &crate::model::Expectation) -> &[Status] {
    if expectation.pause_statuses.is_empty() {
        DEFAULT_PAUSE_STATUSES
    } else {
        &expectation.pause_statuses
    }
}

/// Time between two instants (epoch ms): business time with a calendar, else
/// elapsed time; zero when `to <= from`.
pub fn elapsed(cal: Option<&BusinessCalendar>, from_ms: i64, to_ms: i64) -> Span {
    Span::from_millis(match cal {
        Some(c) => c.duration_ms(from_ms, to_ms),
        None => to_ms.saturating_sub(from_ms).max(0),
    })
}

/// A clock's value from its start to `to_ms`: [`elapsed`], plus, for levels
/// "by the end of the n-th business day", the share of the business day
/// already gone when the clock started (it counts from that day's start).
pub(crate) fn since(cal: Option<&BusinessCalendar>, start_ms: i64, to_ms: i64) -> Span {
    let off = cal.map_or(0, |c| c.day_start_offset(start_ms));
    Span::from_millis(elapsed(cal, start_ms, to_ms).as_millis() + off)
}

/// A clock read at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The clock stopped by then; its final value.
    Stopped(Span),
    /// Still running; the time elapsed so far.
    Running(Span),
}

impl Reading {
    /// The value, final or so far.
    pub fn span(self) -> Span {
        match self {
            Reading::Stopped(s) | Reading::Running(s) => s,
        }
    }
    /// Whether the clock is still running.
    pub fn is_running(self) -> bool {
        matches!(self, Reading::Running(_))
    }
}

fn ms(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

fn out_of_order(i: Hist<'_>, field: String, message: Sentence) -> Error {
    Error::OutOfOrder {
        at: Location::default().with_record(i.id).with_field(field),
        message,
    }
}

fn check_after_open(i: Hist<'_>, t: Option<&Timestamp>, field: &str) -> Result<(), Error> {
    match t {
        Some(t) if t < i.opened_at => Err(out_of_order(
            i,
            field.to_owned(),
            Sentence::new(Msg::VBeforeOpened)
                .value("field", field)
                .value("time", t.to_rfc3339())
                .value("opened", i.opened_at.to_rfc3339()),
        )),
        _ => Ok(()),
    }
}

/// Checks the status history: in time order and not before `opened_at`.
pub fn check_history(i: &Interaction) -> Result<(), Error> {
    check_history_of(Hist::of(i))
}

/// [`check_history`] of a view.
pub(crate) fn check_history_of(i: Hist<'_>) -> Result<(), Error> {
    let mut prev: Option<&StatusChange> = None;
    for (k, c) in i.statuses.iter().enumerate() {
        if c.at < *i.opened_at {
            return Err(out_of_order(
                i,
                format!("statuses[{k}]"),
                Sentence::new(Msg::ClockStatusBeforeOpened)
                    .value("k", k)
                    .value("status", &c.status)
                    .value("time", c.at.to_rfc3339())
                    .value("opened", i.opened_at.to_rfc3339()),
            ));
        }
        if let Some(p) = prev.filter(|p| c.at < p.at) {
            return Err(out_of_order(
                i,
                format!("statuses[{k}]"),
                Sentence::new(Msg::ClockStatusOrder)
                    .value("k", k)
                    .value("status", &c.status)
                    .value("time", c.at.to_rfc3339())
                    .value("prev", k - 1)
                    .value("before", &p.status)
                    .value("before_time", p.at.to_rfc3339()),
            ));
        }
        prev = Some(c);
    }
    Ok(())
}

/// Checks every ordering rule of the module: the reply and the resolution not
/// before the opening, the status history in time order.
pub fn check_order(i: &Interaction) -> Result<(), Error> {
    let h = Hist::of(i);
    check_after_open(h, h.first_response_at, "first_response_at")?;
    check_after_open(h, h.resolved_at, "resolved_at")?;
    check_history_of(h)
}

/// First response time: `opened_at` → `first_response_at`; `None` with no reply.
///
/// ```
/// use mindgap::{Span, clock};
/// let diary = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}], "interactions": [{"id": "i1", "channel": "email",
///   "stage": "s", "opened_at": "2026-05-04T10:00:00Z", "first_response_at": "2026-05-04T13:30:00Z"}]}"#)?;
/// let i = &diary.interactions[0];
/// assert_eq!(clock::first_response(i, None)?, Some(Span::from_minutes(210)));
/// let mut unanswered = i.clone();
/// unanswered.first_response_at = None;
/// assert_eq!(clock::first_response(&unanswered, None)?, None);
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn first_response(
    i: &Interaction,
    cal: Option<&BusinessCalendar>,
) -> Result<Option<Span>, Error> {
    check_after_open(
        Hist::of(i),
        i.first_response_at.as_ref(),
        "first_response_at",
    )?;
    Ok(i.first_response_at
        .as_ref()
        .map(|r| since(cal, ms(&i.opened_at), ms(r))))
}

/// The first-response clock read at `as_of_ms`: stopped if the reply came by
/// then, else running since `opened_at` (zero before it).
///
/// ```
/// use mindgap::Span;
/// use mindgap::clock::{Reading, first_response_as_of};
/// let diary = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}], "interactions": [{"id": "i1", "channel": "email",
///   "stage": "s", "opened_at": "2026-05-04T10:00:00Z", "first_response_at": "2026-05-04T13:30:00Z"}]}"#)?;
/// let i = &diary.interactions[0];
/// let (open, hour) = (i.opened_at.timestamp_millis(), 3_600_000);
/// assert_eq!(first_response_as_of(i, None, open + hour)?, Reading::Running(Span::from_hours(1)));
/// let later = first_response_as_of(i, None, open + 5 * hour)?;
/// assert_eq!(later, Reading::Stopped(Span::from_minutes(210)));
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn first_response_as_of(
    i: &Interaction,
    cal: Option<&BusinessCalendar>,
    as_of_ms: i64,
) -> Result<Reading, Error> {
    first_response_as_of_in(Hist::of(i), cal, as_of_ms)
}

/// [`first_response_as_of`] of a view.
pub(crate) fn first_response_as_of_in(
    i: Hist<'_>,
    cal: Option<&BusinessCalendar>,
    as_of_ms: i64,
) -> Result<Reading, Error> {
    check_after_open(i, i.first_response_at, "first_response_at")?;
    let open = ms(i.opened_at);
    Ok(match first_reply_in(i) {
        Some(r) if r <= as_of_ms => Reading::Stopped(since(cal, open, r)),
        _ => Reading::Running(since(cal, open, as_of_ms)),
    })
}

/// The first reply (epoch ms): `first_response_at`, else the first reply
/// among the messages at or after the opening.
pub fn first_reply_ms(i: &Interaction) -> Option<i64> {
    first_reply_in(Hist::of(i))
}

/// [`first_reply_ms`] of a view.
pub(crate) fn first_reply_in(i: Hist<'_>) -> Option<i64> {
    match i.first_response_at {
        Some(t) => Some(ms(t)),
        None => {
            let open = ms(i.opened_at);
            (i.messages.iter())
                .filter(|m| m.kind == MessageKind::Reply)
                .map(|m| ms(&m.at))
                .find(|&t| t >= open)
        }
    }
}

/// A clock from `start` that stops at `stop` (`None`: not yet), read at
/// `as_of_ms` with the time in `pauses` taken off (none without a status
/// history): the rule of every paused clock.
pub(crate) fn read_paused(
    i: Hist<'_>,
    cal: Option<&BusinessCalendar>,
    pauses: &[Status],
    start: i64,
    stop: Option<i64>,
    as_of_ms: i64,
) -> Reading {
    let (end, done) = match stop {
        Some(s) if s <= as_of_ms => (s, true),
        _ => (as_of_ms.max(start), false),
    };
    let off = if pauses.is_empty() {
        0
    } else {
        paused(i, cal, pauses, start, end).as_millis()
    };
    let span = Span::from_millis(since(cal, start, end).as_millis() - off);
    if done {
        Reading::Stopped(span)
    } else {
        Reading::Running(span)
    }
}

/// Whether the interaction is in one of `pauses` at `at_ms` (its status
/// then: the latest change at or before it, `new` before the first; never
/// without a status history). Read by the breach queue.
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
pub(crate) fn paused_at(i: Hist<'_>, pauses: &[Status], at_ms: i64) -> bool {
    !i.statuses.is_empty() && {
        let last = i.statuses.iter().rev().find(|c| ms(&c.at) <= at_ms);
        pauses.contains(last.map_or(&Status::New, |c| &c.status))
    }
}

/// Time within `[from, to)` spent in a pause status.
fn paused(
    i: Hist<'_>,
    cal: Option<&BusinessCalendar>,
    pauses: &[Status],
    from: i64,
    to: i64,
) -> Span {
    let mut total = 0i64;
    let mut add = |a: i64, b: i64| {
        total = total.saturating_add(elapsed(cal, a.max(from), b.min(to)).as_millis());
    };
    // With a history, the interaction starts in `new` at `opened_at`. Without
    // one nothing tells when any status began, so nothing is taken off.
    if i.statuses.is_empty() {
        return Span::from_millis(0);
    }
    let mut pause_start = pauses.contains(&Status::New).then(|| ms(i.opened_at));
    for c in i.statuses {
        let t = ms(&c.at);
        if t >= to {
            break;
        }
        match (pause_start, pauses.contains(&c.status)) {
            (Some(p), false) => {
                add(p, t);
                pause_start = None;
            }
            (None, true) => pause_start = Some(t),
            _ => {}
        }
    }
    if let Some(p) = pause_start {
        add(p, to);
    }
    Span::from_millis(total)
}

/// Resolution time: `opened_at` → `resolved_at` minus the time in `pauses`
/// (see the module rules); `None` while unresolved.
///
/// Pass [`pause_statuses`]`(expectation)` for the expectation's rule, `&[]` for
/// no pauses.
///
/// ```
/// use mindgap::{Span, Status, clock};
/// let diary = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}], "interactions": [{"id": "i1", "channel": "email",
///   "stage": "s", "opened_at": "2026-05-04T10:00:00Z", "resolved_at": "2026-05-04T17:00:00Z",
///   "statuses": [{"at": "2026-05-04T11:00:00Z", "status": "waiting_customer"},
///                {"at": "2026-05-04T15:00:00Z", "status": "open"}]}]}"#)?;
/// let i = &diary.interactions[0];
/// // Seven hours open, four of them waiting for the customer.
/// let paused = clock::resolution(i, None, &[Status::WaitingCustomer])?;
/// assert_eq!(paused, Some(Span::from_hours(3)));
/// assert_eq!(clock::resolution(i, None, &[])?, Some(Span::from_hours(7)));
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn resolution(
    i: &Interaction,
    cal: Option<&BusinessCalendar>,
    pauses: &[Status],
) -> Result<Option<Span>, Error> {
    let h = Hist::of(i);
    check_after_open(h, i.resolved_at.as_ref(), "resolved_at")?;
    check_history(i)?;
    let open = ms(&i.opened_at);
    Ok(i.resolved_at.as_ref().map(|r| {
        let r = ms(r);
        Span::from_millis(
            since(cal, open, r).as_millis() - paused(h, cal, pauses, open, r).as_millis(),
        )
    }))
}

/// The resolution clock read at `as_of_ms`: stopped if resolved by then, else
/// running, with the pauses up to `as_of_ms` taken off (a pause still under
/// way at `as_of_ms` is counted up to it).
pub fn resolution_as_of(
    i: &Interaction,
    cal: Option<&BusinessCalendar>,
    pauses: &[Status],
    as_of_ms: i64,
) -> Result<Reading, Error> {
    check_history(i)?;
    resolution_as_of_checked(Hist::of(i), cal, pauses, as_of_ms)
}

/// [`resolution_as_of`] for an interaction whose status history is known to
/// be in order (a prepared row: checked once, not once per expectation).
pub(crate) fn resolution_as_of_checked(
    i: Hist<'_>,
    cal: Option<&BusinessCalendar>,
    pauses: &[Status],
    as_of_ms: i64,
) -> Result<Reading, Error> {
    check_after_open(i, i.resolved_at, "resolved_at")?;
    let open = ms(i.opened_at);
    let (end, done) = match i.resolved_at.map(ms) {
        Some(r) if r <= as_of_ms => (r, true),
        _ => (as_of_ms, false),
    };
    let span = Span::from_millis(
        since(cal, open, end).as_millis() - paused(i, cal, pauses, open, end).as_millis(),
    );
    Ok(if done {
        Reading::Stopped(span)
    } else {
        Reading::Running(span)
    })
}

/// The pause runs of an interaction's status history under `pauses`, for
/// [`resolution_in_runs`]: each `[start, end]` in epoch ms, from a change
/// into a pause status to the next change into a status that is not one
/// (`i64::MAX` while none follows). Nothing without a history (see
/// [`paused`]); the history must be in order ([`check_history`]).
pub(crate) fn pause_runs(i: Hist<'_>, pauses: &[Status], out: &mut Vec<[i64; 2]>) {
    if i.statuses.is_empty() {
        return;
    }
    let mut start = pauses.contains(&Status::New).then(|| ms(i.opened_at));
    for c in i.statuses {
        let t = ms(&c.at);
        match (start, pauses.contains(&c.status)) {
            (Some(s), false) => {
                out.push([s, t]);
                start = None;
            }
            (None, true) => start = Some(t),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push([s, i64::MAX]);
    }
}

/// [`resolution_as_of_checked`] without a calendar, from the instants in
/// epoch ms (`resolved` [`None`] when unresolved) and the pause runs of
/// [`pause_runs`]: the same reading, without going back to the record
/// (which is only read for the error of a resolution before the opening).
pub(crate) fn resolution_in_runs(
    i: Hist<'_>,
    open: i64,
    resolved: Option<i64>,
    runs: &[[i64; 2]],
    as_of_ms: i64,
) -> Result<Reading, Error> {
    if resolved.is_some_and(|r| r <= open) {
        // Equal milliseconds may still be out of order below them.
        check_after_open(i, i.resolved_at, "resolved_at")?;
    }
    Ok(reading_in_runs(open, resolved, runs, as_of_ms))
}

/// [`resolution_in_runs`] of a resolution known to be after the opening.
#[inline]
pub(crate) fn reading_in_runs(
    open: i64,
    resolved: Option<i64>,
    runs: &[[i64; 2]],
    as_of_ms: i64,
) -> Reading {
    let (end, done) = match resolved {
        Some(r) if r <= as_of_ms => (r, true),
        _ => (as_of_ms, false),
    };
    // As `paused` counts them: a run from before `end` up to its end or
    // `end`, whichever is first, from the opening on.
    let mut paused = 0i64;
    for &[start, stop] in runs {
        if start >= end {
            break;
        }
        paused = paused.saturating_add((stop.min(end) - start.max(open)).max(0));
    }
    let span = Span::from_millis((end - open).max(0) - paused);
    if done {
        Reading::Stopped(span)
    } else {
        Reading::Running(span)
    }
}

/// One next-response clock: started when the customer wrote again, stopped by
/// the next reply (`None` while unanswered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseClock {
    /// When the status went back to `new`/`open` (epoch ms).
    pub started_ms: i64,
    /// When it next changed to another status, or `resolved_at` (epoch ms).
    pub stopped_ms: Option<i64>,
}

impl ResponseClock {
    /// The clock's value once stopped; `None` while unanswered.
    pub fn span(&self, cal: Option<&BusinessCalendar>) -> Option<Span> {
        self.stopped_ms.map(|s| since(cal, self.started_ms, s))
    }

    /// The clock read at `as_of_ms`: stopped if the reply came by then, else
    /// running (zero if it had not started yet; the caller usually skips
    /// clocks with `started_ms > as_of_ms`).
    pub fn reading(&self, cal: Option<&BusinessCalendar>, as_of_ms: i64) -> Reading {
        match self.stopped_ms {
            Some(s) if s <= as_of_ms => Reading::Stopped(since(cal, self.started_ms, s)),
            _ => Reading::Running(since(cal, self.started_ms, as_of_ms)),
        }
    }
}

/// Iterator over the next-response clocks of an interaction, in time order.
/// Made by [`next_responses`]; borrows the status history, allocates nothing.
#[derive(Debug, Clone)]
pub struct NextResponses<'a> {
    statuses: std::slice::Iter<'a, StatusChange>,
    /// The messages, when there are any: the clocks are read from them.
    messages: std::slice::Iter<'a, Message>,
    from_messages: bool,
    replied: bool,
    first_reply_ms: Option<i64>,
    resolved_ms: Option<i64>,
    prev_open: bool,
    running: Option<i64>,
}

fn is_open(s: &Status) -> bool {
    matches!(s, Status::New | Status::Open)
}

impl Iterator for NextResponses<'_> {
    type Item = ResponseClock;

    fn next(&mut self) -> Option<ResponseClock> {
        if self.from_messages {
            return self.next_from_messages();
        }
        for c in self.statuses.by_ref() {
            let t = ms(&c.at);
            let open = is_open(&c.status);
            match self.running {
                Some(start) if !open => {
                    self.running = None;
                    self.prev_open = false;
                    return Some(ResponseClock {
                        started_ms: start,
                        stopped_ms: Some(t),
                    });
                }
                None if open && !self.prev_open && self.first_reply_ms.is_none_or(|r| t >= r) => {
                    self.running = Some(t);
                }
                _ => {}
            }
            self.prev_open = open;
        }
        self.running.take().map(|start| ResponseClock {
            started_ms: start,
            stopped_ms: self.resolved_ms.filter(|&r| r >= start),
        })
    }
}

impl NextResponses<'_> {
    /// A clock starts at a customer message once the customer has had a
    /// reply (and none runs), and stops at the next reply.
    fn next_from_messages(&mut self) -> Option<ResponseClock> {
        for m in self.messages.by_ref() {
            let t = ms(&m.at);
            match m.kind {
                MessageKind::Reply => {
                    self.replied = true;
                    if let Some(start) = self.running.take() {
                        return Some(ResponseClock {
                            started_ms: start,
                            stopped_ms: Some(t),
                        });
                    }
                }
                MessageKind::Customer => {
                    let answered = self.replied || self.first_reply_ms.is_some_and(|r| t >= r);
                    if self.running.is_none() && answered && self.resolved_ms.is_none_or(|r| t < r)
                    {
                        self.running = Some(t);
                    }
                }
                _ => {}
            }
        }
        self.running.take().map(|start| ResponseClock {
            started_ms: start,
            stopped_ms: self.resolved_ms.filter(|&r| r >= start),
        })
    }
}

/// The periodic-update clocks of an interaction, in time order: from its
/// first reply to the next reply, and so on, the last to the resolution
/// (running while unresolved). Read from the messages; none without them.
/// Made by [`updates`].
#[derive(Debug, Clone)]
pub struct Updates<'a> {
    messages: std::slice::Iter<'a, Message>,
    from: Option<i64>,
    resolved_ms: Option<i64>,
}

impl Iterator for Updates<'_> {
    type Item = ResponseClock;

    fn next(&mut self) -> Option<ResponseClock> {
        let start = self.from?;
        if self.resolved_ms.is_some_and(|r| r <= start) {
            self.from = None;
            return None;
        }
        let next = self
            .messages
            .by_ref()
            .filter(|m| m.kind == MessageKind::Reply)
            .map(|m| ms(&m.at))
            .find(|&t| t > start);
        let stop = match (next, self.resolved_ms) {
            (Some(t), Some(r)) if r < t => Some(r),
            (Some(t), _) => Some(t),
            (None, r) => r,
        };
        self.from = next.filter(|&t| stop == Some(t));
        Some(ResponseClock {
            started_ms: start,
            stopped_ms: stop,
        })
    }
}

/// The periodic-update clocks of an interaction (see [`Updates`]).
///
/// ```
/// use mindgap::{Span, clock};
/// let diary = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}], "interactions": [{"id": "i1", "channel": "email",
///   "stage": "s", "opened_at": "2026-05-04T10:00:00Z", "resolved_at": "2026-05-05T18:00:00Z",
///   "messages": [{"at": "2026-05-04T10:30:00Z", "kind": "reply"},
///     {"at": "2026-05-04T12:00:00Z", "kind": "note"},
///     {"at": "2026-05-05T09:30:00Z", "kind": "reply"}]}]}"#)?;
/// let spans: Vec<_> = clock::updates(&diary.interactions[0]).map(|c| c.span(None)).collect();
/// // 23 h to the second reply, then 8 h 30 to the resolution.
/// assert_eq!(spans, [Some(Span::from_hours(23)), Some(Span::from_minutes(510))]);
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn updates(i: &Interaction) -> Updates<'_> {
    updates_in(Hist::of(i))
}

/// [`updates`] of a view.
pub(crate) fn updates_in(i: Hist<'_>) -> Updates<'_> {
    Updates {
        messages: i.messages.iter(),
        from: if i.messages.is_empty() {
            None
        } else {
            first_reply_in(i)
        },
        resolved_ms: i.resolved_at.map(ms),
    }
}

/// The next-response clocks of an interaction (see the module rules), read
/// from its messages when it has any, else from its status history; empty
/// without either. Checks the history's order first.
///
/// ```
/// use mindgap::{Span, clock};
/// let diary = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}], "interactions": [{"id": "i1", "channel": "email",
///   "stage": "s", "opened_at": "2026-05-04T10:00:00Z", "first_response_at": "2026-05-04T10:30:00Z",
///   "statuses": [{"at": "2026-05-04T10:30:00Z", "status": "waiting_customer"},
///     {"at": "2026-05-04T12:00:00Z", "status": "open"}, {"at": "2026-05-04T12:45:00Z",
///     "status": "waiting_customer"}, {"at": "2026-05-04T14:00:00Z", "status": "open"}]}]}"#)?;
/// let i = &diary.interactions[0];
/// let clocks: Vec<_> = clock::next_responses(i)?.collect();
/// assert_eq!(clocks[0].span(None), Some(Span::from_minutes(45)));
/// assert_eq!((clocks.len(), clocks[1].stopped_ms), (2, None)); // the last one unanswered
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn next_responses(i: &Interaction) -> Result<NextResponses<'_>, Error> {
    check_history(i)?;
    Ok(next_responses_checked(Hist::of(i)))
}

/// [`next_responses`] for an interaction whose status history is known to be
/// in order (a prepared row).
pub(crate) fn next_responses_checked(i: Hist<'_>) -> NextResponses<'_> {
    NextResponses {
        statuses: i.statuses.iter(),
        messages: i.messages.iter(),
        from_messages: !i.messages.is_empty(),
        replied: false,
        first_reply_ms: i.first_response_at.map(ms),
        resolved_ms: i.resolved_at.map(ms),
        prev_open: true,
        running: None,
    }
}

#[cfg(test)]
#[path = "clock_tests.rs"]
mod tests;

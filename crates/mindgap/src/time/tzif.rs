//! The system's tz database files: TZif (RFC 8536, versions 1–4) and the
//! POSIX TZ rule in their footer, which gives the offsets after the file's
//! last transition (every year to the end of time, not only to 2037).
//!
//! Only what a [`crate::TimeZone`] needs is kept: the offset from UTC in
//! force at an instant. Abbreviations, the DST flag and the standard/UT
//! indicators are read past; a file with leap-second records (a `right/`
//! zone, which counts time in TAI-like seconds) is refused.

use std::fmt;

const DAY: i64 = 86_400;

/// Offsets must fit chrono's `FixedOffset` (strictly within a day).
const MAX_OFFSET: i64 = DAY - 1;

/// A zone's rules read from a TZif file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tzif {
    /// Transition instants (seconds since the epoch), strictly ascending.
    times: Vec<i64>,
    /// The offset in force from each transition on (same length as `times`).
    offsets: Vec<i32>,
    /// The offset before the first transition (time type 0).
    first: i32,
    /// The rule after the last transition, from the footer (version 2+).
    footer: Option<PosixTz>,
}

/// Why a TZif file or a POSIX TZ string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TzifError(pub(crate) String);

impl fmt::Display for TzifError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad<T>(why: impl Into<String>) -> Result<T, TzifError> {
    Err(TzifError(why.into()))
}

/// Reads big-endian fields off a byte slice, failing (not panicking) at its
/// end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TzifError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return bad(format!(
                "truncated: {n} more bytes expected at byte {} of {}",
                self.at,
                self.bytes.len()
            ));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, TzifError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// The six counts of a TZif header.
#[derive(Debug, Clone, Copy)]
struct Counts {
    isut: usize,
    isstd: usize,
    leap: usize,
    time: usize,
    typ: usize,
    chars: usize,
}

fn header(r: &mut Reader<'_>) -> Result<(u8, Counts), TzifError> {
    if r.take(4)? != b"TZif" {
        return bad("not a TZif file (no \"TZif\" magic)");
    }
    let version = r.take(1)?[0];
    if !matches!(version, 0 | b'2'..=b'9') {
        return bad(format!("unknown TZif version byte {version:#04x}"));
    }
    r.take(15)?;
    let mut n = [0usize; 6];
    for slot in &mut n {
        *slot = r.u32()? as usize;
    }
    let [isut, isstd, leap, time, typ, chars] = n;
    if typ == 0 {
        return bad("no local time types (typecnt 0)");
    }
    if (isut != 0 && isut != typ) || (isstd != 0 && isstd != typ) {
        return bad("isutcnt/isstdcnt is neither 0 nor typecnt");
    }
    Ok((
        version,
        Counts {
            isut,
            isstd,
            leap,
            time,
            typ,
            chars,
        },
    ))
}

/// The length of a data block with `width`-byte times.
fn block_len(c: Counts, width: usize) -> Option<usize> {
    let parts = [
        c.time.checked_mul(width)?,
        c.time,
        c.typ.checked_mul(6)?,
        c.chars,
        c.leap.checked_mul(width + 4)?,
        c.isstd,
        c.isut,
    ];
    parts.iter().try_fold(0usize, |a, &p| a.checked_add(p))
}

/// Reads one data block (`width` 4 for version 1's, 8 for version 2+'s).
fn block(r: &mut Reader<'_>, c: Counts, width: usize) -> Result<Tzif, TzifError> {
    if c.leap != 0 {
        return bad(
            "has leap-second records (a \"right/\" zone): its clock is not UTC's; \
             use the zone of the same name without \"right/\"",
        );
    }
    let Some(len) = block_len(c, width) else {
        return bad("counts too large");
    };
    let mut data = Reader {
        bytes: r.take(len)?,
        at: 0,
    };
    let mut times = Vec::with_capacity(c.time);
    for _ in 0..c.time {
        let b = data.take(width)?;
        let t = if width == 8 {
            i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        } else {
            i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        if times.last().is_some_and(|&last| t <= last) {
            return bad(format!(
                "transition {} ({t}) is not after the one before it",
                times.len()
            ));
        }
        times.push(t);
    }
    let indices = data.take(c.time)?.to_vec();
    let mut types = Vec::with_capacity(c.typ);
    for i in 0..c.typ {
        let b = data.take(6)?;
        let utoff = i32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        if i64::from(utoff).abs() > MAX_OFFSET {
            return bad(format!(
                "local time type {i}: offset {utoff} s out of range"
            ));
        }
        types.push(utoff);
    }
    let mut offsets = Vec::with_capacity(c.time);
    for (k, &i) in indices.iter().enumerate() {
        match types.get(usize::from(i)) {
            Some(&o) => offsets.push(o),
            None => {
                return bad(format!(
                    "transition {k} names local time type {i} of {}",
                    types.len()
                ));
            }
        }
    }
    Ok(Tzif {
        times,
        offsets,
        first: types[0],
        footer: None,
    })
}

impl Tzif {
    /// Parses a TZif file: version 1 files by their 32-bit data, version 2+
    /// by their 64-bit data and footer.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Tzif, TzifError> {
        let mut r = Reader { bytes, at: 0 };
        let (version, v1) = header(&mut r)?;
        if version == 0 {
            return block(&mut r, v1, 4);
        }
        // Version 2+: skip the 32-bit block, read the 64-bit one.
        let Some(skip) = block_len(v1, 4) else {
            return bad("counts too large");
        };
        r.take(skip)?;
        let (_, c) = header(&mut r)?;
        let mut zone = block(&mut r, c, 8)?;
        if r.take(1)? != b"\n" {
            return bad("footer does not start with a newline");
        }
        let rest = &bytes[r.at..];
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            return bad("footer does not end with a newline");
        };
        let Ok(text) = std::str::from_utf8(&rest[..end]) else {
            return bad("footer is not ASCII");
        };
        if !text.is_empty() {
            let rule = PosixTz::parse(text)
                .map_err(|e| TzifError(format!("footer TZ string {text:?}: {e}")))?;
            zone.footer = Some(rule);
        }
        Ok(zone)
    }

    /// Where [`Tzif::offset_at`] may change (seconds since the epoch): the
    /// first instant whose offset can differ from the first type's (`None`:
    /// never; `i64::MIN`: a footer with daylight saving time and no
    /// transitions), and the last transition, from which on the footer's
    /// rule alone gives the offsets (`None` without transitions: the footer
    /// or the first type throughout).
    pub(crate) fn change_bounds(&self) -> (Option<i64>, Option<i64>) {
        let n = self.times.len();
        // With a footer, the last transition's own type is never read: the
        // footer's rule takes over there.
        let table = if self.footer.is_some() {
            n.saturating_sub(1)
        } else {
            n
        };
        let mut first = (0..table)
            .find(|&i| self.offsets.get(i).is_some_and(|&o| o != self.first))
            .and_then(|i| self.times.get(i).copied());
        if let Some(rule) = &self.footer {
            let varies = rule.dst.is_some() || rule.std != self.first;
            match self.times.last() {
                Some(&last) if varies => first = Some(first.map_or(last, |f| f.min(last))),
                // No transitions: the footer's rule from the start.
                None if rule.dst.is_some() => first = Some(i64::MIN),
                _ => {}
            }
        }
        (first, self.times.last().copied())
    }

    /// The offset (local − UTC, seconds) in force at `t` (seconds since the
    /// epoch): the first local time type before the first transition, the
    /// footer's rule after the last one (or the last type without a footer).
    pub(crate) fn offset_at(&self, t: i64) -> i32 {
        let k = self.times.partition_point(|&x| x <= t);
        if let (true, Some(rule)) = (k == self.times.len(), &self.footer) {
            return rule.offset_at(t);
        }
        match k.checked_sub(1) {
            None => self.first,
            Some(i) => self.offsets.get(i).copied().unwrap_or(self.first),
        }
    }
}

/// A POSIX TZ rule (`EST5EDT,M3.2.0,M11.1.0`), with the TZif version 3
/// extension of transition times from −167 to 167 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PosixTz {
    /// Standard time's offset (local − UTC, seconds; POSIX writes it with
    /// the other sign).
    std: i32,
    /// Daylight saving time, when the rule has it.
    dst: Option<Dst>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dst {
    offset: i32,
    /// Into daylight saving time, in standard local time.
    start: Change,
    /// Out of it, in daylight saving local time.
    end: Change,
}

/// A day of the year and the local time of day a change happens at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    date: RuleDate,
    /// Seconds after the local midnight of that day (−167 h to 167 h).
    time: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleDate {
    /// `Jn`: day 1–365, 29 February never counted.
    Julian1(u16),
    /// `n`: day 0–365, 29 February counted.
    Julian0(u16),
    /// `Mm.w.d`: weekday `d` (0 Sunday) of week `w` (5: the last) of
    /// month `m`.
    Month { month: u8, week: u8, weekday: u8 },
}

/// A cursor over a TZ string.
struct Text<'a> {
    s: &'a [u8],
    at: usize,
}

impl Text<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn number(&mut self, what: &str, max: i64) -> Result<i64, TzifError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = &self.s[start..self.at];
        if digits.is_empty() || digits.len() > 3 {
            return bad(format!("{what}: expected a number at byte {start}"));
        }
        let n = digits
            .iter()
            .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
        if n > max {
            return bad(format!("{what} {n} is out of range (0–{max})"));
        }
        Ok(n)
    }

    /// A zone abbreviation: three or more letters, or `<…>` of letters,
    /// digits, `+` and `-`.
    fn name(&mut self) -> Result<(), TzifError> {
        let start = self.at;
        let len = if self.eat(b'<') {
            let inner = self.at;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-')
            {
                self.at += 1;
            }
            let len = self.at - inner;
            if !self.eat(b'>') {
                return bad(format!("unterminated <name> at byte {start}"));
            }
            len
        } else {
            while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                self.at += 1;
            }
            self.at - start
        };
        if len < 3 {
            return bad(format!(
                "zone abbreviation at byte {start} is shorter than 3 characters"
            ));
        }
        Ok(())
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, hours up to `max_hours`.
    fn hms(&mut self, what: &str, max_hours: i64) -> Result<i64, TzifError> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut secs = self.number(what, max_hours)? * 3600;
        if self.eat(b':') {
            secs += self.number(what, 59)? * 60;
            if self.eat(b':') {
                secs += self.number(what, 59)?;
            }
        }
        Ok(sign * secs)
    }

    fn change(&mut self) -> Result<Change, TzifError> {
        let date = if self.eat(b'J') {
            let n = self.number("Julian day Jn", 365)?;
            if n == 0 {
                return bad("Julian day Jn is out of range (1–365)");
            }
            RuleDate::Julian1(n as u16)
        } else if self.eat(b'M') {
            let month = self.number("month", 12)?;
            if month == 0 || !self.eat(b'.') {
                return bad("expected Mm.w.d with a month 1–12");
            }
            let week = self.number("week", 5)?;
            if week == 0 || !self.eat(b'.') {
                return bad("expected Mm.w.d with a week 1–5");
            }
            let weekday = self.number("weekday", 6)?;
            RuleDate::Month {
                month: month as u8,
                week: week as u8,
                weekday: weekday as u8,
            }
        } else {
            RuleDate::Julian0(self.number("day", 365)? as u16)
        };
        let time = if self.eat(b'/') {
            self.hms("transition time", 167)?
        } else {
            7200
        };
        Ok(Change { date, time })
    }
}

/// A POSIX offset (west positive) as local − UTC, checked to fit a day.
fn utoff(posix: i64) -> Result<i32, TzifError> {
    if posix.abs() > MAX_OFFSET {
        return bad(format!("offset {posix} s is a day or more"));
    }
    Ok(-posix as i32)
}

impl PosixTz {
    /// Parses a POSIX TZ string as TZif footers write it (`std offset [dst
    /// [offset] [,start[/time],end[/time]]]`). A rule with daylight saving
    /// time but no dates uses the US rule (`M3.2.0,M11.1.0`), as glibc does.
    pub(crate) fn parse(s: &str) -> Result<PosixTz, TzifError> {
        let mut t = Text {
            s: s.as_bytes(),
            at: 0,
        };
        t.name()?;
        let std = utoff(t.hms("standard offset", 24)?)?;
        let mut rule = PosixTz { std, dst: None };
        if t.peek().is_none() {
            return Ok(rule);
        }
        t.name()?;
        let offset = if matches!(t.peek(), Some(b',') | None) {
            std + 3600
        } else {
            utoff(t.hms("daylight saving offset", 24)?)?
        };
        let (start, end) = if t.eat(b',') {
            let start = t.change()?;
            if !t.eat(b',') {
                return bad("expected ,end after the start of daylight saving time");
            }
            (start, t.change()?)
        } else {
            let us = |month, week| Change {
                date: RuleDate::Month {
                    month,
                    week,
                    weekday: 0,
                },
                time: 7200,
            };
            (us(3, 2), us(11, 1))
        };
        if t.at != t.s.len() {
            return bad(format!("unexpected text at byte {}", t.at));
        }
        rule.dst = Some(Dst { offset, start, end });
        Ok(rule)
    }

    /// The offset (local − UTC, seconds) the rule gives at `t` (seconds
    /// since the epoch).
    pub(crate) fn offset_at(&self, t: i64) -> i32 {
        let Some(dst) = self.dst else {
            return self.std;
        };
        // ±35 million years: the dates below stay far from overflow.
        let t = t.clamp(-(1 << 50), 1 << 50);
        // The changes of the years around t's, in order: the last one at
        // or before t is in force (an end and a start at the same instant,
        // as in a rule for daylight saving time all year, leave it on).
        let year = civil_from_days(t.div_euclid(DAY)).0;
        let mut last: Option<(i64, bool)> = None;
        for y in year - 2..=year + 1 {
            let start = dst.start.utc(y, self.std);
            let end = dst.end.utc(y, dst.offset);
            for (at, on) in [(end, false), (start, true)] {
                if at <= t && last.is_none_or(|(l, lon)| (at, on) >= (l, lon)) {
                    last = Some((at, on));
                }
            }
        }
        match last {
            Some((_, true)) => dst.offset,
            _ => self.std,
        }
    }
}

impl Change {
    /// The instant of this change in year `year`, its local time read with
    /// offset `before` (the one in force until it).
    fn utc(self, year: i64, before: i32) -> i64 {
        let jan1 = days_from_civil(year, 1, 1);
        let leap = is_leap(year);
        let day = match self.date {
            RuleDate::Julian1(n) => {
                let n = i64::from(n) - 1;
                jan1 + n + i64::from(leap && n >= 59)
            }
            RuleDate::Julian0(n) => jan1 + i64::from(n),
            RuleDate::Month {
                month,
                week,
                weekday,
            } => {
                let first = days_from_civil(year, i64::from(month), 1);
                // 1970-01-01 was a Thursday (4).
                let wd = (first + 4).rem_euclid(7);
                let mut d =
                    first + (i64::from(weekday) - wd).rem_euclid(7) + 7 * (i64::from(week) - 1);
                let next = if month == 12 {
                    days_from_civil(year + 1, 1, 1)
                } else {
                    days_from_civil(year, i64::from(month) + 1, 1)
                };
                while d >= next {
                    d -= 7;
                }
                d
            }
        };
        day * DAY + self.time - i64::from(before)
    }
}

pub(crate) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number (days since 1970-01-01).
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
#[path = "tzif_tests.rs"]
mod tests;

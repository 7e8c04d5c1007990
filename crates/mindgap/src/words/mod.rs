//! Every human word mindgap prints, in one catalogue per language
//! ([`en`], [`ru`]), with the rules that go with a language: CLDR plural
//! categories, number, percent, date and duration formatting.
//!
//! Adding a language is one file (a `static WORDS: Words`) plus its
//! [`Lang`] variant; nothing else names a language.

use serde::{Deserialize, Serialize};

pub(crate) mod date;
mod en;
mod message;
mod parser;
mod ru;

pub use message::{Arg, Msg, Sentence};

/// Language of the words a result prints (remarks, tables, documents).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, for tests and menus.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// Whether this is the default language (English), for
    /// `skip_serializing_if`.
    pub fn is_default(&self) -> bool {
        *self == Lang::En
    }

    /// The catalogue of this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &en::WORDS,
            Lang::Ru => &ru::WORDS,
        }
    }
}

/// The CLDR plural category of a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `one` (English 1; Russian 1, 21, 101 but not 11).
    One,
    /// `few` (Russian 2–4, 22–24 but not 12–14).
    Few,
    /// `many` (Russian 0, 5–20, 25…) and English `other`.
    Many,
}

/// The forms of a word that change with a number (English uses `one` and
/// `many`, its `few` is the same as `many`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    /// Form for [`Category::One`].
    pub one: &'static str,
    /// Form for [`Category::Few`].
    pub few: &'static str,
    /// Form for [`Category::Many`] (`other`).
    pub many: &'static str,
}

/// English plural rule (CLDR): `one` for 1, `other` otherwise.
fn plural_en(n: u64) -> Category {
    if n == 1 {
        Category::One
    } else {
        Category::Many
    }
}

/// Russian plural rule (CLDR, integers): `one` when n mod 10 = 1 and
/// n mod 100 ≠ 11; `few` when n mod 10 ∈ 2..4 and n mod 100 ∉ 12..14;
/// `many` otherwise.
fn plural_ru(n: u64) -> Category {
    let (d, h) = (n % 10, n % 100);
    if d == 1 && h != 11 {
        Category::One
    } else if (2..=4).contains(&d) && !(12..=14).contains(&h) {
        Category::Few
    } else {
        Category::Many
    }
}

/// One entry of a catalogue, for checks over the whole of it.
pub trait Entry {
    /// Every text of the entry.
    fn texts(&self) -> Vec<&'static str>;
}
impl Entry for &'static str {
    fn texts(&self) -> Vec<&'static str> {
        vec![*self]
    }
}
impl Entry for Plural {
    fn texts(&self) -> Vec<&'static str> {
        vec![self.one, self.few, self.many]
    }
}
impl Entry for &'static [&'static str] {
    fn texts(&self) -> Vec<&'static str> {
        self.to_vec()
    }
}

macro_rules! catalogue {
    ($(#[$m:meta])* pub struct $name:ident { $( $(#[doc = $d:literal])* $field:ident : $ty:ty, )* }) => {
        $(#[$m])*
        pub struct $name {
            /// The language's plural rule.
            pub plural_rule: fn(u64) -> Category,
            /// The language's message templates (errors, skip reasons,
            /// loader notes), by key.
            pub message: fn(Msg) -> &'static str,
            $( $(#[doc = $d])* pub $field: $ty, )*
        }
        impl $name {
            /// Every entry by name, with its texts.
            /// The message templates come last, by their key's name.
            pub fn entries(&self) -> Vec<(&'static str, Vec<&'static str>)> {
                let mut all = vec![$( (stringify!($field), Entry::texts(&self.$field)), )*];
                all.extend(Msg::ALL.iter().map(|&k| (k.name(), vec![(self.message)(k)])));
                all
            }
        }
    };
}

catalogue! {
    /// The words of one language. Texts with `{name}` are templates filled
    /// by [`fill`]; the first group of entries are formats, not words.
    #[derive(Debug)]
    pub struct Words {
        /// BCP 47 tag (`<html lang>`).
        tag: &'static str,
        /// Decimal separator.
        decimal: &'static str,
        /// Thousands separator (numbers of five digits and more).
        group: &'static str,
        /// A percentage: `{n}` the number.
        percent: &'static str,
        /// The minus sign of a negative number or duration.
        minus: &'static str,
        /// chrono format of a date.
        date: &'static str,
        /// chrono format of a date and time.
        datetime: &'static str,
        /// chrono format of a day within the year.
        day_month: &'static str,
        /// An interval `[lo, hi]`.
        interval: &'static str,
        /// Unit names: day, hour, minute, second, millisecond.
        u_day: &'static str,
        u_hour: &'static str,
        u_min: &'static str,
        u_sec: &'static str,
        u_ms: &'static str,
        /// Business time: hours, minutes, seconds.
        b_hour: &'static str,
        b_min: &'static str,
        b_sec: &'static str,
        /// Business days (a level written in them), and "by the end of the
        /// business day" (`+{n}` days later).
        b_days: &'static str,
        eod_today: &'static str,
        eod_plus: &'static str,
        /// The classes of the zone of tolerance.
        missed: &'static str,
        within: &'static str,
        exceeded: &'static str,
        pending: &'static str,
        met: &'static str,
        all: &'static str,
        /// Channels.
        ch_phone: &'static str,
        ch_email: &'static str,
        ch_chat: &'static str,
        ch_messenger: &'static str,
        ch_social: &'static str,
        ch_in_person: &'static str,
        ch_web: &'static str,
        /// A group with no key.
        none_key: &'static str,
        /// Breakdown titles, by dimension.
        by_stage: &'static str,
        by_touchpoint: &'static str,
        by_channel: &'static str,
        by_employee: &'static str,
        by_team: &'static str,
        by_customer: &'static str,
        by_segment: &'static str,
        by_day: &'static str,
        by_week: &'static str,
        by_month: &'static str,
        /// Record kinds.
        k_interaction: &'static str,
        k_feedback: &'static str,
        k_observation: &'static str,
        k_follow_up: &'static str,
        /// Staleness kinds.
        kind_stage: &'static str,
        kind_touchpoint: &'static str,
        kind_channel: &'static str,
        /// Metric kinds.
        m_first_response: &'static str,
        m_next_response: &'static str,
        m_update: &'static str,
        m_resolution: &'static str,
        m_follow_up: &'static str,
        m_rating: &'static str,
        m_flag: &'static str,
        /// Units of a value.
        unit_seconds: &'static str,
        unit_points: &'static str,
        unit_flag: &'static str,
        unit_business_days: &'static str,
        /// Importance–Performance quadrants.
        q_concentrate: &'static str,
        q_keep_up: &'static str,
        q_low: &'static str,
        q_overkill: &'static str,
        /// Plurals: observations after "of", checks after "of", answers
        /// after "from" and "of", misses after "of", days, times, records,
        /// clocks.
        obs_of: Plural,
        obs: Plural,
        checks_of: Plural,
        answers_from: Plural,
        answers_of: Plural,
        misses_of: Plural,
        days: Plural,
        times: Plural,
        records: Plural,
        clocks: Plural,
        // The report.
        header: &'static str,
        header_sub: &'static str,
        actual: &'static str,
        gap: &'static str,
        trend: &'static str,
        msa: &'static str,
        pooled: &'static str,
        no_obs: &'static str,
        zone_business: &'static str,
        v_improving: &'static str,
        v_worsening: &'static str,
        v_rising: &'static str,
        v_falling: &'static str,
        v_stable: &'static str,
        v_not_enough: &'static str,
        stale_line: &'static str,
        fresh_days: &'static str,
        fresh_never: &'static str,
        never_line: &'static str,
        nps_line: &'static str,
        csat_line: &'static str,
        period_of: &'static str,
        col_stage: &'static str,
        col_expectation: &'static str,
        col_actual: &'static str,
        col_gap: &'static str,
        col_remark: &'static str,
        col_group: &'static str,
        col_period: &'static str,
        col_interactions: &'static str,
        col_n: &'static str,
        csv_report: &'static [&'static str],
        // The HTML report and its charts (`render`).
        h_summary: &'static str,
        h_diary: &'static str,
        h_focus: &'static str,
        h_focus_note: &'static str,
        h_focus_none: &'static str,
        h_zones: &'static str,
        h_zones_note: &'static str,
        h_adequate: &'static str,
        h_desired: &'static str,
        h_median: &'static str,
        h_stages: &'static str,
        h_stages_note: &'static str,
        h_weekly: &'static str,
        h_weekly_note: &'static str,
        h_too_few: &'static str,
        h_feedback: &'static str,
        h_ipa: &'static str,
        h_ipa_note: &'static str,
        h_importance: &'static str,
        h_missed_share: &'static str,
        h_interval: &'static str,
        h_as_table: &'static str,
        h_breakdowns: &'static str,
        h_ranking_note: &'static str,
        h_figure: &'static str,
        h_value: &'static str,
        h_ces: &'static str,
        h_made_by: &'static str,
        // validate and sample.
        val_error: &'static str,
        val_note: &'static str,
        val_ok: &'static str,
        val_errors: &'static str,
        val_counts: &'static str,
        val_rejected: &'static str,
        fk_diary: &'static str,
        fk_interactions: &'static str,
        fk_feedback: &'static str,
        fk_records: &'static str,
        n_stages: Plural,
        n_expectations: Plural,
        n_interactions: Plural,
        n_feedback: Plural,
        n_follow_ups: Plural,
        n_rows: Plural,
        n_callbacks: Plural,
        sample_wrote: &'static str,
        import_wrote: &'static str,
        import_skip: &'static str,
        // Remarks of an expectation and a stage.
        a_durations: &'static str,
        a_mean: &'static str,
        a_flag: &'static str,
        a_n: &'static str,
        a_open: &'static str,
        a_pending: &'static str,
        a_no_values: &'static str,
        st_unanswered: &'static str,
        st_unresolved: &'static str,
        st_not_followed: &'static str,
        r_all_pending: &'static str,
        r_never_measured: &'static str,
        r_flag_missing: &'static str,
        r_flag_ok: &'static str,
        r_gap: &'static str,
        r_gap_p90: &'static str,
        r_mostly_exceeded: &'static str,
        r_mostly_within: &'static str,
        r_spread: &'static str,
        r_and_missed: &'static str,
        r_uncertain: &'static str,
        r_open_most: &'static str,
        r_open_some: &'static str,
        r_worst_channel: &'static str,
        r_worst_employee: &'static str,
        r_act_here: &'static str,
        s_largest: &'static str,
        s_some: &'static str,
        s_met: &'static str,
        s_none_recorded: &'static str,
        s_none_observed: &'static str,
        s_top_reason: &'static str,
        s_nps_negative: &'static str,
        // Trends.
        drift: &'static str,
        dir_tightening: &'static str,
        dir_loosening: &'static str,
        dir_unchanged: &'static str,
        dir_mixed: &'static str,
        t_header: &'static str,
        tm_missed: &'static str,
        tm_msa: &'static str,
        tm_zone: &'static str,
        tm_p90: &'static str,
        tm_nps: &'static str,
        tm_csat: &'static str,
        tm_ces: &'static str,
        tm_volume: &'static str,
        tb_stage: &'static str,
        tb_expectation: &'static str,
        tb_channel: &'static str,
        tb_employee: &'static str,
        bucket_day: &'static str,
        bucket_week: &'static str,
        bucket_month: &'static str,
        /// "Per" a bucket (a slope's unit).
        per_day: &'static str,
        per_week: &'static str,
        per_month: &'static str,
        t_mk: &'static str,
        t_sen: &'static str,
        t_shift: &'static str,
        t_already: &'static str,
        t_cross: &'static str,
        t_above: &'static str,
        t_drift_title: &'static str,
        csv_trend: &'static [&'static str],
        // Follow-ups.
        f_header: &'static str,
        f_summary: &'static str,
        f_close_time: &'static str,
        f_overdue: &'static str,
        f_open: &'static str,
        f_closed: &'static str,
        f_priority: &'static str,
        f_repeat: &'static str,
        f_customer: &'static str,
        f_about: &'static str,
        f_employee: &'static str,
        f_closed_by: &'static str,
        f_late: &'static str,
        f_due: &'static str,
        f_no_due: &'static str,
        f_history: &'static str,
        rule_reason: &'static str,
        rule_sentiment: &'static str,
        rule_rating: &'static str,
        fk_comment: &'static str,
        /// A customer's words, quoted.
        quote: &'static str,
        sent_negative: &'static str,
        csv_follow_ups: &'static [&'static str],
        // Drill-down.
        d_header: &'static str,
        d_matched: &'static str,
        d_first: &'static str,
        d_running: &'static str,
        csv_drill: &'static [&'static str],
        // People.
        p_header: &'static str,
        p_columns: &'static [&'static str],
        p_unassigned: &'static str,
        csv_people: &'static [&'static str],
        // Problems.
        pr_header: &'static str,
        pr_none: &'static str,
        pr_row: &'static str,
        pr_reasons: &'static str,
        pr_missed: &'static str,
        pr_stage: &'static str,
        sc_customer: &'static str,
        sc_stage: &'static str,
        sc_employee: &'static str,
        pk_reason: &'static str,
        pk_category: &'static str,
        csv_problems: &'static [&'static str],
        // The breach queue.
        due_header: &'static str,
        due_summary: &'static str,
        due_since: &'static str,
        due_breached: &'static str,
        due_at_risk: &'static str,
        due_paused: &'static str,
        due_on_track: &'static str,
        c_first_reply: &'static str,
        c_next_reply: &'static str,
        c_resolution: &'static str,
        c_update: &'static str,
        c_follow_up: &'static str,
        due_row: &'static str,
        due_breached_at: &'static str,
        due_left: &'static str,
        due_left_paused: &'static str,
        due_new: &'static str,
        due_new_at_risk: &'static str,
        due_new_title: &'static str,
        due_new_due: &'static str,
        csv_due: &'static [&'static str],
    }
}

impl Words {
    /// The plural form of `forms` for `n`.
    ///
    /// ```
    /// use mindgap::Lang;
    /// let w = Lang::Ru.words();
    /// let f = |n| format!("{n} {}", w.plural(n, &w.checks_of));
    /// assert_eq!(f(1), "1 проверки");
    /// assert_eq!(f(5), "5 проверок");
    /// ```
    pub fn plural(&self, n: u64, forms: &Plural) -> &'static str {
        match (self.plural_rule)(n) {
            Category::One => forms.one,
            Category::Few => forms.few,
            Category::Many => forms.many,
        }
    }

    /// The form of `forms` (`one|few|many`, or English `one|other`) for
    /// `n`: the plural hole of a message template.
    ///
    /// ```
    /// use mindgap::Lang;
    /// assert_eq!(Lang::Ru.words().plural_form(22, "запись|записи|записей"), "записи");
    /// assert_eq!(Lang::En.words().plural_form(22, "record|records"), "records");
    /// ```
    pub fn plural_form<'a>(&self, n: u64, forms: &'a str) -> &'a str {
        let mut all = forms.split('|');
        let first = all.next().unwrap_or_default();
        let rest: Vec<&str> = all.collect();
        match ((self.plural_rule)(n), rest.as_slice()) {
            (Category::One, _) | (_, []) => first,
            (Category::Few, [few, ..]) => few,
            (_, [.., many]) => many,
        }
    }

    /// A number with `decimals` places: the language's decimal separator,
    /// and its thousands separator from five digits on (Russian and
    /// English typography both leave four-digit numbers whole).
    ///
    /// ```
    /// use mindgap::Lang;
    /// assert_eq!(Lang::Ru.words().number(12345.678, 2), "12\u{a0}345,68");
    /// assert_eq!(Lang::En.words().number(1234.5, 1), "1234.5");
    /// ```
    pub fn number(&self, x: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        // "-0" is zero.
        if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push_str(self.minus);
        }
        if int.len() >= 5 {
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push_str(self.group);
                }
                out.push(c);
            }
        } else {
            out.push_str(int);
        }
        if !frac.is_empty() {
            out.push_str(self.decimal);
            out.push_str(frac);
        }
        out
    }

    /// A count (a whole number).
    pub fn count(&self, n: u64) -> String {
        self.number(n as f64, 0)
    }

    /// A share (0.38) as a whole percentage (`38%`, `38 %`).
    pub fn pct(&self, share: f64) -> String {
        fill(self.percent, &[("n", &self.number(share * 100.0, 0))])
    }

    /// A share as a percentage with `decimals` places.
    pub fn pct_dec(&self, share: f64, decimals: usize) -> String {
        fill(
            self.percent,
            &[("n", &self.number(share * 100.0, decimals))],
        )
    }

    /// An interval `[lo, hi]` of two texts.
    pub fn interval(&self, lo: &str, hi: &str) -> String {
        fill(self.interval, &[("lo", lo), ("hi", hi)])
    }

    /// A date and time (`2026-10-31 23:58`, `31.10.2026 23:58`).
    pub fn datetime<Tz: chrono::TimeZone>(&self, t: &chrono::DateTime<Tz>) -> String {
        date::format(self.datetime, t.date_naive(), t.time())
    }

    /// A date (`2026-10-31`, `31.10.2026`).
    pub fn date<Tz: chrono::TimeZone>(&self, t: &chrono::DateTime<Tz>) -> String {
        date::format(self.date, t.date_naive(), t.time())
    }

    /// A duration in seconds in words: the two largest units (`2 d 4 h`,
    /// `13 мин 9 с`); business time in hours and minutes only, named as
    /// business time (`13 business h 20 min`, `13 раб. ч 20 мин`): a business
    /// day is not 24 hours, so days would mislead.
    ///
    /// ```
    /// use mindgap::Lang;
    /// assert_eq!(Lang::En.words().duration(187_200.0, false), "2 d 4 h");
    /// assert_eq!(Lang::Ru.words().duration(187_200.0, false), "2 дн. 4 ч");
    /// assert_eq!(Lang::En.words().duration(48_000.0, true), "13 business h 20 min");
    /// assert_eq!(Lang::Ru.words().duration(48_000.0, true), "13 раб. ч 20 мин");
    /// ```
    pub fn duration(&self, seconds: f64, business: bool) -> String {
        let ms = (seconds * 1000.0).round();
        let sign = if ms < 0.0 { self.minus } else { "" };
        // Saturates: a duration beyond i64 milliseconds is not a real one.
        let ms = ms.abs().min(i64::MAX as f64) as u64;
        const S: u64 = 1000;
        const M: u64 = 60 * S;
        const H: u64 = 60 * M;
        const D: u64 = 24 * H;
        if business {
            let (h, m) = (ms / H, (ms % H) / M);
            return match (h, m) {
                (0, 0) if ms >= S => format!("{sign}{} {}", ms / S, self.b_sec),
                (0, 0) => format!("0 {}", self.b_min),
                (0, m) => format!("{sign}{m} {}", self.b_min),
                (h, 0) => format!("{sign}{} {}", self.count(h), self.b_hour),
                (h, m) => format!("{sign}{} {} {m} {}", self.count(h), self.b_hour, self.u_min),
            };
        }
        if ms > 0 && ms < S {
            return format!("{sign}{ms} {}", self.u_ms);
        }
        let units = [
            (D, self.u_day),
            (H, self.u_hour),
            (M, self.u_min),
            (S, self.u_sec),
        ];
        let mut parts: Vec<String> = Vec::new();
        let mut rest = ms;
        let mut written = 0;
        for (size, name) in units {
            let n = rest / size;
            if n > 0 && written < 2 {
                parts.push(format!("{n} {name}"));
                written += 1;
                rest -= n * size;
            } else if written > 0 {
                written += 1; // a zero unit in between still counts towards the two
            }
        }
        if parts.is_empty() {
            return format!("0 {}", self.u_sec);
        }
        format!("{sign}{}", parts.join(" "))
    }

    /// Business days, to a tenth: `2.5 business days`, `2,5 раб. дн.`.
    pub fn business_days(&self, days: f64) -> String {
        format!("{} {}", self.number(days, 1), self.b_days)
    }

    /// "By the end of the business day", `n` business days after the first.
    pub fn end_of_business_day(&self, n: u32) -> String {
        if n == 0 {
            self.eod_today.to_owned()
        } else {
            fill(self.eod_plus, &[("n", &n.to_string())])
        }
    }

    /// A signed duration: `+2 d 4 h`, `−1 h`.
    pub fn signed_duration(&self, seconds: f64, business: bool) -> String {
        let d = self.duration(seconds, business);
        if seconds > 0.0 { format!("+{d}") } else { d }
    }

    /// A channel's name (an open channel is printed as written).
    pub fn channel<'a>(&self, key: &'a str) -> std::borrow::Cow<'a, str> {
        let name = match key {
            "phone" => self.ch_phone,
            "email" => self.ch_email,
            "chat" => self.ch_chat,
            "messenger" => self.ch_messenger,
            "social" => self.ch_social,
            "in_person" => self.ch_in_person,
            "web" => self.ch_web,
            "(none)" => self.none_key,
            _ => return key.into(),
        };
        name.into()
    }

    /// A zone class by its JSON name (`missed`, `within`, `exceeded`,
    /// `pending`, `met`, `all`).
    pub fn class<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "missed" => self.missed,
            "within" => self.within,
            "exceeded" => self.exceeded,
            "pending" => self.pending,
            "met" => self.met,
            "all" => self.all,
            _ => key,
        }
    }

    /// A metric kind by its JSON name.
    pub fn metric<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "first_response" => self.m_first_response,
            "next_response" => self.m_next_response,
            "update" => self.m_update,
            "resolution" => self.m_resolution,
            "follow_up" => self.m_follow_up,
            "rating" => self.m_rating,
            "flag" => self.m_flag,
            _ => key,
        }
    }

    /// A record kind by its JSON name.
    pub fn record_kind<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "interaction" => self.k_interaction,
            "feedback" => self.k_feedback,
            "observation" => self.k_observation,
            "follow_up" => self.k_follow_up,
            _ => key,
        }
    }

    /// A value unit by its JSON name.
    pub fn unit<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "seconds" => self.unit_seconds,
            "points" => self.unit_points,
            "flag" => self.unit_flag,
            "business_days" => self.unit_business_days,
            _ => key,
        }
    }

    /// A breakdown's title by its dimension's JSON name.
    pub fn by<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "stage" => self.by_stage,
            "touchpoint" => self.by_touchpoint,
            "channel" => self.by_channel,
            "employee" => self.by_employee,
            "team" => self.by_team,
            "customer" => self.by_customer,
            "segment" => self.by_segment,
            "day" => self.by_day,
            "week" => self.by_week,
            "month" => self.by_month,
            _ => key,
        }
    }

    /// A quadrant by its JSON name.
    pub fn quadrant<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "concentrate_here" => self.q_concentrate,
            "keep_up_the_good_work" => self.q_keep_up,
            "low_priority" => self.q_low,
            "possible_overkill" => self.q_overkill,
            _ => key,
        }
    }

    /// A count with its word: `3 stages`, `21 этап`.
    pub fn counted(&self, n: u64, forms: &Plural) -> String {
        format!("{} {}", self.count(n), self.plural(n, forms))
    }

    /// A kind of file by its JSON name (`diary`, `interactions`,
    /// `feedback`, `records`).
    pub fn file_kind<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "diary" => self.fk_diary,
            "interactions" => self.fk_interactions,
            "feedback" => self.fk_feedback,
            "records" => self.fk_records,
            _ => key,
        }
    }

    /// A stale item: `stage service (42 days)`.
    pub fn freshness(&self, kind: &str, key: &str, days: Option<f64>) -> String {
        let kind = match kind {
            "stage" => self.kind_stage,
            "touchpoint" => self.kind_touchpoint,
            "channel" => self.kind_channel,
            k => k,
        };
        let key = self.channel(key);
        match days {
            Some(d) => {
                let n = d.round().max(0.0) as u64;
                let days = format!("{} {}", self.count(n), self.plural(n, &self.days));
                fill(
                    self.fresh_days,
                    &[("kind", kind), ("key", &key), ("days", &days)],
                )
            }
            None => fill(self.fresh_never, &[("kind", kind), ("key", &key)]),
        }
    }
}

/// Fills a template: each `{name}` is replaced by its value (a name not
/// given is left as written).
///
/// ```
/// assert_eq!(mindgap::text::fill("{k} of {n}", &[("k", "3"), ("n", "7")]), "3 of 7");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals_follow_cldr() {
        let w = Lang::Ru.words();
        let f = |n| format!("{n} {}", w.plural(n, &w.checks_of));
        let cases = [
            (0, "0 проверок"),
            (1, "1 проверки"),
            (2, "2 проверок"),
            (5, "5 проверок"),
            (11, "11 проверок"),
            (21, "21 проверки"),
            (22, "22 проверок"),
            (25, "25 проверок"),
            (101, "101 проверки"),
        ];
        for (n, want) in cases {
            assert_eq!(f(n), want);
        }
        let cat = |n| plural_ru(n);
        let want = [
            (1, Category::One),
            (2, Category::Few),
            (5, Category::Many),
            (11, Category::Many),
            (12, Category::Many),
            (14, Category::Many),
            (21, Category::One),
            (22, Category::Few),
            (25, Category::Many),
            (101, Category::One),
            (111, Category::Many),
            (112, Category::Many),
            (1002, Category::Few),
        ];
        for (n, c) in want {
            assert_eq!(cat(n), c, "{n}");
        }
        let d = |n| format!("{n} {}", w.plural(n, &w.days));
        assert_eq!(
            [1, 2, 5, 11, 21, 22, 25, 101].map(d),
            [
                "1 день",
                "2 дня",
                "5 дней",
                "11 дней",
                "21 день",
                "22 дня",
                "25 дней",
                "101 день"
            ]
        );
    }

    #[test]
    fn english_plurals() {
        let w = Lang::En.words();
        let f = |n| format!("{n} {}", w.plural(n, &w.days));
        assert_eq!(
            [1, 2, 5, 11, 21, 22, 25, 101].map(f),
            [
                "1 day", "2 days", "5 days", "11 days", "21 days", "22 days", "25 days", "101 days"
            ]
        );
    }

    #[test]
    fn numbers_durations_and_percentages() {
        let (en, ru) = (Lang::En.words(), Lang::Ru.words());
        assert_eq!(ru.number(4.06, 2), "4,06");
        assert_eq!(ru.number(-0.004, 2), "0,00");
        assert_eq!(ru.number(-13.0, 0), "−13");
        assert_eq!(ru.count(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(en.count(1_234_567), "1,234,567");
        assert_eq!(ru.pct(0.38), "38\u{a0}%");
        assert_eq!(en.pct(0.38), "38%");
        assert_eq!(en.duration(0.25, false), "250 ms");
        assert_eq!(en.duration(0.0, false), "0 s");
        assert_eq!(en.duration(-84.0, false), "-1 min 24 s");
        assert_eq!(ru.duration(90_000.0, false), "1 дн. 1 ч");
        assert_eq!(en.duration(3600.0 * 518.0, true), "518 business h");
        assert_eq!(ru.duration(45.0 * 60.0, true), "45 раб. мин");
        assert_eq!(en.signed_duration(60.0, false), "+1 min");
    }

    #[test]
    fn every_language_has_every_entry_and_placeholder() {
        let en = Lang::En.words().entries();
        for lang in Lang::ALL {
            let other = lang.words().entries();
            assert_eq!(other.len(), en.len());
            for ((name, a), (name2, b)) in en.iter().zip(&other) {
                assert_eq!(name, name2);
                assert_eq!(a.len(), b.len(), "{lang:?} {name}");
                // Message templates have their own check (`message.rs`).
                if Msg::ALL.iter().any(|k| k.name() == *name) {
                    continue;
                }
                for (x, y) in a.iter().zip(b) {
                    assert!(!y.is_empty() || x.is_empty(), "{lang:?} {name} is empty");
                    let holes = |s: &str| {
                        let mut v: Vec<String> = s
                            .split('{')
                            .skip(1)
                            .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_owned()))
                            .collect();
                        v.sort();
                        v
                    };
                    assert_eq!(holes(x), holes(y), "{lang:?} {name}: {y}");
                }
            }
        }
    }
}

//! English: the words mindgap prints.

use super::{Msg, Plural, Words};

/// The English catalogue.
pub(super) static WORDS: Words = Words {
    plural_rule: super::plural_en,
    message,
    tag: "en",
    decimal: ".",
    group: ",",
    percent: "{n}%",
    minus: "-",
    date: "%Y-%m-%d",
    datetime: "%Y-%m-%d %H:%M",
    day_month: "%m-%d",
    interval: "[{lo}, {hi}]",
    u_day: "d",
    u_hour: "h",
    u_min: "min",
    u_sec: "s",
    u_ms: "ms",
    b_hour: "business h",
    b_min: "business min",
    b_sec: "business s",
    b_days: "business days",
    eod_today: "by the end of the business day",
    eod_plus: "by the end of business day +{n}",
    missed: "missed",
    within: "within",
    exceeded: "exceeded",
    pending: "pending",
    met: "met",
    all: "all",
    ch_phone: "phone",
    ch_email: "email",
    ch_chat: "chat",
    ch_messenger: "messenger",
    ch_social: "social media",
    ch_in_person: "in person",
    ch_web: "web",
    none_key: "(none)",
    by_stage: "By stage",
    by_touchpoint: "By touchpoint",
    by_channel: "By channel",
    by_employee: "By employee",
    by_team: "By team",
    by_customer: "By customer",
    by_segment: "By segment",
    by_day: "By day",
    by_week: "By week",
    by_month: "By month",
    k_interaction: "interaction",
    k_feedback: "feedback",
    k_observation: "observation",
    k_follow_up: "follow-up",
    kind_stage: "stage",
    kind_touchpoint: "touchpoint",
    kind_channel: "channel",
    m_first_response: "first response",
    m_next_response: "next response",
    m_update: "periodic update",
    m_resolution: "resolution",
    m_follow_up: "follow-up",
    m_rating: "rating",
    m_flag: "yes/no",
    unit_seconds: "seconds",
    unit_points: "points",
    unit_flag: "yes/no",
    unit_business_days: "business days",
    q_concentrate: "concentrate here",
    q_keep_up: "keep up the good work",
    q_low: "low priority",
    q_overkill: "possible overkill",
    obs_of: Plural {
        one: "observation",
        few: "observations",
        many: "observations",
    },
    obs: Plural {
        one: "observation",
        few: "observations",
        many: "observations",
    },
    checks_of: Plural {
        one: "check",
        few: "checks",
        many: "checks",
    },
    answers_from: Plural {
        one: "answer",
        few: "answers",
        many: "answers",
    },
    answers_of: Plural {
        one: "answer",
        few: "answers",
        many: "answers",
    },
    misses_of: Plural {
        one: "miss",
        few: "misses",
        many: "misses",
    },
    days: Plural {
        one: "day",
        few: "days",
        many: "days",
    },
    times: Plural {
        one: "time",
        few: "times",
        many: "times",
    },
    records: Plural {
        one: "record",
        few: "records",
        many: "records",
    },
    clocks: Plural {
        one: "running clock",
        few: "running clocks",
        many: "running clocks",
    },
    header: "{diary} · as of {at} ({zone}) · {conf} intervals",
    header_sub: "As of {at} ({zone}) · {conf} intervals",
    actual: "actual",
    gap: "gap",
    trend: "trend",
    msa: "MSA {v}",
    pooled: "{missed} missed of {n} {obs}",
    no_obs: "no observations",
    zone_business: "{range}, business time",
    v_improving: "↗ improving",
    v_worsening: "↘ worsening",
    v_rising: "↑ rising",
    v_falling: "↓ falling",
    v_stable: "→ stable",
    v_not_enough: "· not enough data",
    stale_line: "Stale (no records for {span}): {list}",
    fresh_days: "{kind} {key} ({days})",
    fresh_never: "{kind} {key} (never)",
    never_line: "Collected, never measured: {list}",
    nps_line: "NPS {nps} {interval} from {n} {answers} ({dismissed} dismissed, not counted)",
    csat_line: "CSAT {pct} {interval} of {n} {answers}",
    period_of: "{key} · {period}",
    col_stage: "Stage",
    col_expectation: "Expectation",
    col_actual: "Actual",
    col_gap: "Gap",
    col_remark: "Remark",
    col_group: "Group",
    col_period: "Period",
    col_interactions: "Interactions",
    col_n: "n",
    csv_report: &[
        "stage",
        "stage_name",
        "expectation",
        "description",
        "metric",
        "unit",
        "desired",
        "adequate",
        "n",
        "pending",
        "exceeded",
        "within",
        "missed",
        "missed_lower",
        "missed_upper",
        "p50",
        "p90",
        "p95",
        "msa_mean",
        "msa_median",
        "mss_mean",
        "zone_position",
        "quadrant",
        "remark",
        "by",
        "group",
        "period",
        "interactions",
    ],
    // The HTML report and its charts.
    h_summary: "{n} {obs}: {missed} missed the adequate level, {within} within the zone of tolerance, {exceeded} exceeded the desired level.",
    h_diary: "The diary",
    h_focus: "Where to act first",
    h_focus_note: "Important expectations below the cross-hair of importance and performance, the largest missed share first.",
    h_focus_none: "Nothing important is below the cross-hair.",
    h_zones: "Zone of tolerance",
    h_zones_note: "Every expectation on one scale: the band runs from the adequate level (its left edge) to the desired level (its right edge). The dot is the median (p50), the line runs on to p90.",
    h_adequate: "adequate",
    h_desired: "desired",
    h_median: "median (p50)",
    h_stages: "Stages",
    h_stages_note: "Share of observations that missed, met or exceeded what customers expect.",
    h_weekly: "Missed share by week",
    h_weekly_note: "All expectations pooled; the band is the {conf} interval.",
    h_too_few: "Not enough periods for a line yet.",
    h_feedback: "Customer feedback",
    h_ipa: "Importance and performance",
    h_ipa_note: "Each expectation by its importance and its position in the zone; the cross-hair splits the four quadrants.",
    h_importance: "importance",
    h_missed_share: "missed share",
    h_interval: "{conf} interval",
    h_as_table: "The figures as a table",
    h_breakdowns: "Breakdowns",
    h_ranking_note: "Missed share of each group with its {conf} interval.",
    h_figure: "Figure",
    h_value: "Value",
    h_ces: "CES, share agreeing",
    h_made_by: "Made with {name} {version}",
    val_error: "error: {message}",
    val_note: "note: {message}",
    val_ok: "ok",
    val_errors: "errors",
    val_counts: "{status}: {stages}, {expectations}, {interactions}, {feedback}, {observations}, {follow_ups} in {files}",
    val_rejected: "{n} {records} rejected",
    fk_diary: "diary",
    fk_interactions: "interactions",
    fk_feedback: "feedback",
    fk_records: "records",
    n_stages: Plural {
        one: "stage",
        few: "stages",
        many: "stages",
    },
    n_expectations: Plural {
        one: "expectation record",
        few: "expectation records",
        many: "expectation records",
    },
    n_interactions: Plural {
        one: "interaction",
        few: "interactions",
        many: "interactions",
    },
    n_feedback: Plural {
        one: "feedback record",
        few: "feedback records",
        many: "feedback records",
    },
    n_follow_ups: Plural {
        one: "follow-up",
        few: "follow-ups",
        many: "follow-ups",
    },
    n_rows: Plural {
        one: "row",
        few: "rows",
        many: "rows",
    },
    n_callbacks: Plural {
        one: "call-back",
        few: "call-backs",
        many: "call-backs",
    },
    sample_wrote: "wrote {dir}: diary.json, interactions.csv ({i}), feedback.csv ({f}), follow_ups.jsonl ({u}; pass it with --records)",
    import_wrote: "wrote {dir}: interactions.csv ({i}), feedback.csv ({f})",
    import_skip: "skipped: {message}",
    a_durations: "p50 {p50} · p90 {p90}",
    a_mean: "mean {m}",
    a_flag: "as expected in {k} of {n} {checks}",
    a_n: " (n = {n})",
    a_open: ", {u} {state} past the adequate time",
    a_pending: ", {u} pending",
    a_no_values: "no values yet",
    st_unanswered: "unanswered",
    st_unresolved: "unresolved",
    st_not_followed: "not followed up",
    r_all_pending: "All observations still pending.",
    r_never_measured: "No observations: collected but never measured.",
    r_flag_missing: "Not in place: found as expected in {k} of {n} {checks}.",
    r_flag_ok: "In place at every check.",
    r_gap: "Gap: {missed} missed the adequate level",
    r_gap_p90: " (p90 {p90} against {adequate})",
    r_mostly_exceeded: "Mostly better than desired: {exceeded}",
    r_mostly_within: "Mostly within the zone of tolerance: {within}",
    r_spread: "Spread over the zone: {exceeded} better than desired, {within} within",
    r_and_missed: "; {missed} missed the adequate level",
    r_uncertain: " (not certain with n = {n})",
    r_open_most: " The misses are mostly {state}: {u} of {k}.",
    r_open_some: " Of {k} {misses}, {u} still {state}.",
    r_worst_channel: " Worst channel: {key}, {missed} of {n} {obs} missed.",
    r_worst_employee: " Worst employee: {key}, {missed} of {n} {obs} missed.",
    r_act_here: " Important and below par: act here first.",
    s_largest: "Main gap: “{name}” ({missed} missed)",
    s_some: "Mostly met; the main misses at “{name}” ({missed} missed)",
    s_met: "Expectations met",
    s_none_recorded: "No expectations recorded",
    s_none_observed: "No observations yet",
    s_top_reason: "most frequent complaint: {reason} ({count})",
    s_nps_negative: "NPS {nps}, below zero",
    drift: "Customers now expect {now}, not {before} ({from} to {to}): {direction}.",
    dir_tightening: "tightening",
    dir_loosening: "loosening",
    dir_unchanged: "unchanged",
    dir_mixed: "mixed",
    t_header: "{metric} by {by} per {bucket} · as of {at} · α = {alpha}",
    tm_missed: "Missed share",
    tm_msa: "MSA",
    tm_zone: "Zone position",
    tm_p90: "p90",
    tm_nps: "NPS",
    tm_csat: "CSAT",
    tm_ces: "CES",
    tm_volume: "Volume",
    tb_stage: "stage",
    tb_expectation: "expectation",
    tb_channel: "channel",
    tb_employee: "employee",
    bucket_day: "day",
    bucket_week: "week",
    bucket_month: "month",
    per_day: "day",
    per_week: "week",
    per_month: "month",
    t_mk: " (MK p = {p}",
    t_sen: ", Sen slope {slope}/{bucket}",
    t_shift: "; level moved {period} ({before} → {after})",
    t_already: "; already past the adequate level",
    t_cross: "; projected to cross the adequate level in {period}",
    t_above: "; above the p-chart limit: {list}",
    t_drift_title: "EXPECTATIONS OVER TIME",
    csv_trend: &["group", "period", "x", "n", "k", "value"],
    f_header: "{diary} · follow-ups as of {at}",
    f_summary: "{total} opened: {overdue} overdue, {open} open, {closed} closed ({late} late)",
    f_close_time: "; time to close p50 {p50} · p90 {p90}",
    f_overdue: "OVERDUE",
    f_open: "open",
    f_closed: "closed",
    f_priority: "priority {p}",
    f_repeat: "repeat ×{n}",
    f_customer: "customer {c}",
    f_about: "about {id} ({channel})",
    f_employee: "employee {e}",
    f_closed_by: "closed {at} by {by} after {age}",
    f_late: " — late",
    f_due: "due {at} · open for {age}",
    f_no_due: "no due time (no follow_up expectation for stage {stage}) · open for {age}",
    f_history: "history: {list}",
    rule_reason: "reason",
    rule_sentiment: "sentiment",
    rule_rating: "rating",
    quote: "“{text}”",
    fk_comment: "comment",
    sent_negative: "negative",
    csv_follow_ups: &[
        "state",
        "feedback",
        "at",
        "stage",
        "customer",
        "interaction",
        "employee",
        "triggers",
        "severity",
        "repeats",
        "priority",
        "expectation",
        "due",
        "closed_at",
        "closed_by",
        "age_seconds",
        "late",
    ],
    d_header: "{diary} · as of {at} · {n} classified: {missed} missed, {within} within, {exceeded} exceeded; {pending} pending",
    d_matched: "{n} {records} ({class})",
    d_first: ", the first {k} listed",
    d_running: " (running)",
    csv_drill: &[
        "expectation",
        "kind",
        "id",
        "at",
        "stage",
        "channel",
        "employee",
        "team",
        "customer",
        "class",
        "value",
        "unit",
        "running",
        "position",
    ],
    p_header: "{diary} · share of observations met (within or exceeded) as of {at}, ranked by the lower bound of its {conf} interval",
    p_columns: &["rank", "who", "met", "interval", "n", "missed", "pending"],
    p_unassigned: "{n} {obs} name no one.",
    csv_people: &[
        "rank", "who", "n", "met", "share", "lower", "upper", "missed", "pending",
    ],
    pr_header: "{diary} · as of {at} · the same reason or category at least {min} {times} within {span}",
    pr_none: "No recurring problems.",
    pr_row: "{scope} {key} · {kind} {label} ×{count} from {from} to {to}: {ids}",
    pr_reasons: "Reasons and the gap of the interactions they were given about:",
    pr_missed: "{missed} missed ({range}, n = {n})",
    pr_stage: " · stage {s}",
    sc_customer: "customer",
    sc_stage: "stage",
    sc_employee: "employee",
    pk_reason: "reason",
    pk_category: "category",
    csv_problems: &[
        "scope", "key", "kind", "label", "count", "from", "to", "records",
    ],
    due_header: "{diary} · breach queue as of {at}",
    due_summary: "{total} {clocks}: {breached} breached, {at_risk} at risk, {on_track} on track ({paused} paused)",
    due_since: "since {at}: {breached} newly breached, {at_risk} newly at risk, {follow_ups} new follow-ups",
    due_breached: "BREACHED",
    due_at_risk: "AT RISK",
    due_paused: "paused",
    due_on_track: "on track",
    c_first_reply: "first reply",
    c_next_reply: "next reply",
    c_resolution: "resolution",
    c_update: "update",
    c_follow_up: "follow-up",
    due_row: "{state} {expectation} · {id} {clock} · {elapsed} of {adequate} · {when}{change}",
    due_breached_at: "breached {at}",
    due_left: "{left} left, breaches {at}",
    due_left_paused: "{left} left, clock paused",
    due_new: " · NEW",
    due_new_at_risk: " · new",
    due_new_title: "new follow-ups:",
    due_new_due: " · due {at}",
    csv_due: &[
        "state",
        "paused",
        "change",
        "expectation",
        "clock",
        "id",
        "started",
        "stage",
        "channel",
        "employee",
        "customer",
        "calendar",
        "unit",
        "elapsed",
        "desired",
        "adequate",
        "left",
        "warn_at",
        "breach_at",
    ],
};

/// The English message templates (the `Display` of errors and notes).
fn message(key: Msg) -> &'static str {
    match key {
        Msg::LocLine => "line {line}",
        Msg::LocPath => "at {path}",
        Msg::LocRecord => "record {record}",
        Msg::LocField => "field {field}",
        Msg::LocColumn => " (column {column})",
        Msg::LocFile => "{file} {parts}",
        Msg::LocParts => "{parts}",
        Msg::ErrSyntax => "malformed input: {message}",
        Msg::ErrUnknownSchema => "unknown schema {found}: this version of mindgap reads {expected}",
        Msg::ErrMissingColumns => "missing required column(s): {missing}{hint}",
        Msg::ErrInvalidUtf8 => "invalid UTF-8",
        Msg::ErrInvalidValue => "invalid value {value}: expected {expected}",
        Msg::ErrMissingField => "missing required field",
        Msg::ErrUnknownField => "unknown field {field}; expected one of: {expected}",
        Msg::ErrUnknownReference => "unknown {kind} {id}",
        Msg::ErrDuplicate => "duplicate {kind} id {id} (first seen {first})",
        Msg::ErrInvertedZone => {
            "desired level {desired} is worse than adequate level {adequate} ({direction} is better)"
        }
        Msg::ErrCalendar => "invalid calendar: {message}",
        Msg::ErrInvalidOption => "invalid option {option}: {message}",
        Msg::ErrInternal => "internal error (a bug in mindgap; please report it): {message}",
        Msg::ParInvalidType => "invalid type: {unexpected}, expected {expected}",
        Msg::ParInvalidValue => "invalid value: {unexpected}, expected {expected}",
        Msg::ParInvalidLength => "invalid length {len}, expected {expected}",
        Msg::ParUnknownVariant => "unknown variant `{variant}`, expected {expected}",
        Msg::ParNoVariants => "unknown variant `{variant}`, there are no variants",
        Msg::ParDuplicateField => "duplicate field `{field}`",
        Msg::ParAtLineColumn => "{message} at line {line} column {column}",
        Msg::ParColumn => "{message} (column {column})",
        Msg::ParOneOf => "one of {list}",
        Msg::ParOr => "{a} or {b}",
        Msg::ParBool => "boolean `{value}`",
        Msg::ParInteger => "integer `{value}`",
        Msg::ParFloat => "floating point `{value}`",
        Msg::ParChar => "character `{value}`",
        Msg::ParString => "string {value}",
        Msg::ParBytes => "byte array",
        Msg::ParUnitValue => "unit value",
        Msg::ParOptionValue => "Option value",
        Msg::ParSequence => "sequence",
        Msg::ParMap => "map",
        Msg::ParNull => "null",
        Msg::ParEnum => "enum",
        Msg::ParAString => "a string",
        Msg::ParABorrowedString => "a borrowed string",
        Msg::ParABoolean => "a boolean",
        Msg::ParASequence => "a sequence",
        Msg::ParAMap => "a map",
        Msg::ParACharacter => "a character",
        Msg::ParUnit => "unit",
        Msg::ParOption => "option",
        Msg::ParStruct => "struct {name}",
        Msg::ParTaggedEnum => "internally tagged enum {name}",
        Msg::ParEnumNamed => "enum {name}",
        Msg::ParTupleStruct => "tuple struct {name}",
        Msg::ParIntegerType => "{type}",
        Msg::ParFloatType => "{type}",
        Msg::ParEofList => "EOF while parsing a list",
        Msg::ParEofObject => "EOF while parsing an object",
        Msg::ParEofString => "EOF while parsing a string",
        Msg::ParEofValue => "EOF while parsing a value",
        Msg::ParColon => "expected `:`",
        Msg::ParCommaBracket => "expected `,` or `]`",
        Msg::ParCommaBrace => "expected `,` or `}`",
        Msg::ParIdent => "expected ident",
        Msg::ParValue => "expected value",
        Msg::ParQuote => "expected `\"`",
        Msg::ParEscape => "invalid escape",
        Msg::ParNumber => "invalid number",
        Msg::ParRange => "number out of range",
        Msg::ParCodePoint => "invalid unicode code point",
        Msg::ParControl => "control character (\\u0000-\\u001F) found while parsing a string",
        Msg::ParKeyString => "key must be a string",
        Msg::ParSurrogate => "lone leading surrogate in hex escape",
        Msg::ParTrailingComma => "trailing comma",
        Msg::ParTrailing => "trailing characters",
        Msg::ParHexEnd => "unexpected end of hex escape",
        Msg::ParRecursion => "recursion limit exceeded",
        Msg::ErrMany => "{n} error(s); the first: {first}",
        Msg::Lower => "lower",
        Msg::Higher => "higher",
        Msg::KindStage => "stage",
        Msg::KindTouchpoint => "touchpoint",
        Msg::KindCalendar => "calendar",
        Msg::KindHolidayList => "holiday list",
        Msg::KindCustomer => "customer",
        Msg::KindExpectation => "expectation",
        Msg::KindExpectationRecord => "expectation record",
        Msg::KindInteraction => "interaction",
        Msg::KindFeedback => "feedback",
        Msg::KindObservation => "observation",
        Msg::KindFollowUp => "follow-up",
        Msg::KindProfile => "profile",
        Msg::KindRecord => "record",
        Msg::MetricFirstResponse => "first_response",
        Msg::MetricNextResponse => "next_response",
        Msg::MetricResolution => "resolution",
        Msg::TsAny => {
            "an RFC 3339 timestamp with an offset, like 2026-01-05T10:00:00+03:00, or a local \
             time like 2026-01-05 10:00 or 05.01.2026 10:00"
        }
        Msg::TsFormat => "a timestamp in the format {format}",
        Msg::TsOneFormat => "a timestamp in the format {format} (or RFC 3339 with an offset)",
        Msg::TsFormats => {
            "a timestamp in one of the formats {formats} (or RFC 3339 with an offset)"
        }
        Msg::TsAmbiguous => {
            "an unambiguous local time; {time} happens twice in {zone} (clocks go back): write \
             it with an offset"
        }
        Msg::TsSkipped => {
            "a local time that exists; {time} is skipped in {zone} (clocks go forward)"
        }
        Msg::DurSeconds => "a number of seconds, 0 or more, under 100 years",
        Msg::DurMinutes => "a number of minutes, 0 or more, under 100 years",
        Msg::DurHours => "a number of hours, 0 or more, under 100 years",
        Msg::DurDays => "a number of days, 0 or more, under 100 years",
        Msg::DurClock => "a duration hh:mm:ss (or hh:mm), under 100 years",
        Msg::NumAny => "a number",
        Msg::NumScale => "a whole number (the top of the rating scale)",
        Msg::CsvMessages => "kind@timestamp entries (customer, reply or note) separated by ';'",
        Msg::CsvMessageKind => "a message kind: customer, reply or note",
        Msg::CsvStatuses => "status@timestamp entries separated by ';'",
        Msg::CsvWidth => "a row with {len} field(s) where the header has {expected}",
        Msg::CsvUnclosed => {
            "a quoted field opened in this row never closes: the rest of the file (to line {to}) \
             would be one field; a quote inside a field is written twice (\"\")"
        }
        Msg::CsvEmpty => "(the file is empty: no header)",
        Msg::HintHeader => "; the header read ({n} column(s), delimiter {delimiter}): {names}",
        Msg::HintProfile => {
            "; the header looks like a {name} export: read it with --from {name} (\"from\": \"{name}\")"
        }
        Msg::HintGeneric => {
            "; the generic profile reads common English and Russian header names \
             (--from generic, \"from\": \"generic\")"
        }
        Msg::HintNote => "; {note}",
        Msg::Three => "{a}{b}{c}",
        Msg::VFlagWhen => {
            "no `when` on a flag expectation: its observations are recorded for it, not selected"
        }
        Msg::VWhenField => "a field to select by: {fields} or field:<name> for a custom field",
        Msg::VInstant => "an instant from the year 1 to 9999 (one that RFC 3339 can write)",
        Msg::VAboveZero => "a number above 0",
        Msg::VNeedCalendar => {
            "a calendar: levels in business days count the calendar's business days"
        }
        Msg::VSunCalendar => {
            "a calendar with days of its own: a follow-the-sun calendar's members start their days at different times (give the levels in business hours)"
        }
        Msg::VSameShape => {
            "records of one expectation to share stage, touchpoint, channel, segment, when, metric kind, kind of levels, calendar and pause statuses (first record: {first})"
        }
        Msg::VBeforeOpened => "{field} {time} is before opened_at {opened}",
        Msg::VStatusBeforeOpened => "status {status} at {time} is before opened_at {opened}",
        Msg::VStatusOrder => {
            "status {status} at {time} is before the change listed ahead of it ({before} at {before_time}); list status changes in time order"
        }
        Msg::VMessageBeforeOpened => "{kind} message at {time} is before opened_at {opened}",
        Msg::VMessageOrder => {
            "{kind} message at {time} is before the message listed ahead of it ({before} at {before_time}); list messages in time order"
        }
        Msg::VNoScaleFor => "no scale for kind {kind} (its scale is fixed)",
        Msg::VScale => "a scale from 2 to 1000",
        Msg::VDismissedScore => "no score on a dismissed survey (it was shown, not answered)",
        Msg::VWholeFromTo => "a whole number from {lo} to {hi} for {kind}",
        Msg::VNumberFromTo => "a number from {lo} to {hi} for {kind}",
        Msg::VNoScoreFor => "no score for kind {kind}",
        Msg::VFlagValue => "true or false (the expectation is a flag)",
        Msg::VRatingValue => "a number on 1..{scale} (the expectation is a rating)",
        Msg::VDurationValue => "an ISO 8601 duration (the expectation is {metric})",
        Msg::VFromOneTo => "a number from 1 to {scale}",
        Msg::VNonNegative => "a duration of zero or more",
        Msg::VPlainText => "text without {char} (CSV uses it as a separator here)",
        Msg::VInteractionStage => "the stage of interaction {id} ({found})",
        Msg::VAfterFeedback => "an instant at or after the feedback {id} it follows up ({time})",
        Msg::VScoreFromTo => "a score from {lo} to {hi}",
        Msg::VReasonCode => "a reason code that is not blank",
        Msg::VSameKindLevel => "a level of the same kind as desired ({desired})",
        Msg::VLevelFromOneTo => "a level from 1 to {scale}",
        Msg::VScoredKinds => "feedback kinds that carry a score (nps, csat, ces, rating)",
        Msg::ExpDate => "a date like 2026-01-05",
        Msg::ExpTimestamp => "an RFC 3339 timestamp with an offset, like 2026-01-05T10:00:00+03:00",
        Msg::ExpFeedbackKind => "one of nps, csat, ces, rating, comment, reason",
        Msg::ExpSentiment => "negative, neutral or positive",
        Msg::ExpBool => "true or false",
        Msg::ExpZone => "an IANA time zone name like Europe/Moscow or America/New_York",
        Msg::CalMembersCompile => {
            "a follow-the-sun calendar is made of its members: compile it with Calendar::compile_among (a diary's reports do)"
        }
        Msg::CalTwice => {
            "{date} is listed twice (also working_days[{prev}]); give one entry with all its hours"
        }
        Msg::CalNoHours => "working day {date} has no hours; list a closed date under holidays",
        Msg::CalHolidayWorking => {
            "{date} is both a holiday and working_days[{i}]; remove one (a working day inside a holiday range is allowed as an exception)"
        }
        Msg::CalNeverMet => {
            "no business hours on any day and no working days: a deadline can never be met"
        }
        Msg::CalNeverMetPeriods => {
            "no business hours in any period and no working days: a deadline can never be met"
        }
        Msg::CalChangeDate => "{date} is the date of {field} too; give one change a date",
        Msg::CalRange => "range {start}..{end} (seconds after midnight) is outside 00:00-24:00",
        Msg::CalOverlap => "{field}[{second}] {rs} overlaps {field}[{first}] {rf}",
        Msg::CalShift => "the shift {prev}[{i}] crosses midnight and overlaps {next}[{j}]{on}",
        Msg::CalOn => " on {date}",
        Msg::CalSunOwn => {
            "a follow-the-sun calendar takes its hours and holidays from its members; give them there"
        }
        Msg::CalSelf => "{id} names the calendar itself",
        Msg::CalNoMember => "no calendar {id} in the diary",
        Msg::CalSunItself => "{id} follows the sun itself; name its members instead",
        Msg::CalNoMembers => "no member calendars",
        Msg::OptNoExpectation => "the diary has no expectation {id}",
        Msg::OptNoRecordNames => "no record names the {what} {value}",
        Msg::OptOutsideCalendar => "an observation at {ms} ms is outside the calendar range",
        Msg::OptMinCount => "{n} is fewer than 2 records",
        Msg::OptProblemsBy => "name at least one of customer, stage, employee",
        Msg::OptSpan => "{value} is not a span longer than zero",
        Msg::OptNonNegative => "{value} is not a duration of zero or more",
        Msg::OptAfterQueue => "{since} is after the instant of the queue {as_of}",
        Msg::OptNoTrend => {
            "trends are not in this build of mindgap (built without its `trend` feature, like the npm package's report build)"
        }
        Msg::OptAlpha => "{value} is not a significance level between 0 and 1 (e.g. 0.05)",
        Msg::OptLambda => "{value} is not a weight in (0, 1]",
        Msg::OptFeedbackByExpectation => {
            "feedback figures are not tied to one expectation; use by stage, channel or employee"
        }
        Msg::OptUnitsDiffer => {
            "MSA and p90 carry units that differ between expectations; use by expectation"
        }
        Msg::OptUntil => "until {until} is not after since {since}",
        Msg::OptUnknownStage => "unknown stage {id}",
        Msg::OptConfidence => "{value} is not a level between 0 and 1 (e.g. 0.95)",
        Msg::VLevelsOneKind => {
            "levels of one kind in every record of an expectation (a time, business days, or ends of business days), none below zero"
        }
        Msg::VSunCalendarShort => {
            "a calendar with days of its own: a follow-the-sun calendar's members start their days at different times"
        }
        Msg::VSelectors => {
            "at most {max} distinct `when` selectors in a diary (expectations with the same `when` share one)"
        }
        Msg::ReadFollowUpsFirst => {
            "{at}: follow-up records are read before the feedback read twice (they are checked against it as it is read)"
        }
        Msg::ReadNotFeedback => "{file} holds interactions, not feedback",
        Msg::ReadChanged => "{at}: the file changed while it was read (it is read twice)",
        Msg::ReadNotInteractions => {
            "{file} holds feedback, not only interactions; a streamed report reads feedback first"
        }
        Msg::ReadConstantStage => {
            "the constant {stage} names no stage of the diary; its stages: {known}"
        }
        Msg::ReadSkimmed => {
            "{files} read to be read again by a streamed report; read it with read_csv to load it"
        }
        Msg::EncNotUtf8Said => {
            "{file} is not UTF-8; it looks like {looks}: say \"encoding\": \"{looks}\" in the mapping (--encoding {looks})"
        }
        Msg::EncUtf8Only => {
            "{file} is not UTF-8 (it looks like {looks}); this build reads UTF-8 only: save the file as UTF-8"
        }
        Msg::EncBom => "{file}: read as {found}, as its byte order mark says, not {said}",
        Msg::EncSixteen => "{file}: read as {found} (no byte order mark; zero bytes tell it)",
        Msg::EncIsUtf8 => {
            "{file}: read as UTF-8, not {said} as the mapping says (the file is valid UTF-8)"
        }
        Msg::EncGuessed => {
            "{file}: not UTF-8; read as {looks} (what it looks like; say the encoding with --encoding or \"encoding\" in the mapping)"
        }
        Msg::CsvDelimiter => {
            "{char} cannot separate fields; use an ASCII character other than a quote or newline"
        }
        Msg::CsvDurationField => {
            "only first_response_at, resolved_at and a feedback's at can be a duration (counted from opened_at)"
        }
        Msg::CsvKindUnknown => {
            "opened_at (for interactions) or kind and at (for feedback); set the column mapping or csv.kind"
        }
        Msg::CsvUnknownField => "unknown field {field}; the fields are: {fields}",
        Msg::CsvUnknownValueField => {
            "unknown field {field}; value maps are by field: {interactions}; {feedback}"
        }
        Msg::CsvRowFeedback => "{kind} feedback needs a {column} column",
        Msg::ProfileNone => {
            "no import profile {name}: this build of mindgap has none (built without its `profiles` feature); give the columns instead"
        }
        Msg::ProfileUnknown => "no import profile {name}; the profiles are: {profiles}",
        Msg::FilesNotCsv => {
            "{file}: a streamed report reads interactions from CSV files (.csv, .tsv, .txt)"
        }
        Msg::FilesFormat => "{file}: cannot tell the format; name it .csv or .jsonl",
        Msg::FilesChanged => {
            "{files}: the feedback changed while it was read (it is read twice: {first} records, then {then})"
        }
        Msg::OptLabels => "more than {max} distinct categories and reasons",
        Msg::ClockStatusBeforeOpened => {
            "statuses[{k}] ({status}) at {time} is before opened_at {opened}"
        }
        Msg::ClockStatusOrder => {
            "statuses[{k}] ({status}) at {time} is before statuses[{prev}] ({before}) at {before_time}; the status history must be in time order"
        }
        Msg::LocPrefix => "{at}: {message}",
        Msg::ApiObject => {
            "the options are a JSON object of named options, like {example}, not {text}"
        }
        Msg::ApiUnknownOption => "unknown option; the options are: {options}",
        Msg::ApiNotStreamed => "{what} is not streamed from files; one of: {streamed}",
        Msg::ApiLeftOut => {
            "{name} is not in this build of mindgap (built without it, like the npm package's report build); the analyses here are: {analyses}"
        }
        Msg::ApiUnknownAnalysis => "unknown analysis {name}; the analyses are: {analyses}",
        Msg::ApiNoOptions => "{what} takes no options; pass {empty} or nothing",
        Msg::WhenTests => {
            "a value, a list of values or an object of tests (any, all, not, contains, present)"
        }
        Msg::WhenBlank => "values that are not blank",
        Msg::NoteUnmeasured => {
            "{total} of {seen} interaction(s) no duration expectation measures: {groups}{more} \
             (add an expectation for them, or map the values: {example})"
        }
        Msg::NoteUnmeasuredGroup => "{n} in stage {stage} by channel {channel}",
        Msg::NoteUnreached => {
            "no interaction reaches expectation(s) {expectations}{more}: check their stage, \
             channel, touchpoint and segment against the data"
        }
        Msg::NoteUnreachedItem => "{id} ({metric})",
        Msg::NoteStatuses => {
            "status value(s) mindgap does not know: {values}{more}; they neither pause nor stop \
             a clock (map them: {example}; known: {known})"
        }
        Msg::NoteStatusItem => "{value} ({n})",
        Msg::SkippedCount => "{n} record(s) skipped",
        Msg::NoteMore => " and {n} more",
        Msg::NoteIgnoredColumns => "{file}: ignored column(s): {columns}",
        Msg::NoteAbsentColumns => {
            "{file}: the mapping names column(s) the file does not have, left absent: {columns}"
        }
    }
}

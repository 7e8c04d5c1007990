
// ---------------------------------------------------------------------------
// mindgap data types. Hand-written from the Rust serde shapes and checked by
// the tests: the golden report, a validation report and the sample diary
// (all produced by Rust) are type-checked against these interfaces with
// `tsc --noEmit`, excess-property checks included.

/** An RFC 3339 timestamp with an offset, like `"2026-01-05T10:00:00+03:00"`. */
export type Timestamp = string;
/** A timestamp given to mindgap: RFC 3339 text with an offset, or a `Date` (sent as UTC). */
export type TimestampInput = string | Date;
/** An ISO 8601 duration like `"PT4H"`, `"P1DT2H30M"` (no months or years). */
export type Duration = string;

/**
 * A level of a duration zone: a duration ("PT4H"; business time under a
 * calendar), business days (`{business_days: 3}`, each business date one day),
 * or the close of the n-th business day after the clock's first
 * (`{end_of_business_day: 1}`: by the end of the next business day). The
 * levels of one zone are of one kind; business days need a calendar.
 */
export type Level = Duration | { business_days: number } | { end_of_business_day: number };

/** A clock's value: a duration, or business days for levels written in business days. */
export type ClockValue = Duration | { business_days: number };

/** Channels mindgap knows by name; any other name is kept as given. */
export type Channel = "phone" | "email" | "chat" | "messenger" | "social" | "in_person" | "web" | (string & {});
/** Statuses mindgap knows by name; any other name is kept as given. */
export type Status = "new" | "open" | "waiting_customer" | "on_hold" | "resolved" | "closed" | (string & {});
/** How an expectation was learned. */
export type ExpectationSource = "survey" | "interview" | "review" | "observation" | "focus_group" | "social_monitoring" | (string & {});
export type FeedbackKind = "nps" | "csat" | "ces" | "rating" | "comment" | "reason";
export type Sentiment = "negative" | "neutral" | "positive";

export interface Touchpoint {
  id: string;
  name: string;
  /** Names in other languages, by language code (`{ru: "Сайт"}`). */
  names?: Record<string, string>;
}

export interface Stage {
  id: string;
  name: string;
  names?: Record<string, string>;
  touchpoints?: Touchpoint[];
}

/** A zone of tolerance for a duration: lower is better. */
export interface DurationZone {
  desired: Level;
  adequate: Level;
  promised?: Level;
}

export type Metric =
  | ({ kind: "first_response" | "next_response" | "update" | "resolution" | "follow_up" } & DurationZone)
  | {
      kind: "rating";
      scale: number;
      desired: number;
      adequate: number;
      promised?: number;
      /** Feedback kinds observed (default csat). */
      from?: FeedbackKind[];
    }
  | { kind: "flag"; desired?: boolean };

export interface Expectation<T = Timestamp> {
  id: string;
  stage: string;
  touchpoint?: string;
  channel?: Channel;
  segment?: string;
  /** Narrowed by the interaction's fields, as an SLA policy picks tickets:
   *  `{priority: ["urgent", "high"], tags: {not: "spam"}, "field:Region": "EU"}`. */
  when?: Record<string, Condition>;
  description?: string;
  metric: Metric;
  /** Weight (default 1). */
  importance?: number;
  source?: ExpectationSource;
  recorded_at?: T;
  calendar?: string;
  pause_statuses?: Status[];
}

/** A `when` condition: a value, one of several, or tests that must all hold
 *  (values compared ignoring case; tags: one of the tags). */
export type Condition =
  | string
  | string[]
  | { any?: string | string[]; all?: string | string[]; not?: string | string[]; contains?: string; present?: boolean };

export interface StatusChange<T = Timestamp> {
  at: T;
  status: Status;
}

export interface Interaction<T = Timestamp> {
  id: string;
  opened_at: T;
  first_response_at?: T;
  resolved_at?: T;
  statuses?: StatusChange<T>[];
  /** The conversation in time order: the first reply (without first_response_at), next
   *  responses and periodic updates are read from it. */
  messages?: { at: T; kind: "customer" | "reply" | "note" }[];
  channel: Channel;
  stage: string;
  touchpoint?: string;
  customer?: string;
  segment?: string;
  employee?: string;
  team?: string;
  request?: string;
  resolution?: string;
  outcome?: string;
  status?: Status;
  category?: string;
  /** Priority as the helpdesk names it (`urgent`, `P1`…). */
  priority?: string;
  tags?: string[];
  /** Custom fields kept from the input, by name (`{Region: "EU"}`). */
  fields?: Record<string, string>;
}

export interface Feedback<T = Timestamp> {
  id: string;
  at: T;
  kind: FeedbackKind;
  /** nps 0–10, csat 1–5, ces 1–7 (whole numbers), rating 1–scale. */
  score?: number;
  scale?: number;
  reason?: string;
  comment?: string;
  sentiment?: Sentiment;
  /** Shown and not answered: never counted as an answer. */
  dismissed?: boolean;
  interaction?: string;
  stage?: string;
  touchpoint?: string;
  customer?: string;
}

export interface Observation<T = Timestamp> {
  id: string;
  expectation: string;
  at: T;
  /** A flag, a number (points) or a duration. */
  value: boolean | number | Duration;
  channel?: Channel;
  note?: string;
}

export interface Customer {
  id: string;
  segment?: string;
  name?: string;
}

/** Weekly hours (`"09:00-17:00"`), holidays (`"2026-01-01"` or `"2026-01-01..2026-01-08"`). */
export type WeekHours = Partial<Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", string[]>>;

export interface Calendar {
  id: string;
  timezone?: string;
  /** Weekly hours, `"09:00-18:00"`; absent on a follow-the-sun calendar. */
  hours?: WeekHours;
  /** Once (`"2026-11-04"`, `"2026-12-24/2026-12-26"`) or every year (`"01-07"`, `"12-31/01-08"`). */
  holidays?: string[];
  /** Ids of the diary's shared holiday lists this calendar keeps. */
  holiday_lists?: string[];
  working_days?: { date: string; hours: string[] }[];
  /** New weekly hours from a date on. */
  changes?: { from: string; hours: WeekHours }[];
  /** Open whenever one of these calendars is (each in its own zone): follow the sun. */
  follow_the_sun?: string[];
}

/** The diary (schema `mindgap/1`), as mindgap returns it. */
export interface DiaryData<T = Timestamp> {
  schema: "mindgap/1";
  name: string;
  /** IANA time zone, e.g. `"Europe/Moscow"`. */
  timezone: string;
  stages: Stage[];
  expectations: Expectation<T>[];
  calendars?: Calendar[];
  /** Holidays several calendars share, named by their `holiday_lists`. */
  holiday_lists?: { id: string; holidays: string[] }[];
  customers?: Customer[];
  interactions: Interaction<T>[];
  feedback: Feedback<T>[];
  observations?: Observation<T>[];
  /** What negative feedback opens a follow-up (defaults shown). */
  follow_up?: FollowUpRules;
  /** Follow-ups done outside the interaction log. */
  follow_ups?: FollowUpRecord<T>[];
}

/** What makes a feedback record open a follow-up; any one rule is enough. */
export interface FollowUpRules {
  /** Default 6 (detractors). `null` turns the rule off. */
  nps_at_most?: number | null;
  /** Default 2. */
  csat_at_most?: number | null;
  /** Default 2. */
  ces_at_most?: number | null;
  /** Default 2, on five points (other scales are rescaled). */
  rating_at_most?: number | null;
  /** Complaint reason codes (default none). */
  reasons?: string[];
  /** Feedback marked negative opens one (default true). */
  negative_sentiment?: boolean;
}

/** An explicit record that a feedback was followed up. */
export interface FollowUpRecord<T = Timestamp> {
  id: string;
  feedback: string;
  at: T;
  employee?: string;
  note?: string;
}

/** A diary given to mindgap: an object (timestamps may be `Date`s), its JSON text, or its bytes. */
export type DiaryInput =
  | (Omit<DiaryData<TimestampInput>, "expectations" | "interactions" | "feedback"> & {
      expectations?: Expectation<TimestampInput>[];
      interactions?: Interaction<TimestampInput>[];
      feedback?: Feedback<TimestampInput>[];
    })
  | string
  | Uint8Array
  | ArrayBuffer;

export type InteractionInput = Interaction<TimestampInput>;
export type FeedbackInput = Feedback<TimestampInput>;
export type RecordInput =
  | ({ type: "interaction" } & Interaction<TimestampInput>)
  | ({ type: "feedback" } & Feedback<TimestampInput>)
  | ({ type: "expectation" } & Expectation<TimestampInput>)
  | ({ type: "observation" } & Observation<TimestampInput>)
  | ({ type: "follow_up" } & FollowUpRecord<TimestampInput>);

// ---------------------------------------------------------------------------
// Reading and validation

/** CSV column mapping and formats. */
/** Where a field is read: a header, the first present of several headers, a
 * constant, or a duration column counted from `opened_at`. */
export type Column =
  | string
  | string[]
  | { column: string | string[]; unit?: "seconds" | "minutes" | "hours" | "days" | "hh:mm:ss" }
  | { const: string };

/** Feedback carried in an interaction's row (Zendesk's satisfaction score…). */
export interface RowFeedback {
  kind: "nps" | "csat" | "ces" | "rating" | "comment" | "reason";
  score?: Column;
  scale?: number;
  comment?: Column;
  reason?: Column;
  at?: Column;
}

export interface CsvOptions {
  /** An import profile this mapping builds on: `generic`, `zendesk`, `freshdesk`,
   * `jira-sm`, `intercom`, `hubspot`, `bitrix24`, `amocrm`, `usedesk`, `omnidesk`. */
  from?: string;
  /** A profile's name, description and notes: for people, not read. */
  profile?: string;
  description?: string;
  notes?: string[];
  kind?: "interactions" | "feedback";
  /** Field name → where it is read (`{opened_at: "Created", stage: {const: "service"}}`). */
  interaction_columns?: Record<string, Column>;
  feedback_columns?: Record<string, Column>;
  row_feedback?: RowFeedback[];
  /** Columns kept as custom fields (`["Priority"]`; `"*"`: every column no field reads). */
  custom_columns?: string[];
  /** Value maps by field (`{channel: {"Web Widget": "chat"}}`); `""` maps to absent. */
  values?: Record<string, Record<string, string>>;
  /** strftime format(s) (`"%d.%m.%Y %H:%M"`), tried in order; without `%z`, local
   * to the diary's zone. Default: RFC 3339, else common local forms. */
  timestamp_format?: string | string[];
  /** One ASCII character (told from the header otherwise). */
  delimiter?: string;
  /** Text encoding of bytes given as `Uint8Array`; this build reads UTF-8 (and
   * says which encoding other bytes look like). */
  encoding?: "utf-8" | "utf-16" | "utf-16be" | "windows-1251" | "koi8-r" | "windows-1252";
  /** Numbers may have a decimal comma (always so when the delimiter is not `,`). */
  decimal_comma?: boolean;
}

export interface LoadOptions {
  /** Name of the diary in messages (default `"diary.json"`). */
  name?: string;
  /** `strict` stops at the first bad record; `lenient` skips and lists it.
   * Default: lenient for `validate`, strict for `new Diary`. */
  mode?: "strict" | "lenient";
  csv?: CsvOptions;
}

export interface ParseCsvOptions extends LoadOptions {
  /** Name of the CSV file in messages (default `"records.csv"`). */
  file?: string;
}

/** A record file beside the diary. */
export interface FileInput {
  /** The name used in messages; `.csv`/`.tsv`/`.txt` or `.jsonl`/`.ndjson` tells the format. */
  name: string;
  content: string | Uint8Array | ArrayBuffer;
  format?: "csv" | "jsonl";
}

// BEGIN error kinds: generated from mindgap::ERROR_CODES by tests/error_kinds.rs
/** The kind of an error; its stable `code` is in the comment. */
export type ErrorKind =
  | "io" // 10: reading failed
  | "syntax" // 11: malformed JSON, CSV or JSON Lines
  | "unknown_schema" // 12: unknown diary schema version
  | "missing_columns" // 13: required CSV columns are missing
  | "invalid_utf8" // 14: input data is not valid UTF-8
  | "invalid_value" // 15: a value could not be parsed or is out of its range
  | "missing_field" // 16: a required field is absent or empty
  | "unknown_field" // 17: a field the format does not know
  | "unknown_reference" // 18: a reference to a record that does not exist
  | "duplicate" // 19: two records of one kind share an id
  | "inverted_zone" // 20: desired level worse than adequate
  | "out_of_order" // 21: timestamps out of order
  | "calendar" // 22: a business calendar that cannot work
  | "invalid_option" // 23: invalid options or unknown analysis name
  | "many" // 24: several errors
  | "mismatch" // 25: a value does not fit the schema
  | "internal"; // 26: a fault of mindgap itself (a bug: please report it)
// END error kinds

/** Where an error is: every part is optional. */
export interface Location {
  file?: string;
  line?: number;
  /** JSON path, e.g. `expectations[2].metric.desired`. */
  path?: string;
  record?: string;
  field?: string;
  /** The file's own column the field was read from, when its header is another
   * name (`"Created at"` for `opened_at`). */
  column?: string;
}

/** An error as plain data. */
export interface ErrorReport {
  /** Stable numeric code (the same in Rust, C and JS). */
  code: number;
  kind: ErrorKind;
  message: string;
  location: Location;
}

/**
 * What every mindgap function throws: a real `Error` (with its stack) carrying
 * the core's stable `code` (shared with the C library), its `kind`, and where
 * the problem is (`location`: file, line, JSON path, record, field; for a bad
 * argument, `field` names it). `err instanceof MindgapError` and
 * `err instanceof Error` both hold. Thrown by the package, not built by users.
 */
export declare class MindgapError extends Error {
  private constructor();
  readonly name: "MindgapError";
  readonly code: number;
  readonly kind: ErrorKind;
  readonly location: Location;
}

declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.dispose` (explicit resource management: `using`), declared here
     * without a lib so that the `[Symbol.dispose]()` of `Diary` type-checks
     * at targets and libs before esnext (es2020, es2022); the same
     * declaration as the esnext lib's, which it merges with.
     */
    readonly dispose: unique symbol;
  }
}

export interface Counts {
  stages: number;
  expectations: number;
  interactions: number;
  feedback: number;
  observations: number;
  follow_ups: number;
}

export interface FileSummary {
  file: string;
  kind: "diary" | "interactions" | "feedback" | "records";
}

export interface ValidationReport {
  /** No errors at all. */
  ok: boolean;
  /** The error that stopped reading, if any. */
  fatal?: ErrorReport;
  files: FileSummary[];
  counts: Counts | null;
  /** Every rejected record, in input order (lenient). */
  errors: ErrorReport[];
  notes: string[];
}

export interface ParsedCsv {
  kind: "interactions" | "feedback";
  /** The diary with the records read. */
  diary: DiaryData;
  /** Rows rejected (lenient mode). */
  errors: ErrorReport[];
  notes: string[];
}

// ---------------------------------------------------------------------------
// The gap report (schema `mindgap/report/1`)

/** A figure, or why there is none (never NaN). */
export type Figure<T> = T | { absent: string };

export type Dimension = "stage" | "touchpoint" | "channel" | "employee" | "team" | "customer" | "segment" | "day" | "week" | "month";

export interface ReportOptions {
  /** The report instant (default: the latest timestamp in the data). */
  as_of?: TimestampInput;
  /** Confidence level of every interval (default 0.95). */
  confidence?: number;
  since?: TimestampInput;
  until?: TimestampInput;
  stages?: string[];
  channels?: Channel[];
  /** Roll-ups to add (`breakdowns`). */
  by?: Dimension[];
  /** Split every roll-up group by this period too. */
  per?: "day" | "week" | "month";
  crosshair?: "mean" | "median";
  lang?: "en" | "ru";
  /** Add each expectation's weekly missed-share trend (the `trend` key; default false). */
  trend?: boolean;
}

/** The options a report was made with, defaults filled in. */
export interface ReportOptionsUsed {
  as_of?: Timestamp;
  confidence: number;
  since?: Timestamp;
  until?: Timestamp;
  stages: string[];
  channels: Channel[];
  by: Dimension[];
  per?: "day" | "week" | "month";
  crosshair: "mean" | "median";
  lang: "en" | "ru";
  trend?: boolean;
}

/** A share `k/n` with its Wilson interval. */
export interface ShareInterval {
  k: number;
  n: number;
  share: number;
  lower: number;
  upper: number;
  confidence: number;
}

export interface NpsEstimate {
  promoters: number;
  passives: number;
  detractors: number;
  n: number;
  nps: number;
  lower: number;
  upper: number;
  confidence: number;
}

export interface MeanMedian {
  mean: number;
  median: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
}

/** Gap figures of a set of observations (durations in seconds, ratings in points). */
export interface GapFigures {
  unit: "seconds" | "points" | "flag" | "business_days";
  /** Classified observations (exceeded + within + missed). */
  n: number;
  /** Not yet due at `as_of`. */
  pending: number;
  exceeded: Figure<ShareInterval>;
  within: Figure<ShareInterval>;
  missed: Figure<ShareInterval>;
  valued: number;
  percentiles: Figure<Percentiles>;
  mean: Figure<number>;
  /** Measure of service adequacy (positive = better than adequate). */
  msa: Figure<MeanMedian>;
  /** Measure of service superiority (positive = better than desired). */
  mss: Figure<MeanMedian>;
  /** Mean position in the zone: 0 at the adequate edge, 1 at the desired edge. */
  zone_position: Figure<number>;
}

export interface Levels {
  desired: number;
  adequate: number;
  promised?: number;
  unit: "seconds" | "points" | "flag" | "business_days";
  direction: "lower_is_better" | "higher_is_better";
  recorded_at?: Timestamp;
}

export type Quadrant = "concentrate_here" | "keep_up_the_good_work" | "low_priority" | "possible_overkill";

export interface Driver {
  dimension: "channel" | "employee";
  key: string;
  missed: ShareInterval;
}

export interface ExpectationReport {
  id: string;
  stage: string;
  touchpoint?: string;
  channel?: string;
  segment?: string;
  description: string;
  metric: Metric["kind"];
  importance: number;
  calendar?: string;
  /** Every record of the expectation, oldest first (the last is current). */
  levels: Levels[];
  gap: GapFigures;
  /** What actually happened, in plain units (`"p90 3 d 4 h"`). */
  actual: string;
  drivers: Driver[];
  quadrant: Figure<Quadrant>;
  remark: string;
}

export interface Pooled {
  n: number;
  pending: number;
  exceeded: Figure<ShareInterval>;
  within: Figure<ShareInterval>;
  missed: Figure<ShareInterval>;
  zone_position: Figure<number>;
}

export interface StageIndex {
  zone: Figure<number>;
  missed: Figure<number>;
}

export interface Ces {
  n: number;
  mean: number;
  agreeing: ShareInterval;
}

export interface FeedbackFigures {
  answered: number;
  dismissed: number;
  comments: number;
  negative: number;
  nps: Figure<NpsEstimate>;
  csat: Figure<ShareInterval>;
  ces: Figure<Ces>;
  ratings: { scale: number; n: number; mean: number }[];
  reasons: { reason: string; count: number }[];
}

/** A row of the diary table. */
export interface StageReport {
  id: string;
  name: string;
  expectations: string[];
  gap: Pooled;
  index: StageIndex;
  feedback: FeedbackFigures;
  remark: string;
}

export interface Group {
  key: string;
  /** The period, when the breakdown is split by `per`. */
  period?: string;
  /** Interactions in the group. */
  interactions: number;
  gap: Pooled;
  expectations: { id: string; gap: GapFigures }[];
  feedback: FeedbackFigures;
}

export interface Breakdown {
  dimension: Dimension;
  groups: Group[];
}

/**
 * The tz data a report's zone was read from. In this package: `"Intl"`, with
 * the runtime's release where it says (Node's `process.versions.tz`), else
 * `"unknown"`; natively `"compiled"` or `"system"` (with its `path`).
 */
export interface TzData {
  source: string;
  release: string;
  path?: string;
}

/**
 * The charts of a report (`Diary.charts`), drawn by the core: each an SVG
 * document with `role="img"` and an `aria-label`, in the report's language.
 */
export interface Charts {
  /** The observations and the three classes, in words. */
  summary: string;
  /** "Where to act first": an HTML `<ol>` (or a `<p>` when nothing is). */
  focus: string;
  /** The zone of tolerance of every expectation on one scale. */
  zones: string;
  /** Missed / within / exceeded bars of every stage. */
  stages: string;
  /** One small bar per stage, in report order. */
  stage_bars: string[];
  /** The pooled weekly missed share with its band (`""` without a `week` breakdown). */
  weekly: string;
  /** NPS, CSAT and CES with their intervals. */
  feedback: string;
  /** The importance–performance scatter. */
  ipa: string;
  /** Each expectation's weekly missed share (needs `trend: true`), by id. */
  sparklines: Record<string, string>;
  /** One chart per breakdown, in report order. */
  breakdowns: string[];
}

export interface Report {
  schema: "mindgap/report/1";
  diary: string;
  timezone: string;
  as_of: Timestamp;
  tzdata?: TzData;
  options: ReportOptionsUsed;
  stages: StageReport[];
  expectations: ExpectationReport[];
  feedback: FeedbackFigures;
  reasons: { reason: string; by_stage: number[]; total: number }[];
  ipa: {
    crosshair: "mean" | "median";
    importance: Figure<number>;
    performance: Figure<number>;
  };
  breakdowns: Breakdown[];
  /** With `trend: true`: the trend by expectation (as `trend()` returns it). */
  trend?: TrendReport;
}

// ---------------------------------------------------------------------------
// Trends

export type TrendMetric = "missed" | "msa" | "zone" | "p90" | "nps" | "csat" | "ces" | "volume";
export type TrendBy = "stage" | "expectation" | "channel" | "employee";

export interface TrendOptions {
  /** Default "missed". */
  metric?: TrendMetric;
  /** Default "stage". */
  by?: TrendBy;
  /** Default "week". */
  bucket?: "day" | "week" | "month";
  /** Significance level (default 0.05). */
  alpha?: number;
  /** EWMA weight in (0, 1] (default 0.3). */
  ewma_lambda?: number;
  /** Default "previous". */
  compare?: "previous" | "year_before";
  /** Default "P30D". */
  stale_after?: Duration;
  /** The report's options (filters, as_of, confidence). */
  report?: ReportOptions;
}

export interface TrendPoint {
  period: string;
  x: number;
  n: number;
  value: Figure<number>;
  k?: number;
}

export type Verdict = "improving" | "worsening" | "rising" | "falling" | "no_significant_change" | "not_enough_data";

export interface TrendStats {
  n: number;
  verdict: Verdict;
  ols: Figure<{ n: number; slope: number; intercept: number; slope_stderr: number; intercept_stderr: number; r: number; p_value: number }>;
  theil_sen: Figure<{
    n: number;
    slope: number;
    intercept: number;
    /** Sen's interval, or why it is absent. */
    interval: { low: number; high: number } | { absent: string; why: { reason: string } };
    confidence: number;
  }>;
  mann_kendall: Figure<{ n: number; s: number; var_s: number; z: number; p_value: number; tau: number }>;
  ewma: Figure<number[]>;
  p_chart: Figure<{
    center: number;
    /** share, lower and upper are null for a bucket with no observations. */
    points: { counts: { k: number; n: number }; share: number | null; lower: number | null; upper: number | null; signal: "above" | "below" | "within" | "no_data" }[];
  }>;
  change: Figure<{
    previous: { k: number; n: number };
    current: { k: number; n: number };
    previous_share: number;
    current_share: number;
    difference: number;
    z: number;
    p_value: number;
  }>;
  shift: Figure<{ n: number; index: number; mean_before: number; mean_after: number; statistic: number; penalty: number; detected: boolean; period: string }>;
  projection: Figure<{ level: number; x: number; period: string }>;
}

export interface TrendReport {
  schema: "mindgap/trend/1";
  as_of: Timestamp;
  options: TrendOptions;
  /** `unit`: the values' unit for p90 and MSA by expectation (absent for shares, counts, scores). */
  series: { group: string; name: string; unit?: "seconds" | "points" | "flag" | "business_days"; points: TrendPoint[]; stats: TrendStats }[];
  drift: {
    expectation: string;
    unit: string;
    waves: { recorded_at: Timestamp; desired: number; adequate: number }[];
    direction: "tightening" | "loosening" | "unchanged" | "mixed";
    adequate_trend: TrendStats["theil_sen"];
    remark: string;
  }[];
  staleness: { kind: "stage" | "touchpoint" | "channel"; key: string; latest?: Timestamp; days_silent?: number; stale: boolean }[];
  never_observed: string[];
}

/** Analyses known today; more come with new versions (`analyses()` lists them). */
export type AnalysisName =
  | "validate"
  | "report"
  | "trend"
  | "follow_ups"
  | "due"
  | "drill"
  | "people"
  | "problems"
  | "diary"
  | (string & {});

// ---------------------------------------------------------------------------
// Closing the loop: follow-ups, drill-down, people, problems

/** The report's filters, shared by drillDown, people and problems. */
export interface Filters {
  as_of?: TimestampInput;
  since?: TimestampInput;
  until?: TimestampInput;
  stages?: string[];
  channels?: Channel[];
}

export interface FollowUpOptions {
  /** The report's filters (instant, period of the feedback, stages, channels). */
  filters?: Filters;
  /** Which to list (default all; the summary always counts all). */
  show?: "all" | "open" | "overdue" | "closed";
  /** The customer's history around each feedback, and the repeat window (default "P30D"). */
  history?: Duration;
  /** Language of each follow-up's `age_text` (default "en"). */
  lang?: "en" | "ru";
}

export interface Trigger {
  rule: "nps" | "csat" | "ces" | "rating" | "reason" | "sentiment";
  detail: string;
}

export interface HistoryItem {
  kind: "interaction" | "feedback";
  id: string;
  at: Timestamp;
  stage: string;
  channel?: string;
  employee?: string;
  status?: string;
  category?: string;
  request?: string;
  said?: string;
}

export interface FollowUp {
  feedback: string;
  at: Timestamp;
  kind: FeedbackKind;
  score?: number;
  reason?: string;
  comment?: string;
  triggers: Trigger[];
  /** 0–1. */
  severity: number;
  /** Earlier negative feedback of the customer within the history window. */
  repeats: number;
  importance: number;
  /** importance × (severity + repeats); the list is sorted by it within each state. */
  priority: number;
  stage: string;
  customer?: string;
  employee?: string;
  team?: string;
  interaction?: HistoryItem;
  /** The follow_up expectation that sets the due time. */
  expectation?: string;
  due?: Timestamp;
  desired_by?: Timestamp;
  state: "overdue" | "open" | "closed";
  closed_at?: Timestamp;
  closed_by?: { kind: "interaction" | "follow_up"; id: string; employee?: string };
  /** Seconds from the feedback to the close (or to as_of while open); business seconds with a calendar. */
  age: number;
  age_text: string;
  late: boolean;
  history: HistoryItem[];
}

export interface FollowUpList {
  schema: "mindgap/follow-ups/1";
  diary: string;
  as_of: Timestamp;
  options: FollowUpOptions & { show: string; history: Duration };
  summary: {
    total: number;
    open: number;
    overdue: number;
    closed: number;
    closed_late: number;
    median_time_to_close?: number;
    p90_time_to_close?: number;
  };
  follow_ups: FollowUp[];
}

export interface DueOptions {
  /** The shared filters (the instant, the period the clocks started in, stages, channels). */
  filters?: Filters;
  /** Only clocks breached or breaching within this real time of the instant ("PT2H"). */
  within?: Duration;
  /** Only breached clocks. */
  breached?: boolean;
  /** Only this expectation's clocks. */
  expectation?: string;
  /** The instant of the last call: what became at risk or breached since, and the follow-ups opened since. */
  changes_since?: TimestampInput;
}

export interface DueClock {
  /** The expectation whose zone it is read against (the one whose `when` applied). */
  expectation: string;
  clock: "first_response" | "next_response" | "update" | "resolution" | "follow_up";
  kind: "interaction" | "feedback";
  id: string;
  started: Timestamp;
  stage: string;
  channel?: string;
  employee?: string;
  team?: string;
  customer?: string;
  /** The business calendar its time counts in (real time without one). */
  calendar?: string;
  elapsed: ClockValue;
  desired: ClockValue;
  adequate: ClockValue;
  /** adequate − elapsed; negative ("-PT15M") once breached. */
  left: ClockValue;
  /** The last instant within the desired level; null while paused short of it. */
  warn_at: Timestamp | null;
  /** The last instant within the adequate level: the report counts the clock missed after it. */
  breach_at: Timestamp | null;
  state: "breached" | "at_risk" | "on_track";
  paused: boolean;
  change?: "newly_at_risk" | "newly_breached";
}

export interface DueList {
  schema: "mindgap/due/1";
  diary: string;
  as_of: Timestamp;
  options: DueOptions & { breached: boolean };
  summary: {
    total: number;
    breached: number;
    at_risk: number;
    on_track: number;
    paused: number;
    newly_at_risk: number;
    newly_breached: number;
  };
  /** By breach_at (breached first), paused clocks last. */
  clocks: DueClock[];
  new_follow_ups?: { feedback: string; at: Timestamp; customer?: string; due?: Timestamp }[];
}

export type DrillClass = "all" | "missed" | "within" | "exceeded" | "met" | "pending";

export interface DrillOptions {
  filters?: Filters;
  expectation?: string;
  stage?: string;
  channel?: Channel;
  employee?: string;
  team?: string;
  customer?: string;
  segment?: string;
  /** Default "all". */
  class?: DrillClass;
  /** Records listed at most (default 1000); the counts cover all. */
  limit?: number;
  /** Language of each record's `text` (default "en"). */
  lang?: "en" | "ru";
}

export interface DrillRecord {
  expectation: string;
  kind: "interaction" | "feedback" | "observation";
  id: string;
  at: Timestamp;
  stage: string;
  channel?: string;
  employee?: string;
  team?: string;
  customer?: string;
  class: "exceeded" | "within" | "missed" | "pending";
  /** In `unit`; a running clock's reading at as_of. */
  value: number;
  unit: "seconds" | "points" | "flag" | "business_days";
  running: boolean;
  position?: number;
  text: string;
  /** An interaction clock's timeline, in time order ("breached": the last instant within the adequate level). */
  timeline?: { at: Timestamp; event: "started" | "paused" | "resumed" | "breached" | "stopped" }[];
}

export interface Drill {
  schema: "mindgap/drill/1";
  diary: string;
  as_of: Timestamp;
  options: DrillOptions;
  counts: { n: number; pending: number; exceeded: number; within: number; missed: number };
  /** Records of the chosen class (may exceed records.length). */
  matched: number;
  records: DrillRecord[];
}

export interface PeopleOptions {
  filters?: Filters;
  expectations?: string[];
  /** Default "employee". */
  by?: "employee" | "team";
  confidence?: number;
}

export interface Person {
  rank: number;
  key: string;
  /** Share met (within or exceeded), ranked by its lower bound. */
  met: ShareInterval;
  missed: number;
  pending: number;
  expectations: { id: string; n: number; met: number }[];
}

export interface People {
  schema: "mindgap/people/1";
  diary: string;
  as_of: Timestamp;
  options: PeopleOptions;
  people: Person[];
  unassigned: number;
}

export type ProblemScope = "customer" | "stage" | "employee";

export interface ProblemOptions {
  filters?: Filters;
  /** Default ["customer"]. */
  by?: ProblemScope[];
  /** Default 3. */
  min_count?: number;
  /** Default "P30D". */
  within?: Duration;
  confidence?: number;
}

export interface Problems {
  schema: "mindgap/problems/1";
  diary: string;
  as_of: Timestamp;
  options: ProblemOptions;
  recurring: {
    scope: ProblemScope;
    key: string;
    kind: "reason" | "category";
    label: string;
    count: number;
    from: Timestamp;
    to: Timestamp;
    records: { kind: "interaction" | "feedback"; id: string; at: Timestamp }[];
  }[];
  reasons: {
    stage: string;
    reason: string;
    feedback: number;
    linked: number;
    missed?: ShareInterval;
    stage_missed?: number;
  }[];
}

//! The expectations diary as plain data: journey stages and touchpoints,
//! expectations with their zone of tolerance, interactions, feedback and
//! manual observations. Every type here is serde data; checking references
//! and ranges is the job of [`crate::validate`].

use std::collections::BTreeMap;
use std::fmt;

pub(crate) mod held;
pub(crate) mod level;
pub(crate) mod record;
pub(crate) mod rules;
pub(crate) mod when;

pub use level::Level;
pub(crate) use record::record_key;
pub use record::{CsvKind, Record, RecordKind};
pub use when::{Condition, SELECTABLE, Selectable, When};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use crate::time::calendar::{Calendar, CalendarId, HolidayList};
use crate::time::span::Span;
use crate::util::id_type;

/// An instant with the UTC offset it was written with (RFC 3339). The offset
/// is kept so files round-trip unchanged; computations use the instant.
pub type Timestamp = DateTime<FixedOffset>;

id_type!(
    /// Id of a journey stage (`attraction`, `purchase`, …).
    StageId
);
id_type!(
    /// Id of a touchpoint, unique within its stage (`website`, `cart`, …).
    TouchpointId
);
id_type!(
    /// Id of an expectation; several records with one id are the same
    /// expectation measured at different times.
    ExpectationId
);
id_type!(
    /// Id of an interaction (a diary entry).
    InteractionId
);
id_type!(
    /// Id of a feedback record.
    FeedbackId
);
id_type!(
    /// Id of a customer.
    CustomerId
);
id_type!(
    /// Id of an employee.
    EmployeeId
);

/// What a timestamp is expected to look like, for error messages.
pub const TIMESTAMP_EXPECTED: &str =
    "an RFC 3339 timestamp with an offset, like 2026-01-05T10:00:00+03:00";

/// Serde for [`Timestamp`] as RFC 3339, with a clear message on bad input.
pub(crate) mod rfc3339 {
    use super::{TIMESTAMP_EXPECTED, Timestamp};
    use chrono::{DateTime, SecondsFormat};

    pub(crate) fn serialize<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(t))
    }

    /// `t` in RFC 3339, exactly: an offset with seconds (local mean time
    /// before ~1914), which RFC 3339 cannot write, is written to the minute
    /// with the local time moved to match, so the text names the same
    /// instant (`1900-01-01T08:54:00-03:06`, not `08:53:32-03:06`).
    pub(crate) fn text(t: &Timestamp) -> String {
        let secs = t.offset().local_minus_utc();
        if secs % 60 == 0 {
            return t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
        }
        let minute = chrono::FixedOffset::east_opt(secs / 60 * 60).unwrap_or(*t.offset());
        t.with_timezone(&minute)
            .to_rfc3339_opts(SecondsFormat::AutoSi, false)
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid value {text:?}: expected {TIMESTAMP_EXPECTED}"
            ))
        })
    }
}

/// Serde for `Option<Timestamp>`.
pub(crate) mod rfc3339_opt {
    use super::Timestamp;

    #[allow(clippy::ref_option)]
    pub(crate) fn serialize<S: serde::Serializer>(
        t: &Option<Timestamp>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::rfc3339::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        #[derive(serde::Deserialize)]
        struct W(#[serde(with = "super::rfc3339")] Timestamp);
        Ok(<Option<W> as serde::Deserialize>::deserialize(d)?.map(|w| w.0))
    }
}

/// Schema version of the JSON diary. Only `mindgap/1` exists.
pub const SCHEMA: &str = "mindgap/1";

/// A stage of the customer journey, with its touchpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Stable id, referenced by expectations and records.
    pub id: StageId,
    /// Display name.
    pub name: String,
    /// Names in other languages, by language code (`"ru"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    /// The touchpoints of the stage (website, cart, support line…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub touchpoints: Vec<Touchpoint>,
}

/// A place where the customer meets the company within a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Touchpoint {
    /// Id, unique within the stage.
    pub id: TouchpointId,
    /// Display name.
    pub name: String,
    /// Names in other languages, by language code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

impl Stage {
    /// The name in `lang` when there is one, else the default name.
    ///
    /// ```
    /// let stages = mindgap::default_stages();
    /// let service = &stages[2];
    /// assert_eq!(service.name_in("ru"), "Послепродажное обслуживание");
    /// assert_eq!(service.name_in("de"), "After-sales service"); // no German name: the default
    /// ```
    pub fn name_in(&self, lang: &str) -> &str {
        self.names.get(lang).map_or(&self.name, String::as_str)
    }
}

/// Room for a well-known name (they are all shorter).
const NAME_ROOM: usize = 32;

/// `text` lowercased (ASCII) with `-` and ` ` as `_`, written into `buf`;
/// `None` when longer than any well-known name. Bytewise, which is the same
/// as by character: no byte of a multibyte character is ASCII.
fn normalise_name<'b>(text: &str, buf: &'b mut [u8; NAME_ROOM]) -> Option<&'b str> {
    let out = buf.get_mut(..text.len())?;
    for (o, &b) in out.iter_mut().zip(text.as_bytes()) {
        *o = match b {
            b'-' | b' ' => b'_',
            b => b.to_ascii_lowercase(),
        };
    }
    std::str::from_utf8(out).ok()
}

/// Defines an enum of well-known names with an `Other(String)` escape.
/// Parsing is case-insensitive and treats `-`, ` ` and `_` alike.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)*,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// Any other name, kept as written.
            Other(String),
        }

        impl $name {
            /// The canonical name.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }
            /// Parses a name: the canonical names and their aliases in any case,
            /// with `-`, ` ` and `_` treated alike; anything else is `Other`.
            pub fn parse(text: &str) -> $name {
                let text = text.trim();
                let mut buf = [0u8; NAME_ROOM];
                match normalise_name(text, &mut buf) {
                    $(Some($text $(| $alias)*) => $name::$variant,)*
                    _ => $name::Other(text.to_owned()),
                }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }
    };
}

open_enum!(
    /// How the customer reached the company.
    ///
    /// [`Channel::parse`] reads what CRMs write:
    /// ```
    /// use mindgap::Channel;
    /// assert_eq!(Channel::parse("E-Mail"), Channel::Email);
    /// assert_eq!(Channel::parse(" live chat "), Channel::Chat);
    /// assert_eq!(Channel::parse("Carrier pigeon"), Channel::Other("Carrier pigeon".into()));
    /// ```
    Channel {
        /// Phone call.
        Phone = "phone" | "call",
        /// E-mail.
        Email = "email" | "e_mail" | "mail",
        /// Live chat on the site or in the app.
        Chat = "chat" | "live_chat",
        /// Messengers (WhatsApp, Telegram…).
        Messenger = "messenger",
        /// Social networks.
        Social = "social" | "social_media",
        /// In person, at a shop or office.
        InPerson = "in_person" | "offline",
        /// Web forms and the site itself.
        Web = "web" | "website",
    }
);

open_enum!(
    /// Status of an interaction. The clock rules (issue "business time") read
    /// `waiting_customer` and `on_hold` as paused, `resolved`/`closed` as done.
    ///
    /// [`Status::parse`] reads what CRMs write:
    /// ```
    /// use mindgap::Status;
    /// assert_eq!(Status::parse("In Progress"), Status::Open);
    /// assert_eq!(Status::parse("Waiting-Customer"), Status::WaitingCustomer);
    /// assert_eq!(Status::parse("solved").as_str(), "resolved");
    /// assert_eq!(Status::parse("escalated"), Status::Other("escalated".into()));
    /// ```
    Status {
        /// Just opened, not yet looked at.
        New = "new",
        /// Open: the company owes the next step.
        Open = "open" | "in_progress",
        /// Waiting on the customer (the resolution clock pauses).
        WaitingCustomer = "waiting_customer" | "pending",
        /// On hold, waiting on a third party.
        OnHold = "on_hold" | "hold",
        /// Resolved.
        Resolved = "resolved" | "solved" | "done",
        /// Closed.
        Closed = "closed",
    }
);

open_enum!(
    /// How an expectation was learned.
    ExpectationSource {
        /// A survey.
        Survey = "survey",
        /// An interview.
        Interview = "interview",
        /// Analysis of reviews.
        Review = "review" | "review_analysis" | "reviews",
        /// Observation of customers.
        Observation = "observation",
        /// A focus group.
        FocusGroup = "focus_group",
        /// Monitoring of social media.
        SocialMonitoring = "social_monitoring",
    }
);

/// What an expectation measures, with its zone of tolerance.
///
/// Durations are "lower is better": `desired ≤ adequate` (reply in 1–3 days is
/// `desired = P1D`, `adequate = P3D`). Ratings are "higher is better":
/// `desired ≥ adequate`, both within `1..=scale`. A flag is a yes/no feature
/// that customers expect to be present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Metric {
    /// Time from opening to the first reply.
    FirstResponse(DurationZone),
    /// Time from each customer message after the first reply to the next reply.
    NextResponse(DurationZone),
    /// Periodic update: time from each reply to the next one (or to the
    /// resolution), read from the interaction's `messages` ("update the
    /// customer at least every 24 business hours").
    Update(DurationZone),
    /// Time from opening to resolution.
    Resolution(DurationZone),
    /// Time from a negative feedback (as [`FollowUpRules`] define it) to the
    /// company's next contact with that customer: the follow-up's own gap.
    FollowUp(DurationZone),
    /// A perceived rating from feedback, on `1..=scale`.
    Rating(RatingZone),
    /// A yes/no feature, observed present or absent.
    Flag(FlagZone),
}

/// Zone of tolerance for a duration metric (lower is better). The levels
/// are times (`"PT4H"`) or business days (`{"business_days": 3}`,
/// `{"end_of_business_day": 1}`), all of one kind: see [`Level`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationZone {
    /// The level customers wish for.
    pub desired: Level,
    /// The worst level they still accept.
    pub adequate: Level,
    /// The level the company promised, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised: Option<Level>,
}

/// Zone of tolerance for a rating metric (higher is better).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingZone {
    /// Top of the scale (the bottom is 1).
    pub scale: u32,
    /// The level customers wish for.
    pub desired: f64,
    /// The worst level they still accept.
    pub adequate: f64,
    /// The level the company promised, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised: Option<f64>,
    /// Which feedback kinds are read as this rating. Default: `csat` when the
    /// scale is 5, and `rating` answers on the same scale. NPS answers are
    /// never read unless named here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<FeedbackKind>,
}

/// A yes/no feature ("one-click payment").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagZone {
    /// The value customers expect (usually `true`: the feature is there).
    #[serde(default = "yes")]
    pub desired: bool,
}

fn yes() -> bool {
    true
}

impl Metric {
    /// The snake_case name of the metric kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Metric::FirstResponse(_) => "first_response",
            Metric::NextResponse(_) => "next_response",
            Metric::Update(_) => "update",
            Metric::Resolution(_) => "resolution",
            Metric::FollowUp(_) => "follow_up",
            Metric::Rating(_) => "rating",
            Metric::Flag(_) => "flag",
        }
    }
    /// The duration zone, for the three duration metrics.
    pub fn duration_zone(&self) -> Option<&DurationZone> {
        match self {
            Metric::FirstResponse(z)
            | Metric::NextResponse(z)
            | Metric::Update(z)
            | Metric::Resolution(z)
            | Metric::FollowUp(z) => Some(z),
            Metric::Rating(_) | Metric::Flag(_) => None,
        }
    }
}

/// What customers expect at a stage, and how much it matters to them.
///
/// Expectations are data that change: several records with the same `id` and
/// different `recorded_at` are the same expectation measured again (a new survey
/// wave). Each observation is scored against the record in force at its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Id; shared by the records of one expectation over time.
    pub id: ExpectationId,
    /// The stage it belongs to.
    pub stage: StageId,
    /// Narrowed to one touchpoint of the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<TouchpointId>,
    /// Narrowed to one channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Narrowed to one customer segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Narrowed further by the interaction's priority, category, tags or
    /// custom fields, as an SLA policy picks its tickets (every condition
    /// must hold; see [`Condition`]): `{"priority": "urgent"}`.
    #[serde(default, skip_serializing_if = "When::is_empty")]
    pub when: When,
    /// Plain words: "Reply to an email within 1-3 days".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The metric and its zone of tolerance.
    pub metric: Metric,
    /// Importance weight, `> 0` (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub importance: f64,
    /// How it was learned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ExpectationSource>,
    /// When it was recorded (the survey wave).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub recorded_at: Option<Timestamp>,
    /// Business calendar its durations are measured in (elapsed time if none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarId>,
    /// Statuses that pause the resolution clock (e.g. `waiting_customer`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pause_statuses: Vec<Status>,
}

fn one() -> f64 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref, clippy::float_cmp)]
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// A status the interaction entered at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// When.
    #[serde(with = "rfc3339")]
    pub at: Timestamp,
    /// The new status.
    pub status: Status,
}

/// Who wrote a message of an interaction's conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageKind {
    /// The customer wrote (starts a next-response clock after a reply).
    Customer,
    /// A reply to the customer (stops the response clocks, starts the next
    /// periodic-update clock).
    Reply,
    /// An internal note: read by no clock.
    Note,
}

impl MessageKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Customer => "customer",
            MessageKind::Reply => "reply",
            MessageKind::Note => "note",
        }
    }
    /// Parses a name, ignoring case (`agent`, `public` read as `reply`;
    /// `internal`, `private` as `note`; `requester`, `client` as `customer`).
    ///
    /// ```
    /// use mindgap::MessageKind;
    /// assert_eq!(MessageKind::parse("Agent"), Some(MessageKind::Reply));
    /// assert_eq!(MessageKind::parse("internal"), Some(MessageKind::Note));
    /// assert_eq!(MessageKind::parse("bot"), None);
    /// ```
    pub fn parse(text: &str) -> Option<MessageKind> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "customer" | "requester" | "client" | "end_user" | "end-user" => MessageKind::Customer,
            "reply" | "agent" | "public" | "answer" => MessageKind::Reply,
            "note" | "internal" | "private" => MessageKind::Note,
            _ => return None,
        })
    }
}

/// A message of an interaction's conversation: who wrote, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// When.
    #[serde(with = "rfc3339")]
    pub at: Timestamp,
    /// Who wrote it.
    pub kind: MessageKind,
}

/// A diary entry: one contact of a customer with the company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// Unique id.
    pub id: InteractionId,
    /// When the customer reached out.
    #[serde(with = "rfc3339")]
    pub opened_at: Timestamp,
    /// The first reply, if there was one.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub first_response_at: Option<Timestamp>,
    /// When it was resolved, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_opt")]
    pub resolved_at: Option<Timestamp>,
    /// Status history in time order (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<StatusChange>,
    /// The conversation in time order (optional): customer messages,
    /// replies, internal notes. With it, the first reply (when
    /// `first_response_at` is absent), next responses and periodic updates
    /// are read from the messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// Channel.
    pub channel: Channel,
    /// Journey stage.
    pub stage: StageId,
    /// Touchpoint within the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<TouchpointId>,
    /// Customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Customer segment, when the export carries it (else taken from the
    /// diary's customer list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Responsible employee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee: Option<EmployeeId>,
    /// Team of the employee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// What the customer asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// What was done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Result and notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Current status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Category of the request (delivery, payment, return…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Priority as the helpdesk names it (`urgent`, `P1`, `Высокий`…):
    /// what conditional expectations ([`Expectation::when`]) select by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Free tags (no `;` in a tag: CSV separates them with it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Custom fields kept from the input, by name (`Priority` → `High`): a
    /// CSV mapping's `custom_columns`, or `field:<name>` columns.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// The kind of a feedback record and the scale of its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedbackKind {
    /// Net Promoter Score question: whole numbers 0–10.
    Nps,
    /// Customer satisfaction: whole numbers 1–5.
    Csat,
    /// Customer effort score: whole numbers 1–7 (7 = very easy).
    Ces,
    /// A rating on `1..=scale` (stars), fractions allowed.
    Rating,
    /// A free comment (no score).
    Comment,
    /// A reason picked from a list (no score).
    Reason,
}

impl FeedbackKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Nps => "nps",
            FeedbackKind::Csat => "csat",
            FeedbackKind::Ces => "ces",
            FeedbackKind::Rating => "rating",
            FeedbackKind::Comment => "comment",
            FeedbackKind::Reason => "reason",
        }
    }
    /// Parses a name (case-insensitive).
    ///
    /// ```
    /// use mindgap::FeedbackKind;
    /// assert_eq!(FeedbackKind::parse(" NPS "), Some(FeedbackKind::Nps));
    /// assert_eq!(FeedbackKind::parse("stars"), Some(FeedbackKind::Rating));
    /// assert_eq!(FeedbackKind::parse("thumbs"), None);
    /// ```
    pub fn parse(text: &str) -> Option<FeedbackKind> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "nps" => FeedbackKind::Nps,
            "csat" => FeedbackKind::Csat,
            "ces" => FeedbackKind::Ces,
            "rating" | "stars" => FeedbackKind::Rating,
            "comment" => FeedbackKind::Comment,
            "reason" => FeedbackKind::Reason,
            _ => return None,
        })
    }
    /// Whether answers of this kind carry a score.
    pub fn has_score(self) -> bool {
        !matches!(self, FeedbackKind::Comment | FeedbackKind::Reason)
    }
}

impl fmt::Display for FeedbackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tone of a feedback record, when known (marked by a person or a classifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    /// Negative: opens a follow-up.
    Negative,
    /// Neutral.
    Neutral,
    /// Positive.
    Positive,
}

/// What a customer said: a score, a comment or a reason.
///
/// A `dismissed` record is a survey that was shown and not answered: it is kept
/// (response rates need it) but never counted as an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Unique id.
    pub id: FeedbackId,
    /// When it was given.
    #[serde(with = "rfc3339")]
    pub at: Timestamp,
    /// Kind (and so the scale of the score).
    pub kind: FeedbackKind,
    /// The score; required for scored kinds unless dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Top of the scale for `rating` (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// Reason code picked from a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Free comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Tone, when marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<Sentiment>,
    /// Shown but not answered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dismissed: bool,
    /// The interaction it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<InteractionId>,
    /// Stage (taken from the interaction when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<StageId>,
    /// Touchpoint (taken from the interaction when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<TouchpointId>,
    /// Customer (taken from the interaction when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
}

impl Feedback {
    /// The scale of the score: `(lowest, highest, whole numbers only)`.
    pub fn score_range(&self) -> Option<(f64, f64, bool)> {
        match self.kind {
            FeedbackKind::Nps => Some((0.0, 10.0, true)),
            FeedbackKind::Csat => Some((1.0, 5.0, true)),
            FeedbackKind::Ces => Some((1.0, 7.0, true)),
            FeedbackKind::Rating => Some((1.0, f64::from(self.scale.unwrap_or(5)), false)),
            FeedbackKind::Comment | FeedbackKind::Reason => None,
        }
    }
}

impl Sentiment {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }
    /// Parses a name (case-insensitive).
    pub fn parse(text: &str) -> Option<Sentiment> {
        match text.trim().to_ascii_lowercase().as_str() {
            "negative" => Some(Sentiment::Negative),
            "neutral" => Some(Sentiment::Neutral),
            "positive" => Some(Sentiment::Positive),
            _ => None,
        }
    }
}

/// What a feedback kind is expected to be, for error messages.
pub const FEEDBACK_KIND_EXPECTED: &str = "one of nps, csat, ces, rating, comment, reason";
/// What a sentiment is expected to be, for error messages.
pub const SENTIMENT_EXPECTED: &str = "negative, neutral or positive";

/// A value measured by hand for an expectation (a mystery shopper's reply
/// time, an audit that found one-click payment present).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObservedValue {
    /// For flags.
    Flag(bool),
    /// For ratings.
    Number(f64),
    /// For durations.
    Duration(Span),
}

/// A manual observation of an expectation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Unique id.
    pub id: String,
    /// The expectation observed.
    pub expectation: ExpectationId,
    /// When.
    #[serde(with = "rfc3339")]
    pub at: Timestamp,
    /// What was seen; its type must fit the expectation's metric.
    pub value: ObservedValue,
    /// Channel, when the observation is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What makes a feedback record negative enough to open a follow-up. Any one
/// rule is enough; a dismissed survey never opens one.
///
/// A `rating` on a scale other than 5 is compared after rescaling to five
/// points: `1 + (score − 1) · 4 / (scale − 1)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpRules {
    /// NPS answers at or below this open one (default 6: detractors).
    pub nps_at_most: Option<f64>,
    /// CSAT answers at or below this open one (default 2).
    pub csat_at_most: Option<f64>,
    /// CES answers at or below this open one (default 2; 7 is "very easy").
    pub ces_at_most: Option<f64>,
    /// Ratings at or below this, on five points, open one (default 2).
    pub rating_at_most: Option<f64>,
    /// Reason codes that open one (complaint reasons; default none).
    pub reasons: Vec<String>,
    /// Feedback marked `negative` opens one (default true).
    pub negative_sentiment: bool,
}

impl Default for FollowUpRules {
    fn default() -> Self {
        FollowUpRules {
            nps_at_most: Some(6.0),
            csat_at_most: Some(2.0),
            ces_at_most: Some(2.0),
            rating_at_most: Some(2.0),
            reasons: Vec::new(),
            negative_sentiment: true,
        }
    }
}

impl FollowUpRules {
    fn is_default(&self) -> bool {
        *self == FollowUpRules::default()
    }
}

/// An explicit record that a follow-up was done: someone contacted the
/// customer about a feedback outside the interaction log (a call-back noted
/// by hand). It closes the feedback's follow-up at `at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRecord {
    /// Unique id.
    pub id: String,
    /// The feedback followed up.
    pub feedback: FeedbackId,
    /// When the customer was contacted.
    #[serde(with = "rfc3339")]
    pub at: Timestamp,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee: Option<EmployeeId>,
    /// What was done or agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A customer and the segment they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Id, as used by records.
    pub id: CustomerId,
    /// Segment ("b2b", "vip"…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The whole diary: the journey, what customers expect, and what happened.
///
/// The JSON form (schema `mindgap/1`) is documented in the README; records may
/// also come from CSV or JSON Lines files beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diary {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Name of the diary (the company or product).
    pub name: String,
    /// IANA time zone: days, weeks and months are bucketed in it.
    pub timezone: crate::time::TimeZone,
    /// Journey stages, in journey order.
    pub stages: Vec<Stage>,
    /// Expectations (several records per id over time are allowed).
    #[serde(default)]
    pub expectations: Vec<Expectation>,
    /// Business calendars referenced by expectations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<Calendar>,
    /// Holiday lists the calendars share (`holiday_lists` of a calendar).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holiday_lists: Vec<HolidayList>,
    /// Customers and their segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customers: Vec<Customer>,
    /// Interactions.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// Feedback.
    #[serde(default)]
    pub feedback: Vec<Feedback>,
    /// Manual observations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    /// What negative feedback opens a follow-up.
    #[serde(default, skip_serializing_if = "FollowUpRules::is_default")]
    pub follow_up: FollowUpRules,
    /// Follow-ups done outside the interaction log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUpRecord>,
}

impl Diary {
    /// An empty diary with the default journey template.
    ///
    /// ```
    /// use mindgap::{Diary, TimeZone};
    /// let diary = Diary::new("Shop", TimeZone::UTC);
    /// assert_eq!(diary.schema, mindgap::SCHEMA);
    /// let ids: Vec<&str> = diary.stages.iter().map(|s| s.id.as_str()).collect();
    /// assert_eq!(ids, ["attraction", "purchase", "service", "repeat"]);
    /// // No expectations or records yet, and a diary a journal accepts.
    /// let journal = mindgap::Journal::new(diary, Default::default())?;
    /// assert!(journal.diary().expectations.is_empty());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, timezone: impl Into<crate::time::TimeZone>) -> Diary {
        Diary {
            schema: SCHEMA.to_owned(),
            name: name.into(),
            timezone: timezone.into(),
            stages: default_stages(),
            expectations: Vec::new(),
            calendars: Vec::new(),
            holiday_lists: Vec::new(),
            customers: Vec::new(),
            interactions: Vec::new(),
            feedback: Vec::new(),
            observations: Vec::new(),
            follow_up: FollowUpRules::default(),
            follow_ups: Vec::new(),
        }
    }

    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id.as_str() == id)
    }
}

/// The default journey template: attraction, purchase, after-sales service,
/// repeat contact, with English and Russian names and typical touchpoints.
pub fn default_stages() -> Vec<Stage> {
    let tp = |id: &str, en: &str, ru: &str| Touchpoint {
        id: id.into(),
        name: en.to_owned(),
        names: BTreeMap::from([("ru".to_owned(), ru.to_owned())]),
    };
    let stage = |id: &str, en: &str, ru: &str, touchpoints: Vec<Touchpoint>| Stage {
        id: id.into(),
        name: en.to_owned(),
        names: BTreeMap::from([("ru".to_owned(), ru.to_owned())]),
        touchpoints,
    };
    vec![
        stage(
            "attraction",
            "Attraction",
            "Привлечение",
            vec![
                tp("website", "Website", "Сайт"),
                tp("ads", "Advertising", "Реклама"),
                tp("reviews", "Reviews", "Отзывы"),
                tp("chatbot", "Chat bot", "Чат-бот"),
            ],
        ),
        stage(
            "purchase",
            "Purchase",
            "Покупка",
            vec![
                tp("cart", "Cart", "Корзина"),
                tp("payment", "Payment", "Оплата"),
                tp("delivery", "Delivery", "Доставка"),
            ],
        ),
        stage(
            "service",
            "After-sales service",
            "Послепродажное обслуживание",
            vec![
                tp("support", "Support line", "Служба поддержки"),
                tp("returns", "Returns", "Возвраты"),
                tp("social", "Social media", "Соцсети"),
            ],
        ),
        stage(
            "repeat",
            "Repeat contact",
            "Повторное обращение",
            vec![
                tp("loyalty", "Loyalty programme", "Программа лояльности"),
                tp("newsletter", "Newsletter", "Рассылка"),
            ],
        ),
    ]
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_with_dashes_and_spaces_alike() {
        assert_eq!(Channel::parse(" In-Person "), Channel::InPerson);
        assert_eq!(Channel::parse("E MAIL"), Channel::Email);
        assert_eq!(Channel::parse("live_chat"), Channel::Chat);
        assert_eq!(Status::parse("Waiting-Customer"), Status::WaitingCustomer);
        // Anything else is kept as written (trimmed), Cyrillic and long
        // names included.
        assert_eq!(
            Channel::parse(" Телефон "),
            Channel::Other("Телефон".into())
        );
        let long = "a-channel-with-a-name-longer-than-any-known-one";
        assert_eq!(Channel::parse(long), Channel::Other(long.into()));
        assert_eq!(Channel::parse(""), Channel::Other(String::new()));
        // A known name followed by a non-ASCII letter is not the known name.
        assert_eq!(Channel::parse("chaté"), Channel::Other("chaté".into()));
    }

    #[test]
    fn an_offset_with_seconds_is_written_to_the_minute_naming_the_same_instant() {
        // Sao Paulo's local mean time: -03:06:28.
        let lmt = chrono::FixedOffset::west_opt(3 * 3600 + 6 * 60 + 28).unwrap();
        let noon = chrono::DateTime::parse_from_rfc3339("1900-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&lmt);
        let text = rfc3339::text(&noon);
        assert_eq!(text, "1900-01-01T08:54:00-03:06");
        let back = chrono::DateTime::parse_from_rfc3339(&text).unwrap();
        assert_eq!(back.timestamp_millis(), noon.timestamp_millis());
        // Whole-minute offsets are written as they are.
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00.5+03:00").unwrap();
        assert_eq!(rfc3339::text(&t), "2026-01-05T10:00:00.500+03:00");
    }
}

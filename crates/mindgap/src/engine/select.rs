//! The expectations' `when` selectors, compiled: each distinct selector of
//! the diary is one bit, and a record's attributes carry the bits of the
//! selectors it satisfies ([`super::Attrs::when`]), found once when it is
//! prepared: an expectation then matches a row by a mask, as it matches
//! its stage or channel by a key, in every way of running a report.

use crate::error::{Error, Location, Result};
use crate::model::{Condition, Diary, Interaction, Selectable, When};
use crate::words::{Msg, Sentence};

/// The most distinct selectors a diary may have (the bits of a `u32`).
pub(crate) const MAX_SELECTORS: usize = 32;

/// The distinct selectors of a diary's expectations.
#[derive(Debug, Default)]
pub(crate) struct Selectors {
    list: Vec<(When, Vec<(Selectable, Condition)>)>,
}

impl Selectors {
    /// The selectors of `diary` (refused past [`MAX_SELECTORS`]).
    pub(crate) fn new(diary: &Diary) -> Result<Selectors> {
        let mut list: Vec<(When, Vec<(Selectable, Condition)>)> = Vec::new();
        for e in &diary.expectations {
            if e.when.is_empty() || list.iter().any(|(w, _)| *w == e.when) {
                continue;
            }
            if list.len() == MAX_SELECTORS {
                return Err(Error::invalid(
                    Location::default()
                        .with_record(e.id.as_str())
                        .with_field("when"),
                    format!("{} distinct selectors", MAX_SELECTORS + 1),
                    Sentence::new(Msg::VSelectors).value("max", MAX_SELECTORS),
                ));
            }
            // Checked when read by a Loader; a diary built in code is checked
            // here, so a misspelt field never silently selects nothing.
            let mut compiled = Vec::with_capacity(e.when.len());
            for (k, c) in &e.when {
                let at = || {
                    Location::default()
                        .with_record(e.id.as_str())
                        .with_field(format!("when.{k}"))
                };
                let field = Selectable::parse(k).ok_or_else(|| {
                    Error::invalid(
                        at(),
                        k.clone(),
                        Sentence::new(Msg::VWhenField)
                            .value("fields", crate::model::SELECTABLE.join(", ")),
                    )
                })?;
                if let Some(problem) = c.problem() {
                    return Err(Error::invalid(
                        at(),
                        serde_json::to_string(c).unwrap_or_default(),
                        Sentence::recognised(problem),
                    ));
                }
                compiled.push((field, c.clone()));
            }
            list.push((e.when.clone(), compiled));
        }
        Ok(Selectors { list })
    }

    /// Whether the diary selects by anything.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The bits an expectation with `when` requires (0: none).
    pub(crate) fn required(&self, when: &When) -> u32 {
        self.list
            .iter()
            .position(|(w, _)| w == when)
            .map_or(0, |k| 1 << k)
    }

    /// The bits of the selectors `i` satisfies (`segment`: its segment, its
    /// own or its customer's).
    pub(crate) fn of(&self, i: &Interaction, segment: Option<&str>) -> u32 {
        let mut mask = 0;
        for (k, (_, conditions)) in self.list.iter().enumerate() {
            let holds = conditions.iter().all(|(field, c)| {
                let one = |v: Option<&str>| c.holds(v.as_slice());
                match field {
                    Selectable::Priority => one(i.priority.as_deref()),
                    Selectable::Category => one(i.category.as_deref()),
                    Selectable::Tags => {
                        let tags: Vec<&str> = i.tags.iter().map(String::as_str).collect();
                        c.holds(&tags)
                    }
                    Selectable::Team => one(i.team.as_deref()),
                    Selectable::Employee => one(i.employee.as_ref().map(|e| e.as_str())),
                    Selectable::Customer => one(i.customer.as_ref().map(|e| e.as_str())),
                    Selectable::Channel => one(Some(i.channel.as_str())),
                    Selectable::Touchpoint => one(i.touchpoint.as_ref().map(|e| e.as_str())),
                    Selectable::Segment => one(segment),
                    Selectable::Field(name) => one(i.fields.get(name).map(String::as_str)),
                }
            });
            if holds {
                mask |= 1 << k;
            }
        }
        mask
    }

    /// The bits of a record with every field absent (feedback linked to no
    /// interaction).
    pub(crate) fn of_nothing(&self) -> u32 {
        let mut mask = 0;
        for (k, (_, conditions)) in self.list.iter().enumerate() {
            if conditions.iter().all(|(_, c)| c.holds(&[])) {
                mask |= 1 << k;
            }
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diary_built_in_code_with_a_bad_selector_is_refused() {
        let mut diary = crate::sample::diary(20);
        diary.expectations[0].when = serde_json::from_str(r#"{"prio": "urgent"}"#).unwrap();
        let e = Selectors::new(&diary).unwrap_err();
        assert!(e.to_string().contains("when.prio"), "{e}");
        assert!(crate::engine::Prepared::new(&diary).is_err());
        diary.expectations[0].when = serde_json::from_str(r#"{"priority": {}}"#).unwrap();
        let e = Selectors::new(&diary).unwrap_err();
        assert!(e.to_string().contains("when.priority"), "{e}");
        diary.expectations[0].when = serde_json::from_str(r#"{"priority": "urgent"}"#).unwrap();
        assert!(Selectors::new(&diary).is_ok());
    }
}

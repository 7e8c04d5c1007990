//! Records in: the JSON diary, CSV files as CRMs export them and JSON Lines,
//! read strictly or leniently, checked as they come, with errors that name
//! the file, line, record and field.

pub(crate) mod coverage;
pub(crate) mod csv;
pub(crate) mod jsonpath;
pub(crate) mod read;
pub(crate) mod sources;
pub(crate) mod tagged;

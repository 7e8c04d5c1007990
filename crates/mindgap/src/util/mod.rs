//! Small helpers every layer may use: one stable sort for all targets, line
//! numbers from byte offsets, and the id registry that catches duplicates.

pub(crate) mod ids;
pub(crate) mod lines;
pub(crate) mod sort;

/// Removes the items at the ascending indices `drop` from `list`, keeping the
/// order of the rest (skipped records of lenient mode).
pub(crate) fn remove_sorted<T>(list: &mut Vec<T>, drop: &[usize]) {
    if drop.is_empty() {
        return;
    }
    let mut index = 0;
    list.retain(|_| {
        let keep = drop.binary_search(&index).is_err();
        index += 1;
        keep
    });
}

/// An id's text: inline up to 24 bytes natively (a CSV row's six ids
/// allocate nothing); a `String` on WebAssembly, where the inline form's
/// code costs more download than its speed saves.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type IdText = compact_str::CompactString;
#[cfg(target_arch = "wasm32")]
pub(crate) type IdText = String;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Held inline when it is at most 24 bytes long (most ids; not on
        /// WebAssembly): reading a record allocates nothing for its ids.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name($crate::util::IdText);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name($crate::util::IdText::from(s))
            }
        }
        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name($crate::util::IdText::from(s))
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                String::from(id.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use id_type;

/// Builder-style setters for an options struct (whose fields stay public
/// for reading, while `#[non_exhaustive]` keeps new fields from breaking
/// callers): `name(arg: Type) field: how;` where `how` is `set` (the value),
/// `some` (`Some(value)`), `push` (adds one item to a list whose default is
/// empty), `list` (sets a whole list from an iterator: for a list whose
/// default is not empty) or `insert` (a `(key, value)` pair into a map).
/// Each setter's doc comment comes first.
macro_rules! setters {
    ($ty:ty { $( $(#[$doc:meta])* $name:ident($arg:ident: $t:ty) $field:ident: $how:ident; )* }) => {
        impl $ty {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(mut self, $arg: $t) -> Self {
                    $crate::util::setters!(@$how self.$field, $arg);
                    self
                }
            )*
        }
    };
    (@set $place:expr, $arg:ident) => { $place = $arg.into() };
    (@some $place:expr, $arg:ident) => { $place = Some($arg.into()) };
    (@push $place:expr, $arg:ident) => { $place.push($arg.into()) };
    (@list $place:expr, $arg:ident) => { $place = $arg.into_iter().collect() };
    (@insert $place:expr, $arg:ident) => {{
        let (key, value) = $arg;
        $place.insert(key.into(), value.into());
    }};
}
pub(crate) use setters;

/// `as_str` (the name a fieldless enum has in JSON) and `Display` (that
/// name, padded as asked), from one list of variants and names.
macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// Its name, as in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)*
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}
pub(crate) use names;

//! The core is layered: a module uses only the layers below it, so the house
//! can be read from the bottom up and a change low down is seen by all above
//! it. This test reads every source file and fails when non-test code of a
//! layer names a module of the same or a higher layer, when a path reaches
//! an item through the crate root instead of naming its layer, or when a
//! top-level module does not open with a doc line that says what it is for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer, lowest first. Modules of one layer
/// are independent of each other.
const LAYERS: &[(&str, u8)] = &[
    ("util", 0),
    ("words", 0),
    ("error", 1),
    ("stats", 1),
    ("time", 2),
    ("model", 3),
    ("sample", 4),
    ("validate", 4),
    ("input", 5),
    ("engine", 6),
    ("analysis", 7),
    ("run", 8),
    ("render", 8),
    ("api", 9),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of `source` without comments and without `#[cfg(test)]` items
/// (test code may use any layer: a test of the engine reads its input with
/// the reader above it).
fn code(source: &str) -> String {
    let mut out = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            // Skip the item that follows: to its `;` or to its braces' end.
            let mut depth = 0i32;
            let mut opened = false;
            for next in lines.by_ref() {
                let text = next.split("//").next().unwrap_or("");
                depth += text.matches('{').count() as i32 - text.matches('}').count() as i32;
                opened |= text.contains('{');
                if (opened && depth <= 0) || (!opened && text.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" //").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Every top-level module `code` names, with its line: the first name after
/// `crate::` or `$crate::`, and after a chain of `super::` that climbs to the
/// crate root from a module `depth` levels down (`engine/zone.rs` is 2 deep,
/// an inline `mod x { … }` one more; a chain that stays inside the layer
/// names none).
fn crate_paths(code: &str, depth: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Brace depths at which inline modules opened, innermost last.
    let mut inline: Vec<i64> = Vec::new();
    let mut braces = 0i64;
    for (n, line) in code.lines().enumerate() {
        let opens_mod = {
            let t = line.trim_start();
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            t.starts_with("mod ") && t.trim_end().ends_with('{')
        };
        if opens_mod {
            inline.push(braces);
        }
        braces += line.matches('{').count() as i64 - line.matches('}').count() as i64;
        while inline.last().is_some_and(|&open| braces <= open) {
            inline.pop();
        }
        let depth = depth + inline.len();
        let mut rest = line;
        while let Some(at) = find_path(rest) {
            let (head, tail) = rest.split_at(at);
            let before = head.chars().last();
            let (supers, after) = if let Some(t) = tail.strip_prefix("crate::") {
                (None, t)
            } else {
                let mut t = tail;
                let mut k = 0;
                while let Some(next) = t.strip_prefix("super::") {
                    t = next;
                    k += 1;
                }
                (Some(k), t)
            };
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // part of another name
            }
            if supers.is_some_and(|k| k < depth) {
                continue; // still inside the file's own layer
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                .collect();
            out.push((n + 1, name));
        }
    }
    out
}

/// Where the next `crate::` or `super::` path starts in `text`.
fn find_path(text: &str) -> Option<usize> {
    match (text.find("crate::"), text.find("super::")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[test]
fn no_layer_uses_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut faults = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let parts: Vec<_> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts == ["lib.rs"] {
            continue;
        }
        let name = parts[0].trim_end_matches(".rs").to_owned();
        let file = parts.last().unwrap();
        if file.ends_with("tests.rs") {
            continue;
        }
        let Some(own) = layer(&name) else {
            faults.push(format!(
                "{}: module `{name}` has no layer in LAYERS",
                rel.display()
            ));
            continue;
        };
        *seen.entry(name.clone()).or_default() += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let top = parts.len() == 1 || file == "mod.rs";
        if top && !text.starts_with("//!") {
            faults.push(format!(
                "{}: a top-level module opens with a `//!` line",
                rel.display()
            ));
        }
        let code = code(&text);
        // How deep the file's module is: `sample.rs` and `engine/mod.rs` 1,
        // `engine/zone.rs` 2.
        let depth = parts.len() - usize::from(file == "mod.rs");
        for (line, used) in crate_paths(&code, depth) {
            if used == name {
                continue;
            }
            match layer(&used) {
                Some(l) if l < own => {}
                Some(l) => faults.push(format!(
                    "{}:{line}: `{name}` (layer {own}) uses `crate::{used}` (layer {l})",
                    rel.display()
                )),
                None => faults.push(format!(
                    "{}:{line}: `crate::{used}`: name the layer a path goes through",
                    rel.display()
                )),
            }
        }
    }
    for (module, _) in LAYERS {
        assert!(
            seen.contains_key(*module),
            "layer module `{module}` has no source"
        );
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The non-test code of every source file, with its layer.
fn layered_sources() -> Vec<(String, u8, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&src).unwrap().display().to_string();
        let name = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_owned();
        if rel == "lib.rs" || rel.ends_with("tests.rs") {
            continue;
        }
        if let Some(l) = layer(&name) {
            out.push((rel, l, code(&std::fs::read_to_string(&path).unwrap())));
        }
    }
    out
}

/// The types `code` defines (`struct`, `enum`, `trait`, `type`).
fn defined_types(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        for kw in ["struct ", "enum ", "trait ", "type "] {
            if let Some(rest) = t.strip_prefix(kw) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        }
    }
    out
}

/// The methods of inherent `impl` blocks in `code`: (type, method).
fn impl_methods(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        if let Some(rest) = line.strip_prefix("impl") {
            // Past the generic parameters, if any: `impl<R: Read> CsvReader<R> {`.
            let mut head = rest;
            if head.starts_with('<') {
                let mut depth = 0;
                for (i, c) in head.char_indices() {
                    depth += match c {
                        '<' => 1,
                        '>' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        head = &head[i + 1..];
                        break;
                    }
                }
            }
            let head = head.trim();
            if !head.contains(" for ") && head.ends_with('{') {
                let ty: String = head
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                current = Some(ty);
            }
            continue;
        }
        if line == "}" {
            current = None;
            continue;
        }
        if let Some(ty) = &current {
            let t = line.trim_start();
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            if let Some(rest) = t.strip_prefix("fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((ty.clone(), name));
            }
        }
    }
    out
}

/// A layer may add methods to a lower layer's type (`impl Prepared` in
/// analysis/), but the lower layer must not call them: that is a use of
/// the higher layer no path names.
#[test]
fn no_layer_calls_a_method_a_higher_layer_adds() {
    let files = layered_sources();
    let types_of = |l: u8| -> Vec<String> {
        files
            .iter()
            .filter(|f| f.1 == l)
            .flat_map(|f| defined_types(&f.2))
            .collect()
    };
    let mut faults = Vec::new();
    for (rel, l, code) in &files {
        let own = types_of(*l);
        for (ty, method) in impl_methods(code) {
            if own.contains(&ty) {
                continue;
            }
            // A method of a lower layer's type, added here: no lower file may
            // call it, unless that layer has a method of the same name.
            for (lower_rel, lower, lower_code) in files.iter().filter(|f| f.1 < *l) {
                let same_name = impl_methods(lower_code).iter().any(|(_, m)| *m == method)
                    || files
                        .iter()
                        .filter(|f| f.1 == *lower)
                        .any(|f| impl_methods(&f.2).iter().any(|(_, m)| *m == method));
                if same_name {
                    continue;
                }
                if lower_code.contains(&format!(".{method}("))
                    || lower_code.contains(&format!("::{method}("))
                {
                    faults.push(format!(
                        "{lower_rel}: calls `{ty}::{method}`, which {rel} (layer {l}) adds"
                    ));
                }
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn the_method_check_sees_an_added_method() {
    let higher = "impl Prepared<'_> {\n    pub fn drill(&self) {}\n}\n";
    assert_eq!(
        impl_methods(higher),
        [("Prepared".to_owned(), "drill".to_owned())]
    );
    let generic = "impl<R: Read> CsvReader<R> {\n    fn new() {}\n}\n";
    assert_eq!(
        impl_methods(generic),
        [("CsvReader".to_owned(), "new".to_owned())]
    );
    let trait_impl = "impl Default for Prepared<'_> {\n    fn default() -> Self {}\n}\n";
    assert!(impl_methods(trait_impl).is_empty());
    assert_eq!(defined_types("pub(crate) struct Tally {\n"), ["Tally"]);
}

#[test]
fn the_test_catches_an_upward_use() {
    let upward = "use crate::analysis::report::Report;\n";
    assert_eq!(crate_paths(&code(upward), 2), [(1, "analysis".to_owned())]);
    let in_test = "#[cfg(test)]\nmod tests {\n    use crate::api::run;\n}\nfn f() {}\n";
    assert!(crate_paths(&code(in_test), 2).is_empty());
    let commented = "/// See [`crate::api`].\n// crate::run\nfn f() {}\n";
    assert!(crate_paths(&code(commented), 2).is_empty());
    // In a macro, `$crate::` is a path like any other.
    let macro_path = "pub struct X($crate::api::Thing);\n";
    assert_eq!(crate_paths(&code(macro_path), 1), [(1, "api".to_owned())]);
    // `super::` inside the layer names nothing; climbing out of it names
    // the module it reaches, in a `use` or an expression.
    assert!(crate_paths(&code("use super::zone::Zone;\n"), 2).is_empty());
    let climb = "fn f() { super::super::api::run(); }\n";
    assert_eq!(crate_paths(&code(climb), 2), [(1, "api".to_owned())]);
    assert_eq!(
        crate_paths(&code("use super::run::x;\n"), 1),
        [(1, "run".to_owned())]
    );
    // An inline module is one level deeper.
    let inline = "mod m {\n    use super::Zone;\n}\nuse super::api::x;\n";
    assert_eq!(crate_paths(&code(inline), 1), [(4, "api".to_owned())]);
    let inline_up = "mod m {\n    use super::super::api::x;\n}\n";
    assert_eq!(crate_paths(&code(inline_up), 1), [(2, "api".to_owned())]);
}

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
    ("error", 0),
    ("util", 0),
    ("stats", 1),
    ("time", 2),
    ("model", 3),
    ("sample", 4),
    ("validate", 4),
    ("input", 5),
    ("engine", 6),
    ("analysis", 7),
    ("run", 8),
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

/// Every `crate::name` in `code`, with its line.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c == '$' || c.is_alphanumeric() || c == '_') {
                continue; // `$crate::` in a macro, or part of another name
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                .collect();
            out.push((n + 1, name));
        }
    }
    out
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
        for (line, used) in crate_paths(&code) {
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
        if top {
            // At the top of a layer, `super` is the crate root.
            for (n, l) in code.lines().enumerate() {
                if l.starts_with("use super::") || l.starts_with("pub use super::") {
                    faults.push(format!(
                        "{}:{}: `super::` at a layer's top is the crate root: name the layer",
                        rel.display(),
                        n + 1
                    ));
                }
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

#[test]
fn the_test_catches_an_upward_use() {
    let upward = "use crate::analysis::report::Report;\n";
    assert_eq!(crate_paths(&code(upward)), [(1, "analysis".to_owned())]);
    let in_test = "#[cfg(test)]\nmod tests {\n    use crate::api::run;\n}\nfn f() {}\n";
    assert!(crate_paths(&code(in_test)).is_empty());
    let commented = "/// See [`crate::api`].\n// crate::run\nfn f() {}\n";
    assert!(crate_paths(&code(commented)).is_empty());
    let macro_path = "pub struct X($crate::util::IdText);\n";
    assert!(crate_paths(&code(macro_path)).is_empty());
}

//! The TypeScript `ErrorKind` type is generated from the core's one table of
//! error kinds (`mindgap::ERROR_CODES`, which the C header's `mg_status` is
//! checked against too): this test renders it and compares it with the block
//! in `src/types.d.ts` (`MINDGAP_BLESS=1` rewrites the block; review the diff).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

const BEGIN: &str = "// BEGIN error kinds";
const END: &str = "// END error kinds";

fn rendered() -> String {
    let mut out = String::from(
        "// BEGIN error kinds: generated from mindgap::ERROR_CODES by tests/error_kinds.rs\n\
         /** The kind of an error; its stable `code` is in the comment. */\n\
         export type ErrorKind =\n",
    );
    let last = mindgap::ERROR_CODES.len() - 1;
    for (i, k) in mindgap::ERROR_CODES.iter().enumerate() {
        let end = if i == last { ";" } else { "" };
        out.push_str(&format!(
            "  | \"{}\"{end} // {}: {}\n",
            k.kind, k.code, k.summary
        ));
    }
    out.push_str(END);
    out
}

#[test]
fn the_typescript_error_kinds_are_the_cores() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/types.d.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(BEGIN).expect("types.d.ts has the BEGIN marker");
    let end = text[start..].find(END).expect("and the END marker") + start + END.len();
    let block = rendered();
    if std::env::var_os("MINDGAP_BLESS").is_some() {
        let updated = format!("{}{}{}", &text[..start], block, &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        text[start..end] == block,
        "src/types.d.ts's ErrorKind differs from mindgap::ERROR_CODES; \
         MINDGAP_BLESS=1 cargo test -p mindgap-wasm --test error_kinds rewrites it"
    );
}

//! Writes the C header to `OUT_DIR/mindgap.h` (compared with the committed
//! `include/mindgap.h` by a unit test), `OUT_DIR/mindgap.pc` from
//! `mindgap.pc.in`, and gives the shared library its SONAME
//! (`libmindgap.so.0.MINOR` before 1.0, `libmindgap.so.MAJOR` after).

use std::env;
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=mindgap.pc.in");
    let major = env::var("CARGO_PKG_VERSION_MAJOR")?;
    let minor = env::var("CARGO_PKG_VERSION_MINOR")?;
    let version = env::var("CARGO_PKG_VERSION")?;
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        // The SONAME names the ABI. Before 1.0 each minor release may break
        // it (Cargo's rule for 0.x), so it carries the minor version too:
        // libmindgap.so.0.1; from 1.0 on, the major alone.
        let abi = if major == "0" {
            format!("{major}.{minor}")
        } else {
            major
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmindgap.so.{abi}");
    }
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env::var("OUT_DIR")?);
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))?;
    cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()?
        .write_to_file(out.join("mindgap.h"));
    let pc = std::fs::read_to_string(dir.join("mindgap.pc.in"))?;
    std::fs::write(
        out.join("mindgap.pc"),
        pc.replace("@VERSION@", &version).replace("@LIBDIR@", "lib"),
    )?;
    Ok(())
}

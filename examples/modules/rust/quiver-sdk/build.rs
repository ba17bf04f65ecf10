//! Compiles Quiver's C guest SDK (modules/sdk, or $QUIVER_SDK) with clang-19 for wasm32-wasi
//! into a static library the crate links: the same code, and so the same Arrow IPC reader and
//! writer, as the built-in modules. The ABI 2 driver (step_v2.c) provides the exports.
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {}", command, e));
    assert!(status.success(), "{:?} failed with {}", command, status);
}

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let sdk = env::var("QUIVER_SDK")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest_dir.join("../../../../modules/sdk"));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&sdk)
        .unwrap_or_else(|e| panic!("cannot read the C SDK at {}: {}", sdk.display(), e))
        .map(|entry| entry.unwrap().path())
        .filter(|p| is_sdk_source(p))
        .collect();
    sources.sort();
    sources.push(sdk.join("step_v2.c"));
    let mut objects = Vec::new();
    for source in &sources {
        let object = out.join(source.file_stem().unwrap()).with_extension("o");
        run(Command::new("clang-19")
            .args(["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-std=c11"])
            .args(["-ffunction-sections", "-fdata-sections", "-DQV_ABI=2"])
            .arg(format!("-I{}", sdk.display()))
            .arg("-c")
            .arg(source)
            .arg("-o")
            .arg(&object));
        objects.push(object);
        println!("cargo:rerun-if-changed={}", source.display());
    }
    println!("cargo:rerun-if-changed={}", sdk.join("quiver.h").display());
    println!("cargo:rerun-if-env-changed=QUIVER_SDK");
    let archive = out.join("libquiver_c.a");
    let _ = std::fs::remove_file(&archive);
    run(Command::new("llvm-ar-19")
        .arg("crs")
        .arg(&archive)
        .args(&objects));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=quiver_c");
}

/// The SDK's library sources: not its unit tests, fuzz targets or ABI drivers.
fn is_sdk_source(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.ends_with(".c")
        && !name.ends_with("_test.c")
        && !name.starts_with("fuzz_")
        && !name.starts_with("step_v")
}

//! Build script: the git commit `netassist --version` names, and for a Windows target the icon
//! and version information of netassist.exe (a resource compiled with mingw's windres).
//!
//! A build outside a git checkout (a source tarball, `cargo package`) names the commit
//! "unknown"; a build without git installed too.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = git_commit(&manifest_dir).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=NETASSIST_COMMIT={commit}");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resource(&manifest_dir, &commit);
    }
}

/// Runs git in `dir`; its trimmed standard output when it succeeded.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The short hash of HEAD when this package is the top of a git work tree (a tarball unpacked
/// inside some other repository must not take that repository's commit). Asks cargo to run
/// this script again when HEAD or the branch it names moves.
fn git_commit(manifest_dir: &Path) -> Option<String> {
    let top = PathBuf::from(git(manifest_dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    // Only files that exist: cargo reruns the script on every build for a missing one.
    let mut watched = vec![git(manifest_dir, &["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(manifest_dir, &["rev-parse", "--symbolic-full-name", "HEAD"])
        && branch.starts_with("refs/")
    {
        watched.extend(git(manifest_dir, &["rev-parse", "--git-path", &branch]));
    }
    watched.extend(git(
        manifest_dir,
        &["rev-parse", "--git-path", "packed-refs"],
    ));
    for path in watched {
        let path = manifest_dir.join(path);
        if path.is_file() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(manifest_dir, &["rev-parse", "--short", "HEAD"])
}

/// The icon (assets/icon.ico: 16 to 256 pixels) and the version information Explorer shows
/// under Properties → Details. Fails the build when windres is missing: an .exe without its
/// icon is not the one to ship (scripts/build-windows.sh installs mingw's binutils).
fn windows_resource(manifest_dir: &Path, commit: &str) {
    let icon = manifest_dir.join("assets").join("icon.ico");
    println!("cargo:rerun-if-changed={}", icon.display());
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon(&icon.to_string_lossy())
        .set("FileDescription", "netassist - network debugging assistant")
        .set("ProductName", "netassist")
        .set("ProductVersion", &format!("{version} ({commit})"))
        .set("LegalCopyright", "MIT License, the netassist authors")
        .set("OriginalFilename", "netassist.exe");
    if let Err(err) = resource.compile_for("netassist") {
        eprintln!(
            "cannot compile the Windows resource (icon, version information) with windres: {err}; install mingw's binutils (Debian: binutils-mingw-w64-x86-64)"
        );
        std::process::exit(1);
    }
}

//! `netassist --version` names the version and the git commit the binary was built from
//! (build.rs), so a bug report from a .deb or an .exe says which code it is about.

use std::process::{Command, Stdio};

use crate::cli_support::BIN;

/// What build.rs should have found: HEAD's short hash when this package is the top of a git
/// work tree, "unknown" otherwise (a source tarball, no git).
fn expected_commit() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let is_top = git(&["rev-parse", "--show-toplevel"])
        .is_some_and(|top| std::fs::canonicalize(top).ok() == std::fs::canonicalize(dir).ok());
    if is_top {
        git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_owned())
    } else {
        "unknown".to_owned()
    }
}

#[test]
fn version_names_the_package_version_and_the_git_commit() {
    let out = Command::new(BIN)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "--version failed: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let want = format!(
        "netassist {} ({})\n",
        env!("CARGO_PKG_VERSION"),
        expected_commit()
    );
    assert_eq!(text, want);
    let commit = expected_commit();
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "the commit is a short hash or 'unknown': {commit}"
    );
}

//! `netassist --version` names the version and the git commit the binary was built from
//! (build.rs), so a bug report from a .deb or an .exe says which code it is about.

use std::process::{Command, Stdio};

use crate::cli_support::BIN;

/// Runs git in the package's folder; its trimmed output when it succeeded.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Whether this package is the top of a git work tree (not a tarball, git installed).
fn in_git_checkout() -> bool {
    git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).ok()
    })
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
    let rest = text
        .strip_prefix(&format!("netassist {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("not 'netassist VERSION (COMMIT)': {text:?}"));
    if in_git_checkout() {
        // A commit of this repository (HEAD may have moved on since the build).
        assert!(
            rest.len() >= 7 && rest.chars().all(|c| c.is_ascii_hexdigit()),
            "a short hash, not {rest:?}"
        );
        assert!(
            git(&["cat-file", "-e", &format!("{rest}^{{commit}}")]).is_some(),
            "{rest} is not a commit of this repository"
        );
    } else {
        assert_eq!(
            rest, "unknown",
            "outside a git checkout the commit is unknown"
        );
    }
}

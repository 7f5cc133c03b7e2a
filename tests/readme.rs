//! The README's table of which crate depends on which is the one the manifests
//! give: read both and compare.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

/// The README's table, crate by crate.
fn readme_table() -> BTreeMap<String, BTreeSet<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README is readable");
    let start = readme
        .find("<!-- dependencies -->")
        .expect("the README marks its dependency table");
    let end = readme
        .find("<!-- /dependencies -->")
        .expect("the README closes its dependency table");
    let mut table = BTreeMap::new();
    for row in readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| `pcn"))
    {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`').to_owned();
        let deps = cells[2]
            .split(',')
            .map(|d| d.trim().trim_matches('`').to_owned())
            .filter(|d| d.starts_with("pcn-"))
            .collect();
        table.insert(name, deps);
    }
    table
}

/// The workspace crates' dependencies on each other, normal dependencies only, as
/// `cargo metadata` reads them from the manifests.
fn manifests() -> BTreeMap<String, BTreeSet<String>> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata gives JSON");
    let mut graph = BTreeMap::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("a name").to_owned();
        if name == "pcn" {
            continue;
        }
        let deps = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| d["name"].as_str())
            .filter(|d| d.starts_with("pcn-"))
            .map(str::to_owned)
            .collect();
        graph.insert(name, deps);
    }
    graph
}

#[test]
fn the_readme_draws_the_dependencies_as_the_manifests_give_them() {
    assert_eq!(readme_table(), manifests());
}

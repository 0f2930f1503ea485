//! A test of the code's layering (issue 8, "one home for each rule"): the domain modules under
//! `services/` and `read_models/` never import each other in a cycle, so the dependencies run
//! one way, routes → read models → services → access.
//!
//! It reads the source: a folder module's `mod.rs` stands for the folder; every mention of
//! `services::…`, `read_models::…` (also as `{a, b}` groups), `super::…` and `self::…` is
//! resolved to the longest module it names; a module's own children and its parent are
//! structure, not imports. The strongly connected components of that graph must be single
//! modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`services::evidence::ingest`) → source with `//` comments removed.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut dirs: Vec<PathBuf> = vec![src.join("services"), src.join("read_models")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .expect("under src")
                .with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts.len() < 2 {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable source");
            let code: String = text
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            found.insert(parts.join("::"), code);
        }
    }
    found
}

/// The module paths a source mentions, each as segments: `services::a::b`, `super::{x, y}`...
fn mentions(code: &str) -> Vec<Vec<String>> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for start in ["services::", "read_models::", "super::", "self::"] {
        for (at, _) in code.match_indices(start) {
            if code[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let head = start.trim_end_matches("::").to_owned();
            let rest = &code[at + start.len()..];
            let mut segments = vec![head];
            let mut rest = rest;
            loop {
                if let Some(group) = rest.strip_prefix('{') {
                    let inner = &group[..group.find('}').unwrap_or(group.len())];
                    for name in inner.split(',') {
                        let name: String =
                            name.trim().chars().take_while(|&c| is_ident(c)).collect();
                        if !name.is_empty() {
                            let mut path = segments.clone();
                            path.push(name);
                            out.push(path);
                        }
                    }
                    break;
                }
                let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
                if name.is_empty() {
                    break;
                }
                rest = &rest[name.len()..];
                segments.push(name);
                match rest.strip_prefix("::") {
                    Some(more) => rest = more,
                    None => break,
                }
            }
            out.push(segments);
        }
    }
    out
}

fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(src);
    let resolve = |segments: &[String]| -> Option<String> {
        (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|name| modules.contains_key(name))
    };
    let mut edges = BTreeMap::new();
    for (name, code) in &modules {
        let here: Vec<String> = name.split("::").map(str::to_owned).collect();
        let mut targets = BTreeSet::new();
        for mention in mentions(code) {
            let absolute: Vec<String> = match mention[0].as_str() {
                "super" => here[..here.len() - 1]
                    .iter()
                    .chain(&mention[1..])
                    .cloned()
                    .collect(),
                "self" => here.iter().chain(&mention[1..]).cloned().collect(),
                _ => mention,
            };
            if let Some(target) = resolve(&absolute) {
                let structural = target == *name
                    || target.starts_with(&format!("{name}::"))
                    || name.starts_with(&format!("{target}::"));
                if !structural {
                    targets.insert(target);
                }
            }
        }
        edges.insert(name.clone(), targets);
    }
    edges
}

/// The cycles of the graph: its strongly connected components of more than one module.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two modules are in one cycle when each reaches the other.
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut found = Vec::new();
    for m in edges.keys() {
        if done.contains(m) || !reaches[m].contains(m) {
            continue;
        }
        let component: Vec<String> = edges
            .keys()
            .filter(|other| reaches[m].contains(*other) && reaches[*other].contains(m))
            .cloned()
            .collect();
        done.extend(component.iter().cloned());
        found.push(component);
    }
    found
}

#[test]
fn domain_modules_import_each_other_without_cycles() {
    // The checkout under test (`cargo test` sets it when it runs the test), not the one that
    // compiled this binary: a shared target dir may reuse another clone's.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let src = Path::new(&manifest_dir).join("src");
    let edges = graph(&src);
    assert!(edges.contains_key("services::access"), "{edges:#?}");
    assert!(
        edges.contains_key("services::evidence::ingest"),
        "{edges:#?}"
    );
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles: {found:?}\n{edges:#?}");
}

#[test]
fn a_cycle_is_found() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("services::a", vec!["services::b"]),
        ("services::b", vec!["services::c"]),
        ("services::c", vec!["services::a"]),
        ("services::d", vec!["services::a"]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_owned(), to.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        cycles(&edges),
        vec![vec![
            "services::a".to_owned(),
            "services::b".to_owned(),
            "services::c".to_owned()
        ]]
    );
}

#[test]
fn mentions_are_read_with_groups_and_relative_paths() {
    let code = "use crate::services::{access, audit::{self, X}};\nuse super::{keys, resumable};\n\
                let x = services::evidence::ingest::run();\nmy_services::nope();";
    let found = mentions(code);
    assert!(found.contains(&vec!["services".into(), "access".into()]));
    assert!(found.contains(&vec!["super".into(), "keys".into()]));
    assert!(found.contains(&vec!["super".into(), "resumable".into()]));
    assert!(found.contains(&vec![
        "services".into(),
        "evidence".into(),
        "ingest".into(),
        "run".into()
    ]));
    assert!(!found.iter().any(|m| m.contains(&"nope".to_owned())));
}

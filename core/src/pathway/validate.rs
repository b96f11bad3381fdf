//! Structural checks of a protocol definition; every problem is reported with its JSON path.

use std::collections::{BTreeMap, HashMap};

use super::handout;
use super::protocol::{ProtocolDefinition, SCHEMA_VERSION};
use crate::error::Problem;

fn is_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.len() <= 64
}

pub(crate) fn problems(d: &ProtocolDefinition) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |path: String, code: &str, message: String| out.push(Problem::new(path, code, message));

    if d.schema_version != SCHEMA_VERSION {
        add(
            "$.schema_version".into(),
            "unsupported_version",
            format!("unsupported version {}, expected {SCHEMA_VERSION}", d.schema_version),
        );
    }
    if !is_id(&d.id) {
        add(
            "$.id".into(),
            "invalid_id",
            format!("{:?} is not an id (lowercase letters, digits, _; starts with a letter)", d.id),
        );
    }
    if d.version.trim().is_empty() {
        add("$.version".into(), "empty", "must not be empty".into());
    }
    if d.title.trim().is_empty() {
        add("$.title".into(), "empty", "must not be empty".into());
    }
    if d.phases.is_empty() {
        add("$.phases".into(), "empty", "a protocol needs at least one phase".into());
    }

    // First pass: ids and where they are, so prerequisites can be checked in any order.
    let mut phase_ids: HashMap<&str, usize> = HashMap::new();
    let mut item_at: HashMap<&str, (usize, String)> = HashMap::new();
    let mut milestones = BTreeMap::new();
    for (p, phase) in d.phases.iter().enumerate() {
        let path = format!("$.phases[{p}]");
        if !is_id(&phase.id) {
            add(format!("{path}.id"), "invalid_id", format!("{:?} is not an id", phase.id));
        } else if let Some(first) = phase_ids.insert(&phase.id, p) {
            add(
                format!("{path}.id"),
                "duplicate_id",
                format!("duplicate phase id {:?} (first at $.phases[{first}])", phase.id),
            );
        }
        if phase.title.trim().is_empty() {
            add(format!("{path}.title"), "empty", "must not be empty".into());
        }
        if phase.items.is_empty() {
            add(format!("{path}.items"), "empty", format!("phase {:?} has no checklist items", phase.id));
        }
        for (i, item) in phase.items.iter().enumerate() {
            let ipath = format!("{path}.items[{i}]");
            if !is_id(&item.id) {
                add(format!("{ipath}.id"), "invalid_id", format!("{:?} is not an id", item.id));
            } else if let Some((_, first)) = item_at.get(item.id.as_str()) {
                add(
                    format!("{ipath}.id"),
                    "duplicate_id",
                    format!("duplicate item id {:?} (first at {first})", item.id),
                );
            } else {
                item_at.insert(&item.id, (p, ipath.clone()));
            }
            if item.title.trim().is_empty() {
                add(format!("{ipath}.title"), "empty", "must not be empty".into());
            }
            if !handout::is_source_ref(&item.source) {
                add(
                    format!("{ipath}.source"),
                    "invalid_source",
                    format!(
                        "{:?} is not a handout reference like \"pre_pump.1\" or \"post_pump_care.s1\"",
                        item.source
                    ),
                );
            }
            if let Some(m) = item.milestone
                && let Some(first) = milestones.insert(m, ipath.clone())
            {
                add(
                    format!("{ipath}.milestone"),
                    "duplicate_milestone",
                    format!("milestone {m} is already carried by {first}"),
                );
            }
        }
    }

    // Second pass: prerequisites.
    for (p, phase) in d.phases.iter().enumerate() {
        for (i, item) in phase.items.iter().enumerate() {
            let ipath = format!("$.phases[{p}].items[{i}]");
            let mut seen = Vec::new();
            for (k, pre) in item.prerequisites.iter().enumerate() {
                let ppath = format!("{ipath}.prerequisites[{k}]");
                if seen.contains(&pre) {
                    add(ppath, "duplicate_prerequisite", format!("{pre:?} is listed twice"));
                    continue;
                }
                seen.push(pre);
                match item_at.get(pre.as_str()) {
                    None => add(ppath, "unknown_item", format!("unknown item {pre:?}")),
                    Some(_) if pre == &item.id => {
                        add(ppath, "self_prerequisite", format!("item {pre:?} cannot require itself"))
                    }
                    Some((pre_phase, pre_path)) if *pre_phase > p => add(
                        ppath,
                        "later_phase",
                        format!(
                            "{pre:?} ({pre_path}) is in a later phase ({:?}) than {:?} ({:?})",
                            d.phases[*pre_phase].id, item.id, phase.id
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    for cycle in cycles(d) {
        let first = cycle.first().cloned().unwrap_or_default();
        let path =
            item_at.get(first.as_str()).map(|(_, p)| format!("{p}.prerequisites")).unwrap_or("$".into());
        add(path, "prerequisite_cycle", format!("prerequisite cycle: {} -> {first}", cycle.join(" -> ")));
    }

    out.extend(d.settings.problems().into_iter().map(|mut p| {
        p.path = format!("$.settings.{}", p.path);
        p
    }));
    out
}

/// The cycles depth-first search finds, one per back edge, each reported once (rotated to start at its first
/// item in protocol order). Every cyclic protocol gets at least one.
fn cycles(d: &ProtocolDefinition) -> Vec<Vec<String>> {
    let ids: Vec<&str> = d.phases.iter().flat_map(|p| p.items.iter().map(|i| i.id.as_str())).collect();
    // The first item with an id stands for it (a duplicate is reported on its own).
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (k, id) in ids.iter().enumerate() {
        position.entry(id).or_insert(k);
    }
    let edges: Vec<Vec<usize>> = d
        .phases
        .iter()
        .flat_map(|p| p.items.iter())
        .map(|i| i.prerequisites.iter().filter_map(|pre| position.get(pre.as_str()).copied()).collect())
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut color = vec![0u8; ids.len()];
    let mut stack = Vec::new();
    let mut found: Vec<Vec<String>> = Vec::new();
    fn visit(
        n: usize,
        edges: &[Vec<usize>],
        color: &mut [u8],
        stack: &mut Vec<usize>,
        ids: &[&str],
        found: &mut Vec<Vec<String>>,
    ) {
        color[n] = 1;
        stack.push(n);
        for &m in &edges[n] {
            if color[m] == 1 {
                if let Some(start) = stack.iter().position(|&x| x == m) {
                    let mut cycle: Vec<usize> = stack[start..].to_vec();
                    let min_at = cycle.iter().enumerate().min_by_key(|(_, v)| **v).map_or(0, |(k, _)| k);
                    cycle.rotate_left(min_at);
                    let names: Vec<String> = cycle.iter().map(|&k| ids[k].to_owned()).collect();
                    if !found.contains(&names) {
                        found.push(names);
                    }
                }
            } else if color[m] == 0 {
                visit(m, edges, color, stack, ids, found);
            }
        }
        stack.pop();
        color[n] = 2;
    }
    for n in 0..ids.len() {
        if color[n] == 0 {
            visit(n, &edges, &mut color, &mut stack, &ids, &mut found);
        }
    }
    found
}

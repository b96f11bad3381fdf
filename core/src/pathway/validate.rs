//! Structural checks of a protocol definition; every problem is reported with its JSON path.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::definition::{ProtocolDefinition, SCHEMA_VERSION};
use super::handout;
use crate::problem::{Problem, ProblemCode};

fn is_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.len() <= 64
}

/// The most checklist items a protocol may have (all phases together).
pub const MAX_ITEMS: usize = 10_000;
/// The most prerequisites one item may list.
pub const MAX_PREREQUISITES: usize = 1_000;
/// How many prerequisite cycles are reported in full; the rest are counted.
const MAX_CYCLES_REPORTED: usize = 5;
/// How many ids of one cycle a message names; a longer cycle is shortened with its length.
const MAX_CYCLE_IDS: usize = 10;

/// The limits, checked before anything that grows with the input: `too_large` problems, or none.
fn limits(d: &ProtocolDefinition) -> Vec<Problem> {
    let items: usize = d.phases.iter().map(|p| p.items.len()).sum();
    if items > MAX_ITEMS {
        let message = format!("{items} checklist items; a protocol may have at most {MAX_ITEMS}");
        return vec![Problem::new("$.phases", ProblemCode::TooLarge, message).with_value(items)];
    }
    let mut out = Vec::new();
    for (p, phase) in d.phases.iter().enumerate() {
        for (i, item) in phase.items.iter().enumerate() {
            let n = item.prerequisites.len();
            if n > MAX_PREREQUISITES {
                out.push(
                    Problem::new(
                        format!("$.phases[{p}].items[{i}].prerequisites"),
                        ProblemCode::TooLarge,
                        format!("{n} prerequisites; an item may list at most {MAX_PREREQUISITES}"),
                    )
                    .with_value(n),
                );
            }
        }
    }
    out
}

pub(crate) fn problems(d: &ProtocolDefinition) -> Vec<Problem> {
    let too_large = limits(d);
    if !too_large.is_empty() {
        return too_large;
    }
    let mut out = Vec::new();
    let mut add =
        |path: String, code: ProblemCode, message: String| out.push(Problem::new(path, code, message));

    if d.schema_version != SCHEMA_VERSION {
        add(
            "$.schema_version".into(),
            ProblemCode::UnsupportedVersion,
            format!("unsupported version {}, expected {SCHEMA_VERSION}", d.schema_version),
        );
    }
    if !is_id(&d.id) {
        add(
            "$.id".into(),
            ProblemCode::InvalidId,
            format!("{:?} is not an id (lowercase letters, digits, _; starts with a letter)", d.id),
        );
    }
    if d.version.trim().is_empty() {
        add("$.version".into(), ProblemCode::Empty, "must not be empty".into());
    }
    if d.title.trim().is_empty() {
        add("$.title".into(), ProblemCode::Empty, "must not be empty".into());
    }
    if d.phases.is_empty() {
        add("$.phases".into(), ProblemCode::Empty, "a protocol needs at least one phase".into());
    }

    // First pass: ids and where they are, so prerequisites can be checked in any order.
    let mut phase_ids: HashMap<&str, usize> = HashMap::new();
    let mut item_at: HashMap<&str, (usize, String)> = HashMap::new();
    let mut milestones = BTreeMap::new();
    for (p, phase) in d.phases.iter().enumerate() {
        let path = format!("$.phases[{p}]");
        if !is_id(&phase.id) {
            add(format!("{path}.id"), ProblemCode::InvalidId, format!("{:?} is not an id", phase.id));
        } else if let Some(first) = phase_ids.insert(&phase.id, p) {
            add(
                format!("{path}.id"),
                ProblemCode::DuplicateId,
                format!("duplicate phase id {:?} (first at $.phases[{first}])", phase.id),
            );
        }
        if phase.title.trim().is_empty() {
            add(format!("{path}.title"), ProblemCode::Empty, "must not be empty".into());
        }
        if phase.items.is_empty() {
            add(
                format!("{path}.items"),
                ProblemCode::Empty,
                format!("phase {:?} has no checklist items", phase.id),
            );
        }
        for (i, item) in phase.items.iter().enumerate() {
            let ipath = format!("{path}.items[{i}]");
            if !is_id(&item.id) {
                add(format!("{ipath}.id"), ProblemCode::InvalidId, format!("{:?} is not an id", item.id));
            } else if let Some((_, first)) = item_at.get(item.id.as_str()) {
                add(
                    format!("{ipath}.id"),
                    ProblemCode::DuplicateId,
                    format!("duplicate item id {:?} (first at {first})", item.id),
                );
            } else {
                item_at.insert(&item.id, (p, ipath.clone()));
            }
            if item.title.trim().is_empty() {
                add(format!("{ipath}.title"), ProblemCode::Empty, "must not be empty".into());
            }
            if !handout::is_source_ref(&item.source) {
                add(
                    format!("{ipath}.source"),
                    ProblemCode::InvalidSource,
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
                    ProblemCode::DuplicateMilestone,
                    format!("milestone {m} is already carried by {first}"),
                );
            }
        }
    }

    // Second pass: prerequisites.
    for (p, phase) in d.phases.iter().enumerate() {
        for (i, item) in phase.items.iter().enumerate() {
            let ipath = format!("$.phases[{p}].items[{i}]");
            let mut seen = HashSet::new();
            for (k, pre) in item.prerequisites.iter().enumerate() {
                let ppath = format!("{ipath}.prerequisites[{k}]");
                if !seen.insert(pre.as_str()) {
                    add(ppath, ProblemCode::DuplicatePrerequisite, format!("{pre:?} is listed twice"));
                    continue;
                }
                match item_at.get(pre.as_str()) {
                    None => add(ppath, ProblemCode::UnknownItem, format!("unknown item {pre:?}")),
                    Some(_) if pre == &item.id => add(
                        ppath,
                        ProblemCode::SelfPrerequisite,
                        format!("item {pre:?} cannot require itself"),
                    ),
                    Some((pre_phase, pre_path)) if *pre_phase > p => add(
                        ppath,
                        ProblemCode::LaterPhase,
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

    let (cycles, more) = cycles(d);
    for cycle in cycles {
        let first = cycle.first().copied().unwrap_or_default();
        let path =
            item_at.get(first).map(|(_, p)| format!("{p}.prerequisites")).unwrap_or_else(|| "$".into());
        let shown = if cycle.len() > MAX_CYCLE_IDS {
            format!("{} -> ... ({} items)", cycle[..MAX_CYCLE_IDS].join(" -> "), cycle.len())
        } else {
            cycle.join(" -> ")
        };
        add(path, ProblemCode::PrerequisiteCycle, format!("prerequisite cycle: {shown} -> {first}"));
    }
    if more > 0 {
        add(
            "$.phases".into(),
            ProblemCode::PrerequisiteCycle,
            format!("and {more} more prerequisite cycles"),
        );
    }

    out.extend(d.settings.problems().into_iter().map(|mut p| {
        p.path = format!("$.settings.{}", p.path);
        p
    }));
    out
}

/// The cycles depth-first search finds, one per back edge (rotated to start at its first item in protocol
/// order): the first [`MAX_CYCLES_REPORTED`] distinct ones, and how many more back edges there are. Every
/// cyclic protocol gets at least one. The search is iterative (no recursion on long chains) and linear in
/// items plus prerequisites, apart from the reported cycles themselves.
fn cycles(d: &ProtocolDefinition) -> (Vec<Vec<&str>>, usize) {
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
    const UNVISITED: usize = usize::MAX;
    const DONE: usize = usize::MAX - 1;
    // UNVISITED, DONE, or the node's index on the path (it is on the stack).
    let mut state = vec![UNVISITED; ids.len()];
    // The current path: (node, next edge to follow).
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<Vec<&str>> = Vec::new();
    let mut more = 0;
    for root in 0..ids.len() {
        if state[root] != UNVISITED {
            continue;
        }
        state[root] = 0;
        path.push((root, 0));
        while let Some(&mut (n, ref mut next)) = path.last_mut() {
            let Some(&m) = edges[n].get(*next) else {
                state[n] = DONE;
                path.pop();
                continue;
            };
            *next += 1;
            match state[m] {
                UNVISITED => {
                    state[m] = path.len();
                    path.push((m, 0));
                }
                DONE => {}
                start => {
                    if found.len() >= MAX_CYCLES_REPORTED {
                        more += 1;
                        continue;
                    }
                    let mut cycle: Vec<usize> = path[start..].iter().map(|&(x, _)| x).collect();
                    let min_at = cycle.iter().enumerate().min_by_key(|(_, v)| **v).map_or(0, |(k, _)| k);
                    cycle.rotate_left(min_at);
                    let names: Vec<&str> = cycle.iter().map(|&k| ids[k]).collect();
                    if !found.contains(&names) {
                        found.push(names);
                    }
                }
            }
        }
    }
    (found, more)
}

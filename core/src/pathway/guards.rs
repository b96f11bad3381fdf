//! The guards: what the protocol and the record allow one event to do, and the fold step that applies it.

use jiff::Timestamp;

use super::state::keep_later;
use super::{
    Event, EventError, EventKind, EventType, FieldProblem, InsuranceDecision, ItemState, ItemStatus,
    Milestone, PathwayState, Protocol, Role, SuppliesBatch, TransitionProblem, VisitKind, When,
};

/// Whether the event's actor may record its type (the protocol's `settings.recording`; item events also
/// accept the item's own role). An item event naming an unknown item is reported as such.
pub(crate) fn check_actor(protocol: &Protocol, event: &Event) -> Result<(), EventError> {
    let r = &protocol.settings().recording;
    let item = match &event.kind {
        EventKind::ItemStarted { item }
        | EventKind::ItemScheduled { item, .. }
        | EventKind::ItemCompleted { item }
        | EventKind::ItemWaived { item, .. }
        | EventKind::ItemReopened { item, .. }
        | EventKind::ItemPutOnHold { item, .. } => Some(item),
        _ => None,
    };
    let mut allowed: Vec<Role> = r.roles_for(event.kind.event_type()).to_vec();
    if let Some(item) = item {
        let Some(found) = protocol.item(item) else {
            return Err(EventError::UnknownItem { event_id: event.id.clone(), item: item.clone() });
        };
        // The item's own role may start, schedule and complete it; waiving, reopening and holding are the
        // clinic's decisions (a patient must not reopen the pump start and silence the schedule).
        let own_work = matches!(
            event.kind,
            EventKind::ItemStarted { .. } | EventKind::ItemScheduled { .. } | EventKind::ItemCompleted { .. }
        );
        if own_work && !allowed.contains(&found.role) {
            allowed.push(found.role);
        }
    }
    if allowed.contains(&event.actor) {
        Ok(())
    } else {
        Err(EventError::ActorNotAllowed {
            event_id: event.id.clone(),
            actor: event.actor,
            event_type: event.kind.event_type(),
            allowed,
        })
    }
}

/// Applies one (non-voided) event to `state`, or says why the protocol forbids it.
///
/// All or nothing: every check comes before the first change, so a rejected event leaves `state` as it was
/// and the record never copies its state to try an event. The lists that grow with the record (follow-up
/// visits, targets changes, acknowledgements) are the record's, kept outside the fold.
pub(crate) fn step(protocol: &Protocol, state: &mut PathwayState, event: &Event) -> Result<(), EventError> {
    let g = Guard { protocol, event };
    // The instant the guards order by (a date-only event's noon UTC) and, beside it, the civil date of an event
    // entered as a date, which the key dates keep so that it stays that date in every clinic zone.
    let at = event.occurred_at;
    let when = When { at, on: event.occurred_on };
    match &event.kind {
        EventKind::ItemStarted { item } => g.set(state, g.item(item)?, ItemState::InProgress, None, None),
        EventKind::ItemScheduled { item, scheduled_for } => {
            let position = g.item(item)?;
            let milestone = protocol.item_at(position).and_then(|(_, i)| i.milestone);
            let booking = crate::pathway::When { at: scheduled_for.instant(), on: scheduled_for.date() };
            // Follow-ups recur: every one can be booked, so a booking on the final follow-up item is recorded
            // and leaves the item's state alone.
            let recurring = milestone == Some(Milestone::FollowUp) && g.state_of(state, position).is_final();
            if !recurring {
                g.set(state, position, ItemState::Scheduled, None, Some(scheduled_for.instant()))?;
            }
            match milestone {
                Some(Milestone::SpecialistVisit) => state.dates.specialist_visit_booked = Some(booking),
                Some(Milestone::FollowUp) => state.dates.follow_up_booked = Some(booking),
                _ => {}
            }
            Ok(())
        }
        EventKind::ItemCompleted { item } => {
            let position = g.item(item)?;
            g.not_event_driven(state, position)?;
            g.complete(state, position)
        }
        EventKind::ItemWaived { item, reason } => {
            let position = g.item(item)?;
            if reason.trim().is_empty() {
                return Err(g.field("reason", reason, FieldProblem::Empty));
            }
            g.set(state, position, ItemState::Cancelled, Some(reason.clone()), None)
        }
        EventKind::ItemReopened { item, reason } => {
            let position = g.item(item)?;
            let current = g.state_of(state, position);
            if !current.is_final() {
                return Err(g.invalid(position, current, ItemState::InProgress, TransitionProblem::NotDone));
            }
            g.write(state, position, ItemState::InProgress, reason.clone(), None);
            Ok(())
        }
        EventKind::ItemPutOnHold { item, reason } => {
            g.set(state, g.item(item)?, ItemState::OnHold, reason.clone(), None)
        }
        EventKind::InsuranceSubmitted => {
            let position = g.milestone(Milestone::InsuranceCoverage)?;
            g.set(state, position, ItemState::InProgress, None, None)?;
            state.dates.insurance_submitted = Some(when);
            state.dates.insurance_decision = None;
            state.dates.insurance_decided = None;
            Ok(())
        }
        EventKind::InsuranceDecision { decision } => {
            let position = g.milestone(Milestone::InsuranceCoverage)?;
            let attempted = match decision {
                InsuranceDecision::Approved => ItemState::Completed,
                InsuranceDecision::Denied => ItemState::OnHold,
            };
            // A decision needs a pending submission; an approval may also overturn a denial (an appeal).
            let appeal = *decision == InsuranceDecision::Approved
                && state.dates.insurance_decision == Some(InsuranceDecision::Denied);
            if !appeal
                && (state.dates.insurance_submitted.is_none() || state.dates.insurance_decision.is_some())
            {
                let current = g.state_of(state, position);
                return Err(g.invalid(position, current, attempted, TransitionProblem::NoPendingSubmission));
            }
            g.not_before(at, EventType::InsuranceSubmitted, state.dates.insurance_submitted)?;
            match decision {
                InsuranceDecision::Approved => g.complete(state, position)?,
                InsuranceDecision::Denied => {
                    g.set(state, position, ItemState::OnHold, Some("insurance denied".into()), None)?
                }
            }
            state.dates.insurance_decision = Some(*decision);
            state.dates.insurance_decided = Some(when);
            Ok(())
        }
        EventKind::PumpChosen { pump } => {
            if pump.trim().is_empty() {
                return Err(g.field("pump", pump, FieldProblem::Empty));
            }
            g.complete(state, g.milestone(Milestone::PumpChoice)?)?;
            state.dates.pump = Some(pump.clone());
            state.dates.pump_chosen = Some(when);
            Ok(())
        }
        EventKind::PumpOrdered { channel } => {
            let position = g.milestone(Milestone::PumpOrder)?;
            // The handout's order: coverage approved and a pump chosen, whatever a clinic's prerequisites say.
            let unmet: Vec<String> = [Milestone::InsuranceCoverage, Milestone::PumpChoice]
                .into_iter()
                .filter_map(|m| protocol.milestone_item(m))
                .filter(|item| protocol.position(&item.id).is_some_and(|p| !g.state_of(state, p).is_final()))
                .map(|item| item.id.clone())
                .collect();
            if !unmet.is_empty() {
                return Err(EventError::PrerequisitesNotMet {
                    event_id: event.id.clone(),
                    item: g.id_of(position),
                    state: g.state_of(state, position),
                    attempted: ItemState::Completed,
                    unmet,
                });
            }
            g.not_before(at, EventType::PumpChosen, state.dates.pump_chosen)?;
            // A start may be recorded before the first order (it is a fact): the order may not be dated after
            // it. A later order (a replacement pump, after a reopening) may follow the start.
            if state.dates.pump_ordered.is_none() {
                g.not_after(at, EventType::PumpStarted, state.dates.pump_started)?;
            }
            g.complete(state, position)?;
            state.dates.order_channel = Some(*channel);
            state.dates.pump_ordered = Some(when);
            Ok(())
        }
        EventKind::PumpStarted => {
            // The start is a fact, not a permission: the trainer is not clinic staff, so training and the
            // materials review are often recorded afterwards. The item completes whatever its prerequisites
            // (`Record::unmet_prerequisites_of` names the missing ones; the rules flag them).
            let position = g.milestone(Milestone::PumpStart)?;
            g.not_before(at, EventType::PumpOrdered, state.dates.pump_ordered)?;
            // A specialist visit entered before the (back-dated) first start: the start may not be after it.
            if state.dates.pump_started.is_none() {
                g.not_after(at, EventType::VisitHeld, state.dates.first_specialist_visit)?;
            }
            g.set(state, position, ItemState::Completed, None, None)?;
            state.dates.pump_started = Some(when);
            Ok(())
        }
        EventKind::PumpLinked => {
            g.not_before(at, EventType::PumpStarted, state.dates.pump_started)?;
            g.complete(state, g.milestone(Milestone::PumpLink)?)?;
            state.dates.pump_linked = Some(when);
            Ok(())
        }
        EventKind::VisitHeld { visit, covered } => {
            let milestone = match visit {
                VisitKind::Specialist => Some(Milestone::SpecialistVisit),
                VisitKind::FollowUp => Some(Milestone::FollowUp),
                VisitKind::Other => None,
            };
            // A specialist visit follows the pump start. Follow-up and other visits may come before it (care
            // before the pump; the schedule ignores follow-ups before the start).
            if *visit == VisitKind::Specialist {
                g.not_before(at, EventType::PumpStarted, state.dates.pump_started)?;
            }
            // A visit is a fact: its date is always recorded. It completes its milestone item only when that
            // item's prerequisites are done (a follow-up held before the specialist visit still counts as a
            // follow-up for the schedule). Covered items are checked before anything changes (all or nothing).
            let milestone = milestone.map(|m| g.milestone(m)).transpose()?;
            let covered = covered.iter().map(|item| g.item(item)).collect::<Result<Vec<_>, _>>()?;
            for &position in &covered {
                g.not_event_driven(state, position)?;
            }
            // Covered items complete likewise; one whose prerequisites are not done stays open (the event keeps
            // the list, and the item can be completed once they are).
            for position in milestone.into_iter().chain(covered) {
                if !g.state_of(state, position).is_final() && g.unmet(state, position).is_empty() {
                    g.complete(state, position)?;
                }
            }
            let d = &mut state.dates;
            match visit {
                VisitKind::Specialist => {
                    keep_later(&mut d.last_specialist_visit, when);
                    if d.first_specialist_visit.is_none_or(|first| at < first.at) {
                        d.first_specialist_visit = Some(when);
                    }
                }
                VisitKind::FollowUp => keep_later(&mut d.last_follow_up_visit, when),
                VisitKind::Other => keep_later(&mut d.last_other_visit, when),
            }
            Ok(())
        }
        EventKind::SuppliesReceived { days_of_supply } => {
            let max = protocol.settings().schedule.supplies_batch_max_days;
            if *days_of_supply == 0 || *days_of_supply > max {
                return Err(g.field(
                    "days_of_supply",
                    days_of_supply,
                    FieldProblem::OutOfRange {
                        min: 1,
                        max,
                        setting: Some("settings.schedule.supplies_batch_max_days"),
                    },
                ));
            }
            let batch = SuppliesBatch { received: when, days_of_supply: *days_of_supply };
            if state.dates.supplies.is_none_or(|b| b.received.at <= at) {
                state.dates.supplies = Some(batch);
            }
            Ok(())
        }
        // Corrections are applied by `Record::apply` through a fold that skips what they void.
        EventKind::Correction { .. } => Ok(()),
        // Kept by the record outside the fold: nothing to check, nothing the guards read.
        EventKind::TargetsSet { .. } => Ok(()),
        EventKind::CgmUse { wears_cgm } => {
            let d = &mut state.dates;
            if d.cgm_use_since.is_none_or(|since| since.at <= at) {
                d.wears_cgm = Some(*wears_cgm);
                d.cgm_use_since = Some(when);
            }
            Ok(())
        }
        // Kept by the record outside the fold, once its item is checked.
        EventKind::ActionAcknowledged { item, .. } => {
            if let Some(item) = item {
                g.item(item)?;
            }
            Ok(())
        }
    }
}

/// The guards, for one event.
struct Guard<'a> {
    protocol: &'a Protocol,
    event: &'a Event,
}

impl Guard<'_> {
    fn item(&self, id: &str) -> Result<usize, EventError> {
        self.protocol
            .position(id)
            .ok_or_else(|| EventError::UnknownItem { event_id: self.event.id.clone(), item: id.to_owned() })
    }

    fn milestone(&self, milestone: Milestone) -> Result<usize, EventError> {
        self.protocol
            .milestone_item(milestone)
            .and_then(|item| self.protocol.position(&item.id))
            .ok_or(EventError::NoMilestoneItem { event_id: self.event.id.clone(), milestone })
    }

    fn id_of(&self, position: usize) -> String {
        self.protocol.item_at(position).map(|(_, i)| i.id.clone()).unwrap_or_default()
    }

    fn state_of(&self, state: &PathwayState, position: usize) -> ItemState {
        state.status(position).map(|s| s.state).unwrap_or_default()
    }

    fn field(&self, field: &'static str, value: impl std::fmt::Display, problem: FieldProblem) -> EventError {
        EventError::InvalidField { event_id: self.event.id.clone(), field, value: value.to_string(), problem }
    }

    /// The event may not have occurred before `other` (the milestone it depends on), when that is recorded.
    fn not_before(&self, at: Timestamp, other: EventType, other_at: Option<When>) -> Result<(), EventError> {
        match other_at {
            Some(o) if at < o.at => Err(self.out_of_order(other, o.at)),
            _ => Ok(()),
        }
    }

    /// The event may not have occurred after `other` (a milestone that depends on it, recorded first).
    fn not_after(&self, at: Timestamp, other: EventType, other_at: Option<When>) -> Result<(), EventError> {
        match other_at {
            Some(o) if at > o.at => Err(self.out_of_order(other, o.at)),
            _ => Ok(()),
        }
    }

    fn out_of_order(&self, other: EventType, other_at: Timestamp) -> EventError {
        EventError::OccurredOutOfOrder {
            event_id: self.event.id.clone(),
            event_type: self.event.kind.event_type(),
            occurred_at: self.event.occurred_at,
            other_event_type: other,
            other_occurred_at: other_at,
        }
    }

    fn invalid(
        &self,
        position: usize,
        state: ItemState,
        attempted: ItemState,
        reason: TransitionProblem,
    ) -> EventError {
        EventError::InvalidTransition {
            event_id: self.event.id.clone(),
            item: self.id_of(position),
            state,
            attempted,
            reason,
        }
    }

    /// Moves a non-final item to `to`.
    fn set(
        &self,
        state: &mut PathwayState,
        position: usize,
        to: ItemState,
        reason: Option<String>,
        scheduled_for: Option<Timestamp>,
    ) -> Result<(), EventError> {
        let current = self.state_of(state, position);
        if current.is_final() {
            return Err(EventError::FinalState {
                event_id: self.event.id.clone(),
                item: self.id_of(position),
                state: current,
                attempted: to,
            });
        }
        self.write(state, position, to, reason, scheduled_for);
        Ok(())
    }

    /// Completes a non-final item whose prerequisites are all done.
    fn complete(&self, state: &mut PathwayState, position: usize) -> Result<(), EventError> {
        let current = self.state_of(state, position);
        if !current.is_final() {
            let unmet = self.unmet(state, position);
            if !unmet.is_empty() {
                return Err(EventError::PrerequisitesNotMet {
                    event_id: self.event.id.clone(),
                    item: self.id_of(position),
                    state: current,
                    attempted: ItemState::Completed,
                    unmet,
                });
            }
        }
        self.set(state, position, ItemState::Completed, None, None)
    }

    /// Items whose completion an event of its own records (so that its date and guards are never skipped)
    /// cannot be completed by `item_completed` or a visit's `covered` list.
    fn not_event_driven(&self, state: &PathwayState, position: usize) -> Result<(), EventError> {
        let Some((_, item)) = self.protocol.item_at(position) else {
            return Ok(());
        };
        let Some(event) = item.milestone.and_then(Milestone::completed_by) else {
            return Ok(());
        };
        // A visit recorded before its item's prerequisites were done (a back-dated pump start, say) left the
        // item open: once such a visit is on record, the item may be completed by hand.
        let visit_on_record = match item.milestone {
            Some(Milestone::SpecialistVisit) => state.dates.last_specialist_visit.is_some(),
            Some(Milestone::FollowUp) => state.dates.last_follow_up_visit.is_some(),
            _ => false,
        };
        if visit_on_record {
            return Ok(());
        }
        let current = self.state_of(state, position);
        Err(self.invalid(
            position,
            current,
            ItemState::Completed,
            TransitionProblem::CompletedByEvent { event },
        ))
    }

    fn unmet(&self, state: &PathwayState, position: usize) -> Vec<String> {
        unmet_prerequisites(self.protocol, state, position)
    }

    fn write(
        &self,
        state: &mut PathwayState,
        position: usize,
        to: ItemState,
        reason: Option<String>,
        scheduled_for: Option<Timestamp>,
    ) {
        if let Some(status) = state.items.get_mut(position) {
            *status = ItemStatus {
                state: to,
                since: Some(self.event.occurred_at),
                since_on: self.event.occurred_on,
                event_id: Some(self.event.id.clone()),
                reason,
                scheduled_for,
            };
        }
    }
}

/// The prerequisites of the item at `position` that are not done, in protocol order.
pub(crate) fn unmet_prerequisites(protocol: &Protocol, state: &PathwayState, position: usize) -> Vec<String> {
    let Some((_, item)) = protocol.item_at(position) else {
        return Vec::new();
    };
    item.prerequisites
        .iter()
        .filter(|pre| {
            protocol.position(pre).and_then(|p| state.status(p)).is_none_or(|s| !s.state.is_final())
        })
        .cloned()
        .collect()
}

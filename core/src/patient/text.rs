//! The patient's view as text: short sentences in the handout's voice, for a phone.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::{PatientStep, PatientView, PatientVisit};
use crate::glucose::Unit;
use crate::pathway::Role;
use crate::schedule::DueState;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Markdown,
    Text,
}

impl PatientView {
    /// The view as Markdown: a title, then a section each for the next steps, visits, supplies, when to call
    /// and the back-up plan (those that apply). No id, code or rule is shown; dates are written out.
    ///
    /// ```
    /// use pumppath::demo;
    /// use pumppath::glucose::{Targets, Unit};
    /// use pumppath::pathway::Protocol;
    /// use pumppath::patient::PatientView;
    /// use pumppath::rules::{evaluate, EvaluationOptions};
    ///
    /// let protocol = Protocol::standard();
    /// let ana = demo::cohort().into_iter().find(|p| p.id == "ana").unwrap();
    /// let assessment = evaluate(&ana.record(protocol)?, None, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())?;
    /// let markdown = PatientView::of(&assessment, protocol, &Targets::default(), Unit::MgDl)?.to_markdown();
    /// assert!(markdown.starts_with("# Your insulin pump pathway\n\n\
    ///     On Monday 16 March 2026 you are in phase 1 of 4: Pre-pump checklist.\n"));
    /// assert!(markdown.contains("## What is next for you\n\n- [ ] Pump chosen\n"));
    /// assert!(!markdown.contains("## Your visits")); // none before the pump start
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        render(self, Style::Markdown)
    }

    /// The view as plain text (no Markdown marks), for a text message or a printed slip: the same sentences
    /// as [`to_markdown`](Self::to_markdown).
    ///
    /// ```
    /// use pumppath::demo;
    /// use pumppath::glucose::{Targets, Unit};
    /// use pumppath::pathway::Protocol;
    /// use pumppath::patient::PatientView;
    /// use pumppath::rules::{evaluate, EvaluationOptions};
    ///
    /// let protocol = Protocol::standard();
    /// let ana = demo::cohort().into_iter().find(|p| p.id == "ana").unwrap();
    /// let assessment = evaluate(&ana.record(protocol)?, None, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())?;
    /// let text = PatientView::of(&assessment, protocol, &Targets::default(), Unit::MmolL)?.to_text();
    /// assert!(text.contains("What is next for you:\n- Pump chosen\n"));
    /// assert!(text.contains("Call us when your glucose is often below 3.9 mmol/L or above 13.9 mmol/L."));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_text(&self) -> String {
        render(self, Style::Text)
    }
}

/// A clinic date written out, the same in every locale: "Friday 20 February 2026".
fn day(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// A glucose value as a patient reads it: whole mg/dL, mmol/L to one decimal (3.9, 13.9).
fn glucose(value: f64, unit: Unit) -> String {
    match unit {
        Unit::MgDl => format!("{value:.0} {unit}"),
        Unit::MmolL => format!("{value:.1} {unit}"),
    }
}

/// The protocol's words, escaped for Markdown (a clinic's title may hold `*` or `_`); as they are in text.
fn words(text: &str, style: Style) -> String {
    match style {
        Style::Text => text.to_owned(),
        Style::Markdown => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

struct Writer {
    out: String,
    style: Style,
}

impl Writer {
    fn heading(&mut self, title: &str) {
        match self.style {
            Style::Markdown => {
                let _ = write!(self.out, "\n## {title}\n\n");
            }
            Style::Text => {
                let _ = write!(self.out, "\n{title}:\n");
            }
        }
    }

    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "- {text}");
    }

    /// A title in bold (Markdown) followed by the rest of its line.
    fn titled(&mut self, title: &str, rest: &str) {
        let title = words(title, self.style);
        match self.style {
            Style::Markdown => self.line(&format!("**{title}**: {rest}")),
            Style::Text => self.line(&format!("{title}: {rest}")),
        }
    }
}

fn render(view: &PatientView, style: Style) -> String {
    let mut w = Writer { out: String::with_capacity(1024), style };
    let title = "Your insulin pump pathway";
    match style {
        Style::Markdown => w.out.push_str(&format!("# {title}\n\n")),
        Style::Text => w.out.push_str(&format!("{title}\n")),
    }
    let today = day(view.today);
    let p = &view.phase;
    if p.pathway_complete {
        let _ = writeln!(w.out, "On {today} you have done every step of your pathway.");
    } else {
        let phase = words(&p.title, style);
        let _ = writeln!(w.out, "On {today} you are in phase {} of {}: {phase}.", p.number, p.of);
    }

    w.heading("What is next for you");
    if view.next_steps.is_empty() {
        w.line("Nothing on your checklist right now.");
    }
    for step in &view.next_steps {
        w.line(&step_line(step, style));
    }

    if !view.visits.is_empty() {
        w.heading("Your visits");
        for visit in &view.visits {
            w.titled(&visit.title, &visit_sentence(visit, view.today));
        }
    }

    if let Some(s) = &view.supplies {
        w.heading("Your pump supplies");
        let sentence = match s.state {
            DueState::Overdue => format!(
                "Your pump supplies may have run out on {}. Reorder them now, and call us if you are running short.",
                day(s.runs_out_on)
            ),
            DueState::Due => {
                format!("Reorder your pump supplies now. They should last until {}.", day(s.runs_out_on))
            }
            DueState::Upcoming | DueState::DueSoon | DueState::Done => format!(
                "Reorder your pump supplies by {}. They should last until {}.",
                day(s.reorder_by),
                day(s.runs_out_on)
            ),
        };
        w.line(&sentence);
        w.line("If you have a question about your supplies, contact your supplier directly.");
    }

    w.heading("When to call us");
    let c = &view.call_us;
    w.line(&format!(
        "Call us when your glucose is often below {} or above {}.",
        glucose(c.below, c.unit),
        glucose(c.above, c.unit)
    ));
    if let Some(until) = c.first_weeks_until {
        w.line(&format!(
            "In your first weeks on the pump, until {}, also call us if you have high or low blood sugars.",
            day(until)
        ));
    }

    if let Some(b) = &view.backup_plan {
        w.heading("Your back-up plan");
        w.line(if b.review_pending {
            "We will go over your back-up plan for pump failure at your next visit."
        } else {
            "Know your back-up plan for pump failure and how to problem-solve high blood sugars."
        });
    }
    w.out
}

fn step_line(step: &PatientStep, style: Style) -> String {
    let mut notes = Vec::new();
    if step.role == Role::PumpTrainer {
        notes.push("with your pump trainer".to_owned());
    }
    if let Some(d) = step.booked_for {
        notes.push(format!("booked for {}", day(d)));
    }
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
    let title = words(&step.title, style);
    match style {
        Style::Markdown => format!("[ ] {title}{notes}"),
        Style::Text => format!("{title}{notes}"),
    }
}

fn visit_sentence(visit: &PatientVisit, today: Date) -> String {
    match visit.booked_for {
        Some(d) if d >= today => return format!("booked for {}.", day(d)),
        // Booked for a day gone by and not on record as held: missed, or not yet recorded.
        Some(d) => {
            return format!("was booked for {}. If you missed it, please call us to book it again.", day(d));
        }
        None => {}
    }
    let due = if visit.due < today { "was due" } else { "due" };
    let mut sentence = format!("{due} {}.", day(visit.due));
    if visit.state != DueState::Upcoming {
        sentence.push_str(" Not booked yet: please call us to book it.");
    }
    sentence
}

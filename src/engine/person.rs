//! A person (or a back-office task) in the store of slots, and how a person
//! is drawn on arrival: case type, a service time for every step, hand-offs
//! and patience, each from its own sub-stream of the person's stream.

use super::practices::draw_practices;
use super::sim::{Event, Sim};
use crate::rng::{Attr, PersonStream, uniform};
use crate::scenario::model::MAX_ROUTE;
use crate::stats::recorder::VisitEnd;

/// What a slot of the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// A person on their route.
    Route,
    /// A person with a guide, before the ticket.
    PreReview,
    /// Back-office work without the person: a parallel branch or a
    /// follow-up for a paper that came later.
    Task,
}

/// How a case's documents turn out at the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Papers {
    Complete,
    /// Accepted with a paper missing: a follow-up task.
    AcceptedMissing,
    /// Sent home for the paper (after the window's service).
    Rejected,
    /// Sent home by the guide, before the window.
    RejectedByGuide,
}

/// No slot: a task without a parent.
pub(super) const NONE: u32 = u32::MAX;

/// A slot of the store: a person, or a back-office task (`phase`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Person {
    /// First ticket (or arrival at the guides), minutes: the cohort the
    /// person is counted in.
    pub(super) arrival: f64,
    /// This visit's ticket, minutes: waits for a call run from it.
    pub(super) ticket: f64,
    /// When this visit entered the hall (the guides' queue, or the ticket),
    /// minutes: times to completion run from it.
    pub(super) visit_start: f64,
    /// When the person's current stage began (hand-off included), minutes.
    pub(super) stage_enter: f64,
    /// When the person joined the current stage's queue, minutes.
    pub(super) queued_at: f64,
    /// When the current stage's service started, minutes.
    pub(super) service_start: f64,
    /// Order of joining a queue, for ties between queues.
    pub(super) queued_seq: u64,
    /// Minutes waited in queues so far, all stages and visits (in the hall).
    pub(super) waited: f64,
    /// Service time of each route step, minutes.
    pub(super) service: [f64; MAX_ROUTE],
    /// Hand-off before each step, minutes (0 where there is none).
    pub(super) handoff: [f64; MAX_ROUTE],
    /// Guide time (pre-review) or task time, minutes.
    pub(super) extra: f64,
    /// Follow-up work for a paper that comes later, minutes.
    pub(super) follow_up: f64,
    /// How long the person waits for a call before leaving, on each visit,
    /// minutes (infinite: never leaves).
    pub(super) patience: f64,
    /// A task's parent slot, or NONE.
    pub(super) parent: u32,
    /// Counts the people who have held this slot, so a stale event is known.
    pub(super) generation: u32,
    /// The hall (site) of the current visit.
    pub(super) site: u8,
    pub(super) ctype: u16,
    /// A task's stage.
    pub(super) task_stage: u16,
    pub(super) step: u8,
    /// Priority class (the green channel and booked tickets are the top class).
    pub(super) class: u8,
    /// Visits to the hall so far.
    pub(super) trips: u8,
    /// Parallel branches not finished yet.
    pub(super) pending: u8,
    pub(super) phase: Phase,
    pub(super) papers: Papers,
    pub(super) called: bool,
    /// Waiting for a parallel branch before the next step.
    pub(super) at_join: bool,
    /// Not in the hall: sent home, or gone while back-office work goes on.
    pub(super) away: bool,
    /// Left unseen; the first call finds nobody.
    pub(super) absent: bool,
    /// Comes back when sent home.
    pub(super) returns: bool,
}

impl Person {
    pub(super) const EMPTY: Person = Person {
        arrival: 0.0,
        ticket: 0.0,
        visit_start: 0.0,
        stage_enter: 0.0,
        queued_at: 0.0,
        service_start: 0.0,
        queued_seq: 0,
        waited: 0.0,
        service: [0.0; MAX_ROUTE],
        handoff: [0.0; MAX_ROUTE],
        extra: 0.0,
        follow_up: 0.0,
        patience: f64::INFINITY,
        parent: NONE,
        generation: 0,
        site: 0,
        ctype: 0,
        task_stage: 0,
        step: 0,
        class: 0,
        trips: 0,
        pending: 0,
        phase: Phase::Route,
        papers: Papers::Complete,
        called: false,
        at_join: false,
        away: false,
        absent: false,
        returns: false,
    };
}

impl<const PLAIN: bool> Sim<'_, PLAIN> {
    pub(super) fn new_slot(&mut self) -> u32 {
        match self.free_slots.pop() {
            Some(id) => id,
            None => {
                self.people.push(Person::EMPTY);
                (self.people.len() - 1) as u32
            }
        }
    }

    /// Person number `number` comes to the hall (a walk-in, or a booked ticket).
    pub(super) fn admit(&mut self, number: u64, booked: bool) {
        let now = self.now;
        let m = self.m;
        let s = &m.scenario;
        let rng = PersonStream::new(self.person_key, number);
        let ctype = if m.n_types == 1 {
            0
        } else {
            let u = uniform(&mut rng.attribute(Attr::CaseType));
            m.cumulative_share.iter().position(|&c| u < c).unwrap_or(m.n_types - 1)
        };
        let ct = &s.case_types[ctype];
        // The person is drawn straight into a slot of the store.
        let id = self.new_slot();
        if !PLAIN && let Some(trace) = &mut self.trace {
            trace.set_ticket(id, number);
        }
        let p = &mut self.people[id as usize];
        for (i, (slot, step)) in p.service.iter_mut().zip(&ct.route).enumerate() {
            *slot = step.service.sample(&mut rng.service(i));
        }
        // A share of 0 is never drawn under (draws are in [0, 1)), so a
        // practice the scenario leaves out costs no draw; every other
        // attribute has a sub-stream of its own and is unchanged.
        let drawn_under = |share: f64, attr| !PLAIN && share > 0.0 && uniform(&mut rng.attribute(attr)) < share;
        let green = booked || drawn_under(s.arrivals.green_channel_share, Attr::Green);
        let outside = drawn_under(ct.outside_share, Attr::Outside);
        if !PLAIN && m.handoffs {
            for (i, (slot, step)) in p.handoff.iter_mut().zip(&ct.route).enumerate() {
                *slot = step.handoff.as_ref().map_or(0.0, |d| d.sample(&mut rng.handoff(i)));
            }
        }
        let patience = ct.patience.as_ref().filter(|_| !PLAIN).and_then(|d| {
            let never_leaves = uniform(&mut rng.attribute(Attr::NeverLeave)) < ct.never_leave_share;
            (!never_leaves).then(|| d.sample(&mut rng.attribute(Attr::Patience)))
        });
        if !PLAIN {
            p.papers = Papers::Complete;
            p.phase = Phase::Route;
            p.absent = false;
            p.returns = false;
        }
        let (site, balks) = if !PLAIN && m.practices {
            draw_practices(m, p, ctype, &rng, &self.waiting, &self.on_duty)
        } else {
            (0, false)
        };
        if outside {
            self.free_slots.push(id);
            self.rec.diversion(now);
            return;
        }
        let full = !PLAIN && s.hall_capacity.is_some_and(|cap| self.in_hall[site] >= cap);
        if full || balks {
            self.free_slots.push(id);
            if full {
                self.rec.turned_away(now);
            } else {
                self.rec.balked(now);
            }
            let eligible = ct.counts_toward_target;
            self.rec.visit_end(now, now, now, ctype, eligible, VisitEnd::NotAdmitted);
            self.rec.case_closed(now, 1, false, eligible, false);
            return;
        }
        self.in_hall[site] += 1;
        p.site = site as u8;
        self.rec.site_arrival(now, site);
        p.class = if green { m.n_classes - 1 } else { ct.priority as usize } as u8;
        p.arrival = now;
        p.ticket = now;
        p.visit_start = now;
        p.waited = 0.0;
        p.stage_enter = now;
        p.ctype = ctype as u16;
        p.step = 0;
        p.called = false;
        p.trips = 1;
        if !PLAIN {
            // What a plain run never reads (see `Sim::phase`, `Sim::away`).
            p.generation = p.generation.wrapping_add(1);
            p.pending = 0;
            p.at_join = false;
            p.away = false;
            p.parent = NONE;
            p.patience = patience.unwrap_or(f64::INFINITY);
        }
        let generation = p.generation;
        self.rec.arrival(now);
        self.rec.entered(now, site);
        self.join_queue(id);
        if let Some(wait) = patience {
            // Stale, and so ignored, if the person was sent home at once.
            self.calendar.schedule(now + wait, Event::PatienceEnd { case: id, generation });
        }
    }
}

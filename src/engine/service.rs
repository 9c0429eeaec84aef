//! Calling and service: a person (or task) starts a stage, takes a free
//! server or joins the stage's queue; a server that finishes calls the best
//! waiting ticket; a finished step moves the person on, or completes the case.

use std::cmp::Reverse;

use super::person::{NONE, Papers, Person, Phase};
use super::sim::{Event, Sim};
use super::trace::Outcome;
use crate::scenario::model::{DAY, MAX_ROUTE};
use crate::stats::recorder::VisitEnd;

impl<const PLAIN: bool> Sim<'_, PLAIN> {
    /// What slot `p` holds: in a plain run, always a person on their route.
    #[inline(always)]
    fn phase(p: &Person) -> Phase {
        if PLAIN { Phase::Route } else { p.phase }
    }

    /// Whether `p` is out of the hall: in a plain run, never before completion.
    #[inline(always)]
    fn away(p: &Person) -> bool {
        !PLAIN && p.away
    }

    /// Whether slot `p` is a person in the hall, counted among the people
    /// waiting when queued: not a task, nor work whose person has gone.
    #[inline(always)]
    fn person_in_hall(p: &Person) -> bool {
        Self::phase(p) != Phase::Task && !Self::away(p)
    }

    pub(super) fn stage_of(&self, id: u32) -> usize {
        let p = &self.people[id as usize];
        (match Self::phase(p) {
            Phase::Route => self.m.route_stage[p.ctype as usize * MAX_ROUTE + p.step as usize],
            Phase::PreReview => self.m.pre_stage,
            Phase::Task => p.task_stage,
        }) as usize
    }

    /// A person (or, `person` false, a task) joins (+1) or leaves (-1) a queue
    /// of `stage` at `site`, in priority `class`.
    #[inline(always)]
    pub(super) fn queue_change(&mut self, person: bool, site: usize, stage: usize, class: usize, delta: i32) {
        let w = &mut self.waiting[site * self.m.n_stages + stage];
        *w = w.wrapping_add_signed(delta);
        self.rec.queue_change(self.now, stage, class, delta, person);
    }

    /// The person starts the step they are at: parallel branches split off,
    /// later-day work waits for its day; then the hand-off, if any, and the queue.
    #[inline]
    pub(super) fn begin_stage(&mut self, id: u32) {
        let p = &self.people[id as usize];
        if PLAIN || p.phase != Phase::Route || !self.m.step_special[p.ctype as usize * MAX_ROUTE + p.step as usize] {
            self.enter_stage(id);
        } else {
            self.begin_special_stage(id);
        }
    }

    /// A parallel or later-day step of the route begins.
    #[inline(never)]
    fn begin_special_stage(&mut self, id: u32) {
        let p = &self.people[id as usize];
        let step = &self.m.scenario.case_types[p.ctype as usize].route[p.step as usize];
        if step.parallel {
            let (stage, service, handoff) = (step.stage, p.service[p.step as usize], p.handoff[p.step as usize]);
            let task = self.spawn_task(id, true, stage, service, handoff);
            let p = &mut self.people[id as usize];
            p.pending += 1;
            p.step += 1;
            self.begin_stage(task);
            self.begin_stage(id);
            return;
        }
        if step.later && !p.away {
            // The person goes home; the work waits for the next day.
            self.leave_hall(id, VisitEnd::Unfinished);
            // The next day at the same hour: later-day work comes in as the cases did.
            let next_day = self.now + DAY;
            let s = &self.m.scenario;
            if s.hours().is_some() && next_day >= f64::from(s.days()) * DAY {
                // After the run's last day: done then, but not simulated.
                self.rec.completion_later(self.people[id as usize].arrival);
                self.close_case(id, true, false);
            } else {
                self.calendar.schedule(next_day, Event::Deferred { case: id });
            }
            return;
        }
        self.enter_stage(id);
    }

    /// The hand-off, if any, then the queue.
    #[inline]
    pub(super) fn enter_stage(&mut self, id: u32) {
        let p = &mut self.people[id as usize];
        p.stage_enter = self.now;
        let handoff = match Self::phase(p) {
            Phase::Route if PLAIN => 0.0,
            Phase::Route => p.handoff[p.step as usize],
            Phase::Task => p.handoff[0],
            Phase::PreReview => 0.0,
        };
        if handoff > 0.0 {
            self.calendar.schedule(self.now + handoff, Event::HandoffEnd { case: id });
        } else {
            self.join_queue(id);
        }
    }

    /// A slot for back-office work of case `case`; a parallel branch reports
    /// to the case when done, a follow-up (`branch` false) does not.
    pub(super) fn spawn_task(&mut self, case: u32, branch: bool, stage: usize, service: f64, handoff: f64) -> u32 {
        let from = self.people[case as usize];
        let task = self.new_slot();
        let t = &mut self.people[task as usize];
        *t = Person {
            phase: Phase::Task,
            task_stage: stage as u16,
            extra: service,
            parent: if branch { case } else { NONE },
            called: true,
            pending: 0,
            at_join: false,
            generation: t.generation.wrapping_add(1),
            ..from
        };
        t.handoff[0] = handoff;
        if let Some(trace) = &mut self.trace {
            let ticket = trace.tickets[case as usize];
            trace.set_ticket(task, ticket);
        }
        task
    }

    #[inline(always)]
    pub(super) fn join_queue(&mut self, id: u32) {
        let stage = self.stage_of(id);
        if !PLAIN
            && self.m.hard_close
            && self.closed()
            && self.people[id as usize].phase != Phase::Task
            && !self.people[id as usize].away
        {
            if self.m.present[stage] {
                self.people[id as usize].queued_at = self.now;
                self.record(id, stage, None, Outcome::SentHome);
                self.send_home(id, false, VisitEnd::Unfinished);
                return;
            }
            self.leave_hall(id, VisitEnd::Unfinished);
        }
        let p = &mut self.people[id as usize];
        p.queued_at = self.now;
        let ctype = p.ctype as usize;
        let site = p.site as usize;
        let pools = &self.m.stage_type_pools[self.m.serving(site, stage, ctype)];
        if let Some(&pool) = pools.iter().find(|&&pool| self.free[pool as usize] > 0) {
            self.start_service(pool as usize, id);
        } else {
            p.queued_seq = self.queued_seq;
            self.queued_seq += 1;
            let class = p.class as usize;
            let q = self.m.queue_index(site, stage, ctype, class);
            let person = Self::person_in_hall(p);
            self.queues[q].push_back(id);
            self.queue_change(person, site, stage, class, 1);
        }
    }

    #[inline(always)]
    pub(super) fn start_service(&mut self, pool: usize, id: u32) {
        let now = self.now;
        self.free[pool] -= 1;
        let n_classes = self.m.n_classes;
        let top_class_used = self.m.top_class_used;
        let absent_call = self.m.scenario.calling.absent_call;
        let p = &mut self.people[id as usize];
        p.service_start = now;
        if Self::phase(p) != Phase::Task && !Self::away(p) {
            p.waited += now - p.queued_at;
        }
        let duration = match Self::phase(p) {
            Phase::Route if !PLAIN && p.absent && !p.called => absent_call,
            Phase::Route => p.service[p.step as usize],
            Phase::PreReview | Phase::Task => p.extra,
        };
        if Self::phase(p) == Phase::Route && !p.called {
            p.called = true;
            let green = !PLAIN && top_class_used && p.class as usize == n_classes - 1;
            let (arrival, ctype, wait, site) = (p.arrival, p.ctype as usize, now - p.ticket, p.site as usize);
            self.rec.first_call(arrival, ctype, site, green, wait);
        }
        self.rec.busy_change(now, pool, 1);
        self.calendar.schedule(now + duration, Event::ServiceEnd { pool: pool as u16, case: id });
    }

    /// A server of `pool` became free: call the best waiting ticket, if any.
    /// Returns whether someone was called.
    #[inline(always)]
    pub(super) fn call_next(&mut self, pool: usize) -> bool {
        let queues = &self.m.pool_queues[pool];
        let q = if let [q] = queues[..] {
            // One queue (the common case): its head, no comparison.
            q as usize
        } else {
            // The highest class first, then the earliest to queue.
            let mut best: Option<(usize, (usize, Reverse<u64>))> = None;
            for &q in queues {
                let q = q as usize;
                if let Some(&id) = self.queues[q].front() {
                    let key = (self.m.queue_place(q).2, Reverse(self.people[id as usize].queued_seq));
                    if best.is_none_or(|(_, best_key)| key > best_key) {
                        best = Some((q, key));
                    }
                }
            }
            let Some((q, _)) = best else { return false };
            q
        };
        let Some(id) = self.queues[q].pop_front() else { return false };
        let (site, stage, class) = self.m.queue_place(q);
        let person = Self::person_in_hall(&self.people[id as usize]);
        self.queue_change(person, site, stage, class, -1);
        self.start_service(pool, id);
        true
    }

    pub(super) fn on_service_end(&mut self, pool: usize, id: u32) {
        let stage = self.stage_of(id);
        let p = &self.people[id as usize];
        let budget = self.m.scenario.stages[stage].budget;
        let (wait, service, time) =
            (p.service_start - p.queued_at, self.now - p.service_start, self.now - p.stage_enter);
        let (arrival, phase, step, papers, parent, pending) =
            (p.arrival, p.phase, p.step, p.papers, p.parent, p.pending);
        let absent = !PLAIN && p.absent && phase == Phase::Route && step == 0;
        if !PLAIN && self.trace.is_some() {
            self.record(id, stage, Some(pool), if absent { Outcome::Absent } else { Outcome::Served });
        }
        let p = &self.people[id as usize];
        self.rec.stage_done(arrival, p.ctype as usize, stage, (wait, service, time), budget);
        self.set_free(pool, self.free[pool] + 1);
        self.rec.busy_change(self.now, pool, -1);
        if self.free[pool] > 0 {
            self.call_next(pool);
        }
        match phase {
            _ if PLAIN => self.advance(id),
            Phase::Task => {
                self.free_slots.push(id);
                if parent != NONE {
                    let p = &mut self.people[parent as usize];
                    p.pending -= 1;
                    if p.pending == 0 && p.at_join {
                        p.at_join = false;
                        self.advance(parent);
                    }
                }
            }
            Phase::PreReview => {
                if papers == Papers::RejectedByGuide {
                    self.send_home(id, false, VisitEnd::Excluded);
                } else {
                    let p = &mut self.people[id as usize];
                    p.phase = Phase::Route;
                    p.ticket = self.now;
                    self.begin_stage(id);
                }
            }
            Phase::Route if absent => {
                self.rec.absent(arrival);
                self.end_visit(id, VisitEnd::Excluded);
                self.close_case(id, false, false);
            }
            Phase::Route => {
                if step == 0 {
                    match papers {
                        Papers::Rejected => {
                            self.send_home(id, false, VisitEnd::Excluded);
                            return;
                        }
                        Papers::AcceptedMissing => {
                            self.people[id as usize].papers = Papers::Complete;
                            if let Some((stage, _)) =
                                self.m.scenario.documents.as_ref().and_then(|d| d.follow_up.as_ref())
                            {
                                let follow_up = self.people[id as usize].follow_up;
                                let task = self.spawn_task(id, false, *stage, follow_up, 0.0);
                                self.rec.follow_up(arrival);
                                self.enter_stage(task);
                            }
                        }
                        _ => {}
                    }
                }
                if pending > 0 {
                    self.people[id as usize].at_join = true;
                } else {
                    self.advance(id);
                }
            }
        }
    }

    /// The person's current step is done (with its branches): on to the next
    /// step, home to come back for a window, or the case is complete.
    pub(super) fn advance(&mut self, id: u32) {
        let p = &self.people[id as usize];
        let ct = &self.m.scenario.case_types[p.ctype as usize];
        let next = p.step as usize + 1;
        if next < ct.route.len() {
            let away = Self::away(p);
            let present = self.m.present[ct.route[next].stage];
            self.people[id as usize].step = next as u8;
            if away && present {
                self.schedule_return(id);
            } else {
                self.begin_stage(id);
            }
            return;
        }
        let (arrival, start, ctype, away, trips) = (p.arrival, p.visit_start, p.ctype as usize, Self::away(p), p.trips);
        if away {
            self.rec.completion_later(arrival);
            self.close_case(id, true, false);
        } else {
            let (site, waited) = (p.site as usize, p.waited);
            let eligible = self.m.scenario.case_types[ctype].counts_toward_target;
            self.rec.case_completed(self.now, arrival, start, (ctype, site, eligible), trips, waited);
            self.in_hall[site] -= 1;
            self.free_slots.push(id);
        }
    }
}

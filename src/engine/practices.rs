//! The reform's practices and the ways a visit ends early: each person's
//! practice draws (pre-review, documents, absent tickets, balking, the hall
//! of a city), patience running out, being sent home and coming back, and
//! staff's end of day under a hard close.

use super::model::Model;
use super::person::{Papers, Person, Phase};
use super::sim::{Event, Sim};
use super::trace::Outcome;
use crate::rng::{Attr, PersonStream, uniform};
use crate::scenario::model::{Closing, DAY};
use crate::stats::recorder::{VisitEnd, floor_nonneg};

/// Draws person `p`'s practices (type `ctype`), each from its own sub-stream
/// of `rng`. Returns the hall chosen and whether the person balks at its
/// displayed wait.
pub(super) fn draw_practices(
    m: &Model,
    p: &mut Person,
    ctype: usize,
    rng: &PersonStream,
    waiting: &[u32],
    on_duty: &[u32],
) -> (usize, bool) {
    let s = &m.scenario;
    let ct = &s.case_types[ctype];
    let u = |attr| uniform(&mut rng.attribute(attr));
    let (problem_u, fixed_u, accept_u, pre_u, catch_u) =
        (u(Attr::Problem), u(Attr::Fixed), u(Attr::AcceptMissing), u(Attr::PreReview), u(Attr::Catch));
    let (absent_u, balk_u, return_u, site_u, choose_u) =
        (u(Attr::Absent), u(Attr::Balk), u(Attr::Return), u(Attr::Site), u(Attr::ChooseShortest));
    p.absent = absent_u < s.calling.absent_share;
    p.returns = return_u < s.returns.share;
    let mut site = 0;
    if m.n_sites > 1 {
        let home = m.cumulative_site_share.iter().position(|&c| site_u < c).unwrap_or(0);
        site = home;
        if choose_u < s.shortest_queue_share {
            let mut best = shown_wait(m, waiting, on_duty, home, ctype);
            for other in 0..m.n_sites {
                let w = shown_wait(m, waiting, on_duty, other, ctype);
                if w < best {
                    (site, best) = (other, w);
                }
            }
        }
    }
    let balks = s
        .calling
        .balk_above
        .is_some_and(|limit| shown_wait(m, waiting, on_duty, site, ctype) > limit && balk_u < s.calling.balk_share);
    let pre = s.pre_review.as_ref().filter(|pr| pre_u < pr.share);
    if let Some(pr) = pre {
        p.phase = Phase::PreReview;
        p.service[0] *= pr.window_time_factor;
    }
    if let Some(d) = &s.documents {
        let fix = d.fix_time.sample(&mut rng.attribute(Attr::FixTime));
        let accept_extra = d.accept_missing_time.sample(&mut rng.attribute(Attr::AcceptMissingTime));
        p.follow_up = d.follow_up.as_ref().map_or(0.0, |f| f.1.sample(&mut rng.attribute(Attr::FollowUpTime)));
        let caught = pre.is_some_and(|pr| catch_u < pr.catch_share);
        if problem_u < ct.problem_share {
            if fixed_u < d.fixed_share {
                if !caught {
                    p.service[0] += fix;
                }
            } else if d.accept_missing && accept_u < d.accept_missing_share {
                p.service[0] += accept_extra;
                p.papers = Papers::AcceptedMissing;
            } else {
                p.papers = if caught { Papers::RejectedByGuide } else { Papers::Rejected };
            }
        }
    }
    if let Some(pr) = pre {
        p.extra = pr.service.sample(&mut rng.attribute(Attr::GuideTime));
    }
    (site, balks)
}

/// The wait the ticket machine of `site` shows to a person of type `ctype`,
/// minutes: people waiting for the type's first stage times its mean service
/// time, over the staff on duty who serve it there.
pub(super) fn shown_wait(m: &Model, waiting: &[u32], on_duty: &[u32], site: usize, ctype: usize) -> f64 {
    let stage = m.scenario.case_types[ctype].route[0].stage;
    let staff: u32 = m.stage_type_pools[m.serving(site, stage, ctype)].iter().map(|&q| on_duty[q as usize]).sum();
    if staff == 0 {
        return f64::INFINITY;
    }
    f64::from(waiting[site * m.n_stages + stage]) * m.first_service_mean[ctype] / f64::from(staff)
}

/// The day of a visit whose ticket was taken at `ticket` minutes.
pub(super) fn visit_day(ticket: f64) -> u32 {
    (ticket / DAY) as u32
}

impl<const PLAIN: bool> Sim<'_, PLAIN> {
    /// The person's patience starts running again (a return visit).
    pub(super) fn start_patience(&mut self, id: u32) {
        let p = &self.people[id as usize];
        if p.patience.is_finite() && !p.away {
            let event = Event::PatienceEnd { case: id, generation: p.generation };
            self.calendar.schedule(self.now + p.patience, event);
        }
    }

    /// A person whose patience ran out leaves, if still waiting for the first call.
    pub(super) fn on_patience_end(&mut self, id: u32, generation: u32) {
        let p = &self.people[id as usize];
        if p.generation != generation || p.called || p.away {
            return;
        }
        let (ctype, class, arrival, site) = (p.ctype as usize, p.class as usize, p.arrival, p.site as usize);
        let stage = self.stage_of(id);
        let q = self.m.queue_index(site, stage, ctype, class);
        if let Some(i) = self.queues[q].iter().position(|&x| x == id) {
            self.queues[q].remove(i);
            self.queue_change(true, site, stage, class, -1);
            let p = &mut self.people[id as usize];
            let wait = self.now - p.queued_at;
            p.waited += wait;
            let since_ticket = self.now - p.ticket;
            self.record(id, stage, None, Outcome::Left);
            self.rec.abandonment(arrival, wait);
            self.rec.left_queue(arrival, ctype, stage, Some(since_ticket));
            self.end_visit(id, VisitEnd::Unfinished);
            self.close_case(id, false, false);
        }
    }

    /// Whether staff have gone home (a hard close, between `staff_until` and opening).
    pub(super) fn closed(&self) -> bool {
        match (self.m.scenario.closing, self.m.scenario.hours()) {
            (Closing::Hard, Some(h)) => {
                let minute = self.now - floor_nonneg(self.now / DAY) * DAY;
                minute >= h.staff_until || minute < h.opens
            }
            _ => false,
        }
    }

    /// The person leaves the hall (the visit ending as `end`) while their
    /// case goes on: in the back office, or on a later visit.
    pub(super) fn leave_hall(&mut self, id: u32, end: VisitEnd) {
        self.end_visit(id, end);
        let p = &mut self.people[id as usize];
        p.away = true;
        p.generation = p.generation.wrapping_add(1);
    }

    /// The person is sent home from the step they are at, the visit ending as
    /// `end`; they come back on a later day, if they do, and start that step again.
    pub(super) fn send_home(&mut self, id: u32, queued: bool, end: VisitEnd) {
        let p = &self.people[id as usize];
        self.rec.sent_home(p.arrival, if queued { self.now - p.queued_at } else { 0.0 });
        self.leave_hall(id, end);
        if self.people[id as usize].returns {
            self.schedule_return(id);
        } else {
            self.close_case(id, false, false);
        }
    }

    /// The person comes back `returns.after_days` days after the current
    /// visit, at the hour of their first ticket, or now if that is later; a
    /// return after the last day is a trip the run does not see.
    pub(super) fn schedule_return(&mut self, id: u32) {
        let s = &self.m.scenario;
        let p = &self.people[id as usize];
        let later = f64::from(s.returns.after_days) * DAY;
        let t = match s.hours() {
            Some(_) => (f64::from(visit_day(p.ticket)) * DAY + later + p.arrival % DAY).max(self.now),
            None => self.now + later,
        };
        let last_day = s.days();
        if (s.hours().is_some() && (t / DAY) as u32 >= last_day) || t >= self.horizon_end {
            let p = &mut self.people[id as usize];
            p.trips = p.trips.saturating_add(1);
            self.close_case(id, false, false);
        } else {
            self.calendar.schedule(t, Event::Return { case: id });
        }
    }

    pub(super) fn on_return(&mut self, id: u32) {
        let now = self.now;
        let p = &mut self.people[id as usize];
        p.away = false;
        p.trips = p.trips.saturating_add(1);
        p.ticket = now;
        p.visit_start = now;
        p.called = false;
        p.absent = false;
        if matches!(p.papers, Papers::Rejected | Papers::RejectedByGuide) {
            p.papers = Papers::Complete;
            p.phase = Phase::Route;
            p.step = 0;
        }
        self.in_hall[p.site as usize] += 1;
        self.rec.entered(now, p.site as usize);
        self.rec.returned(p.arrival);
        self.join_queue(id);
        self.start_patience(id);
    }

    /// Staff's end under a hard close: people waiting for a window go home;
    /// those waiting for the back office leave it their case.
    pub(super) fn on_close(&mut self) {
        for q in 0..self.queues.len() {
            let (site, stage, class) = self.m.queue_place(q);
            if self.m.present[stage] {
                // Only people wait for a window: tasks are back-office work.
                while let Some(id) = self.queues[q].pop_front() {
                    self.queue_change(true, site, stage, class, -1);
                    let p = &mut self.people[id as usize];
                    p.waited += self.now - p.queued_at;
                    let since_ticket = (!p.called).then_some(self.now - p.ticket);
                    self.rec.left_queue(p.arrival, p.ctype as usize, stage, since_ticket);
                    self.record(id, stage, None, Outcome::SentHome);
                    self.send_home(id, true, VisitEnd::Unfinished);
                }
            } else {
                for i in 0..self.queues[q].len() {
                    let id = self.queues[q][i];
                    let p = &self.people[id as usize];
                    if p.phase != Phase::Task && !p.away {
                        self.rec.person_left_queue(self.now, class);
                        self.leave_hall(id, VisitEnd::Unfinished);
                    }
                }
            }
        }
        for id in 0..self.people.len() as u32 {
            let p = &self.people[id as usize];
            if p.at_join && !p.away {
                self.leave_hall(id, VisitEnd::Unfinished);
            }
        }
        let day = (self.now / DAY) as u32 + 1;
        if let (true, Some(h)) = (day < self.m.scenario.days(), self.m.scenario.hours()) {
            self.calendar.schedule(f64::from(day) * DAY + h.staff_until, Event::Close);
        }
    }
}

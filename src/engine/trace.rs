//! Visit records: what a queue-management system would log of one
//! replication, call by call. Collected only when asked for (`run --trace`),
//! so runs without it pay one untaken branch per call.

/// How a row of the record ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Called and served (a back-office task: done).
    Served,
    /// Called, and nobody answered.
    Absent,
    /// Gave up waiting for the first call and left the hall.
    Left,
    /// Still waiting when staff went home (a hard close): sent home.
    SentHome,
}

impl Outcome {
    /// The word the record format writes.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Served => "served",
            Outcome::Absent => "absent",
            Outcome::Left => "left",
            Outcome::SentHome => "sent_home",
        }
    }
}

/// One call at a window or back-office step, or one wait that ended without
/// a call. Times are minutes since the run's start (day 0, 00:00).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VisitRecord {
    /// The ticket's number, the same on every row of the case.
    pub ticket: u64,
    /// Visit to the hall (1 for the first).
    pub trip: u8,
    /// Index into the scenario's case types.
    pub case_type: u16,
    /// Index into the scenario's stages.
    pub stage: u16,
    /// Back-office work without the person present.
    pub task: bool,
    /// This visit's ticket, minutes.
    pub ticket_time: f64,
    /// Joined this stage's queue, minutes.
    pub queued: f64,
    /// Called (service started), minutes; None when never called.
    pub called: Option<f64>,
    /// Service ended, or the wait ended, minutes.
    pub finished: f64,
    /// Index into the scenario's pools; None when never called.
    pub pool: Option<u16>,
    pub outcome: Outcome,
}

/// The records of one replication as it runs.
#[derive(Debug, Default)]
pub(super) struct Trace {
    /// The ticket number of the person (or task's case) in each slot.
    pub tickets: Vec<u64>,
    pub records: Vec<VisitRecord>,
}

impl Trace {
    pub fn set_ticket(&mut self, slot: u32, ticket: u64) {
        let slot = slot as usize;
        if self.tickets.len() <= slot {
            self.tickets.resize(slot + 1, 0);
        }
        self.tickets[slot] = ticket;
    }
}

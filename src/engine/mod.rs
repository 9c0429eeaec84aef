//! The discrete-event engine: a pure function from (scenario, seed,
//! replication) to what that replication observed. No I/O, no clock, no globals.
//!
//! # How an event flows
//!
//! [`Model`] (`model.rs`) prepares a scenario once: queues per (hall, stage,
//! case type, priority class), the pools that serve each, duty schedules.
//! [`simulate`] (`sim.rs`) then pops timed events from the [`calendar`] and
//! hands each to the module of its concern:
//!
//! 1. An arrival (`arrivals.rs`) takes the next instant from the arrival
//!    stream; the person is drawn into a slot of the store (`person.rs`),
//!    with the practices' draws (`practices.rs`) when the scenario has any.
//! 2. The person starts the first step of the route (`service.rs`): a
//!    hand-off, if any, then a free server of the first pool that serves the
//!    stage, or the stage's queue.
//! 3. A service end frees the server, which calls the best waiting ticket
//!    before the person it served moves on: to the next step, home (a later
//!    visit, `practices.rs`), or out with the case complete.
//! 4. A duty change (`duty.rs`) adds staff, who call at once, or lets them go
//!    as they finish.
//! 5. Every change of a queue, a server or a visit is told to the
//!    [`Recorder`](crate::stats::recorder::Recorder) as it happens; visit
//!    records are kept only when asked (`trace.rs`).
//!
//! # Rules, all deterministic
//!
//! - Each person's attributes (case type, a service time for every step,
//!   patience, each practice's draw) are drawn at arrival, each from its own
//!   sub-stream of the person's stream, indexed by arrival number: two
//!   scenarios run with one seed see the same people (common random numbers),
//!   whatever their staffing, and changing how one attribute is drawn leaves
//!   every other as it was.
//! - A person entering a stage takes a free server of the first pool, in file
//!   order, that serves the stage; otherwise joins the stage's queue.
//! - A server that finishes calls the waiting ticket with the highest priority
//!   class, and among those the one that has waited longest (ties: the one
//!   queued first). It calls before the person it just served moves on, so that
//!   person joins the next queue behind those already waiting.
//! - In days mode, with extended hours, everyone holding a ticket is served;
//!   work after `staff_until` is overtime. With a hard close, staff leave at
//!   `staff_until` and those still waiting for a window are sent home.
//! - A slot of the store holds a person (on their route, or with a guide
//!   before the ticket) or a task: back-office work without the person (a
//!   parallel branch, a follow-up for a missing paper). A person sent home
//!   keeps the slot until they come back on a later day or give up; later-day
//!   work keeps it until done.
//!
//! The loop allocates nothing per event once its stores have grown to the
//! largest number of people (and tasks) present at once. It is compiled
//! twice: in general, and plain, for a scenario whose people all follow their
//! route in one hall from ticket to completion ([`Model::is_plain`]), where
//! the tests for practices, tasks, hand-offs and patience compile away. Both
//! give the same results on such a scenario, to the bit (a test).

mod arrivals;
pub mod calendar;
mod duty;
mod model;
mod person;
mod practices;
mod service;
mod sim;
pub mod trace;

pub use model::Model;
pub use sim::{Replication, simulate, simulate_traced};

//! The practices of the reform: `[returns]`, `hall.closing`, `[calling]`,
//! `[documents]`, `[pre_review]` and `[appointments]`.

use super::*;

/// The practices' sections: what the engine may trust of them.
pub(super) struct Practices {
    pub returns: Option<Returns>,
    pub closing: Option<Closing>,
    pub calling: Option<Calling>,
    pub documents: Option<(Documents, f64)>,
    pub pre_review: Option<Option<PreReview>>,
    pub appointments: Option<Option<Appointments>>,
}

/// Checks `[returns]`, `hall.closing`, `[calling]`, `[documents]` (with the
/// default problem share of every case type), `[pre_review]` and `[appointments]`.
pub(super) fn check_practices(
    c: &mut Checker,
    r: &RawScenario,
    hours: Option<HallHours>,
    stages: &Stages,
) -> Practices {
    let on_a_route =
        |name: &str| r.case_types.iter().any(|t| t.get_ref().route.get_ref().iter().any(|s| s.get_ref() == name));

    // [returns]
    let returns = {
        let raw = r.returns.as_ref().map(|v| v.get_ref());
        let share = match raw.and_then(|v| v.share.as_ref()) {
            Some(v) => c.num(v, "returns.share"),
            None => Some(1.0),
        };
        let after_days = match raw.and_then(|v| v.after_days.as_ref()) {
            Some(v) => c.int(v, "returns.after_days"),
            None => Some(1),
        };
        share.zip(after_days).map(|(share, d)| Returns { share, after_days: d as u32 })
    };

    // [hall].closing
    let closing = match r.hall.as_ref().and_then(|h| h.get_ref().closing.as_ref()) {
        None => Some(Closing::Extended),
        Some(v) => match v.get_ref().as_str() {
            "extended" => Some(Closing::Extended),
            "hard" => Some(Closing::Hard),
            other => c.err(
                v.span(),
                "hall.closing",
                format!("must be \"extended\" (serve everyone holding a ticket) or \"hard\" (send the rest home), got {other:?}"),
            ),
        },
    };

    // [calling]
    let calling = {
        let raw = r.calling.as_ref().map(|v| v.get_ref());
        let field = |f: fn(&raw::Calling) -> &Option<S<f64>>| raw.and_then(|v| f(v).as_ref());
        let absent_share = match field(|v| &v.absent_share) {
            Some(v) => c.num(v, "calling.absent_share"),
            None => Some(0.0),
        };
        let absent_call = match field(|v| &v.absent_call_minutes) {
            Some(v) => c.num(v, "calling.absent_call_minutes"),
            None => Some(1.0),
        };
        let balk_above = match field(|v| &v.balk_above_minutes) {
            Some(v) => c.num(v, "calling.balk_above_minutes").map(Some),
            None => Some(None),
        };
        let balk_share = match field(|v| &v.balk_share) {
            Some(v) => c.num(v, "calling.balk_share"),
            None => Some(1.0),
        };
        match (absent_share, absent_call, balk_above, balk_share) {
            (Some(absent_share), Some(absent_call), Some(balk_above), Some(balk_share)) => {
                Some(Calling { absent_share, absent_call, balk_above, balk_share })
            }
            _ => None,
        }
    };

    // [documents]: the model and the default problem share of every case type.
    let documents = r.documents.as_ref().and_then(|d| {
        let d = d.get_ref();
        let problem_share = c.num(&d.problem_share, "documents.problem_share");
        let fixed_share = c.num(&d.fixed_share, "documents.fixed_share");
        let fix_time = c.dist(&d.fix_time, "documents.fix_time");
        let accept_missing = d.accept_missing.as_ref().is_some_and(|v| *v.get_ref());
        let accept_missing_share = match &d.accept_missing_share {
            Some(v) => c.num(v, "documents.accept_missing_share"),
            None => Some(1.0),
        };
        let accept_missing_time = match &d.accept_missing_time {
            Some(v) => c.dist(v, "documents.accept_missing_time"),
            None => Some(Dist::ZERO),
        };
        let follow_up = match (&d.follow_up_stage, &d.follow_up_time) {
            (Some(st), Some(time)) => {
                let id = stages.lookup(c, st, "documents.follow_up_stage".into());
                let time = c.dist(time, "documents.follow_up_time");
                if id.is_some_and(|id| stages.present.get(id).copied().unwrap_or(false)) {
                    c.err::<()>(
                        st.span(),
                        "documents.follow_up_stage",
                        "must be a back-office stage (`present = false`): the paper follows without the person",
                    );
                }
                Some(id.zip(time))
            }
            (None, None) => Some(None),
            (Some(st), None) => c.err(st.span(), "documents.follow_up_stage", "set `follow_up_time` too"),
            (None, Some(t)) => c.err(t.span(), "documents.follow_up_time", "set `follow_up_stage` too"),
        };
        let docs = Documents {
            fixed_share: fixed_share?,
            fix_time: fix_time?,
            accept_missing,
            accept_missing_share: accept_missing_share?,
            accept_missing_time: accept_missing_time?,
            follow_up: follow_up?,
        };
        Some((docs, problem_share?))
    });

    // [pre_review]
    let pre_review = r.pre_review.as_ref().map(|v| {
        let v = v.get_ref();
        let stage = stages.lookup(c, &v.stage, "pre_review.stage".into());
        if on_a_route(v.stage.get_ref()) {
            c.err::<()>(
                v.stage.span(),
                "pre_review.stage",
                "is on a case type's route; pre-review needs a stage of its own, served by the guides",
            );
        }
        let share = c.num(&v.share, "pre_review.share");
        let service = c.dist(&v.service, "pre_review.service");
        let catch_share = c.num(&v.catch_share, "pre_review.catch_share");
        let window_time_factor = match &v.window_time_factor {
            Some(f) => c.num(f, "pre_review.window_time_factor"),
            None => Some(1.0),
        };
        Some(PreReview {
            stage: stage?,
            share: share?,
            service: service?,
            catch_share: catch_share?,
            window_time_factor: window_time_factor?,
        })
    });

    // [appointments]
    let appointments = r.appointments.as_ref().map(|v| {
        let span = v.span();
        let v = v.get_ref();
        let Some(h) = hours else {
            return c.err(span, "appointments", "apply only to operating days (`simulation.days`)");
        };
        let first = c.clock(&v.first_slot, "appointments.first_slot");
        let last = c.clock(&v.last_slot, "appointments.last_slot");
        let every = c.num(&v.every_minutes, "appointments.every_minutes");
        let per_slot = c.int(&v.per_slot, "appointments.per_slot");
        let no_show = match &v.no_show_share {
            Some(x) => c.num(x, "appointments.no_show_share"),
            None => Some(0.0),
        };
        let early = match &v.early_minutes {
            Some(x) => c.num(x, "appointments.early_minutes"),
            None => Some(0.0),
        };
        let lateness = match &v.lateness {
            Some(x) => c.dist(x, "appointments.lateness"),
            None => Some(Dist::ZERO),
        };
        let (first, last) = (first?, last?);
        if first < h.opens || last > h.last_ticket || last < first {
            return c.err(
                v.first_slot.span(),
                "appointments.first_slot",
                format!(
                    "slots {}-{} must lie in order inside the ticket hours {}-{}",
                    clock(first),
                    clock(last),
                    clock(h.opens),
                    clock(h.last_ticket)
                ),
            );
        }
        Some(Appointments {
            first_slot: first,
            last_slot: last,
            every: every?,
            per_slot: per_slot? as u32,
            no_show_share: no_show?,
            early: early?,
            lateness: lateness?,
        })
    });

    Practices { returns, closing, calling, documents, pre_review, appointments }
}

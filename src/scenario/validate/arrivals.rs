//! `[arrivals]`: how many people come, when, and on which days.

use super::*;

pub(super) fn check_arrivals(
    c: &mut Checker,
    r: &RawScenario,
    continuous: bool,
    hours: Option<HallHours>,
) -> Option<Arrivals> {
    let Some(a) = &r.arrivals else {
        if r.unreadable.contains("arrivals") {
            return None;
        }
        return c.err(
            r.file_span.start..r.file_span.start,
            "arrivals",
            "missing [arrivals]: set `per_day` (with an optional `profile`), `rate_per_minute` or `interarrival`",
        );
    };
    let span = a.span();
    let a = a.get_ref();
    let given = [a.per_day.is_some(), a.rate_per_minute.is_some(), a.interarrival.is_some()];
    if given.iter().filter(|&&g| g).count() != 1 {
        return c.err(
            span,
            "arrivals",
            "set exactly one of `per_day` (with an optional `profile`), `rate_per_minute` or `interarrival`",
        );
    }
    let day_factors = match &a.day_factors {
        Some(f) => {
            if continuous {
                c.err::<()>(f.span(), "arrivals.day_factors", "applies only to operating days (`simulation.days`)");
            }
            if f.get_ref().is_empty() {
                c.err::<()>(f.span(), "arrivals.day_factors", "must hold at least one factor, or be removed");
            }
            let mut out = Vec::new();
            for (i, v) in f.get_ref().iter().enumerate() {
                out.extend(c.num(v, &format!("arrivals.day_factors[{i}]")));
            }
            out
        }
        None => Vec::new(),
    };
    if a.profile.is_some() && a.per_day.is_none() {
        return c.err(
            a.profile.as_ref().map_or(span, |p| p.span()),
            "arrivals.profile",
            "a profile shares out `per_day`: set `per_day` too",
        );
    }
    let process = if let Some(per_day) = &a.per_day {
        // Checked first, so a mistake here is reported even when the hours are wrong too.
        let value = c.num(per_day, "arrivals.per_day");
        let Some(hours) = hours else {
            if continuous {
                c.err::<()>(
                    per_day.span(),
                    "arrivals.per_day",
                    "needs operating days; for a continuous run use `rate_per_minute` or `interarrival`",
                );
            }
            return None;
        };
        let per_day = value?;
        let segments = match &a.profile {
            None => vec![RateSegment {
                start: hours.opens,
                end: hours.last_ticket,
                rate: per_day / (hours.last_ticket - hours.opens),
            }],
            Some(p) => check_profile(c, p, per_day, hours)?,
        };
        ArrivalProcess::Poisson { segments }
    } else if let Some(rate) = &a.rate_per_minute {
        let rate = c.num(rate, "arrivals.rate_per_minute")?;
        let (start, end) = match hours {
            Some(h) => (h.opens, h.last_ticket),
            None => (0.0, f64::INFINITY),
        };
        ArrivalProcess::Poisson { segments: vec![RateSegment { start, end, rate }] }
    } else {
        let d = a.interarrival.as_ref()?;
        let interarrival = c.dist(d, "arrivals.interarrival")?;
        if interarrival.mean() <= 0.0 {
            return c.err(d.span(), "arrivals.interarrival", "the mean gap must be > 0 minutes");
        }
        ArrivalProcess::Renewal { interarrival }
    };
    let green_channel_share = match &a.green_channel_share {
        Some(v) => c.num(v, "arrivals.green_channel_share")?,
        None => 0.0,
    };
    Some(Arrivals { process, day_factors, green_channel_share })
}

fn check_profile(
    c: &mut Checker,
    p: &S<Vec<raw::ProfileEntry>>,
    per_day: f64,
    hours: HallHours,
) -> Option<Vec<RateSegment>> {
    if p.get_ref().is_empty() {
        return c.err(
            p.span(),
            "arrivals.profile",
            "is empty: list `{ from = \"HH:MM\", to = \"HH:MM\", share = ... }` entries, or remove it for a flat rate",
        );
    }
    let mut segments = Vec::new();
    let mut sum = 0.0;
    let mut ok = true;
    for (i, e) in p.get_ref().iter().enumerate() {
        let path = format!("arrivals.profile[{i}]");
        let from = c.clock(&e.from, &format!("{path}.from"));
        let to = c.clock(&e.to, &format!("{path}.to"));
        let share = {
            let x = *e.share.get_ref();
            if x.is_finite() && (0.0..=1.0).contains(&x) {
                Some(x)
            } else {
                c.err(e.share.span(), format!("{path}.share"), format!("must be a share in [0, 1], got {x}"))
            }
        };
        sum += e.share.get_ref();
        let (Some(from), Some(to), Some(share)) = (from, to, share) else {
            ok = false;
            continue;
        };
        if to <= from {
            ok = false;
            c.err::<()>(
                e.to.span(),
                format!("{path}.to"),
                format!("must be later than `from` ({}), got {}", clock(from), clock(to)),
            );
            continue;
        }
        if from < hours.opens || to > hours.last_ticket {
            ok = false;
            c.err::<()>(
                e.from.span(),
                path.clone(),
                format!(
                    "{}-{} lies outside the ticket hours {}-{}",
                    clock(from),
                    clock(to),
                    clock(hours.opens),
                    clock(hours.last_ticket)
                ),
            );
            continue;
        }
        if let Some(prev) = segments.last().map(|s: &RateSegment| s.end)
            && from < prev
        {
            ok = false;
            c.err::<()>(e.from.span(), format!("{path}.from"), format!("overlaps or precedes the previous entry, which ends at {}; list entries in time order without overlap", clock(prev)));
            continue;
        }
        segments.push(RateSegment { start: from, end: to, rate: per_day * share / (to - from) });
    }
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        ok = false;
        c.err::<()>(p.span(), "arrivals.profile", format!("the profile shares sum to {sum:.6}; they must sum to 1"));
    }
    ok.then_some(segments)
}

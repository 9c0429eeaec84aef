//! Exact M/M/c formulas: the contact-centre staffing rule the roster planner
//! is measured against, and the theory the engine's tests check it by.

/// Erlang C: the probability that an arrival waits in an M/M/c queue with
/// offered load `a` = λ × mean service (a < c), by the Erlang B recursion.
/// 1 when a ≥ c (the queue grows without bound).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if a >= f64::from(c) {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// Share of arrivals of an M/M/c queue who wait at most `t` minutes, with
/// offered load `a` and the given mean service, minutes.
pub fn served_within(c: u32, a: f64, mean_service: f64, t: f64) -> f64 {
    if a >= f64::from(c) {
        return 0.0;
    }
    1.0 - erlang_c(c, a) * (-(f64::from(c) - a) * t / mean_service).exp()
}

/// The fewest servers, at most `max`, for which at least `share` of arrivals
/// wait at most `t` minutes (the contact centre's service-level rule); `max`
/// when none is enough. 0 when there is no load.
pub fn erlang_c_staff(a: f64, mean_service: f64, t: f64, share: f64, max: u32) -> u32 {
    if a <= 0.0 {
        return 0;
    }
    (a.floor() as u32 + 1..=max).find(|&c| served_within(c, a, mean_service, t) >= share).unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_values() {
        // M/M/1 waits with probability ρ; M/M/2 with a = 1 waits with probability 1/3.
        assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // The worked contact-centre example: 100 calls in 30 minutes of 3 minutes each
        // (a = 10), answered within 20 seconds: 14 agents wait 17.4% and serve 88.8% in time,
        // 13 agents 28.5% and 79.6%, so an 80% target needs 14.
        assert!((erlang_c(14, 10.0) - 0.1741).abs() < 5e-4);
        assert!((served_within(14, 10.0, 3.0, 1.0 / 3.0) - 0.8884).abs() < 5e-4);
        assert!((served_within(13, 10.0, 3.0, 1.0 / 3.0) - 0.7956).abs() < 5e-4);
        assert_eq!(erlang_c_staff(10.0, 3.0, 1.0 / 3.0, 0.8, 100), 14);
    }

    #[test]
    fn staffing_edges() {
        assert_eq!(erlang_c_staff(0.0, 5.0, 1.0, 0.9, 10), 0);
        assert_eq!(erlang_c_staff(50.0, 5.0, 1.0, 0.9, 10), 10);
        assert_eq!(erlang_c(3, 3.0), 1.0);
    }
}

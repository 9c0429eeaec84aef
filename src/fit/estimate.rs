//! Estimates from samples: service-time families (exponential, uniform,
//! lognormal, gamma; a fixed time) by maximum likelihood,
//! chosen by Akaike's information criterion and checked by the
//! Kolmogorov–Smirnov distance; exponential patience from censored waits;
//! shares and means with 95% intervals. Distribution functions come from
//! `statrs`.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal};
use statrs::function::gamma::{digamma, ln_gamma};

/// A quantity with its 95% interval.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Interval {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The mean of `xs` with its Student-t 95% interval.
pub fn mean_interval(xs: &[f64]) -> Interval {
    let e = crate::stats::estimate::Estimate::from_values(xs.iter().copied());
    Interval { value: e.mean, low: e.low(), high: e.high() }
}

/// A share `k / n` with its Wilson 95% interval.
pub fn share_interval(k: usize, n: usize) -> Interval {
    if n == 0 {
        return Interval { value: f64::NAN, low: f64::NAN, high: f64::NAN };
    }
    let (k, n, z) = (k as f64, n as f64, 1.959_963_985);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    Interval { value: p, low: (centre - h).max(0.0), high: (centre + h).min(1.0) }
}

/// A family hallsim can simulate, with its parameters in the scenario's terms.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Family {
    Deterministic { value: f64 },
    Exponential { mean: f64 },
    Uniform { min: f64, max: f64 },
    LogNormal { mean: f64, cv: f64 },
    Gamma { mean: f64, cv: f64 },
}

impl Family {
    /// The scenario file's inline table for it.
    pub fn toml(&self) -> String {
        match *self {
            Family::Deterministic { value } => format!("{{ dist = \"deterministic\", value = {} }}", round4(value)),
            Family::Exponential { mean } => format!("{{ dist = \"exponential\", mean = {} }}", round4(mean)),
            Family::Uniform { min, max } => {
                format!("{{ dist = \"uniform\", min = {}, max = {} }}", round4(min), round4(max))
            }
            Family::LogNormal { mean, cv } => {
                format!("{{ dist = \"lognormal\", mean = {}, cv = {} }}", round4(mean), round4(cv))
            }
            Family::Gamma { mean, cv } => {
                format!("{{ dist = \"gamma\", mean = {}, cv = {} }}", round4(mean), round4(cv))
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Family::Deterministic { .. } => "deterministic",
            Family::Exponential { .. } => "exponential",
            Family::Uniform { .. } => "uniform",
            Family::LogNormal { .. } => "lognormal",
            Family::Gamma { .. } => "gamma",
        }
    }

    /// The distribution function at `x` (minutes).
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Family::Deterministic { value } => f64::from(u8::from(x >= value)),
            Family::Exponential { mean } => Exp::new(1.0 / mean).map_or(f64::NAN, |d| d.cdf(x)),
            Family::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Family::LogNormal { mean, cv } => lognormal(mean, cv).map_or(f64::NAN, |d| d.cdf(x)),
            Family::Gamma { mean, cv } => gamma(mean, cv).map_or(f64::NAN, |d| d.cdf(x)),
        }
    }

    /// The quantile at probability `p`, for Q-Q plots.
    pub fn quantile(&self, p: f64) -> f64 {
        match *self {
            Family::Deterministic { value } => value,
            Family::Exponential { mean } => -mean * (1.0 - p).ln(),
            Family::Uniform { min, max } => min + p * (max - min),
            Family::LogNormal { mean, cv } => lognormal(mean, cv).map_or(f64::NAN, |d| d.inverse_cdf(p)),
            Family::Gamma { mean, cv } => gamma(mean, cv).map_or(f64::NAN, |d| d.inverse_cdf(p)),
        }
    }
}

/// The lognormal of this mean and coefficient of variation, in statrs' terms.
fn lognormal(mean: f64, cv: f64) -> Option<LogNormal> {
    let s2 = (1.0 + cv * cv).ln();
    LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).ok()
}

/// The gamma of this mean and coefficient of variation (shape 1/cv², rate shape/mean).
fn gamma(mean: f64, cv: f64) -> Option<Gamma> {
    let k = 1.0 / (cv * cv);
    Gamma::new(k, k / mean).ok()
}

fn round4(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let digits = 4 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits.max(0));
    (x * f).round() / f
}

/// One candidate family's fit.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    pub family: Family,
    pub log_likelihood: f64,
    pub aic: f64,
}

/// A sample's best family and how well it fits.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceFit {
    pub n: usize,
    /// The sample mean, minutes, with its interval.
    pub mean: Interval,
    pub chosen: Family,
    /// Every family tried, best (lowest AIC) first.
    pub candidates: Vec<Candidate>,
    /// Kolmogorov–Smirnov distance of the chosen family from the sample.
    pub ks_distance: f64,
    /// Its asymptotic p-value (conservative: the parameters came from the sample).
    pub ks_p_value: f64,
}

/// Shortest duration taken as observed: records keep whole seconds, so a
/// service written as 0 lasted under one.
const FLOOR_MINUTES: f64 = 0.5 / 60.0;

/// Fits the families hallsim supports to durations (minutes) by maximum
/// likelihood. None for an empty sample.
pub fn fit_durations(xs: &[f64]) -> Option<ServiceFit> {
    if xs.is_empty() {
        return None;
    }
    let xs: Vec<f64> = xs.iter().map(|&x| x.max(FLOOR_MINUTES)).collect();
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let mut candidates = Vec::new();
    if hi - lo <= 1.0 / 60.0 {
        // Equal to the second: a fixed duration.
        let family = Family::Deterministic { value: mean };
        candidates.push(Candidate { family, log_likelihood: f64::INFINITY, aic: f64::NEG_INFINITY });
    } else {
        let sum_ln: f64 = xs.iter().map(|x| x.ln()).sum();
        let mean_ln = sum_ln / n;
        candidates.push(Candidate {
            family: Family::Exponential { mean },
            log_likelihood: -n * mean.ln() - n,
            aic: 0.0,
        });
        // Uniform: the range of the sample (maximum likelihood).
        candidates.push(Candidate {
            family: Family::Uniform { min: lo, max: hi },
            log_likelihood: -n * (hi - lo).ln(),
            aic: 0.0,
        });
        let s2 = xs.iter().map(|x| (x.ln() - mean_ln).powi(2)).sum::<f64>() / n;
        if s2 > 0.0 {
            let ll = -sum_ln - n * 0.5 * s2.ln() - n * 0.5 * (2.0 * std::f64::consts::PI).ln() - n / 2.0;
            let family = Family::LogNormal { mean: (mean_ln + s2 / 2.0).exp(), cv: (s2.exp() - 1.0).sqrt() };
            candidates.push(Candidate { family, log_likelihood: ll, aic: 0.0 });
        }
        let s = mean.ln() - mean_ln;
        if s > 0.0 {
            let k = gamma_shape(s);
            let theta = mean / k;
            let ll = (k - 1.0) * sum_ln - n * mean / theta - n * ln_gamma(k) - n * k * theta.ln();
            candidates.push(Candidate {
                family: Family::Gamma { mean, cv: 1.0 / k.sqrt() },
                log_likelihood: ll,
                aic: 0.0,
            });
        }
        for c in &mut candidates {
            let params = if matches!(c.family, Family::Exponential { .. }) { 1.0 } else { 2.0 };
            c.aic = 2.0 * params - 2.0 * c.log_likelihood;
        }
        candidates.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    }
    let chosen = candidates[0].family;
    let ks_distance = ks(&xs, &chosen);
    Some(ServiceFit {
        n: xs.len(),
        mean: mean_interval(&xs),
        chosen,
        candidates,
        ks_distance,
        ks_p_value: kolmogorov_p(ks_distance, xs.len()),
    })
}

/// The gamma shape k solving ln k − ψ(k) = s (Newton's method from the
/// Choi–Wette starting value; the derivative of ψ by a central difference).
fn gamma_shape(s: f64) -> f64 {
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..50 {
        let h = 1e-5 * k;
        let trigamma = (digamma(k + h) - digamma(k - h)) / (2.0 * h);
        let f = k.ln() - digamma(k) - s;
        let step = f / (1.0 / k - trigamma);
        let next = (k - step).max(k / 10.0);
        if (next - k).abs() < 1e-10 * k {
            return next;
        }
        k = next;
    }
    k
}

/// The largest distance between the sample's distribution function and the family's.
fn ks(xs: &[f64], f: &Family) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let c = f.cdf(x);
            (c - i as f64 / n).abs().max(((i + 1) as f64 / n - c).abs())
        })
        .fold(0.0, f64::max)
}

/// The asymptotic Kolmogorov p-value of distance `d` from `n` values.
fn kolmogorov_p(d: f64, n: usize) -> f64 {
    let sn = (n as f64).sqrt();
    let lambda = (sn + 0.12 + 0.11 / sn) * d;
    if lambda < 0.2 {
        return 1.0;
    }
    let p: f64 = (1..=100)
        .map(|k| (if k % 2 == 1 { 2.0 } else { -2.0 }) * (-2.0 * (k * k) as f64 * lambda * lambda).exp())
        .sum();
    p.clamp(0.0, 1.0)
}

/// Exponential patience from waits for a first call: `left` the waits of
/// those who gave up, `served` the waits of those called (lower bounds of
/// their patience). The maximum-likelihood mean is the total wait over the
/// number who left; its interval from the χ² distribution of that count.
pub fn censored_exponential(left: &[f64], served: &[f64]) -> Option<Interval> {
    if left.is_empty() {
        return None;
    }
    let total: f64 = left.iter().chain(served).sum();
    let d = left.len() as f64;
    let mean = total / d;
    let chi = |p: f64| statrs::distribution::ChiSquared::new(2.0 * d).map_or(f64::NAN, |c| c.inverse_cdf(p));
    Some(Interval { value: mean, low: 2.0 * total / chi(0.975), high: 2.0 * total / chi(0.025) })
}

/// Whether counts per weekday differ: the Poisson dispersion test of day
/// totals grouped by weekday. `groups` holds each weekday's daily counts.
/// Returns (χ² statistic, degrees of freedom, p-value).
pub fn weekday_test(groups: &[Vec<f64>]) -> Option<(f64, usize, f64)> {
    let groups: Vec<&Vec<f64>> = groups.iter().filter(|g| !g.is_empty()).collect();
    if groups.len() < 2 {
        return None;
    }
    let days: f64 = groups.iter().map(|g| g.len() as f64).sum();
    let mean = groups.iter().flat_map(|g| g.iter()).sum::<f64>() / days;
    if mean <= 0.0 {
        return None;
    }
    let stat: f64 = groups
        .iter()
        .map(|g| {
            let expected = g.len() as f64 * mean;
            (g.iter().sum::<f64>() - expected).powi(2) / expected
        })
        .sum();
    let dof = groups.len() - 1;
    let p = statrs::distribution::ChiSquared::new(dof as f64).map_or(f64::NAN, |c| 1.0 - c.cdf(stat));
    Some((stat, dof, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles of a family at evenly spaced probabilities: a sample with
    /// the family's exact shape.
    fn sample(f: Family, n: usize) -> Vec<f64> {
        (0..n).map(|i| f.quantile((i as f64 + 0.5) / n as f64)).collect()
    }

    #[test]
    fn each_family_is_recovered_from_its_own_shape() {
        for truth in [
            Family::Exponential { mean: 6.0 },
            Family::LogNormal { mean: 15.0, cv: 0.5 },
            Family::Gamma { mean: 4.0, cv: 0.4 },
            Family::Uniform { min: 2.0, max: 6.0 },
        ] {
            let fit = fit_durations(&sample(truth, 4000)).unwrap();
            assert_eq!(fit.chosen.name(), truth.name(), "{truth:?}: {:?}", fit.candidates);
            let mean_of = |f: Family| match f {
                Family::Exponential { mean } | Family::LogNormal { mean, .. } | Family::Gamma { mean, .. } => mean,
                Family::Uniform { min, max } => (min + max) / 2.0,
                Family::Deterministic { value } => value,
            };
            let (mean, want) = (mean_of(fit.chosen), mean_of(truth));
            assert!((mean - want).abs() < 0.01 * want, "{truth:?}: mean {mean}");
            assert!(fit.ks_distance < 0.01, "{truth:?}: KS {}", fit.ks_distance);
        }
        let fixed = fit_durations(&[5.0; 30]).unwrap();
        assert_eq!(fixed.chosen, Family::Deterministic { value: 5.0 });
    }

    #[test]
    fn patience_from_censored_waits_by_hand() {
        // Two left after 4 and 6 minutes; three were called after 2, 3 and 5:
        // 20 minutes of waiting over 2 departures.
        let e = censored_exponential(&[4.0, 6.0], &[2.0, 3.0, 5.0]).unwrap();
        assert_eq!(e.value, 10.0);
        assert!(e.low < 10.0 && e.high > 10.0);
        assert!(censored_exponential(&[], &[1.0]).is_none());
    }

    #[test]
    fn equal_weekdays_pass_and_a_busy_monday_fails() {
        let flat = vec![vec![100.0, 104.0, 96.0]; 5];
        assert!(weekday_test(&flat).unwrap().2 > 0.5);
        let mut monday = flat.clone();
        monday[0] = vec![150.0, 146.0, 154.0];
        assert!(weekday_test(&monday).unwrap().2 < 0.001);
    }

    #[test]
    fn wilson_interval_by_hand() {
        let i = share_interval(50, 100);
        assert_eq!(i.value, 0.5);
        assert!((i.low - 0.4038).abs() < 1e-3 && (i.high - 0.5962).abs() < 1e-3);
    }
}

//! Service-time and inter-arrival distributions, in minutes.
//!
//! A [`Dist`] can only be built through its checked constructors (its shape is
//! private), so a value that reaches the engine always has finite parameters
//! inside what a hall can mean, on the TOML path or off it. Sampling is
//! a `match` over a closed enum: no dynamic dispatch on the hot path.

use rand_distr::{Distribution, Exp1, Gamma, LogNormal};

use crate::rng::uniform;

/// Longest duration a distribution may describe (its mean, value, maximum or
/// largest observation), minutes: about 69 days, far beyond any hall, and
/// small enough that every run's clock stays precise.
pub const MAX_MINUTES: f64 = 100_000.0;
/// Largest coefficient of variation of a lognormal or gamma distribution.
pub const MAX_CV: f64 = 10.0;

/// A distribution of durations in minutes; every draw is finite and >= 0.
/// Built only through the checked constructors, so its parameters hold.
#[derive(Clone, Debug)]
pub struct Dist(Shape);

#[derive(Clone, Debug)]
enum Shape {
    /// Exponential with the given mean, minutes.
    Exponential { mean: f64 },
    /// Always the same value, minutes.
    Deterministic { value: f64 },
    /// Uniform on [min, max], minutes.
    Uniform { min: f64, max: f64 },
    /// Triangular on [min, max] with the given mode, minutes.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Lognormal given by its mean (minutes) and coefficient of variation.
    LogNormal { mean: f64, cv: f64, inner: LogNormal<f64> },
    /// Gamma given by its mean (minutes) and coefficient of variation.
    Gamma { mean: f64, cv: f64, inner: Gamma<f64> },
    /// Resampling of observed values (each value equally likely), minutes.
    Empirical { values: Box<[f64]> },
}

fn positive(what: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v > 0.0 {
        at_most(what, v)
    } else {
        Err(format!("{what} must be a finite number > 0, got {v}"))
    }
}

fn non_negative(what: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v >= 0.0 {
        at_most(what, v)
    } else {
        Err(format!("{what} must be a finite number >= 0, got {v}"))
    }
}

fn at_most(what: &str, v: f64) -> Result<f64, String> {
    if v <= MAX_MINUTES {
        Ok(v)
    } else {
        let shown = if v >= 1e7 { format!("{v:e}") } else { format!("{v}") };
        Err(format!("{what} {shown} minutes is longer than a hall can mean; at most {MAX_MINUTES} minutes"))
    }
}

fn cv_of(cv: f64) -> Result<f64, String> {
    if !(cv.is_finite() && cv > 0.0) {
        Err(format!("cv must be a finite number > 0, got {cv}"))
    } else if cv > MAX_CV {
        Err(format!("cv {cv} is beyond what service times show; at most {MAX_CV}"))
    } else {
        Ok(cv)
    }
}

impl Dist {
    /// Always 0 minutes.
    pub const ZERO: Dist = Dist(Shape::Deterministic { value: 0.0 });

    pub fn exponential(mean: f64) -> Result<Self, String> {
        Ok(Dist(Shape::Exponential { mean: positive("mean", mean)? }))
    }

    pub fn deterministic(value: f64) -> Result<Self, String> {
        Ok(Dist(Shape::Deterministic { value: non_negative("value", value)? }))
    }

    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        let min = non_negative("min", min)?;
        let max = non_negative("max", max)?;
        if max <= min {
            return Err(format!("max must be greater than min, got min {min} and max {max}"));
        }
        Ok(Dist(Shape::Uniform { min, max }))
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        let min = non_negative("min", min)?;
        let mode = non_negative("mode", mode)?;
        let max = non_negative("max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(format!("needs min <= mode <= max and min < max, got min {min}, mode {mode}, max {max}"));
        }
        Ok(Dist(Shape::Triangular { min, mode, max }))
    }

    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, String> {
        let mean = positive("mean", mean)?;
        let cv = cv_of(cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        let inner = LogNormal::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt())
            .map_err(|e| format!("impossible lognormal: {e}"))?;
        Ok(Dist(Shape::LogNormal { mean, cv, inner }))
    }

    pub fn gamma(mean: f64, cv: f64) -> Result<Self, String> {
        let mean = positive("mean", mean)?;
        let cv = cv_of(cv)?;
        let inner = Gamma::new(1.0 / (cv * cv), mean * cv * cv).map_err(|e| format!("impossible gamma: {e}"))?;
        Ok(Dist(Shape::Gamma { mean, cv, inner }))
    }

    pub fn empirical(values: Vec<f64>) -> Result<Self, String> {
        if values.is_empty() {
            return Err("values must hold at least one observation".into());
        }
        for (i, &v) in values.iter().enumerate() {
            non_negative(&format!("values[{i}]"), v)?;
        }
        if values.iter().all(|&v| v == 0.0) {
            return Err("values must not all be 0".into());
        }
        Ok(Dist(Shape::Empirical { values: values.into_boxed_slice() }))
    }

    /// Mean, minutes.
    pub fn mean(&self) -> f64 {
        match &self.0 {
            Shape::Exponential { mean } => *mean,
            Shape::Deterministic { value } => *value,
            Shape::Uniform { min, max } => (min + max) / 2.0,
            Shape::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Shape::LogNormal { mean, .. } | Shape::Gamma { mean, .. } => *mean,
            Shape::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// Variance, minutes squared.
    pub fn variance(&self) -> f64 {
        match &self.0 {
            Shape::Exponential { mean } => mean * mean,
            Shape::Deterministic { .. } => 0.0,
            Shape::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Shape::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Shape::LogNormal { mean, cv, .. } | Shape::Gamma { mean, cv, .. } => (mean * cv).powi(2),
            Shape::Empirical { values } => {
                let m = self.mean();
                values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64
            }
        }
    }

    /// One draw, minutes.
    #[inline(always)]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.0 {
            Shape::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Shape::Deterministic { value } => *value,
            Shape::Uniform { min, max } => min + (max - min) * uniform(rng),
            Shape::Triangular { min, mode, max } => {
                let u = uniform(rng);
                let split = (mode - min) / (max - min);
                if u < split {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Shape::LogNormal { inner, .. } => inner.sample(rng),
            Shape::Gamma { inner, .. } => inner.sample(rng),
            Shape::Empirical { values } => {
                let i = (uniform(rng) * values.len() as f64) as usize;
                values[i.min(values.len() - 1)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = crate::rng::Stream::from_seed_u64(11);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v)
    }

    /// The sample mean lies within 4 standard errors of the exact mean
    /// (a 1-in-15,000 event for a correct sampler).
    fn check_mean(d: Dist) {
        let n = 200_000;
        let (m, v) = sample_moments(&d, n);
        let se = (d.variance() / n as f64).sqrt();
        assert!((m - d.mean()).abs() <= 4.0 * se, "{d:?}: sample mean {m}, exact {}", d.mean());
        if d.variance() > 0.0 {
            let rel = (v / d.variance() - 1.0).abs();
            assert!(rel < 0.05, "{d:?}: sample variance {v}, exact {}", d.variance());
        }
    }

    #[test]
    fn every_family_has_its_stated_mean_and_variance() {
        check_mean(Dist::exponential(3.5).unwrap());
        check_mean(Dist::uniform(2.0, 6.0).unwrap());
        check_mean(Dist::triangular(1.0, 2.0, 6.0).unwrap());
        check_mean(Dist::lognormal(14.0, 0.5).unwrap());
        check_mean(Dist::gamma(8.0, 0.6).unwrap());
        check_mean(Dist::empirical(vec![1.0, 2.0, 4.0, 9.0]).unwrap());
    }

    #[test]
    fn impossible_parameters_are_refused() {
        assert!(Dist::exponential(0.0).is_err());
        assert!(Dist::exponential(f64::NAN).is_err());
        assert!(Dist::uniform(5.0, 5.0).is_err());
        assert!(Dist::triangular(1.0, 7.0, 6.0).is_err());
        assert!(Dist::lognormal(-1.0, 0.5).is_err());
        assert!(Dist::gamma(3.0, 0.0).is_err());
        assert!(Dist::empirical(vec![]).is_err());
        assert!(Dist::empirical(vec![0.0, -1.0]).is_err());
        assert!(Dist::deterministic(-2.0).is_err());
        assert!(Dist::exponential(MAX_MINUTES * 1.01).is_err());
        assert!(Dist::uniform(1.0, 1e12).is_err());
        assert!(Dist::empirical(vec![1.0, 3e38]).is_err());
        assert!(Dist::lognormal(5.0, MAX_CV + 1.0).is_err());
        assert!(Dist::exponential(MAX_MINUTES).is_ok() && Dist::gamma(5.0, MAX_CV).is_ok());
    }
}

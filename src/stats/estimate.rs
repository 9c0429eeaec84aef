//! Estimates across independent replications: the mean with a 95% Student-t
//! confidence interval. Pure arithmetic: no files, no printing.

use serde::Serialize;

/// A statistic's estimate from independent replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Replications that gave a value (a replication with no eligible case,
    /// for example, gives none for a rate).
    pub n: u32,
    pub mean: f64,
    /// Sample standard deviation across replications.
    pub sd: f64,
    /// Half-width of the 95% confidence interval of the mean; NaN when n < 2.
    pub half_width: f64,
    /// 10th and 90th percentile across replications (spread, not uncertainty).
    pub p10: f64,
    pub p90: f64,
}

impl Estimate {
    /// Estimates from per-replication values; NaN values are skipped.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Estimate {
        Self::with_level(values, 0.95)
    }

    /// As [`Estimate::from_values`] with a two-sided confidence `level` in (0, 1).
    pub fn with_level(values: impl IntoIterator<Item = f64>, level: f64) -> Estimate {
        let mut xs: Vec<f64> = values.into_iter().filter(|v| !v.is_nan()).collect();
        let n = xs.len();
        if n == 0 {
            return Estimate { n: 0, mean: f64::NAN, sd: f64::NAN, half_width: f64::NAN, p10: f64::NAN, p90: f64::NAN };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        let (sd, half_width) = if n >= 2 {
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let sd = var.sqrt();
            (sd, student_t_quantile(0.5 + level / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt())
        } else {
            (f64::NAN, f64::NAN)
        };
        xs.sort_by(f64::total_cmp);
        Estimate { n: n as u32, mean, sd, half_width, p10: percentile(&xs, 0.1), p90: percentile(&xs, 0.9) }
    }

    pub fn low(&self) -> f64 {
        self.mean - self.half_width
    }

    pub fn high(&self) -> f64 {
        self.mean + self.half_width
    }

    /// Whether this estimate of a difference is indistinguishable from an
    /// exact zero: below 1e-9 in size, as sums of the same numbers in another
    /// order differ by rounding alone.
    pub fn is_zero(&self) -> bool {
        self.mean.abs() < 1e-9 && (self.half_width.is_nan() || self.half_width <= 1e-9)
    }

    /// Whether the interval excludes 0 (a real difference); an exact zero never does.
    pub fn excludes_zero(&self) -> bool {
        self.half_width.is_finite() && self.mean.abs() > self.half_width && !self.is_zero()
    }

    /// Whether `x` lies in the confidence interval.
    pub fn covers(&self, x: f64) -> bool {
        self.low() <= x && x <= self.high()
    }
}

/// Linear-interpolated percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (pos - i as f64)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let mut a = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction for the regularized incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        for num in [num, -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))] {
            d = 1.0 + num * d;
            if d.abs() < tiny {
                d = tiny;
            }
            c = 1.0 + num / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Regularized incomplete beta I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) { front * beta_cf(a, b, x) / a } else { 1.0 - front * beta_cf(b, a, 1.0 - x) / b }
}

/// CDF of Student's t with `df` degrees of freedom.
/// A difference between two figures matters (a plan's figure worse than the
/// file's, a fitted hall against its records) when it exceeds: 2 percentage
/// points of a share; of any other figure 10%, and at least one unit (a
/// minute, a person), so a wait of 3 seconds growing to 30 is not news.
pub const SHARE_MARGIN: f64 = 0.02;
pub const RELATIVE_MARGIN: f64 = 0.10;
pub const ABSOLUTE_MARGIN: f64 = 1.0;

/// The margin for a figure whose reference value is `reference`.
pub fn margin(reference: f64, share: bool) -> f64 {
    if share { SHARE_MARGIN } else { (RELATIVE_MARGIN * reference.abs()).max(ABSOLUTE_MARGIN) }
}

pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// Quantile of Student's t: the `p` point (0.5 < p < 1) with `df` degrees of freedom.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    while student_t_cdf(hi, df) < p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if student_t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_difference_is_never_real() {
        // Per-replication differences that are rounding noise around 0.
        let noise = Estimate::from_values([1e-13, 2e-13, 1.5e-13, 1.2e-13]);
        assert!(noise.mean.abs() > noise.half_width, "the noise alone would pass the interval test");
        assert!(noise.is_zero() && !noise.excludes_zero());
        let zero = Estimate::from_values([0.0; 5]);
        assert!(zero.is_zero() && !zero.excludes_zero());
        let real = Estimate::from_values([0.9, 1.1, 1.0, 1.05]);
        assert!(real.excludes_zero() && !real.is_zero());
        let unsure = Estimate::from_values([-0.5, 1.0, 0.2, -0.1]);
        assert!(!unsure.excludes_zero());
    }

    #[test]
    fn t_quantiles_match_published_tables() {
        for (df, expected) in [
            (1.0, 12.706_205),
            (2.0, 4.302_653),
            (9.0, 2.262_157),
            (29.0, 2.045_230),
            (120.0, 1.979_930),
            (1e7, 1.959_964),
        ] {
            let got = student_t_quantile(0.975, df);
            assert!((got - expected).abs() < 1e-5, "df {df}: {got} vs {expected}");
        }
        assert!((student_t_quantile(0.995, 10.0) - 3.169_273).abs() < 1e-5);
    }

    #[test]
    fn estimate_of_known_values() {
        let e = Estimate::from_values([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert_eq!(e.mean, 2.5);
        assert!((e.sd - 1.290_994_4).abs() < 1e-6);
        assert!((e.half_width - 3.182_446 * 1.290_994_4 / 2.0).abs() < 1e-5);
        assert!(e.covers(2.5) && !e.covers(5.0));
        let one = Estimate::from_values([7.0]);
        assert_eq!(one.mean, 7.0);
        assert!(one.half_width.is_nan());
    }
}

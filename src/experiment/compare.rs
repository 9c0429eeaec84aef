//! Comparing scenarios run with common random numbers: the same seed, hence
//! the same people, in every scenario. The difference of a KPI from the
//! baseline is estimated from the per-replication differences (a paired
//! interval), which removes the noise the scenarios share.

use serde::Serialize;

use super::RunResult;
use crate::stats::estimate::{Estimate, student_t_quantile};
use crate::stats::kpi::KpiDef;

/// One KPI across scenarios.
#[derive(Clone, Debug, Serialize)]
pub struct CompareRow {
    pub key: String,
    pub unit: &'static str,
    /// Per scenario (None where the scenario has no such KPI).
    pub estimates: Vec<Option<Estimate>>,
    /// Per scenario, the paired difference from the baseline (None for the baseline).
    pub differences: Vec<Option<Estimate>>,
    /// Per scenario, the half-width the difference's interval would have
    /// without pairing (Welch), for reference.
    pub unpaired_half_widths: Vec<Option<f64>>,
}

impl CompareRow {
    /// Whether scenario `i` differs from the baseline with 95% confidence.
    pub fn significant(&self, i: usize) -> bool {
        self.differences[i].is_some_and(|d| d.excludes_zero())
    }
}

/// Every KPI of the baseline, compared across scenarios.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub names: Vec<String>,
    pub rows: Vec<CompareRow>,
}

fn column(r: &RunResult, key: &str) -> Option<Vec<f64>> {
    let i = r.kpi_defs.iter().position(|d| d.key == key)?;
    Some(r.values.iter().map(|v| v[i]).collect())
}

/// Welch half-width of the difference of two independent means.
fn welch_half_width(a: &Estimate, b: &Estimate) -> f64 {
    let (va, vb) = (a.sd * a.sd / f64::from(a.n), b.sd * b.sd / f64::from(b.n));
    let se2 = va + vb;
    let df = se2 * se2 / (va * va / f64::from(a.n - 1) + vb * vb / f64::from(b.n - 1));
    if !(se2 > 0.0 && df.is_finite()) {
        return f64::NAN;
    }
    student_t_quantile(0.975, df) * se2.sqrt()
}

/// Compares runs; the first is the baseline. Runs of another seed or
/// replication count than the baseline's are refused: their differences
/// would not be paired.
pub fn compare(runs: &[(String, &RunResult)]) -> Result<Comparison, String> {
    let Some((base_name, base)) = runs.first() else {
        return Err("nothing to compare".into());
    };
    for (name, r) in &runs[1..] {
        if (r.seed, r.replications) != (base.seed, base.replications) {
            return Err(format!(
                "{name} ran {} replications under seed {}, {base_name} {} under seed {}: a comparison pairs the same people, so both need the same seed and replications",
                r.replications, r.seed, base.replications, base.seed
            ));
        }
    }
    let rows = base
        .kpi_defs
        .iter()
        .map(|KpiDef { key, unit, .. }| {
            let base_col = column(base, key);
            let mut row = CompareRow {
                key: key.clone(),
                unit,
                estimates: Vec::new(),
                differences: Vec::new(),
                unpaired_half_widths: Vec::new(),
            };
            for (i, (_, r)) in runs.iter().enumerate() {
                let est = r.estimate(key).copied();
                row.estimates.push(est);
                let (diff, unpaired) = match (i, &base_col, column(r, key)) {
                    (0, _, _) => (None, None),
                    (_, Some(a), Some(b)) => {
                        let d = Estimate::from_values(a.iter().zip(&b).map(|(x, y)| y - x));
                        let w = match (base.estimate(key), est) {
                            (Some(ea), Some(eb)) if ea.n > 1 && eb.n > 1 => Some(welch_half_width(ea, &eb)),
                            _ => None,
                        };
                        (Some(d), w)
                    }
                    _ => (None, None),
                };
                row.differences.push(diff);
                row.unpaired_half_widths.push(unpaired);
            }
            row
        })
        .collect();
    Ok(Comparison { names: runs.iter().map(|(n, _)| n.clone()).collect(), rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_matches_a_hand_computation() {
        let a = Estimate::from_values([1.0, 2.0, 3.0, 4.0]);
        let b = Estimate::from_values([2.0, 4.0, 6.0, 8.0]);
        // se² = 1.6667/4 + 6.6667/4 = 2.0833; df = 2.0833² / (0.4167²/3 + 1.6667²/3) = 4.41
        let hw = welch_half_width(&a, &b);
        let expected = student_t_quantile(0.975, 4.411_764_7) * 2.083_333_3_f64.sqrt();
        assert!((hw - expected).abs() < 1e-4, "{hw} vs {expected}");
    }
}

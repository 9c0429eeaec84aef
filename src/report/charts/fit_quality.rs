//! How well a fitted family matches its sample, per stage of one case type:
//! the sample's histogram (as a density) under the fitted density, and the
//! Q-Q plot of sample quantiles against fitted ones about the diagonal.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::fit::estimate::Family;

/// One stage's sample (minutes) and the family chosen for it.
pub struct FitPanel {
    pub stage: String,
    pub family: Family,
    pub sample: Vec<f64>,
}

pub struct FitChart {
    pub title: String,
    pub panels: Vec<FitPanel>,
}

/// The fitted density at `x`, from the distribution function.
fn density(f: &Family, x: f64) -> f64 {
    let h = (x.abs() * 1e-4).max(1e-6);
    (f.cdf(x + h) - f.cdf((x - h).max(0.0))) / (x + h - (x - h).max(0.0))
}

fn histogram<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &FitPanel, sorted: &[f64]) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let n = sorted.len();
    let top = sorted[((n as f64 * 0.99) as usize).min(n - 1)].max(sorted[n - 1] * 0.5).max(1e-3);
    let bins = ((n as f64).sqrt() as usize).clamp(5, 40);
    let width = top / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in sorted {
        if x < top {
            counts[((x / width) as usize).min(bins - 1)] += 1;
        }
    }
    let heights: Vec<f64> = counts.iter().map(|&c| c as f64 / (n as f64 * width)).collect();
    let curve: Vec<(f64, f64)> =
        (0..=200).map(|i| top * i as f64 / 200.0).map(|x| (x, density(&p.family, x))).collect();
    let peak = heights.iter().chain(curve.iter().map(|c| &c.1)).copied().filter(|y| y.is_finite()).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(&p.stage, font(LABEL_SIZE))
        .margin(6)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..top, 0.0..peak.max(1e-9) * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("minutes")
        .x_labels(4)
        .y_labels(4)
        .y_label_formatter(&|y| format!("{y:.2}"))
        .label_style(font(LABEL_SIZE - 4))
        .axis_desc_style(font(LABEL_SIZE - 4))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(heights.iter().enumerate().map(|(i, &h)| {
        let x = i as f64 * width;
        Rectangle::new([(x, 0.0), (x + width, h)], INK_BLUE.mix(0.35).filled())
    }))?;
    if !matches!(p.family, Family::Deterministic { .. }) {
        chart
            .draw_series(LineSeries::new(curve.into_iter().filter(|c| c.1.is_finite()), INK_ORANGE.stroke_width(2)))?;
    }
    Ok(())
}

fn qq<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &FitPanel, sorted: &[f64]) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let n = sorted.len();
    let points: Vec<(f64, f64)> = (0..200.min(n))
        .map(|k| {
            let prob = (k as f64 + 0.5) / 200.min(n) as f64;
            (p.family.quantile(prob), sorted[((prob * n as f64) as usize).min(n - 1)])
        })
        .filter(|q| q.0.is_finite())
        .collect();
    let top = points.iter().map(|q| q.0.max(q.1)).fold(1e-3, f64::max) * 1.05;
    let mut chart = ChartBuilder::on(area)
        .margin(6)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..top, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("fitted quantile, min")
        .y_desc("sample, min")
        .x_labels(4)
        .y_labels(4)
        .label_style(font(LABEL_SIZE - 4))
        .axis_desc_style(font(LABEL_SIZE - 4))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (top, top)], INK_GREY.stroke_width(1)))?;
    chart.draw_series(points.into_iter().map(|q| Circle::new(q, 2, INK_BLUE.filled())))?;
    Ok(())
}

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &FitChart, _l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let entries = [
        ("records".to_string(), Mark::Fill(INK_BLUE.mix(0.35))),
        ("fitted density".to_string(), Mark::Line(INK_ORANGE, 2)),
    ];
    let (title, rest) = root.split_vertically(36);
    title.draw(&Text::new(d.title.clone(), (12, 6), font(AXIS_SIZE)))?;
    let (plots, key) = with_key(&rest, &entries);
    let cols = d.panels.len().max(1);
    let grid = plots.split_evenly((2, cols));
    for (i, p) in d.panels.iter().enumerate() {
        let mut sorted: Vec<f64> = p.sample.iter().copied().filter(|x| x.is_finite()).collect();
        if sorted.is_empty() {
            continue;
        }
        sorted.sort_by(f64::total_cmp);
        histogram(&grid[i], p, &sorted)?;
        qq(&grid[cols + i], p, &sorted)?;
    }
    draw_key(key.as_ref(), &entries, LABEL_SIZE - 2)?;
    Ok(())
}

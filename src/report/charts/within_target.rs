//! The share of eligible visits completed within the target, by hour of
//! ticket, with the 95% confidence interval across replications.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::band::{Band, draw_band};
use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let low = d
        .within_by_hour
        .iter()
        .map(|(_, e)| if e.half_width.is_finite() { e.low() } else { e.mean })
        .fold(1.0, f64::min);
    let y0 = ((low - 0.05) * 10.0).floor().clamp(0.0, 9.0) / 10.0;
    draw_band(
        root,
        Band {
            title: l.within_by_hour_title,
            x_desc: l.hour_of_ticket,
            y_desc: l.share_of_eligible,
            points: &d.within_by_hour,
            bounds: |e| (e.low(), e.high()),
            band_label: l.ci95,
            mean_label: l.mean,
            y_range: (y0, 1.0),
            share: true,
            colour: INK_BLUE,
            band_opacity: 0.2,
            dots: true,
            reference: Some((0.95, l.reference_95)),
        },
    )
}

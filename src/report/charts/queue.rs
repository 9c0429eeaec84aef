//! People waiting through the day: the mean over replications of each hour's
//! time-average, with the band from the 10th to the 90th percentile of days.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::band::{Band, draw_band};
use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let top = d.queue_by_hour.iter().map(|(_, e)| e.p90.max(e.mean)).fold(1.0, f64::max) * 1.1;
    draw_band(
        root,
        Band {
            title: l.queue_title,
            x_desc: l.hour_of_day,
            y_desc: l.people_waiting,
            points: &d.queue_by_hour,
            bounds: |e| (e.p10, e.p90),
            band_label: l.spread_10_90,
            mean_label: l.mean,
            y_range: (0.0, top),
            share: false,
            colour: INK_ORANGE,
            band_opacity: 0.25,
            dots: false,
            reference: None,
        },
    )
}

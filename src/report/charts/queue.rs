//! People waiting through the day: the mean over replications of each hour's
//! time-average, with the band from the 10th to the 90th percentile of days.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::within_target::hour_range;
use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (h0, h1) = hour_range(&d.queue_by_hour);
    let top = d.queue_by_hour.iter().map(|(_, e)| e.p90.max(e.mean)).fold(1.0, f64::max) * 1.1;
    let mut chart = ChartBuilder::on(root)
        .caption(l.queue_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(h0..h1, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc(l.hour_of_day)
        .y_desc(l.people_waiting)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_label_formatter(&|h| hour_label(*h))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let mid = |h: usize| h as f64 + 0.5;
    let band: Vec<(f64, f64)> = d
        .queue_by_hour
        .iter()
        .map(|(h, e)| (mid(*h), e.p90))
        .chain(d.queue_by_hour.iter().rev().map(|(h, e)| (mid(*h), e.p10)))
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, INK_ORANGE.mix(0.25).filled())))?
        .label(l.spread_10_90)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 24, y + 6)], INK_ORANGE.mix(0.25).filled()));
    chart
        .draw_series(LineSeries::new(
            d.queue_by_hour.iter().map(|(h, e)| (mid(*h), e.mean)),
            INK_ORANGE.stroke_width(3),
        ))?
        .label(l.mean)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], INK_ORANGE.stroke_width(3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(INK_GREY)
        .label_font(font(LABEL_SIZE))
        .draw()?;
    Ok(())
}

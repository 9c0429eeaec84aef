//! The share of eligible cases completed within the target, by hour of
//! ticket, with the 95% confidence interval across replications.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (h0, h1) = hour_range(&d.within_by_hour);
    let low = d
        .within_by_hour
        .iter()
        .map(|(_, e)| if e.half_width.is_finite() { e.low() } else { e.mean })
        .fold(1.0, f64::min);
    let y0 = ((low - 0.05) * 10.0).floor().clamp(0.0, 9.0) / 10.0;
    let mut chart = ChartBuilder::on(root)
        .caption(l.within_by_hour_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(h0..h1, y0..1.0)?;
    chart
        .configure_mesh()
        .x_desc(l.hour_of_ticket)
        .y_desc(l.share_of_eligible)
        .x_label_formatter(&|h| hour_label(*h))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let mid = |h: usize| h as f64 + 0.5;
    let band: Vec<(f64, f64)> = d
        .within_by_hour
        .iter()
        .map(|(h, e)| (mid(*h), e.high().min(1.0)))
        .chain(d.within_by_hour.iter().rev().map(|(h, e)| (mid(*h), e.low().max(y0))))
        .filter(|p| p.1.is_finite())
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, INK_BLUE.mix(0.2).filled())))?
        .label(l.ci95)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 24, y + 6)], INK_BLUE.mix(0.2).filled()));
    chart
        .draw_series(LineSeries::new(
            d.within_by_hour.iter().map(|(h, e)| (mid(*h), e.mean)),
            INK_BLUE.stroke_width(3),
        ))?
        .label(l.mean)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], INK_BLUE.stroke_width(3)));
    chart.draw_series(d.within_by_hour.iter().map(|(h, e)| Circle::new((mid(*h), e.mean), 4, INK_BLUE.filled())))?;
    chart
        .draw_series(LineSeries::new([(h0, 0.95), (h1, 0.95)], INK_RED.stroke_width(2)))?
        .label(l.reference_95)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], INK_RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(INK_GREY)
        .label_font(font(LABEL_SIZE))
        .draw()?;
    Ok(())
}

/// The hours to show: from the first to one past the last hour with data.
pub(super) fn hour_range(points: &[(usize, crate::stats::estimate::Estimate)]) -> (f64, f64) {
    let first = points.first().map_or(8, |p| p.0) as f64;
    let last = points.last().map_or(17, |p| p.0) as f64 + 1.0;
    (first, last)
}

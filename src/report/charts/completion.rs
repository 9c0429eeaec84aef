//! Cumulative distributions of the wait before first call and of the time to
//! completion, pooled over all people of all replications, with the 20-minute
//! budget and the completion target marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let x_max = d.completion_cdf.last().map_or(d.target_minutes * 2.0, |p| p.0).max(d.target_minutes + 10.0);
    let entries = [
        (l.wait_before_call.to_string(), Mark::Line(INK_BLUE, 3)),
        (l.time_to_completion.to_string(), Mark::Line(INK_ORANGE, 3)),
    ];
    let (plot, key) = with_key(root, &entries);
    let mut chart = ChartBuilder::on(&plot)
        .caption(l.distribution_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..x_max, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc(l.minutes_after_ticket)
        .y_desc(l.cumulative_share)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (x, label, color) in [(20.0, l.budget_marker, INK_GREY), (d.target_minutes, l.target_marker, INK_RED)] {
        chart.draw_series(LineSeries::new([(x, 0.0), (x, 1.0)], color.stroke_width(1)))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("{label} ({x:.0})"),
            (x + 1.0, 0.06),
            font(LABEL_SIZE).color(&color),
        )))?;
    }
    for (points, color) in [(&d.wait_cdf, INK_BLUE), (&d.completion_cdf, INK_ORANGE)] {
        chart.draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(3)))?;
    }
    draw_key(key.as_ref(), &entries, LABEL_SIZE)?;
    Ok(())
}

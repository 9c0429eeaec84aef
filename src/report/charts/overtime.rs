//! Overtime per day: staff-minutes worked outside staffed hours by each pool,
//! with the 95% interval, and how long the hall stays open after closing.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let n = d.overtime.len();
    let names: Vec<String> = d.overtime.iter().map(|s| s.0.clone()).collect();
    let top =
        d.overtime.iter().map(|(_, e)| if e.half_width.is_finite() { e.high() } else { e.mean }).fold(1.0, f64::max)
            * 1.2;
    let title = match d.overrun {
        Some(o) if o.mean.is_finite() => {
            format!("{} ({} {:.0} {})", l.overtime_title, l.hall_overrun, o.mean, l.minutes)
        }
        _ => l.overtime_title.to_string(),
    };
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(64)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n as f64, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| category_label(&names, *x))
        .x_desc(l.pool)
        .y_desc(l.server_minutes_per_day)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, (_, e)) in d.overtime.iter().enumerate() {
        let x = i as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.2, 0.0), (x + 0.8, e.mean)],
            INK_BLUE.mix(0.8).filled(),
        )))?;
        if e.half_width.is_finite() {
            chart.draw_series(std::iter::once(ErrorBar::new_vertical(
                x + 0.5,
                e.low().max(0.0),
                e.mean,
                e.high(),
                BLACK.stroke_width(2),
                12,
            )))?;
        }
        let above = if e.half_width.is_finite() { e.high() } else { e.mean };
        chart.draw_series(std::iter::once(Text::new(
            format!("{:.0}", e.mean),
            (x + 0.5, above + top * 0.04),
            centred(AXIS_SIZE),
        )))?;
    }
    Ok(())
}

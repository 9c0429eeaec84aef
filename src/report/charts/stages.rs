//! Each stage against its time budget: the share of people through the stage
//! within the budget (bars, with the 95% interval), and the mean time in the
//! stage beside its budget (text).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let n = d.stages.len();
    let names: Vec<String> = d.stages.iter().map(|s| s.0.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(l.stages_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(64)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n as f64, 0.0..1.12)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| category_label(&names, *x))
        .x_desc(l.stage)
        .y_desc(l.share_within_budget)
        .y_label_formatter(&|y| if *y <= 1.0 { format!("{:.0}%", y * 100.0) } else { String::new() })
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, (_, budget, within, time)) in d.stages.iter().enumerate() {
        let x = i as f64;
        let color = if within.mean >= 0.95 {
            INK_GREEN
        } else if within.mean >= 0.8 {
            INK_ORANGE
        } else {
            INK_RED
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.2, 0.0), (x + 0.8, within.mean)],
            color.mix(0.85).filled(),
        )))?;
        if within.half_width.is_finite() {
            chart.draw_series(std::iter::once(ErrorBar::new_vertical(
                x + 0.5,
                within.low().max(0.0),
                within.mean,
                within.high().min(1.0),
                BLACK.stroke_width(2),
                12,
            )))?;
        }
        let share = format!("{:.1}%", within.mean * 100.0);
        chart.draw_series(std::iter::once(Text::new(share, (x + 0.5, 1.09), centred(AXIS_SIZE))))?;
        let time = format!("{} {:.1} / {:.0} {}", l.mean_minutes, time.mean, budget, l.minutes);
        chart.draw_series(std::iter::once(Text::new(time, (x + 0.5, 1.04), centred(LABEL_SIZE))))?;
    }
    Ok(())
}

//! How long people waited for their first call, by hour of ticket: one
//! stacked bar per hour split at the scenario's wait targets, the last part
//! those who waited longer or left before the call.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

/// Light to dark as the wait grows.
const SHADES: [RGBColor; 6] = [
    RGBColor(46, 140, 72),
    RGBColor(140, 190, 90),
    RGBColor(240, 200, 80),
    RGBColor(236, 150, 60),
    RGBColor(222, 118, 28),
    RGBColor(196, 48, 43),
];

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (area, key) = root.split_horizontally(SIZE.0 - 190);
    let h0 = d.waits_by_hour.first().map_or(8, |p| p.0);
    let h1 = d.waits_by_hour.last().map_or(17, |p| p.0 + 1);
    let mut chart = ChartBuilder::on(&area)
        .caption(l.waits_by_hour_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(h0 as f64..h1 as f64, 0.0..1.0)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(l.hour_of_ticket)
        .y_desc(l.share_of_people)
        .x_labels(h1 - h0 + 1)
        .x_label_formatter(&|h| hour_label(*h))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let shade = |k: usize, n: usize| SHADES[(k * (SHADES.len() - 1)) / (n - 1).max(1)];
    for (h, parts) in &d.waits_by_hour {
        let mut y = 0.0;
        for (k, &p) in parts.iter().enumerate() {
            let x = *h as f64;
            chart.draw_series([Rectangle::new([(x + 0.1, y), (x + 0.9, y + p)], shade(k, parts.len()).filled())])?;
            y += p;
        }
    }
    let n = d.wait_targets.len() + 1;
    let mut from = 0.0;
    for k in 0..n {
        let label = match d.wait_targets.get(k) {
            Some(&t) => format!("{}–{} {}", fmt_number(from), fmt_number(t), l.minutes),
            None => format!("> {} {} {}", fmt_number(from), l.minutes, l.or_left),
        };
        from = d.wait_targets.get(k).copied().unwrap_or(from);
        // The key lists the longest waits first, as the bars stack them on top.
        let y = 70 + 26 * (n - 1 - k) as i32;
        key.draw(&Rectangle::new([(4, y - 8), (24, y + 8)], shade(k, n).filled()))?;
        key.draw(&Text::new(label, (30, y - 9), font(LABEL_SIZE)))?;
    }
    Ok(())
}

fn fmt_number(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}") }
}

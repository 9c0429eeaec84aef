//! Utilization of each pool by hour of day as a heatmap: one row per pool,
//! one cell per hour, darker when busier, with the percentage and the staff
//! on duty in the cell, and a colour key beside it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

/// White through blue to dark red as utilization goes from 0 to 1 and beyond.
fn shade(u: f64) -> RGBColor {
    let u = u.clamp(0.0, 1.0);
    let lerp = |a: u8, b: u8, t: f64| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    if u < 0.85 {
        let t = u / 0.85;
        RGBColor(lerp(247, INK_BLUE.0, t), lerp(251, INK_BLUE.1, t), lerp(255, INK_BLUE.2, t))
    } else {
        let t = (u - 0.85) / 0.15;
        RGBColor(lerp(INK_BLUE.0, INK_RED.0, t), lerp(INK_BLUE.1, INK_RED.1, t), lerp(INK_BLUE.2, INK_RED.2, t))
    }
}

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (area, key) = root.split_horizontally(SIZE.0 - 110);
    let hours: Vec<usize> = d.utilization.iter().flat_map(|(_, s)| s.iter().map(|p| p.0)).collect();
    let h0 = hours.iter().copied().min().unwrap_or(8) as f64;
    let h1 = hours.iter().copied().max().unwrap_or(17) as f64 + 1.0;
    let rows = d.utilization.len();
    let names: Vec<String> = d.utilization.iter().map(|(n, _)| n.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .caption(l.utilization_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(170)
        .build_cartesian_2d(h0..h1, 0.0..rows as f64)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(l.hour_of_day)
        .x_labels((h1 - h0) as usize + 1)
        .y_labels(rows * 2 + 1)
        .x_label_formatter(&|h| hour_label(*h))
        .y_label_formatter(&|y| {
            let i = (rows as f64 - y - 0.5).round();
            if (y.fract() - 0.5).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .draw()?;
    let tall = rows <= 8;
    for (row, (_, series)) in d.utilization.iter().enumerate() {
        let y = (rows - 1 - row) as f64;
        for &(h, u, on_duty) in series {
            let x = h as f64;
            chart.draw_series(std::iter::once(Rectangle::new([(x, y), (x + 1.0, y + 1.0)], shade(u).filled())))?;
            let ink = if u > 0.5 { WHITE } else { BLACK };
            let share = format!("{:.0}%", u * 100.0);
            if tall && on_duty.is_finite() {
                chart.draw_series([
                    Text::new(share, (x + 0.5, y + 0.64), centred(LABEL_SIZE).color(&ink)),
                    Text::new(
                        l.on_duty_cell.replace("{n}", &fmt_count(on_duty)),
                        (x + 0.5, y + 0.32),
                        centred(LABEL_SIZE - 3).color(&ink),
                    ),
                ])?;
            } else {
                chart.draw_series([Text::new(share, (x + 0.5, y + 0.5), centred(LABEL_SIZE).color(&ink))])?;
            }
        }
    }
    // The key: the colour of each utilization from 0 to 100%.
    let (top, bottom, left) = (60, SIZE.1 as i32 - 80, 20);
    key.draw(&Text::new(l.utilization.to_string(), (left - 6, top - 28), font(LABEL_SIZE)))?;
    let steps = 50;
    for k in 0..steps {
        let u = 1.0 - f64::from(k) / f64::from(steps);
        let y = top + (bottom - top) * k / steps;
        let y1 = top + (bottom - top) * (k + 1) / steps;
        key.draw(&Rectangle::new([(left, y), (left + 22, y1)], shade(u).filled()))?;
    }
    key.draw(&Rectangle::new([(left, top), (left + 22, bottom)], BLACK.stroke_width(1)))?;
    for u in [0.0, 0.5, 0.85, 1.0] {
        let y = bottom - ((f64::from(bottom - top)) * u).round() as i32;
        key.draw(&PathElement::new(vec![(left + 22, y), (left + 28, y)], BLACK.stroke_width(1)))?;
        key.draw(&Text::new(format!("{:.0}%", u * 100.0), (left + 32, y - 8), font(LABEL_SIZE)))?;
    }
    Ok(())
}

/// Staff on duty in an hour: a whole number as such, a part-hour average with one decimal.
fn fmt_count(n: f64) -> String {
    if (n - n.round()).abs() < 0.05 { format!("{:.0}", n.round()) } else { format!("{n:.1}") }
}

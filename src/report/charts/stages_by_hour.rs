//! Each stage's share within its time budget by hour of ticket, one line per
//! stage, against the share the targets ask for; the key sits beside the
//! plot so it never covers a line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

const PALETTE: [RGBColor; 6] =
    [INK_BLUE, INK_ORANGE, INK_GREEN, INK_RED, RGBColor(120, 80, 160), RGBColor(30, 150, 160)];

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ChartData, l: &Labels) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (area, key) = root.split_horizontally(SIZE.0 - 170);
    let hours = d.stages_by_hour.iter().flat_map(|(_, s)| s.iter().map(|p| p.0));
    let (h0, h1) = hours.fold((usize::MAX, 0), |(a, b), h| (a.min(h), b.max(h + 1)));
    let low = d.stages_by_hour.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)).fold(d.stage_required, f64::min);
    let y0 = ((low - 0.05) * 10.0).floor().clamp(0.0, 9.0) / 10.0;
    let mut chart = ChartBuilder::on(&area)
        .caption(l.stages_by_hour_title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(h0 as f64..h1 as f64, y0..1.0)?;
    chart
        .configure_mesh()
        .x_desc(l.hour_of_ticket)
        .y_desc(l.share_within_budget)
        .x_labels(h1 - h0 + 1)
        .x_label_formatter(&|h| hour_label(*h))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let required = d.stage_required;
    chart.draw_series(DashedLineSeries::new(
        [(h0 as f64, required), (h1 as f64, required)],
        8,
        5,
        BLACK.stroke_width(1),
    ))?;
    let mut entries = vec![(format!("{} {:.0}%", l.target, required * 100.0), BLACK, true)];
    for (i, (name, series)) in d.stages_by_hour.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let points: Vec<(f64, f64)> = series.iter().map(|&(h, y)| (h as f64 + 0.5, y)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        entries.push((name.clone(), colour, false));
    }
    for (i, (name, colour, dashed)) in entries.iter().enumerate() {
        let y = 70 + 26 * i as i32;
        let style = if *dashed { colour.stroke_width(1) } else { colour.stroke_width(3) };
        key.draw(&PathElement::new(vec![(4, y), (28, y)], style))?;
        key.draw(&Text::new(name.clone(), (34, y - 9), font(LABEL_SIZE)))?;
    }
    Ok(())
}

//! The shape two hourly charts share: a band and a mean line over the hours
//! of the day, with optional dots and a reference line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

/// One hourly band chart.
pub struct Band<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub points: &'a [(usize, Estimate)],
    /// The band's (low, high) at each point.
    pub bounds: fn(&Estimate) -> (f64, f64),
    pub band_label: &'a str,
    pub mean_label: &'a str,
    pub y_range: (f64, f64),
    /// Label the y axis in percent.
    pub share: bool,
    pub colour: RGBColor,
    pub band_opacity: f64,
    pub dots: bool,
    /// A horizontal line: (y, label).
    pub reference: Option<(f64, &'a str)>,
}

/// The hours to show: from the first to one past the last hour with data.
pub fn hour_range(points: &[(usize, Estimate)]) -> (f64, f64) {
    let first = points.first().map_or(8, |p| p.0) as f64;
    let last = points.last().map_or(17, |p| p.0) as f64 + 1.0;
    (first, last)
}

pub fn draw_band<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, b: Band) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let (h0, h1) = hour_range(b.points);
    let (y0, y1) = b.y_range;
    let fill = b.colour.mix(b.band_opacity).filled();
    let line = b.colour.stroke_width(3);
    let mut entries =
        vec![(b.band_label.to_string(), Mark::Fill(fill.color)), (b.mean_label.to_string(), Mark::Line(b.colour, 3))];
    if let Some((_, label)) = b.reference {
        entries.push((label.to_string(), Mark::Line(INK_RED, 2)));
    }
    let (plot, key) = with_key(root, &entries);
    let mut chart = ChartBuilder::on(&plot)
        .caption(b.title, font(TITLE_SIZE))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(h0..h1, y0..y1)?;
    let share = b.share;
    chart
        .configure_mesh()
        .x_desc(b.x_desc)
        .y_desc(b.y_desc)
        .x_label_formatter(&|h| hour_label(*h))
        .y_label_formatter(&|y| if share { format!("{:.0}%", y * 100.0) } else { format!("{y:.0}") })
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    let mid = |h: usize| h as f64 + 0.5;
    let band: Vec<(f64, f64)> = b
        .points
        .iter()
        .map(|(h, e)| (mid(*h), (b.bounds)(e).1.min(y1)))
        .chain(b.points.iter().rev().map(|(h, e)| (mid(*h), (b.bounds)(e).0.max(y0))))
        .filter(|p| p.1.is_finite())
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(band, fill)))?;
    chart.draw_series(LineSeries::new(b.points.iter().map(|(h, e)| (mid(*h), e.mean)), line))?;
    if b.dots {
        chart.draw_series(b.points.iter().map(|(h, e)| Circle::new((mid(*h), e.mean), 4, b.colour.filled())))?;
    }
    if let Some((y, _)) = b.reference {
        chart.draw_series(LineSeries::new([(h0, y), (h1, y)], INK_RED.stroke_width(2)))?;
    }
    draw_key(key.as_ref(), &entries, LABEL_SIZE - 1)
}

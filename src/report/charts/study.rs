//! Charts of studies: scenarios side by side (compare), a KPI against a swept
//! key (sweep), and each target's KPI against staff-hours over the staffings
//! the planner tried (plan). Every value is drawn with its 95% interval.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;

/// A headline figure's paired difference from the baseline for each other
/// scenario (in `CompareData::names` order after the first).
pub struct ComparePanel {
    /// The figure and its unit ("points" for a share).
    pub title: String,
    pub share: bool,
    pub differences: Vec<Option<Estimate>>,
}

pub struct CompareData {
    pub names: Vec<String>,
    pub panels: Vec<ComparePanel>,
}

/// One curve: a label and (x, estimate) points.
pub type Curve = (String, Vec<(f64, Estimate)>);

/// A KPI against a numeric x, with an optional reference line.
pub struct XyPanel {
    pub title: String,
    pub x_desc: String,
    /// What the y axis measures, with its unit ("minutes"); empty for a share,
    /// whose ticks carry "%".
    pub y_desc: String,
    /// The x values are hours of the day (ticks read "08:00").
    pub hours: bool,
    pub share: bool,
    pub curves: Vec<Curve>,
    /// (y, label) of a horizontal target or reference line.
    pub line: Option<(f64, String)>,
    /// Draw points only (no connecting lines).
    pub scatter: bool,
    /// An x to mark, with its label (the plan).
    pub mark: Option<(f64, String)>,
}

fn bounds(e: &Estimate) -> (f64, f64) {
    if e.half_width.is_finite() { (e.low(), e.high()) } else { (e.mean, e.mean) }
}

const COLOURS: [RGBColor; 5] = [INK_BLUE, INK_ORANGE, INK_GREEN, INK_RED, INK_GREY];

/// Decimals that tell ticks apart on an axis reaching ±`reach`.
pub fn decimals(reach: f64) -> usize {
    if reach > 0.0 { (1.0 - (reach / 4.0).log10().floor()).clamp(0.0, 4.0) as usize } else { 1 }
}

/// Decimals that tell apart ticks at least `step` apart.
fn tick_decimals(step: f64) -> usize {
    if step > 0.0 { (-step.log10().floor()).clamp(0.0, 4.0) as usize } else { 1 }
}

/// `x` with a sign and `d` decimals; a value that rounds to zero reads "0".
pub fn signed_decimals(x: f64, d: usize) -> String {
    let text = format!("{x:+.d$}");
    if text[1..].chars().all(|c| c == '0' || c == '.') { text[1..].to_string() } else { text }
}

/// One figure: each scenario's paired difference from the baseline, a dot
/// with its 95% interval about a zero line; a difference whose interval
/// excludes zero in colour, one that does not in grey.
fn difference_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    p: &ComparePanel,
) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let n = names.len();
    let scale = if p.share { 100.0 } else { 1.0 };
    let shown: Vec<Option<(f64, f64, f64, bool)>> = p
        .differences
        .iter()
        .map(|d| {
            d.filter(|d| d.mean.is_finite()).map(|d| {
                let (lo, hi) = bounds(&d);
                (d.mean * scale, lo * scale, hi * scale, d.excludes_zero())
            })
        })
        .collect();
    let reach = shown.iter().flatten().map(|&(_, lo, hi, _)| lo.abs().max(hi.abs())).fold(0.0, f64::max);
    let reach = if reach > 0.0 { reach * 1.25 } else { 1.0 };
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, font(AXIS_SIZE))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..n as f64, -reach..reach)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .y_labels(5)
        .x_label_formatter(&|x| category_label(names, *x))
        .y_label_formatter(&|y| signed_decimals(*y, tick_decimals(2.0 * reach / 5.0)))
        .label_style(font(LABEL_SIZE - 2))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (n as f64, 0.0)], BLACK.stroke_width(1)))?;
    for (i, d) in shown.iter().enumerate() {
        let Some((mean, lo, hi, real)) = *d else { continue };
        let x = i as f64 + 0.5;
        let c = if real { COLOURS[(i + 1) % COLOURS.len()] } else { INK_GREY };
        chart.draw_series([ErrorBar::new_vertical(x, lo, mean, hi, c.stroke_width(2), 12)])?;
        chart.draw_series([Circle::new((x, mean), 5, c.filled())])?;
        // Beside the dot, clear of the interval's caps.
        let text = signed_decimals(mean, decimals(reach));
        let label = EmptyElement::at((x, mean)) + Text::new(text, (12, 0), beside(LABEL_SIZE));
        chart.draw_series([label])?;
    }
    Ok(())
}

pub mod compare {
    use super::*;

    pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &CompareData, _l: &Labels) -> ChartResult
    where
        DB::ErrorType: 'static,
    {
        let cols = 2;
        let rows = d.panels.len().div_ceil(cols);
        let names = short_names(&d.names)[1..].to_vec();
        for (area, p) in root.split_evenly((rows, cols)).iter().zip(&d.panels) {
            difference_panel(area, &names, p)?;
        }
        Ok(())
    }

    /// Names without the prefix they all share up to an `_` (`municipal_lunch`
    /// beside `municipal` reads `lunch`), so the axis labels fit.
    pub fn short_names(names: &[String]) -> Vec<String> {
        let first = names.first().map_or("", String::as_str);
        let shared = first
            .char_indices()
            .filter(|&(_, c)| c == '_')
            .map(|(i, _)| &first[..=i])
            .chain(std::iter::once(first).map(|f| if names.len() > 1 { f } else { "" }))
            .filter(|p| names.iter().all(|n| n.starts_with(p)))
            .map(str::len)
            .max()
            .unwrap_or(0);
        names
            .iter()
            .map(|n| {
                let rest = n[shared..].trim_start_matches('_');
                if rest.is_empty() { n.clone() } else { rest.to_string() }
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn shared_prefixes_are_cut_at_an_underscore() {
            let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let short = super::short_names(&n(&["municipal", "municipal_lunch", "municipal_36_windows"]));
            assert_eq!(short, n(&["municipal", "lunch", "36_windows"]));
            assert_eq!(super::short_names(&n(&["county", "zhenhai"])), n(&["county", "zhenhai"]));
            assert_eq!(super::short_names(&n(&["hall_a", "hall_b"])), n(&["a", "b"]));
        }
    }
}

/// The key of panels drawn side by side: each line and curve once, by label.
fn xy_entries(panels: &[XyPanel]) -> Vec<(String, Mark)> {
    let mut entries: Vec<(String, Mark)> = Vec::new();
    let mut add = |label: &str, mark: Mark| {
        if !label.is_empty() && !entries.iter().any(|e| e.0 == label) {
            entries.push((label.to_string(), mark));
        }
    };
    for p in panels {
        if let Some((_, label)) = &p.line {
            add(label, Mark::Line(INK_RED, 2));
        }
        if let Some((_, label)) = &p.mark {
            add(label, Mark::Line(INK_GREEN, 2));
        }
        for (k, (label, _)) in p.curves.iter().enumerate() {
            add(label, Mark::Line(COLOURS[k % COLOURS.len()], 3));
        }
    }
    entries
}

fn is_whole(x: f64) -> bool {
    (x - x.round()).abs() < 1e-9
}

fn xy_panel<DB: DrawingBackend>(plot: &DrawingArea<DB, Shift>, p: &XyPanel) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let xs: Vec<f64> = p.curves.iter().flat_map(|(_, pts)| pts.iter().map(|q| q.0)).collect();
    let (x0, x1) =
        (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let pad = ((x1 - x0) * 0.05).max(0.5);
    let ys: Vec<(f64, f64)> = p.curves.iter().flat_map(|(_, pts)| pts.iter().map(|q| bounds(&q.1))).collect();
    let mut y0 = ys.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
    let mut y1 = ys.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max);
    if let Some((y, _)) = p.line {
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    // Counts (staff on duty) and swept counts get ticks on whole numbers only.
    let whole_x = p.hours || xs.iter().all(|&x| is_whole(x));
    let whole_y = !p.share && ys.iter().all(|&(lo, hi)| is_whole(lo) && is_whole(hi));
    let span = (y1 - y0).max(if p.share { 0.01 } else { 1.0 });
    let (y0, y1) = ((y0 - span * 0.08).max(if p.share { 0.0 } else { f64::NEG_INFINITY }), y1 + span * 0.08);
    let (y0, y1) = if p.share { (y0, y1.min(1.0 + span * 0.05)) } else { (y0.max(0.0).min(y1), y1) };
    let (width, height) = plot.dim_in_pixel();
    let x_gap = if p.hours { 64 } else { 48 };
    let x_ticks = tick_count(width.saturating_sub(80), x_gap, x1 - x0 + 2.0 * pad, whole_x);
    let y_ticks = tick_count(height.saturating_sub(100), 32, y1 - y0, whole_y);
    let mut chart = ChartBuilder::on(plot)
        .caption(&p.title, font(AXIS_SIZE + 2))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(if p.y_desc.is_empty() { 60 } else { 76 })
        .build_cartesian_2d((x0 - pad)..(x1 + pad), y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(&p.x_desc)
        .y_desc(&p.y_desc)
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&|x| match (p.hours, whole_x) {
            (true, _) => hour_label(*x),
            (false, true) => whole_label(*x),
            (false, false) => format!("{x}"),
        })
        .y_label_formatter(&|y| match (p.share, whole_y) {
            (true, _) => format!("{:.1}%", y * 100.0),
            (false, true) => whole_label(*y),
            (false, false) => format!("{y:.1}"),
        })
        .label_style(font(LABEL_SIZE - 2))
        .axis_desc_style(font(LABEL_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    if let Some((y, _)) = &p.line {
        chart.draw_series(LineSeries::new([(x0 - pad, *y), (x1 + pad, *y)], INK_RED.stroke_width(2)))?;
    }
    if let Some((x, _)) = &p.mark {
        chart.draw_series(LineSeries::new([(*x, y0), (*x, y1)], INK_GREEN.stroke_width(2)))?;
    }
    for (k, (_, pts)) in p.curves.iter().enumerate() {
        let c = COLOURS[k % COLOURS.len()];
        chart.draw_series(pts.iter().map(|(x, e)| {
            let (lo, hi) = bounds(e);
            ErrorBar::new_vertical(*x, lo, e.mean, hi, c.stroke_width(2), 8)
        }))?;
        if p.scatter {
            chart.draw_series(pts.iter().map(|(x, e)| Circle::new((*x, e.mean), 4, c.filled())))?;
        } else {
            chart.draw_series(LineSeries::new(pts.iter().map(|(x, e)| (*x, e.mean)), c.stroke_width(3)))?;
        }
    }
    Ok(())
}

pub mod xy {
    use super::*;

    /// Panels side by side (in rows of at most three), with one key for all
    /// of them beside the plots.
    pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, panels: &[XyPanel], _l: &Labels) -> ChartResult
    where
        DB::ErrorType: 'static,
    {
        let entries = xy_entries(panels);
        let (plots, key) = with_key(root, &entries);
        let cols = panels.len().clamp(1, 3);
        let rows = panels.len().div_ceil(cols).max(1);
        for (area, p) in plots.split_evenly((rows, cols)).iter().zip(panels) {
            xy_panel(area, p)?;
        }
        draw_key(key.as_ref(), &entries, LABEL_SIZE - 2)?;
        Ok(())
    }
}

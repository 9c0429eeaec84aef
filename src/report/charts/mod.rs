//! Charts, a separate and best-effort layer over a run's results.
//!
//! [`ChartData`] gathers what the charts show from the statistics (no
//! drawing); each chart lives in its own file with one `draw` function that
//! any plotters backend can run, so one code path writes both the SVG and the
//! PNG. Size, palette and font are the constants below. Text uses the font
//! shipped in `assets/fonts` (registered for PNG, embedded in every SVG), so a
//! chart looks the same on any machine. A chart that fails is reported and
//! skipped; it never affects the tables.

mod band;
mod completion;
pub mod fit_quality;
mod overtime;
mod queue;
mod stages;
mod stages_by_hour;
pub mod study;
mod utilization;
mod waits_by_hour;
mod within_target;

use std::error::Error;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::labels::Labels;
use crate::experiment::RunResult;
use crate::scenario::Scenario;
use crate::stats::estimate::Estimate;
use crate::stats::kpi::within_target_key;

/// Chart size, pixels.
pub const SIZE: (u32, u32) = (960, 540);
/// Font family name used by every chart.
pub const FONT: &str = "hallsim-sans";
/// The family name inside the shipped font.
const FONT_NAME: &str = "Noto Sans CJK SC";
/// The shipped font (a subset of Noto Sans CJK SC, SIL Open Font License).
pub static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/hallsim-sans.otf");
const TITLE_SIZE: u32 = 26;
const LABEL_SIZE: u32 = 16;
const AXIS_SIZE: u32 = 18;

/// Palette: blue, orange, green, red, grey.
pub const INK_BLUE: RGBColor = RGBColor(31, 103, 170);
pub const INK_ORANGE: RGBColor = RGBColor(222, 118, 28);
pub const INK_GREEN: RGBColor = RGBColor(46, 140, 72);
pub const INK_RED: RGBColor = RGBColor(196, 48, 43);
pub const INK_GREY: RGBColor = RGBColor(120, 120, 120);

type ChartResult = Result<(), Box<dyn Error>>;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in; a failure here is caught by the tests.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().into()
}

/// A text style centred on its position.
fn centred(size: u32) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    font(size).pos(Pos::new(HPos::Center, VPos::Center))
}

/// A text style starting at its position, vertically centred on it.
fn beside(size: u32) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    font(size).pos(Pos::new(HPos::Left, VPos::Center))
}

/// How many ticks an axis of `pixels` over `span` units carries: at most one
/// per `gap` pixels, and for whole units (counts, hours) at most one per unit,
/// so every tick falls on a whole number.
fn tick_count(pixels: u32, gap: u32, span: f64, whole: bool) -> usize {
    let room = (pixels / gap.max(1)).max(2) as usize;
    if whole { room.min(span.floor() as usize + 1).max(2) } else { room }
}

/// A whole number as itself; anything between whole numbers as no label.
fn whole_label(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 { format!("{:.0}", x.round()) } else { String::new() }
}

/// A mark in a chart's key.
#[derive(Clone, Copy)]
enum Mark {
    Line(RGBColor, u32),
    Fill(RGBAColor),
}

/// The width of the key beside a plot, pixels.
const KEY_WIDTH: u32 = 220;

/// The plot's area and, when there are entries, the key's beside it on the
/// right, so a key never covers data.
fn with_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Mark)],
) -> (DrawingArea<DB, Shift>, Option<DrawingArea<DB, Shift>>) {
    let width = area.dim_in_pixel().0;
    if entries.is_empty() || width < 2 * KEY_WIDTH {
        return (area.clone(), None);
    }
    let (plot, key) = area.split_horizontally(width - KEY_WIDTH);
    (plot, Some(key))
}

/// Draws a key: one mark and name per entry, from the top.
fn draw_key<DB: DrawingBackend>(
    key: Option<&DrawingArea<DB, Shift>>,
    entries: &[(String, Mark)],
    size: u32,
) -> ChartResult
where
    DB::ErrorType: 'static,
{
    let Some(key) = key else { return Ok(()) };
    for (i, (name, mark)) in entries.iter().enumerate() {
        let y = 60 + (size as i32 + 10) * i as i32;
        match *mark {
            Mark::Line(c, w) => key.draw(&PathElement::new(vec![(4, y), (28, y)], c.stroke_width(w)))?,
            Mark::Fill(c) => key.draw(&Rectangle::new([(4, y - 7), (28, y + 7)], c.filled()))?,
        }
        key.draw(&Text::new(name.clone(), (34, y - size as i32 / 2 - 1), font(size)))?;
    }
    Ok(())
}

/// An hour of a pool: (hour of day, utilization, staff on duty).
pub type HourCell = (usize, f64, f64);

/// What the charts show, taken from a run's statistics.
#[derive(Clone, Debug)]
pub struct ChartData {
    pub target_minutes: f64,
    /// Cumulative share of people by minutes after the ticket.
    pub wait_cdf: Vec<(f64, f64)>,
    pub completion_cdf: Vec<(f64, f64)>,
    /// Per hour of day: the completion-target rate.
    pub within_by_hour: Vec<(usize, Estimate)>,
    /// Per hour of day: people waiting.
    pub queue_by_hour: Vec<(usize, Estimate)>,
    /// Per pool: name and per hour utilization and staff on duty.
    pub utilization: Vec<(String, Vec<HourCell>)>,
    /// Per stage: name, budget (minutes), share within budget, mean time (minutes).
    pub stages: Vec<(String, f64, Estimate, Estimate)>,
    /// Per stage: name and per hour of ticket the share within its budget.
    pub stages_by_hour: Vec<(String, Vec<(usize, f64)>)>,
    /// The share of each stage within budget that the targets ask for.
    pub stage_required: f64,
    /// The wait targets, minutes, ascending.
    pub wait_targets: Vec<f64>,
    /// Per hour of ticket: the shares called within the first wait target,
    /// between each target and the next, and later or never (left).
    pub waits_by_hour: Vec<(usize, Vec<f64>)>,
    /// Per pool: name and overtime (staff-minutes a day).
    pub overtime: Vec<(String, Estimate)>,
    /// Minutes the hall stays open after staff's end, per day.
    pub overrun: Option<Estimate>,
}

fn cdf(h: &crate::stats::histogram::LogHistogram, until: f64) -> Vec<(f64, f64)> {
    (0..=(until as usize)).map(|m| (m as f64, h.share_at_most(m as f64))).filter(|p| p.1.is_finite()).collect()
}

fn hourly(r: &RunResult, key: &str, hours: &[usize]) -> Vec<(usize, Estimate)> {
    match r.hourly_defs.iter().position(|d| d.key == key) {
        Some(i) => hours.iter().map(|&h| (h, r.hourly[i][h])).filter(|(_, e)| e.mean.is_finite()).collect(),
        None => Vec::new(),
    }
}

impl ChartData {
    /// `zh`: name things by their Chinese labels.
    pub fn new(s: &Scenario, r: &RunResult, hours: &[usize], zh: bool) -> Self {
        let est = |key: &str| r.estimate(key).copied();
        let span = (s.completion_target * 2.0).max(r.pooled_time_in_system.quantile(0.99).ceil()).min(480.0);
        ChartData {
            target_minutes: s.completion_target,
            wait_cdf: cdf(&r.pooled_wait, span),
            completion_cdf: cdf(&r.pooled_time_in_system, span),
            within_by_hour: hourly(r, &within_target_key(s.completion_target), hours),
            queue_by_hour: hourly(r, "queue_mean", hours),
            utilization: s
                .pools
                .iter()
                .map(|p| {
                    let series = hourly(r, &format!("pool.{}.utilization", p.name), hours);
                    let duty = hourly(r, &format!("pool.{}.on_duty", p.name), hours);
                    let on_duty = |h: usize| duty.iter().find(|d| d.0 == h).map_or(f64::NAN, |d| d.1.mean);
                    (p.shown(zh).to_string(), series.into_iter().map(|(h, e)| (h, e.mean, on_duty(h))).collect())
                })
                .collect(),
            stages: s
                .stages
                .iter()
                .filter_map(|st| {
                    let within = est(&format!("stage.{}.within_budget", st.name))?;
                    let time = est(&format!("stage.{}.time_mean", st.name))?;
                    within.mean.is_finite().then(|| (st.shown(zh).to_string(), st.budget, within, time))
                })
                .collect(),
            stages_by_hour: s
                .stages
                .iter()
                .map(|st| {
                    let series = hourly(r, &format!("stage.{}.within_budget", st.name), hours);
                    (st.shown(zh).to_string(), series.into_iter().map(|(h, e)| (h, e.mean)).collect::<Vec<_>>())
                })
                .filter(|(_, series)| !series.is_empty())
                .collect(),
            stage_required: s.required.stage_budget,
            wait_targets: s.wait_targets.clone(),
            waits_by_hour: waits_by_hour(s, r, hours),
            overtime: s
                .pools
                .iter()
                .filter_map(|p| est(&format!("pool.{}.overtime", p.name)).map(|e| (p.shown(zh).to_string(), e)))
                .collect(),
            overrun: est("overrun"),
        }
    }
}

fn waits_by_hour(s: &Scenario, r: &RunResult, hours: &[usize]) -> Vec<(usize, Vec<f64>)> {
    let within: Vec<Vec<(usize, Estimate)>> =
        s.wait_targets.iter().map(|&t| hourly(r, &crate::stats::kpi::wait_within_key(t), hours)).collect();
    if within.is_empty() {
        return Vec::new();
    }
    let at = |k: usize, h: usize| within[k].iter().find(|p| p.0 == h).map(|p| p.1.mean);
    hours
        .iter()
        .filter_map(|&h| {
            let cumulative: Vec<f64> = (0..within.len()).map(|k| at(k, h)).collect::<Option<_>>()?;
            let mut parts = Vec::with_capacity(cumulative.len() + 1);
            let mut below = 0.0;
            for c in cumulative {
                parts.push((c - below).max(0.0));
                below = c;
            }
            parts.push((1.0 - below).max(0.0));
            Some((h, parts))
        })
        .collect()
}

/// One chart, in both formats.
pub struct Chart {
    /// File stem, such as `within_target_by_hour`.
    pub name: String,
    pub svg: String,
    pub png: Vec<u8>,
}

/// A chart that could not be drawn.
#[derive(Debug)]
pub struct ChartError {
    pub name: String,
    pub message: String,
}

macro_rules! render {
    ($name:expr, $module:ident, $data:expr, $labels:expr) => {
        (|| -> Result<Chart, Box<dyn Error>> {
            register_font();
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                root.fill(&WHITE)?;
                $module::draw(&root, $data, $labels)?;
                root.present()?;
            }
            Ok(Chart { name: $name.to_string(), png: rasterize(&svg)?, svg: embed_font(&svg) })
        })()
        .map_err(|e| ChartError { name: $name.to_string(), message: e.to_string() })
    };
}

/// Every chart that has data, in report order.
pub fn render_all(d: &ChartData, l: &Labels) -> Vec<Result<Chart, ChartError>> {
    let mut out = vec![render!("completion_times", completion, d, l)];
    if !d.within_by_hour.is_empty() {
        out.push(render!("within_target_by_hour", within_target, d, l));
    }
    if !d.queue_by_hour.is_empty() {
        out.push(render!("queue_by_hour", queue, d, l));
    }
    if d.utilization.iter().any(|(_, s)| !s.is_empty()) {
        out.push(render!("utilization_by_hour", utilization, d, l));
    }
    if !d.stages.is_empty() {
        out.push(render!("stage_budgets", stages, d, l));
    }
    if !d.stages_by_hour.is_empty() {
        out.push(render!("stage_budgets_by_hour", stages_by_hour, d, l));
    }
    if !d.waits_by_hour.is_empty() {
        out.push(render!("waits_by_hour", waits_by_hour, d, l));
    }
    if !d.overtime.is_empty() {
        out.push(render!("overtime", overtime, d, l));
    }
    out
}

/// The chart of a comparison: headline KPIs side by side.
pub fn render_compare(d: &study::CompareData, l: &Labels) -> Result<Chart, ChartError> {
    use study::compare;
    render!("comparison", compare, d, l)
}

/// A chart of KPI panels against a numeric x (sweeps and plans).
pub fn render_xy(name: &'static str, panels: &[study::XyPanel], l: &Labels) -> Result<Chart, ChartError> {
    use study::xy;
    render!(name, xy, panels, l)
}

/// A case type's service-time fits: histograms against fitted densities, and Q-Q plots.
pub fn render_fit(name: &str, d: &fit_quality::FitChart, l: &Labels) -> Result<Chart, ChartError> {
    render!(name, fit_quality, d, l)
}

/// The PNG of a chart: its SVG drawn by resvg with the shipped font, so both
/// formats place every glyph by the same metrics and kerning.
fn rasterize(svg: &str) -> Result<Vec<u8>, Box<dyn Error>> {
    use resvg::{tiny_skia, usvg};
    static OPTIONS: std::sync::OnceLock<usvg::Options<'static>> = std::sync::OnceLock::new();
    let options = OPTIONS.get_or_init(|| {
        let mut o = usvg::Options { font_family: FONT_NAME.to_string(), ..usvg::Options::default() };
        o.fontdb_mut().load_font_data(FONT_BYTES.to_vec());
        o
    });
    let svg = svg.replace(&format!("font-family=\"{FONT}\""), &format!("font-family=\"{FONT_NAME}\""));
    let tree = usvg::Tree::from_str(&svg, options)?;
    let mut pixmap = tiny_skia::Pixmap::new(SIZE.0, SIZE.1).ok_or("a chart of no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    // Opaque RGB: the white background makes the alpha channel redundant.
    let rgb: Vec<u8> = pixmap.data().chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, SIZE.0, SIZE.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header()?;
        w.write_image_data(&rgb)?;
    }
    Ok(out)
}

/// Makes the SVG scale with its container (a `viewBox`, once) and carry its own font.
fn embed_font(svg: &str) -> String {
    let face = format!(
        "<defs><style>@font-face{{font-family:\"{FONT}\";src:url(data:font/otf;base64,{})}}</style></defs>",
        base64(FONT_BYTES)
    );
    let (w, h) = SIZE;
    let open = format!("<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"");
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => {
            let head = &svg[..end];
            let head = if head.contains("viewBox=") {
                head.to_string()
            } else {
                head.replacen(&format!("<svg width=\"{w}\" height=\"{h}\""), &open, 1)
            };
            format!("{head}>{face}{}", &svg[end + 1..])
        }
        _ => svg.to_string(),
    }
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The label of a categorical axis with one category per unit: the name at
/// each category's centre, nothing elsewhere.
fn category_label(names: &[String], x: f64) -> String {
    if (x.fract() - 0.5).abs() < 1e-6 {
        names.get(x.floor() as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Formats a whole hour of day as "09:00"; anything between hours as no label.
fn hour_label(h: f64) -> String {
    if (h - h.round()).abs() < 1e-6 { format!("{:02}:00", h.round() as i64) } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_known_strings() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn whole_axes_tick_only_on_whole_numbers() {
        // Four staff over 300 pixels: room for 9 ticks, but only 4 whole numbers.
        assert_eq!(tick_count(300, 32, 3.2, true), 4);
        assert_eq!(tick_count(300, 32, 3.2, false), 9);
        assert_eq!(tick_count(10, 32, 40.0, true), 2);
        assert_eq!(whole_label(3.0), "3");
        assert_eq!(whole_label(2.5), "");
        assert_eq!(hour_label(8.0), "08:00");
        assert_eq!(hour_label(8.5), "");
    }

    #[test]
    fn shipped_font_covers_every_label() {
        use ab_glyph::{Font, FontRef};
        let font = FontRef::try_from_slice(FONT_BYTES).expect("the shipped font parses");
        let mut texts: Vec<String> =
            [&super::super::labels::EN, &super::super::labels::ZH].iter().map(|l| format!("{l:?}")).collect();
        texts.push(format!("{:?}", super::super::labels::ZH_FIGURES));
        for file in ["municipal", "district", "county", "city", "cixi", "zhenhai"] {
            let path = format!("{}/scenarios/{file}.toml", env!("CARGO_MANIFEST_DIR"));
            let toml = std::fs::read_to_string(path).unwrap();
            texts.extend(toml.lines().filter(|l| l.starts_with("label")).map(String::from));
        }
        for text in texts {
            for c in text.chars().filter(|c| !c.is_control()) {
                assert_ne!(font.glyph_id(c).0, 0, "the font lacks {c:?}; run assets/fonts/subset.sh");
            }
        }
    }
}

//! A self-contained HTML report with inline SVG charts.

use std::fmt::Write as _;
use std::path::Path;

use pcn_core::Money;

use crate::{Comparison, Estimate, Parameters, SimError, Unit, YearOutcome};

/// Escapes text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(pcn_sim::escape_html(r#"<a href="x">R&D's</a>"#),
///            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
/// ```
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const BASELINE_COLOUR: &str = "#8c8c8c";
const SCENARIO_COLOUR: &str = "#1f6fb2";

/// A small SVG canvas: rectangles, lines and escaped text.
struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    fn new(width: f64, height: f64) -> Self {
        Self {
            width,
            height,
            body: String::new(),
        }
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, title: &str) {
        let _ = write!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}</title></rect>"#,
            w.max(0.0),
            h.max(0.0),
            escape_html(title)
        );
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, dashed: bool) {
        let dash = if dashed {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let _ = write!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#
        );
    }

    fn text(&mut self, x: f64, y: f64, anchor: &str, text: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="11">{}</text>"#,
            escape_html(text)
        );
    }

    fn finish(self, label: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}">{}</svg>"#,
            escape_html(label),
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

fn pounds(m: Money) -> f64 {
    m.pence() as f64 / 100.0
}

fn legend(svg: &mut Svg, x: f64, y: f64, baseline: &str, scenario: &str) {
    svg.rect(x, y - 9.0, 10.0, 10.0, BASELINE_COLOUR, baseline);
    svg.text(x + 14.0, y, "start", baseline);
    svg.rect(x + 150.0, y - 9.0, 10.0, 10.0, SCENARIO_COLOUR, scenario);
    svg.text(x + 164.0, y, "start", scenario);
}

/// A nice upper bound for an axis: 1, 2 or 5 times a power of ten at or above `max`.
fn axis_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// Grouped monthly bars of spending, baseline against scenario, with each arm's
/// plan per month as a dashed line.
fn budget_chart(base: &YearOutcome, scen: &YearOutcome) -> Result<String, SimError> {
    let months = base.budget().months();
    let mut spent = Vec::new();
    for i in 0..12 {
        spent.push((
            pounds(base.budget().spent_in_month(i)?),
            pounds(scen.budget().spent_in_month(i)?),
        ));
    }
    let plan_b = pounds(base.budget().total_plan()?) / 12.0;
    let plan_s = pounds(scen.budget().total_plan()?) / 12.0;
    let max = spent
        .iter()
        .map(|(b, s)| b.max(*s))
        .fold(plan_b.max(plan_s), f64::max);
    let top = axis_max(max);
    let (w, h, left, bottom, top_pad) = (900.0, 300.0, 70.0, 40.0, 30.0);
    let plot_h = h - bottom - top_pad;
    let plot_w = w - left - 20.0;
    let mut svg = Svg::new(w, h);
    for tick in 0..=5 {
        let v = top * f64::from(tick) / 5.0;
        let y = h - bottom - plot_h * f64::from(tick) / 5.0;
        svg.line(left, y, w - 20.0, y, "#e0e0e0", false);
        svg.text(left - 6.0, y + 4.0, "end", &format!("£{:.0}k", v / 1000.0));
    }
    let slot = plot_w / 12.0;
    for (i, (b, s)) in spent.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let bw = slot * 0.35;
        let hb = plot_h * b / top;
        let hs = plot_h * s / top;
        let month = months[i].to_string();
        svg.rect(
            x,
            h - bottom - hb,
            bw,
            hb,
            BASELINE_COLOUR,
            &format!("{month} {}: £{b:.0}", base.scenario()),
        );
        svg.rect(
            x + bw,
            h - bottom - hs,
            bw,
            hs,
            SCENARIO_COLOUR,
            &format!("{month} {}: £{s:.0}", scen.scenario()),
        );
        svg.text(x + bw, h - bottom + 14.0, "middle", &month);
    }
    let yb = h - bottom - plot_h * plan_b / top;
    let ys = h - bottom - plot_h * plan_s / top;
    svg.line(left, yb, w - 20.0, yb, BASELINE_COLOUR, true);
    svg.line(left, ys, w - 20.0, ys, SCENARIO_COLOUR, true);
    legend(&mut svg, left, 16.0, base.scenario(), scen.scenario());
    svg.text(w - 20.0, 16.0, "end", "dashed: plan per month");
    Ok(svg.finish("Spending by month against plan"))
}

/// Horizontal bars of the mean wait on each pathway with met requests.
fn waits_chart(base: &YearOutcome, scen: &YearOutcome) -> String {
    let mut rows: Vec<(String, Option<f64>, Option<f64>)> = Vec::new();
    for p in base.pathways() {
        let other = scen.pathways().iter().find(|q| q.pathway == p.pathway);
        let b = p.waits.mean();
        let s = other.and_then(|q| q.waits.mean());
        if b.is_some() || s.is_some() {
            rows.push((p.pathway.to_string(), b, s));
        }
    }
    let max = rows
        .iter()
        .map(|(_, b, s)| b.unwrap_or(0.0).max(s.unwrap_or(0.0)))
        .fold(0.0, f64::max);
    let top = axis_max(max);
    let row_h = 26.0;
    let (w, left, pad) = (900.0, 440.0, 40.0);
    let h = pad + row_h * rows.len() as f64 + 30.0;
    let plot_w = w - left - 40.0;
    let mut svg = Svg::new(w, h);
    legend(&mut svg, left, 16.0, base.scenario(), scen.scenario());
    for tick in 0..=5 {
        let v = top * f64::from(tick) / 5.0;
        let x = left + plot_w * f64::from(tick) / 5.0;
        svg.line(x, pad - 6.0, x, h - 24.0, "#e0e0e0", false);
        svg.text(x, h - 10.0, "middle", &format!("{v} d"));
    }
    for (i, (label, b, s)) in rows.iter().enumerate() {
        let y = pad + row_h * i as f64;
        svg.text(left - 6.0, y + 15.0, "end", label);
        if let Some(b) = b {
            svg.rect(
                left,
                y + 2.0,
                plot_w * b / top,
                10.0,
                BASELINE_COLOUR,
                &format!("{label}, {}: {b:.1} days", base.scenario()),
            );
        }
        if let Some(s) = s {
            svg.rect(
                left,
                y + 12.0,
                plot_w * s / top,
                10.0,
                SCENARIO_COLOUR,
                &format!("{label}, {}: {s:.1} days", scen.scenario()),
            );
        }
    }
    svg.finish("Mean wait in days by pathway")
}

/// A forest plot: each headline metric's change from baseline in per cent, with its
/// 95 % confidence interval.
fn difference_chart(comparison: &Comparison) -> String {
    const KEYS: [&str; 9] = [
        "met",
        "unmet",
        "appointments_used.gp",
        "mean_wait_days.gp",
        "emergency_admissions",
        "emergency_bed_days",
        "spend.staff",
        "spend.hospital",
        "spend.total",
    ];
    let mut rows = Vec::new();
    for key in KEYS {
        let Some(m) = comparison.metric(key) else {
            continue;
        };
        let (Some(b), Some(d)) = (m.baseline, m.difference) else {
            continue;
        };
        if b.mean.abs() < f64::EPSILON {
            continue;
        }
        let pct = |v: f64| 100.0 * v / b.mean.abs();
        rows.push((m.label.clone(), pct(d.mean), pct(d.low), pct(d.high)));
    }
    let extent = rows
        .iter()
        .map(|(_, m, l, h)| m.abs().max(l.abs()).max(h.abs()))
        .fold(1.0, f64::max);
    let top = axis_max(extent);
    let row_h = 24.0;
    let (w, left, pad) = (900.0, 440.0, 20.0);
    let h = pad + row_h * rows.len() as f64 + 34.0;
    let plot_w = w - left - 40.0;
    let x_of = |v: f64| left + plot_w * (v + top) / (2.0 * top);
    let mut svg = Svg::new(w, h);
    for tick in -2..=2 {
        let v = top * f64::from(tick) / 2.0;
        let x = x_of(v);
        svg.line(
            x,
            pad - 6.0,
            x,
            h - 26.0,
            if tick == 0 { "#555" } else { "#e0e0e0" },
            false,
        );
        svg.text(x, h - 10.0, "middle", &format!("{v:+.0} %"));
    }
    for (i, (label, mean, low, high)) in rows.iter().enumerate() {
        let y = pad + row_h * i as f64 + 10.0;
        svg.text(left - 6.0, y + 4.0, "end", label);
        svg.line(x_of(*low), y, x_of(*high), y, SCENARIO_COLOUR, false);
        svg.rect(
            x_of(*mean) - 4.0,
            y - 4.0,
            8.0,
            8.0,
            SCENARIO_COLOUR,
            &format!("{label}: {mean:+.1} % (95 % CI {low:+.1} to {high:+.1})"),
        );
    }
    svg.finish("Change from baseline with 95 % confidence intervals")
}

fn fmt_value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => format!("{v:.0}"),
        Unit::Days => format!("{v:.1} d"),
        Unit::Percent => format!("{v:.1} %"),
        Unit::Pounds => format!("£{v:.0}"),
    }
}

fn fmt_estimate(unit: Unit, e: Option<Estimate>) -> String {
    match e {
        Some(e) => format!(
            "{} <span class=ci>({} to {})</span>",
            escape_html(&fmt_value(unit, e.mean)),
            escape_html(&fmt_value(unit, e.low)),
            escape_html(&fmt_value(unit, e.high))
        ),
        None => "n/a".into(),
    }
}

/// Renders a comparison as one self-contained HTML page: headline figures, capacity
/// by role, charts of spending by month, waits by pathway and the change from
/// baseline with confidence intervals, every metric, the budget, the unified budget
/// and every parameter with its source.
///
/// The report draws what the comparison holds and decides nothing: the unified
/// budget is the one [`Comparison::run`] posted under the network's id.
///
/// # Errors
/// [`SimError::Core`] if a sum of money overflows.
pub fn render_html(comparison: &Comparison, parameters: &Parameters) -> Result<String, SimError> {
    render_html_with(comparison, parameters, &ReportSections::default())
}

/// What a report shows beyond the comparison: the validation table it opens with,
/// and the sensitivity table.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportSections<'a> {
    /// The real network the year ran on: its members and lists, staff with their
    /// sources, and deprivation.
    pub network: Option<&'a crate::RealNetwork>,
    /// The baseline beside the published figures.
    pub validation: Option<&'a crate::Validation>,
    /// The headline differences at the ends of each assumption's range.
    pub sensitivity: Option<&'a crate::Sensitivity>,
}

/// The report with its validation and sensitivity tables.
///
/// # Errors
/// As [`render_html`].
pub fn render_html_with(
    comparison: &Comparison,
    parameters: &Parameters,
    sections: &ReportSections<'_>,
) -> Result<String, SimError> {
    let mut h = String::new();
    head(&mut h, comparison);
    network_section(&mut h, sections, parameters);
    validation_section(&mut h, sections);
    access_section(&mut h, comparison);
    capacity_section(&mut h, comparison, parameters);
    metrics_section(&mut h, comparison)?;
    budget_section(&mut h, comparison)?;
    unified_budget_section(&mut h, comparison)?;
    sensitivity_section(&mut h, sections);
    parameters_section(&mut h, parameters);
    h.push_str("</body></html>\n");
    Ok(h)
}

/// The page's head, title and opening paragraph.
fn head(h: &mut String, comparison: &Comparison) {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    let title = format!(
        "{}: {} against {}, {}",
        comparison.network(),
        comparison.scenario_name(),
        comparison.baseline_name(),
        base.financial_year()
    );
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{}</title><style>\
body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222;line-height:1.4}}\
table{{border-collapse:collapse;margin:1em 0;font-size:13px}}td,th{{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}}\
td:first-child,th:first-child{{text-align:left}}.ci{{color:#777;font-size:11px}}.basis{{text-align:left;color:#555;font-size:12px}}\
h2{{margin-top:2em}}</style></head><body><h1>{}</h1>",
        e(&title),
        e(&title)
    );
    let _ = write!(
        h,
        "<p>{} registered patients; {} replications from seed {}; charts show the first replication, tables the mean of all with 95 % confidence intervals. \
The scenario gives {} people a personal care and support plan.</p>",
        base.population(),
        comparison.replications(),
        comparison.seed(),
        scen.care_plans()
    );
}

/// The validation table: the baseline beside its published figures.
/// The real network: members and their lists on the list date, staff by role with
/// where each figure comes from, and its patients' deprivation.
fn network_section(h: &mut String, sections: &ReportSections<'_>, parameters: &Parameters) {
    let e = |s: &str| escape_html(s);
    let Some(real) = sections.network else {
        return;
    };
    let _ = write!(
        h,
        "<h2>The network</h2><p>{} ({}), Sub-ICB location {}: {} practices, lists and membership as on {} ({}).</p><table><tr><th>practice</th><th>name</th><th>registered patients</th></tr>",
        e(&real.name),
        real.pcn,
        real.sub_icb,
        real.members.len(),
        real.list_date,
        e(&real.list_file)
    );
    for m in &real.members {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            m.practice,
            e(&m.name),
            m.patients
        );
    }
    h.push_str("</table><table><tr><th>role</th><th>WTE</th><th>source</th></tr>");
    for line in &real.staff {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(line.role.label()),
            line.wte,
            e(&line.source.to_string())
        );
    }
    h.push_str("</table>");
    if let Some(roles) = real.not_simulated_text() {
        let _ = write!(
            h,
            "<p>Not simulated (no capacity in the model): {}.</p>",
            e(&roles)
        );
    }
    if let Some(d) = &real.deprivation {
        let _ = write!(
            h,
            "<p>Deprivation: {}. Emergency admissions × {:.3} of England's rate at the same ages (NHS England, Hospital Admitted Patient Care Activity 2022-23, by IMD decile, age-adjusted).</p>",
            e(&d.to_string()),
            d.admission_ratio(parameters)
        );
    }
}

fn validation_section(h: &mut String, sections: &ReportSections<'_>) {
    let e = |s: &str| escape_html(s);
    if let Some(v) = sections.validation {
        let _ = write!(
            h,
            "<h2>The baseline against published figures ({})</h2><table><tr><th>figure</th><th>model</th><th>published</th><th>difference</th><th>tolerance</th><th></th></tr>",
            e(&v.against)
        );
        for r in &v.rows {
            let show = |x: f64| {
                if r.share {
                    format!("{:.1} %", 100.0 * x)
                } else {
                    format!("{x:.2}")
                }
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:+.1} %</td><td>±{:.0} %</td><td>{}</td></tr>",
                e(&r.figure),
                show(r.model),
                show(r.published),
                100.0 * r.relative_difference,
                100.0 * r.tolerance,
                if r.within { "within" } else { "<b>outside</b>" }
            );
        }
        h.push_str("</table>");
        let mut sources: Vec<&str> = v.rows.iter().map(|r| r.source.as_str()).collect();
        sources.dedup();
        for source in sources {
            let _ = write!(h, "<p class=basis>Source: {}</p>", e(source));
        }
    }
}

/// Time from booking to appointment in the published intervals, and where the requests that could not be booked went.
fn access_section(h: &mut String, comparison: &Comparison) {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    h.push_str("<h2>Time from booking to appointment</h2><table><tr><th>interval</th>");
    let _ = write!(
        h,
        "<th>{}</th><th>{}</th></tr>",
        e(base.scenario()),
        e(scen.scenario())
    );
    let (bi, si) = (
        crate::appointments_by_interval(base),
        crate::appointments_by_interval(scen),
    );
    let (bt, st) = (bi.iter().sum::<u64>().max(1), si.iter().sum::<u64>().max(1));
    for (k, label) in crate::INTERVALS.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{label}</td><td>{:.1} %</td><td>{:.1} %</td></tr>",
            100.0 * bi[k] as f64 / bt as f64,
            100.0 * si[k] as f64 / st as f64
        );
    }
    h.push_str("</table><h2>Requests the practices could not book</h2><table><tr><th>went to</th>");
    let _ = write!(
        h,
        "<th>{}</th><th>{}</th></tr>",
        e(base.scenario()),
        e(scen.scenario())
    );
    let gone = |y: &crate::YearOutcome| {
        let mut c = crate::ElsewhereCounts::default();
        for p in y.pathways() {
            c.absorb(&p.elsewhere);
        }
        c
    };
    let (bg, sg) = (gone(base), gone(scen));
    for to in crate::Elsewhere::ALL {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(to.label()),
            bg.get(to),
            sg.get(to)
        );
    }
    h.push_str("</table>");
}

/// Capacity by role: WTE, slots offered and used.
fn capacity_section(h: &mut String, comparison: &Comparison, parameters: &Parameters) {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    h.push_str("<h2>Capacity by role</h2><table><tr><th>role</th><th>WTE</th><th>offered</th><th>used</th><th>WTE</th><th>offered</th><th>used</th></tr>");
    let _ = write!(
        h,
        "<tr><th></th><th colspan=3>{}</th><th colspan=3>{}</th></tr>",
        e(base.scenario()),
        e(scen.scenario())
    );
    for rp in parameters.roles() {
        let b = base.role(rp.role);
        let s = scen.role(rp.role);
        if b.is_none() && s.is_none() {
            continue;
        }
        let cell = |r: Option<&crate::RoleYear>| match r {
            Some(r) => format!(
                "<td>{}</td><td>{}</td><td>{}</td>",
                r.wte, r.offered, r.used
            ),
            None => "<td>-</td><td>-</td><td>-</td>".into(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td>{}{}</tr>",
            e(rp.role.label()),
            cell(b),
            cell(s)
        );
    }
    h.push_str("</table>");
}

/// The charts (spending, waits, differences) and every metric compared.
fn metrics_section(h: &mut String, comparison: &Comparison) -> Result<(), SimError> {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    h.push_str("<h2>Spending by month against plan</h2>");
    h.push_str(&budget_chart(base, scen)?);
    h.push_str("<h2>Waits by pathway</h2>");
    h.push_str(&waits_chart(base, scen));
    h.push_str("<h2>Baseline against scenario</h2>");
    h.push_str(&difference_chart(comparison));

    let _ = write!(
        h,
        "<table><tr><th>metric</th><th>{}</th><th>{}</th><th>difference</th></tr>",
        e(comparison.baseline_name()),
        e(comparison.scenario_name())
    );
    for m in comparison.metrics() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&m.label),
            fmt_estimate(m.unit, m.baseline),
            fmt_estimate(m.unit, m.scenario),
            fmt_estimate(m.unit, m.difference)
        );
    }
    h.push_str("</table>");
    Ok(())
}

/// Each cost line's plan, spending and variance.
fn budget_section(h: &mut String, comparison: &Comparison) -> Result<(), SimError> {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    h.push_str("<h2>Budget</h2><table><tr><th>line</th><th>plan</th><th>spent</th><th>variance</th><th>plan</th><th>spent</th><th>variance</th></tr>");
    let _ = write!(
        h,
        "<tr><th></th><th colspan=3>{}</th><th colspan=3>{}</th></tr>",
        e(base.scenario()),
        e(scen.scenario())
    );
    let mut lines: Vec<crate::CostLine> = base.budget().lines().iter().map(|l| l.line).collect();
    for l in scen.budget().lines() {
        if !lines.contains(&l.line) {
            lines.push(l.line);
        }
    }
    lines.sort();
    for line in lines {
        let cells = |y: &YearOutcome| -> Result<String, SimError> {
            match y.budget().lines().iter().find(|l| l.line == line) {
                Some(l) => {
                    let spent = l.spent()?;
                    Ok(format!(
                        "<td>{}</td><td>{}</td><td>{}</td>",
                        e(&l.plan.to_string()),
                        e(&spent.to_string()),
                        e(&spent.checked_sub(l.plan)?.to_string())
                    ))
                }
                None => Ok("<td>-</td><td>-</td><td>-</td>".into()),
            }
        };
        let _ = write!(
            h,
            "<tr><td>{}</td>{}{}</tr>",
            e(&line.label()),
            cells(base)?,
            cells(scen)?
        );
    }
    let totals = |y: &YearOutcome| -> Result<String, SimError> {
        let plan = y.budget().total_plan()?;
        let spent = y.budget().total_spent()?;
        Ok(format!(
            "<th>{}</th><th>{}</th><th>{}</th>",
            e(&plan.to_string()),
            e(&spent.to_string()),
            e(&spent.checked_sub(plan)?.to_string())
        ))
    };
    let _ = write!(
        h,
        "<tr><th>total</th>{}{}</tr></table>",
        totals(base)?,
        totals(scen)?
    );
    Ok(())
}

/// The unified budget as the comparison posted it: funding by stream and what is left in the pot.
fn unified_budget_section(h: &mut String, comparison: &Comparison) -> Result<(), SimError> {
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();
    let e = |s: &str| escape_html(s);
    // The same years as the comparison posted them into the unified budget's
    // ledger (pcn-budget).
    let (b, s) = (comparison.baseline_budget(), comparison.scenario_budget());
    let _ = write!(
        h,
        "<h2>Unified budget</h2><p>Each year's costs posted into a double-entry ledger: a pooled pot funded by role reimbursement for additional staff (the published rates and maxima), the member practices' contribution and the commissioner's pooled emergency care budget (at plan); what care plans save stays in the pot for the partners to share.</p>\
<table><tr><th>funding</th><th>{}</th><th>{}</th></tr>",
        e(base.scenario()),
        e(scen.scenario())
    );
    let rows: [(&str, Money, Money); 5] = [
        ("role reimbursement", b.reimbursed()?, s.reimbursed()?),
        (
            "practices' contribution",
            b.contributed()?,
            s.contributed()?,
        ),
        (
            "pooled emergency care",
            b.pooled_emergency_care()?,
            s.pooled_emergency_care()?,
        ),
        ("spent", b.spent()?, s.spent()?),
        (
            "left in the pot at year end",
            b.pot_balance(),
            s.pot_balance(),
        ),
    ];
    for (label, x, y) in rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(label),
            e(&x.to_string()),
            e(&y.to_string())
        );
    }
    h.push_str("</table>");
    if !s.without_reimbursement().is_empty() {
        let roles: Vec<&str> = s
            .without_reimbursement()
            .iter()
            .map(|r| r.label())
            .collect();
        let _ = write!(
            h,
            "<p>No published reimbursement maximum for some months of the year, so paid by the practices: {}.</p>",
            e(&roles.join(", "))
        );
    }
    Ok(())
}

/// The sensitivity table.
fn sensitivity_section(h: &mut String, sections: &ReportSections<'_>) {
    let e = |s: &str| escape_html(s);
    if let Some(t) = sections.sensitivity {
        h.push_str("<h2>Sensitivity: the headline differences at the ends of each assumption's range</h2><table><tr><th>assumption</th><th>value</th><th>range</th>");
        for (key, d) in &t.central {
            let _ = write!(
                h,
                "<th>{}<br>{}</th>",
                e(key),
                d.map_or("n/a".to_owned(), |d| format!("{d:.0}"))
            );
        }
        h.push_str("</tr>");
        for r in &t.rows {
            let _ = write!(
                h,
                "<tr><td title=\"{}\">{}</td><td>{}</td><td>{} to {}</td>",
                e(&r.note),
                e(&r.label),
                r.value,
                r.low,
                r.high
            );
            for (_, lo, hi) in &r.effects {
                let f = |x: &Option<f64>| x.map_or("n/a".to_owned(), |x| format!("{x:.0}"));
                let _ = write!(h, "<td>{} to {}</td>", f(lo), f(hi));
            }
            h.push_str("</tr>");
        }
        h.push_str("</table>");
    }
}

/// Every parameter with its source or the assumption it is.
fn parameters_section(h: &mut String, parameters: &Parameters) {
    let e = |s: &str| escape_html(s);
    h.push_str("<h2>Parameters and their sources</h2><table><tr><th>parameter</th><th>value</th><th class=basis>source or assumption</th></tr>");
    for (name, value, basis) in parameters.citations() {
        let (kind, text) = (basis.kind(), basis.describe());
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=basis><b>{kind}</b>: {}</td></tr>",
            e(&name),
            e(&value),
            e(&text)
        );
    }
    h.push_str("</table>");
}

/// Renders the report ([`render_html`]) and writes it to `path`.
///
/// # Errors
/// [`SimError::ReportNotWritten`] if the file cannot be written; [`SimError::Core`]
/// if a sum of money overflows.
pub fn write_html(
    path: &Path,
    comparison: &Comparison,
    parameters: &Parameters,
) -> Result<(), SimError> {
    write_html_with(path, comparison, parameters, &ReportSections::default())
}

/// Renders the report with its validation and sensitivity tables
/// ([`render_html_with`]) and writes it to `path`.
///
/// # Errors
/// As [`write_html`].
pub fn write_html_with(
    path: &Path,
    comparison: &Comparison,
    parameters: &Parameters,
    sections: &ReportSections<'_>,
) -> Result<(), SimError> {
    let html = render_html_with(comparison, parameters, sections)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|err| SimError::ReportNotWritten {
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
    }
    std::fs::write(path, html).map_err(|err| SimError::ReportNotWritten {
        path: path.display().to_string(),
        reason: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NetworkInput, Scenario};

    #[test]
    fn the_report_is_self_contained_and_escapes_names() {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("<Riverside & Co>", 3_000, 1, &p).unwrap();
        let c = Comparison::run(
            &n,
            &Scenario::baseline(),
            &Scenario::primary_care_home(&p),
            &p,
            2,
            1,
        )
        .unwrap();
        let html = render_html(&c, &p).unwrap();
        assert!(html.contains("&lt;Riverside &amp; Co&gt;"));
        assert!(!html.contains("<Riverside"));
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(!html.contains("src=\"http"), "no external resources");
        assert!(html.contains("Clegg"));
    }

    #[test]
    fn axis_bounds_are_round() {
        assert_eq!(axis_max(7.0), 10.0);
        assert_eq!(axis_max(120.0), 200.0);
        assert_eq!(axis_max(0.0), 1.0);
    }
}

//! Server-rendered SVG bar charts for the representativeness report: volunteers'
//! share of each group beside the borough's, with the 95% interval as a whisker.
//! No JavaScript; the table beside each chart is its text alternative.
use crate::domain::representativeness::{Published, PublishedRow};

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 210.0;
const PLOT_WIDTH: f64 = 380.0;
const ROW_HEIGHT: f64 = 34.0;
const TOP: f64 = 30.0;
/// GOV.UK colours: dark blue for volunteers, mid grey for the borough.
const VOLUNTEER_FILL: &str = "#1d70b8";
const BOROUGH_FILL: &str = "#b1b4b6";
const TEXT_FILL: &str = "#0b0c0c";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn short(label: &str) -> String {
    if label.chars().count() <= 30 {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(28).collect();
        format!("{cut}…")
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The largest share, interval end or borough share shown, rounded up to a tenth.
fn scale_max(rows: &[PublishedRow]) -> f64 {
    let top = rows
        .iter()
        .flat_map(|r| [r.share_high.or(r.share), Some(r.baseline_share)])
        .flatten()
        .fold(0.0_f64, f64::max);
    ((top * 10.0).ceil() / 10.0).clamp(0.1, 1.0)
}

/// One chart. `id` makes the `<title>`/`<desc>` ids unique on the page.
pub fn bar_chart(id: &str, heading: &str, rows: &[PublishedRow], labels: &[String]) -> String {
    let max = scale_max(rows);
    let x = |share: f64| LABEL_WIDTH + (share / max).min(1.0) * PLOT_WIDTH;
    let height = TOP + ROW_HEIGHT * rows.len() as f64 + 10.0;
    let mut desc = format!(
        "Bar chart: for each group of {heading}, volunteers' share (blue, with a line for its 95% interval) beside the borough's share in the 2021 Census (grey)."
    );
    let mut body = String::new();
    // Legend and gridlines at each tenth.
    body.push_str(&format!(
        r#"<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{VOLUNTEER_FILL}"/><text x="{}" y="14" font-size="12" fill="{TEXT_FILL}">Volunteers</text><rect x="{}" y="4" width="12" height="12" fill="{BOROUGH_FILL}"/><text x="{}" y="14" font-size="12" fill="{TEXT_FILL}">Borough (Census 2021)</text>"#,
        LABEL_WIDTH + 16.0,
        LABEL_WIDTH + 110.0,
        LABEL_WIDTH + 126.0
    ));
    let mut tick = 0.0;
    while tick <= max + 1e-9 {
        let tx = x(tick);
        body.push_str(&format!(
            r##"<line x1="{tx:.1}" y1="{}" x2="{tx:.1}" y2="{:.1}" stroke="#dddddd" stroke-width="1"/>"##,
            TOP - 6.0,
            height - 8.0
        ));
        tick += 0.1;
    }
    for (i, (row, label)) in rows.iter().zip(labels).enumerate() {
        let y = TOP + ROW_HEIGHT * i as f64;
        let name = escape(&short(label));
        body.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="{TEXT_FILL}">{name}</text>"#,
            LABEL_WIDTH - 6.0,
            y + 16.0
        ));
        let borough_w = x(row.baseline_share) - LABEL_WIDTH;
        let volunteer_text = match (row.count, row.share) {
            (Published::Shown(_), Some(share)) => {
                let w = x(share) - LABEL_WIDTH;
                body.push_str(&format!(
                    r#"<rect x="{LABEL_WIDTH}" y="{:.1}" width="{w:.1}" height="11" fill="{VOLUNTEER_FILL}"><title>{}: volunteers {}</title></rect>"#,
                    y + 2.0,
                    escape(label),
                    percent(share)
                ));
                if let (Some(low), Some(high)) = (row.share_low, row.share_high) {
                    let (x1, x2, wy) = (x(low), x(high), y + 7.5);
                    body.push_str(&format!(
                        r#"<line x1="{x1:.1}" y1="{wy:.1}" x2="{x2:.1}" y2="{wy:.1}" stroke="{TEXT_FILL}" stroke-width="1.5"/><line x1="{x1:.1}" y1="{:.1}" x2="{x1:.1}" y2="{:.1}" stroke="{TEXT_FILL}" stroke-width="1.5"/><line x1="{x2:.1}" y1="{:.1}" x2="{x2:.1}" y2="{:.1}" stroke="{TEXT_FILL}" stroke-width="1.5"/>"#,
                        wy - 4.0,
                        wy + 4.0,
                        wy - 4.0,
                        wy + 4.0
                    ));
                }
                format!(
                    "volunteers {} (95% interval {} to {})",
                    percent(share),
                    row.share_low.map(percent).unwrap_or_default(),
                    row.share_high.map(percent).unwrap_or_default()
                )
            }
            (Published::Suppressed, _) => {
                body.push_str(&format!(
                    r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{TEXT_FILL}">fewer than 5 (hidden)</text>"#,
                    LABEL_WIDTH + 4.0,
                    y + 11.0
                ));
                "volunteers hidden (fewer than 5, or hidden so that a small group cannot be worked out)".to_owned()
            }
            _ => "no volunteers answered".to_owned(),
        };
        body.push_str(&format!(
            r#"<rect x="{LABEL_WIDTH}" y="{:.1}" width="{borough_w:.1}" height="11" fill="{BOROUGH_FILL}"><title>{}: borough {}</title></rect>"#,
            y + 16.0,
            escape(label),
            percent(row.baseline_share)
        ));
        desc.push_str(&format!(
            " {}: {volunteer_text}; borough {}.",
            label,
            percent(row.baseline_share)
        ));
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="hm-chart" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}: volunteers compared with the borough</title><desc id="{id}-desc">{}</desc>{body}</svg>"#,
        escape(heading),
        escape(&desc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::representativeness::Flag;

    fn row(count: Published, share: Option<f64>, baseline: f64) -> PublishedRow {
        PublishedRow {
            category: "x".into(),
            count,
            share,
            share_low: share.map(|s| s - 0.05),
            share_high: share.map(|s| s + 0.05),
            baseline_share: baseline,
            ratio: None,
            ratio_low: None,
            ratio_high: None,
            flag: share.map(|_| Flag::InLine),
        }
    }

    #[test]
    fn a_chart_names_itself_and_never_draws_a_hidden_count() {
        let svg = bar_chart(
            "sex",
            "Sex",
            &[
                row(Published::Shown(30), Some(0.6), 0.5),
                row(Published::Suppressed, None, 0.5),
            ],
            &["Female".into(), "Male <&>".into()],
        );
        assert!(svg.contains("<title id=\"sex-title\">Sex"));
        assert!(svg.contains("<desc id=\"sex-desc\">"));
        assert!(svg.contains("Female: volunteers 60%"));
        assert!(svg.contains("Male &lt;&amp;&gt;"));
        assert!(svg.contains("fewer than 5 (hidden)"));
        assert_eq!(svg.matches(VOLUNTEER_FILL).count(), 2, "legend + one bar");
    }
}

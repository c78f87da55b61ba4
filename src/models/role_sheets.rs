//! Printable sheets for noticeboards and the front desk: a role's one-page sheet and a
//! hub's open roles, each with a QR code (drawn here as SVG) that opens the page online.
use qrcode::QrCode;
use qrcode::render::svg;

use crate::error::AppError;

/// Most roles a hub's sheet lists, so it stays on one A4 page.
pub const HUB_SHEET_ROLES: u64 = 6;

/// The QR code of `url` as an inline SVG element (no XML declaration), black on white,
/// with the quiet zone scanners need.
pub fn qr_svg(url: &str, label: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(format!("QR code for {url}: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(4, 4)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    let body = image
        .split_once("?>")
        .map_or(image.as_str(), |(_, rest)| rest)
        .trim_start();
    // Names the image for screen readers; the URL is printed beside it too.
    let escaped = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Ok(body.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" class=\"hm-qr\" "),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_svg_is_an_inline_image_with_a_label() {
        let svg = qr_svg("https://hubmatch.example.org/roles/7", "QR code <role>").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"QR code &lt;role>\""));
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("<path"));
    }
}

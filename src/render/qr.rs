//! QR codes as inline SVG, for the printed notice and zone signs (scanned from a phone).

/// An inline SVG QR code of `url` with a text alternative.
pub fn svg(url: &str, label: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) else {
        return String::new();
    };
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    let svg = svg.split_once("?>").map_or(svg.as_str(), |(_, rest)| rest);
    let mut escaped = Vec::new();
    let _ = tera::escape_html(label, &mut escaped);
    let label = String::from_utf8_lossy(&escaped);
    svg.replacen("<svg ", &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" "), 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_svg_with_label() {
        let svg = super::svg("https://example.cn/a/", "扫码查看 <东王庄村>");
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"扫码查看 &lt;东王庄村&gt;\""));
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>"));
    }
}

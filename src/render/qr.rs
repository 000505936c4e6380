//! QR codes as inline SVG, for the printed notice and zone signs (scanned from a phone).
//!
//! A county prints thousands of codes per build, so two costs of the `qrcode` crate's defaults
//! are avoided: trying all eight mask patterns (any mask is valid and decodes; the choice only
//! tunes contrast patterns) and drawing one SVG rectangle per module (rows are run-length drawn).

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::Color;
use qrcode::{EcLevel, bits, ec};
use std::fmt::Write;

/// Light modules around the code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// The dark and light modules of a QR code for `data`, row by row, and its width.
pub fn modules(data: &str) -> Option<(Vec<bool>, usize)> {
    let bits = bits::encode_auto(data.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (encoded, error_correction) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &error_correction);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = usize::try_from(version.width()).ok()?;
    Some((canvas.into_colors().into_iter().map(|c| c == Color::Dark).collect(), width))
}

/// An inline SVG QR code of `url` with a text alternative.
///
/// Each row is one stroke of width 1 through the middle of the row: `M{x} {y}.5` starts the row,
/// then `h{run}` draws a run of dark modules and `m{gap} 0` skips light ones. That is about a
/// third of the bytes of one closed rectangle per run, which matters with a code on every sign.
pub fn svg(url: &str, label: &str) -> String {
    let Some((dark, width)) = modules(url) else { return String::new() };
    let size = width + 2 * QUIET_ZONE;
    let mut escaped = Vec::new();
    let _ = tera::escape_html(label, &mut escaped);
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        r##"<svg class="qr" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="160" height="160" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path stroke="#000" d=""##,
        String::from_utf8_lossy(&escaped)
    );
    for (y, row) in dark.chunks_exact(width).enumerate() {
        let mut pen = None;
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|d| **d).count();
            match pen {
                None => {
                    svg.push('M');
                    push_number(&mut svg, x + QUIET_ZONE);
                    svg.push(' ');
                    push_number(&mut svg, y + QUIET_ZONE);
                    svg.push_str(".5");
                }
                Some(end) => {
                    svg.push('m');
                    push_number(&mut svg, x - end);
                    svg.push_str(" 0");
                }
            }
            svg.push('h');
            push_number(&mut svg, run);
            x += run;
            pen = Some(x);
        }
    }
    svg.push_str(r#""/></svg>"#);
    svg
}

/// Appends a small number; faster than `write!` for the thousands of numbers of a code.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_svg_with_label() {
        let svg = super::svg("https://example.cn/a/", "扫码查看 <东王庄村>");
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"扫码查看 &lt;东王庄村&gt;\""));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn codes_decode_to_their_url() {
        for url in [
            "https://gongkai.example.gov.cn/nanhe-zhen/dongwangzhuang-cun/",
            "https://gongkai.example.gov.cn/xianzhi-jiguan/jiaoyu-dangwei/zhijiao-zhongxin/members/m11/",
        ] {
            let (dark, width) = super::modules(url).unwrap();
            let scale = 4;
            let side = (width + 8) * scale;
            let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
                let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
                if mx < width && my < width && dark[my * width + mx] { 0 } else { 255 }
            });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, url);
        }
    }

    /// Draws the path of `svg` back into modules: the picture must be exactly the code.
    #[test]
    fn path_draws_exactly_the_dark_modules() {
        let url =
            "https://gongkai.example.gov.cn/xianzhi-jiguan/jiaoyu-dangwei/zhijiao-zhongxin/members/m11/";
        let (dark, width) = super::modules(url).unwrap();
        let svg = super::svg(url, "码");
        let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let size = width + 2 * super::QUIET_ZONE;
        let mut drawn = vec![false; size * size];
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = path;
        while let Some(command) = rest.chars().next() {
            let end = rest[1..].find(['M', 'm', 'h']).map_or(rest.len(), |i| i + 1);
            let args: Vec<&str> = rest[1..end].split(' ').collect();
            match command {
                'M' => (x, y) = (args[0].parse().unwrap(), args[1].trim_end_matches(".5").parse().unwrap()),
                'm' => x += args[0].parse::<usize>().unwrap(),
                'h' => {
                    let run: usize = args[0].parse().unwrap();
                    (x..x + run).for_each(|i| drawn[y * size + i] = true);
                    x += run;
                }
                other => panic!("unexpected path command {other}"),
            }
            rest = &rest[end..];
        }
        let q = super::QUIET_ZONE;
        for (i, is_dark) in drawn.iter().enumerate() {
            let (px, py) = (i % size, i / size);
            let expected =
                px >= q && py >= q && px < q + width && py < q + width && dark[(py - q) * width + px - q];
            assert_eq!(*is_dark, expected, "module ({px}, {py})");
        }
    }

    #[test]
    fn finder_patterns_are_in_the_corners() {
        let (dark, width) = super::modules("https://gongkai.example.gov.cn/nanhe-zhen/").unwrap();
        assert_eq!(width % 4, 1, "QR widths are 17 + 4 × version");
        // The top-left finder: a dark 7 × 7 ring around a light ring around a dark 3 × 3.
        let at = |x: usize, y: usize| dark[y * width + x];
        assert!((0..7).all(|i| at(i, 0) && at(0, i) && at(i, 6) && at(6, i)));
        assert!((1..6).all(|i| !at(i, 1) && !at(1, i)));
        assert!((2..5).all(|x| (2..5).all(|y| at(x, y))));
        assert!(at(width - 1, 0) && at(0, width - 1));
    }
}

//! The watermark as drawn: lines of text in the built-in bitmap font,
//! white on a dark box, in the bottom-right corner, sized to the picture.

use ffmpeg_next::{format::Pixel, util::frame::video::Video};

use super::font;

/// Luma of the text (white, limited range).
const TEXT_LUMA: u8 = 235;
/// Luma of black, limited range.
const BLACK: u8 = 16;

/// A block of text laid out for one picture size, ready to draw on every picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Overlay {
    /// The box, in pixels: left, top, width, height (all even, so the
    /// half-size chroma planes cover it exactly).
    area: (u32, u32, u32, u32),
    /// Which pixels of the box are text, row by row.
    text: Vec<bool>,
}

impl Overlay {
    /// Lays `lines` out for a `width` × `height` picture: glyphs scaled up
    /// with the picture (8 pixels high below 360 lines, 16 at 360, 24 at
    /// 720, 40 at 1080), smaller if the longest line would not fit, and cut
    /// short at the picture's edge as a last resort. `None` for a picture
    /// too small to hold one character.
    pub(super) fn new(lines: &[String], width: u32, height: u32) -> Option<Self> {
        let longest = lines.iter().map(|l| l.chars().count() as u32).max().unwrap_or(0).max(1);
        let rows = lines.len().max(1) as u32;
        let fits = |scale: u32| {
            let (w, h) = box_size(longest, rows, scale);
            w + 2 * margin(scale) <= width && h + 2 * margin(scale) <= height
        };
        let mut scale = height.saturating_add(120) / 240;
        while scale > 1 && !fits(scale) {
            scale -= 1;
        }
        let scale = scale.max(1);
        // At the smallest size, what does not fit is cut off.
        let room = width.saturating_sub(2 * margin(scale) + 2 * padding(scale) - scale) / (cell_width(scale));
        let chars = longest.min(room);
        if chars == 0 {
            return None;
        }
        let (w, h) = box_size(chars, rows, scale);
        if h + 2 * margin(scale) > height {
            return None;
        }
        let (w, h) = (even_up(w).min(width & !1), even_up(h).min(height & !1));
        let left = width.saturating_sub(w + margin(scale)) & !1;
        let top = height.saturating_sub(h + margin(scale)) & !1;
        let mut text = vec![false; (w * h) as usize];
        for (row, line) in lines.iter().enumerate() {
            let y0 = padding(scale) + row as u32 * line_height(scale);
            for (column, c) in line.chars().take(chars as usize).enumerate() {
                let x0 = padding(scale) + column as u32 * cell_width(scale);
                for (gx, gy) in (0..font::WIDTH).flat_map(|x| (0..font::HEIGHT).map(move |y| (x, y))) {
                    if !font::lit(c, gx, gy) {
                        continue;
                    }
                    for (dx, dy) in (0..scale).flat_map(|dx| (0..scale).map(move |dy| (dx, dy))) {
                        let (x, y) = (x0 + gx * scale + dx, y0 + gy * scale + dy);
                        if x < w && y < h {
                            text[(y * w + x) as usize] = true;
                        }
                    }
                }
            }
        }
        Some(Self { area: (left, top, w, h), text })
    }

    /// The box: left, top, width and height in pixels.
    pub(super) fn area(&self) -> (u32, u32, u32, u32) {
        self.area
    }

    /// Draws the watermark on a picture of the size it was laid out for,
    /// in planar 4:2:0 (`YUV420P`): in the box the picture is darkened to a
    /// quarter and its colour to a quarter, so the text reads on any
    /// picture and what lies behind stays faintly visible.
    pub(super) fn draw(&self, picture: &mut Video) {
        debug_assert_eq!(picture.format(), Pixel::YUV420P, "the overlay draws on 4:2:0 pictures");
        let (left, top, w, h) = self.area;
        if left + w > picture.width() || top + h > picture.height() {
            return;
        }
        let stride = picture.stride(0);
        let luma = picture.data_mut(0);
        for y in 0..h {
            let row = (top + y) as usize * stride + left as usize;
            for x in 0..w {
                let px = &mut luma[row + x as usize];
                *px = match self.text[(y * w + x) as usize] {
                    true => TEXT_LUMA,
                    false => BLACK + px.saturating_sub(BLACK) / 4,
                };
            }
        }
        for plane in [1, 2] {
            let stride = picture.stride(plane);
            let chroma = picture.data_mut(plane);
            for y in top / 2..(top + h) / 2 {
                let row = y as usize * stride;
                for px in &mut chroma[row + (left / 2) as usize..row + ((left + w) / 2) as usize] {
                    *px = (128 + (i16::from(*px) - 128) / 4) as u8;
                }
            }
        }
    }
}

/// Width of a character with the space after it.
fn cell_width(scale: u32) -> u32 {
    (font::WIDTH + 1) * scale
}

/// Height of a line with the space under it.
fn line_height(scale: u32) -> u32 {
    (font::HEIGHT + 2) * scale
}

/// Space between the text and the box's edge.
fn padding(scale: u32) -> u32 {
    2 * scale
}

/// Space between the box and the picture's edge.
fn margin(scale: u32) -> u32 {
    4 * scale
}

/// The box around `chars` × `rows` characters.
fn box_size(chars: u32, rows: u32, scale: u32) -> (u32, u32) {
    (chars * cell_width(scale) - scale + 2 * padding(scale), rows * line_height(scale) - 2 * scale + 2 * padding(scale))
}

fn even_up(n: u32) -> u32 {
    (n + 1) & !1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<String> {
        ["user: alice", "time: 2030-01-01T00:00:00Z", "camera: Gate"].map(String::from).to_vec()
    }

    #[test]
    fn the_text_grows_with_the_picture_and_sits_bottom_right() {
        let small = Overlay::new(&lines(), 640, 360).unwrap();
        let large = Overlay::new(&lines(), 1920, 1080).unwrap();
        let (l, t, w, h) = large.area();
        assert!(w > 2 * small.area().2, "{:?} vs {:?}", large.area(), small.area());
        assert!(l + w <= 1920 && t + h <= 1080 && l > 960 && t > 540, "{:?}", large.area());
        assert!(l % 2 == 0 && t % 2 == 0 && w % 2 == 0 && h % 2 == 0);
        assert!(large.text.iter().any(|lit| *lit) && large.text.iter().any(|lit| !lit));
    }

    #[test]
    fn text_too_wide_shrinks_then_is_cut() {
        let long = vec!["x".repeat(200)];
        let narrow = Overlay::new(&long, 320, 240).unwrap();
        let (l, _, w, _) = narrow.area();
        assert!(l + w <= 320 && w > 250, "{:?}", narrow.area());
        assert_eq!(Overlay::new(&lines(), 4, 4), None, "no room for a character");
    }

    #[test]
    fn the_box_darkens_and_the_text_is_white() {
        let overlay = Overlay::new(&lines(), 320, 240).unwrap();
        let mut picture = Video::new(Pixel::YUV420P, 320, 240);
        for plane in 0..3 {
            picture.data_mut(plane).fill(200);
        }
        overlay.draw(&mut picture);
        let (l, t, w, h) = overlay.area();
        let stride = picture.stride(0);
        let luma = picture.data(0);
        let inside: Vec<u8> = (t..t + h)
            .flat_map(|y| (l..l + w).map(move |x| (y, x)))
            .map(|(y, x)| luma[y as usize * stride + x as usize])
            .collect();
        assert!(inside.contains(&TEXT_LUMA) && inside.contains(&(BLACK + (200 - BLACK) / 4)));
        assert_eq!(luma[0], 200, "outside the box nothing changes");
        assert_eq!(picture.data(1)[(t / 2) as usize * picture.stride(1) + (l / 2) as usize], 128 + 72 / 4);
    }
}

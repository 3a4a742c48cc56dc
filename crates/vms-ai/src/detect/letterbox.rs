//! Letterboxing: a picture scaled to fit a model's input with its aspect
//! kept and the rest filled with grey (114, as YOLO models are trained), as
//! planar floats in the model's own convention ([`Style`]); and boxes found
//! in the model's input mapped back onto the picture.

use crate::geometry::Rect;

/// The grey the margins are filled with, 0–255.
const PAD: f32 = 114.0;

/// How a model family wants its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Ultralytics (YOLOv5, YOLOv8, YOLO11): RGB scaled to 0–1, the picture centred.
    Ultralytics,
    /// YOLOX: BGR 0–255, the picture in the top-left corner.
    Yolox,
}

impl Style {
    fn scale(self) -> f32 {
        match self {
            Style::Ultralytics => 1.0 / 255.0,
            Style::Yolox => 1.0,
        }
    }
}

/// Where a picture lies inside the model's input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    /// The model's input width and height.
    pub input: (u32, u32),
    /// The picture's size once scaled.
    pub scaled: (u32, u32),
    /// Left and top margins.
    pub offset: (u32, u32),
    /// The model's convention.
    pub style: Style,
}

impl Letterbox {
    /// Fits a `width` × `height` picture into a model input of `input`, in `style`.
    pub fn fit(width: u32, height: u32, input: (u32, u32), style: Style) -> Self {
        let (w, h) = (width.max(1) as f32, height.max(1) as f32);
        let scale = (input.0 as f32 / w).min(input.1 as f32 / h);
        let scaled = (((w * scale).round() as u32).clamp(1, input.0), ((h * scale).round() as u32).clamp(1, input.1));
        let offset = match style {
            Style::Ultralytics => ((input.0 - scaled.0) / 2, (input.1 - scaled.1) / 2),
            Style::Yolox => (0, 0),
        };
        Self { input, scaled, offset, style }
    }

    /// The model's input, planar (all of the first channel, then the
    /// second, then the third) in the model's order and scale, from the
    /// scaled picture `rgb` (packed RGB24 rows of `stride` bytes).
    pub fn planar(&self, rgb: &[u8], stride: usize) -> Vec<f32> {
        let (iw, ih) = (self.input.0 as usize, self.input.1 as usize);
        let plane = iw * ih;
        let scale = self.style.scale();
        let mut out = vec![PAD * scale; 3 * plane];
        let (ox, oy) = (self.offset.0 as usize, self.offset.1 as usize);
        let order: [usize; 3] = match self.style {
            Style::Ultralytics => [0, 1, 2],
            Style::Yolox => [2, 1, 0],
        };
        for y in 0..self.scaled.1 as usize {
            let Some(row) = rgb.get(y * stride..y * stride + self.scaled.0 as usize * 3) else { break };
            for (x, px) in row.chunks_exact(3).enumerate() {
                let at = (oy + y) * iw + ox + x;
                for (plane_index, channel) in order.iter().enumerate() {
                    out[plane_index * plane + at] = f32::from(px[*channel]) * scale;
                }
            }
        }
        out
    }

    /// A box in the model's input pixels (left, top, right, bottom) as a
    /// rectangle of the picture, normalised 0–1 and clipped to it.
    pub fn to_picture(&self, bounds: [f32; 4]) -> Rect {
        let (sw, sh) = (self.scaled.0 as f32, self.scaled.1 as f32);
        let x = |v: f32| ((v - self.offset.0 as f32) / sw).clamp(0.0, 1.0);
        let y = |v: f32| ((v - self.offset.1 as f32) / sh).clamp(0.0, 1.0);
        let (left, top, right, bottom) = (x(bounds[0]), y(bounds[1]), x(bounds[2]), y(bounds[3]));
        Rect { x: left, y: top, w: (right - left).max(0.0), h: (bottom - top).max(0.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_picture_gets_margins_above_and_below() {
        let fit = Letterbox::fit(1280, 720, (640, 640), Style::Ultralytics);
        assert_eq!((fit.scaled, fit.offset), ((640, 360), (0, 140)));
        let r = fit.to_picture([0.0, 140.0, 320.0, 320.0]);
        assert_eq!((r.x, r.y, r.w, r.h), (0.0, 0.0, 0.5, 0.5));
        // Boxes reaching into the margins are clipped to the picture.
        let clipped = fit.to_picture([-10.0, 0.0, 700.0, 640.0]);
        assert_eq!((clipped.x, clipped.y, clipped.w, clipped.h), (0.0, 0.0, 1.0, 1.0));
    }

    #[test]
    fn the_input_is_planar_with_grey_margins() {
        let fit = Letterbox::fit(2, 1, (2, 2), Style::Ultralytics);
        assert_eq!((fit.scaled, fit.offset), ((2, 1), (0, 0)));
        // One row: a red and a blue pixel, with a padded stride.
        let rgb = [255, 0, 0, 0, 0, 255, 9, 9];
        let input = fit.planar(&rgb, 8);
        assert_eq!(&input[0..2], &[1.0, 0.0], "red plane, first row");
        assert!(input[2..4].iter().all(|v| (v - PAD / 255.0).abs() < 1e-6), "red plane, the margin row");
        assert_eq!(&input[8..10], &[0.0, 1.0], "blue plane, first row");
    }

    #[test]
    fn yolox_takes_bgr_0_to_255_in_the_top_left_corner() {
        let fit = Letterbox::fit(2, 1, (4, 4), Style::Yolox);
        assert_eq!((fit.scaled, fit.offset), ((4, 2), (0, 0)));
        let rgb = [255, 0, 10, 255, 0, 10, 255, 0, 10, 255, 0, 10].repeat(2);
        let input = fit.planar(&rgb, 12);
        assert_eq!(input[0], 10.0, "blue first");
        assert_eq!(input[32], 255.0, "red last");
        assert_eq!(input[8], PAD, "the margin below, unscaled");
        let centred = Letterbox::fit(1280, 720, (640, 640), Style::Yolox);
        assert_eq!(centred.offset, (0, 0));
        let r = centred.to_picture([0.0, 0.0, 320.0, 180.0]);
        assert_eq!((r.x, r.y, r.w, r.h), (0.0, 0.0, 0.5, 0.5));
    }
}

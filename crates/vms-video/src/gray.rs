//! Decoded pictures reduced to a small luma plane, what motion detection
//! looks at. Scaling averages the pixels each output pixel covers (an area
//! filter), which also averages away most of the sensor's noise.

use ffmpeg_next::util::frame::video::Video;

use crate::scale::Scaler;

/// An 8-bit luma picture, rows packed with no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height` luma values, row by row.
    pub data: Vec<u8>,
}

impl Gray {
    /// A picture of one value.
    pub fn filled(width: u32, height: u32, value: u8) -> Self {
        Self { width, height, data: vec![value; (width * height) as usize] }
    }

    /// The value at (`x`, `y`).
    pub fn at(&self, x: u32, y: u32) -> u8 {
        self.data[(y * self.width + x) as usize]
    }
}

/// Scales decoded pictures to a fixed height (the width keeps the aspect).
pub struct GrayScaler {
    height: u32,
    scaler: Scaler,
}

impl GrayScaler {
    /// Scales to `height` rows (at least 8; pictures smaller than that keep their size).
    pub fn new(height: u32) -> Self {
        Self { height: height.max(8), scaler: Scaler::gray() }
    }

    /// The size a `width` × `height` picture comes out at: pictures taller
    /// than the set height are scaled to it (the sides made even), smaller
    /// ones keep their size.
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        if height <= self.height || width == 0 || height == 0 {
            return (width.max(2), height.max(2));
        }
        let w = ((u64::from(width) * u64::from(self.height) / u64::from(height)) as u32).max(2) & !1;
        (w, self.height & !1)
    }

    /// `picture`'s luma, scaled.
    pub fn scale(&mut self, picture: &Video) -> Result<Gray, ffmpeg_next::Error> {
        let (width, height) = self.output_size(picture.width(), picture.height());
        let data = self.scaler.scale(picture, width, height)?;
        Ok(Gray { width, height, data })
    }
}

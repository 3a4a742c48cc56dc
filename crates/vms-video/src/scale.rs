//! Decoded pictures converted and scaled to packed 8-bit pixels (luma for
//! motion detection, RGB for object detection), keeping FFmpeg's scaler
//! between pictures of the same size and format.

use ffmpeg_next::{format::Pixel, software::scaling, util::frame::video::Video};

/// A converter to one pixel format.
pub struct Scaler {
    to: Pixel,
    flags: scaling::Flags,
    cached: Option<(Key, scaling::Context)>,
}

#[derive(PartialEq, Eq)]
struct Key {
    format: Pixel,
    width: u32,
    height: u32,
    out: (u32, u32),
}

impl Scaler {
    /// To 8-bit luma, averaging the pixels each output pixel covers (which
    /// also averages away most of the sensor's noise).
    pub fn gray() -> Self {
        Self { to: Pixel::GRAY8, flags: scaling::Flags::AREA, cached: None }
    }

    /// To packed 8-bit RGB, bilinear.
    pub fn rgb() -> Self {
        Self { to: Pixel::RGB24, flags: scaling::Flags::BILINEAR, cached: None }
    }

    /// Bytes per pixel of the output.
    pub fn channels(&self) -> usize {
        if self.to == Pixel::RGB24 { 3 } else { 1 }
    }

    /// `picture` at `width` × `height`, rows packed with no padding.
    pub fn scale(&mut self, picture: &Video, width: u32, height: u32) -> Result<Vec<u8>, ffmpeg_next::Error> {
        let key =
            Key { format: picture.format(), width: picture.width(), height: picture.height(), out: (width, height) };
        if self.cached.as_ref().is_none_or(|(k, _)| *k != key) {
            let context = scaling::Context::get(key.format, key.width, key.height, self.to, width, height, self.flags)?;
            self.cached = Some((key, context));
        }
        let (_, context) = self.cached.as_mut().expect("made above");
        let mut out = Video::empty();
        context.run(picture, &mut out)?;
        let (stride, row) = (out.stride(0), width as usize * self.channels());
        let plane = out.data(0);
        let mut data = Vec::with_capacity(row * height as usize);
        for y in 0..height as usize {
            data.extend_from_slice(&plane[y * stride..y * stride + row]);
        }
        Ok(data)
    }
}

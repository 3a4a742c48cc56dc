//! The image operations motion detection is built from, on small 8-bit
//! planes: a percentile contrast stretch, a 3×3 binomial blur, 3×3 minimum
//! and maximum filters and a 3×3 dilation. Borders repeat the edge pixel.

/// The value below which `fraction` of `values` lie (a histogram walk).
pub(crate) fn percentile(histogram: &[u32; 256], total: u32, fraction: f32) -> u8 {
    let want = (total as f32 * fraction).round() as u32;
    let mut seen = 0;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen > want {
            return value as u8;
        }
    }
    255
}

/// A histogram of `values`.
pub(crate) fn histogram(values: impl Iterator<Item = u8>) -> ([u32; 256], u32) {
    let mut histogram = [0u32; 256];
    let mut total = 0;
    for v in values {
        histogram[usize::from(v)] += 1;
        total += 1;
    }
    (histogram, total)
}

/// The gain a contrast stretch would apply to a scene with this
/// histogram: its 2nd–98th percentile range spread over `span` values, at
/// least 1 (a contrasty scene is left as it is) and at most `max_gain` (so a
/// dark scene's noise does not count for too much).
pub(crate) fn contrast_gain(histogram: &[u32; 256], total: u32, span: f32, max_gain: f32) -> f32 {
    if total == 0 {
        return 1.0;
    }
    let lo = f32::from(percentile(histogram, total, 0.02));
    let hi = f32::from(percentile(histogram, total, 0.98));
    (span / (hi - lo).max(1.0)).clamp(1.0, max_gain)
}

/// Applies a separable 3×3 filter: `combine` folds each pixel's three
/// neighbours along a row, then along a column.
fn separable(plane: &[u8], width: usize, height: usize, combine: impl Fn(u8, u8, u8) -> u8) -> Vec<u8> {
    let mut rows = vec![0u8; plane.len()];
    for y in 0..height {
        let row = &plane[y * width..(y + 1) * width];
        for x in 0..width {
            let left = row[x.saturating_sub(1)];
            let right = row[(x + 1).min(width - 1)];
            rows[y * width + x] = combine(left, row[x], right);
        }
    }
    let mut out = vec![0u8; plane.len()];
    for y in 0..height {
        let (up, down) = (y.saturating_sub(1), (y + 1).min(height - 1));
        for x in 0..width {
            out[y * width + x] = combine(rows[up * width + x], rows[y * width + x], rows[down * width + x]);
        }
    }
    out
}

/// Blurs with the 3×3 binomial kernel (1 2 1 / 2 4 2 / 1 2 1, ÷16).
pub(crate) fn blur(plane: &[u8], width: usize, height: usize) -> Vec<u8> {
    separable(plane, width, height, |a, b, c| ((u16::from(a) + 2 * u16::from(b) + u16::from(c) + 2) / 4) as u8)
}

/// Each pixel's 3×3 neighbourhood minimum.
pub(crate) fn min3(plane: &[u8], width: usize, height: usize) -> Vec<u8> {
    separable(plane, width, height, |a, b, c| a.min(b).min(c))
}

/// Each pixel's 3×3 neighbourhood maximum (for a 0/1 mask: a dilation).
pub(crate) fn max3(plane: &[u8], width: usize, height: usize) -> Vec<u8> {
    separable(plane, width, height, |a, b, c| a.max(b).max(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_walk_the_histogram() {
        let values: Vec<u8> = (0..=99).collect();
        let (h, n) = histogram(values.iter().copied());
        assert_eq!(percentile(&h, n, 0.0), 0);
        assert_eq!(percentile(&h, n, 0.5), 50);
        assert_eq!(percentile(&h, n, 0.98), 98);
        assert_eq!(percentile(&h, n, 1.0), 255, "past the last value");
    }

    #[test]
    fn a_dim_scene_gets_a_gain_and_a_contrasty_one_none() {
        let gain = |values: Vec<u8>| {
            let (h, n) = histogram(values.into_iter());
            contrast_gain(&h, n, 160.0, 4.0)
        };
        assert_eq!(gain((0..200).map(|i| 20 + i as u8).collect()), 1.0);
        assert!((gain((0..100).map(|i| 40 + (i * 4 / 5) as u8).collect()) - 2.0).abs() < 0.1);
        assert_eq!(gain(vec![10; 100]), 4.0, "a flat scene is capped");
        assert_eq!(gain(Vec::new()), 1.0);
    }

    #[test]
    fn the_blur_keeps_flat_areas_and_softens_a_point() {
        let mut plane = vec![0u8; 25];
        plane[12] = 160;
        let blurred = blur(&plane, 5, 5);
        assert_eq!(blurred[12], 40, "the centre keeps 4/16");
        assert_eq!(blurred[11], 20);
        assert_eq!(blurred[6], 10);
        assert_eq!(blur(&[7u8; 16], 4, 4), vec![7u8; 16]);
    }

    #[test]
    fn minimum_and_maximum_cover_the_neighbourhood() {
        let mut plane = vec![5u8; 9];
        plane[0] = 1;
        plane[8] = 9;
        assert_eq!(min3(&plane, 3, 3)[4], 1);
        assert_eq!(max3(&plane, 3, 3)[4], 9);
        assert_eq!(max3(&plane, 3, 3)[0], 5, "the far corner is out of reach");
    }
}

//! Connected regions of a 0/1 mask (8-connectivity): their bounding boxes
//! and sizes, and merging boxes that touch.

/// A rectangle in pixels: left, top, right and bottom edges (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PixelBox {
    pub left: usize,
    pub top: usize,
    pub right: usize,
    pub bottom: usize,
    /// Pixels set in the region (for merged boxes, the sum).
    pub pixels: usize,
}

impl PixelBox {
    /// Whether the boxes overlap or at most `gap` empty pixels lie between them.
    fn near(&self, other: &PixelBox, gap: usize) -> bool {
        self.left <= other.right + gap + 1
            && other.left <= self.right + gap + 1
            && self.top <= other.bottom + gap + 1
            && other.top <= self.bottom + gap + 1
    }

    fn merge(&mut self, other: &PixelBox) {
        self.left = self.left.min(other.left);
        self.top = self.top.min(other.top);
        self.right = self.right.max(other.right);
        self.bottom = self.bottom.max(other.bottom);
        self.pixels += other.pixels;
    }
}

/// The regions of `mask` (non-zero pixels), found by flood fill.
pub(crate) fn regions(mask: &[u8], width: usize, height: usize) -> Vec<PixelBox> {
    let mut seen = vec![false; mask.len()];
    let mut stack = Vec::new();
    let mut found = Vec::new();
    for start in 0..mask.len() {
        if mask[start] == 0 || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (x, y) = (start % width, start / width);
        let mut region = PixelBox { left: x, top: y, right: x, bottom: y, pixels: 0 };
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            region.pixels += 1;
            region.left = region.left.min(x);
            region.right = region.right.max(x);
            region.top = region.top.min(y);
            region.bottom = region.bottom.max(y);
            for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    let j = ny * width + nx;
                    if mask[j] != 0 && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        found.push(region);
    }
    found
}

/// Merges boxes that overlap or have at most `gap` empty pixels between
/// them, until none do.
pub(crate) fn merge_near(mut boxes: Vec<PixelBox>, gap: usize) -> Vec<PixelBox> {
    let mut merged = true;
    while merged {
        merged = false;
        let mut out: Vec<PixelBox> = Vec::with_capacity(boxes.len());
        for b in boxes {
            match out.iter_mut().find(|o| o.near(&b, gap)) {
                Some(o) => {
                    o.merge(&b);
                    merged = true;
                }
                None => out.push(b),
            }
        }
        boxes = out;
    }
    boxes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(rows: &[&str]) -> (Vec<u8>, usize, usize) {
        let data = rows.iter().flat_map(|r| r.bytes().map(|b| u8::from(b == b'#'))).collect();
        (data, rows[0].len(), rows.len())
    }

    #[test]
    fn diagonal_neighbours_join_and_separate_blobs_do_not() {
        let (m, w, h) = mask(&["#.....", ".#..##", "....##", "......"]);
        let found = regions(&m, w, h);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], PixelBox { left: 0, top: 0, right: 1, bottom: 1, pixels: 2 });
        assert_eq!(found[1], PixelBox { left: 4, top: 1, right: 5, bottom: 2, pixels: 4 });
    }

    #[test]
    fn near_boxes_merge_until_none_touch() {
        let a = PixelBox { left: 0, top: 0, right: 2, bottom: 2, pixels: 9 };
        let b = PixelBox { left: 4, top: 0, right: 5, bottom: 1, pixels: 4 };
        let c = PixelBox { left: 7, top: 0, right: 8, bottom: 1, pixels: 4 };
        let far = PixelBox { left: 20, top: 20, right: 21, bottom: 21, pixels: 4 };
        let merged = merge_near(vec![a, c, far, b], 1);
        assert_eq!(merged.len(), 2, "{merged:?}");
        assert_eq!(merged[0], PixelBox { left: 0, top: 0, right: 8, bottom: 2, pixels: 17 });
    }
}

//! Shapes drawn on a camera's picture (masks, zones) and boxes, in
//! coordinates normalised 0–1 from the top left, so they hold whatever
//! resolution a stream is decoded or analysed at.

use serde::{Deserialize, Serialize};

pub use vms_base::analytics::Point;

/// A closed polygon: three or more points; the last joins the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon(pub Vec<Point>);

impl Polygon {
    /// Whether `p` lies inside (even–odd rule; points on an edge may fall either way).
    pub fn contains(&self, p: Point) -> bool {
        let points = &self.0;
        let mut inside = false;
        let mut j = points.len().wrapping_sub(1);
        for i in 0..points.len() {
            let (a, b) = (points[i], points[j]);
            if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
                inside = !inside;
            }
            j = i;
        }
        inside
    }

    /// Which pixels of a `width` × `height` grid have their centre inside.
    pub fn rasterize(&self, width: usize, height: usize) -> Vec<bool> {
        let mut out = vec![false; width * height];
        for y in 0..height {
            let py = (y as f32 + 0.5) / height as f32;
            for x in 0..width {
                out[y * width + x] = self.contains([(x as f32 + 0.5) / width as f32, py]);
            }
        }
        out
    }
}

/// A rectangle, normalised 0–1: left, top, width, height.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let (x, y) = (self.x.min(other.x), self.y.min(other.y));
        let right = (self.x + self.w).max(other.x + other.w);
        let bottom = (self.y + self.h).max(other.y + other.h);
        Rect { x, y, w: right - x, h: bottom - y }
    }

    /// The area shared with `other`.
    pub fn intersection_area(&self, other: &Rect) -> f32 {
        let w = (self.x + self.w).min(other.x + other.w) - self.x.max(other.x);
        let h = (self.y + self.h).min(other.y + other.h) - self.y.max(other.y);
        w.max(0.0) * h.max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_holds_its_inside_only() {
        let triangle = Polygon(vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]);
        assert!(triangle.contains([0.2, 0.2]));
        assert!(!triangle.contains([0.8, 0.8]));
        let square = Polygon(vec![[0.1, 0.1], [0.6, 0.1], [0.6, 0.6], [0.1, 0.6]]);
        let grid = square.rasterize(4, 4);
        let inside: Vec<usize> = (0..16).filter(|i| grid[*i]).collect();
        assert_eq!(inside, vec![0, 1, 4, 5], "the centres at 0.125 and 0.375");
    }

    #[test]
    fn rectangles_unite_and_intersect() {
        let a = Rect { x: 0.0, y: 0.0, w: 0.5, h: 0.5 };
        let b = Rect { x: 0.25, y: 0.25, w: 0.5, h: 0.5 };
        assert_eq!(a.union(&b), Rect { x: 0.0, y: 0.0, w: 0.75, h: 0.75 });
        assert!((a.intersection_area(&b) - 0.0625).abs() < 1e-6);
        assert_eq!(a.intersection_area(&Rect { x: 0.6, y: 0.6, w: 0.1, h: 0.1 }), 0.0);
    }
}

//! YOLO-format model outputs: which layout a model has (told from its
//! output's shape), turning its rows into scored boxes, and non-maximum
//! suppression per label.
//!
//! - YOLOv5: `[1, 3·cells, 5 + C]`, rows of centre x, centre y, width,
//!   height, objectness and C class scores; a box scores objectness × class.
//! - YOLOv8 / YOLO11: `[1, 4 + C, cells]`, one column per box: centre x,
//!   centre y, width, height and C class scores (no objectness).
//! - YOLOX (exported without decoding, as its exporter does by default):
//!   `[1, cells, 5 + C]`, with centres and sizes relative to each cell of
//!   the stride-8, -16 and -32 grids (`(x + gx)·s`, `exp(w)·s`).
//!
//! `cells` is the number of grid cells of the strides 8, 16 and 32 at the
//! model's input size (8,400 at 640 × 640). Boxes come out in the model's
//! input pixels.

/// How a model lays out its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// YOLOv5: rows with objectness, three anchors per cell.
    V5,
    /// YOLOv8 / YOLO11: columns without objectness.
    V8,
    /// YOLOX: rows with objectness, relative to the grid.
    Yolox,
}

/// Why a model's output is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The output's shape is none of the known YOLO layouts.
    #[error(
        "the model's output shape {shape:?} is not a YOLOv5 ([1, N, 5+C]), YOLOv8/11 ([1, 4+C, N]) or YOLOX ([1, N, 5+C]) output for a {width}x{height} input"
    )]
    Unknown {
        /// The output's shape.
        shape: Vec<i64>,
        /// The model's input width.
        width: u32,
        /// The model's input height.
        height: u32,
    },
    /// The labels file names a different number of classes than the model has.
    #[error("the model has {model} classes but the labels file names {labels}")]
    Labels {
        /// Classes in the model's output.
        model: usize,
        /// Lines of the labels file.
        labels: usize,
    },
    /// The shape fits more than one layout with this many classes.
    #[error("the model's output shape {shape:?} fits more than one YOLO layout; export it at another input size")]
    Ambiguous {
        /// The output's shape.
        shape: Vec<i64>,
    },
}

/// The most candidates kept (best first) before suppression, and the most
/// detections after it: a model that floods its output costs bounded time.
const MAX_CANDIDATES: usize = 30_000;
const MAX_DETECTIONS: usize = 300;

/// The recognised layout, with the number of classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// The layout.
    pub layout: Layout,
    /// Number of classes.
    pub classes: usize,
    /// Number of candidate boxes.
    pub boxes: usize,
}

/// A candidate the model found, in the model's input pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into the labels.
    pub label: usize,
    /// Confidence, 0–1.
    pub score: f32,
    /// Left, top, right, bottom.
    pub bounds: [f32; 4],
}

const STRIDES: [u32; 3] = [8, 16, 32];

/// Grid cells of the three strides at a `width` × `height` input.
fn cells(width: u32, height: u32) -> usize {
    STRIDES.iter().map(|s| (width.div_ceil(*s) * height.div_ceil(*s)) as usize).sum()
}

/// Tells the layout from the output `shape` of a model whose input is
/// `width` × `height`, checking it against `labels` classes.
pub fn recognise(shape: &[i64], width: u32, height: u32, labels: usize) -> Result<Output, LayoutError> {
    let unknown = || LayoutError::Unknown { shape: shape.to_vec(), width, height };
    let [1, a, b] = shape else { return Err(unknown()) };
    let (a, b) = (usize::try_from(*a).map_err(|_| unknown())?, usize::try_from(*b).map_err(|_| unknown())?);
    let cells = cells(width, height);
    // Every layout the shape fits; the labels decide between them.
    let mut fits = Vec::new();
    if b == cells && a > 4 {
        fits.push(Output { layout: Layout::V8, classes: a - 4, boxes: b });
    }
    if a == 3 * cells && b > 5 {
        fits.push(Output { layout: Layout::V5, classes: b - 5, boxes: a });
    }
    if a == cells && b > 5 {
        fits.push(Output { layout: Layout::Yolox, classes: b - 5, boxes: a });
    }
    let matching: Vec<Output> = fits.iter().copied().filter(|o| o.classes == labels).collect();
    match (&matching[..], fits.first()) {
        ([one], _) => Ok(*one),
        ([], Some(first)) => Err(LayoutError::Labels { model: first.classes, labels }),
        ([], None) => Err(unknown()),
        _ => Err(LayoutError::Ambiguous { shape: shape.to_vec() }),
    }
}

/// Reads the candidates scoring at least `min_score` from `data` (the
/// output tensor, row-major) of a model with input `width` × `height`.
pub fn decode(output: &Output, data: &[f32], width: u32, height: u32, min_score: f32) -> Vec<Candidate> {
    let (n, c) = (output.boxes, output.classes);
    let mut found = Vec::new();
    match output.layout {
        Layout::V8 => {
            if data.len() < (4 + c) * n {
                return found;
            }
            for i in 0..n {
                let at = |row: usize| data[row * n + i];
                let Some((label, score)) = best((0..c).map(|k| at(4 + k))) else { continue };
                if score >= min_score
                    && let Some(bounds) = corners(at(0), at(1), at(2), at(3))
                {
                    found.push(Candidate { label, score, bounds });
                }
            }
        }
        Layout::V5 | Layout::Yolox => {
            let width_row = 5 + c;
            if data.len() < width_row * n {
                return found;
            }
            let grid = (output.layout == Layout::Yolox).then(|| grid(width, height));
            for (i, row) in data.chunks_exact(width_row).take(n).enumerate() {
                let objectness = row[4];
                if !objectness.is_finite() || objectness < min_score {
                    continue;
                }
                let Some((label, class)) = best(row[5..].iter().copied()) else { continue };
                let score = objectness * class;
                // NaN (an infinite objectness times 0) fails too.
                if score.is_nan() || score < min_score {
                    continue;
                }
                let (cx, cy, w, h) = match &grid {
                    Some(grid) => {
                        let (gx, gy, s) = grid[i];
                        ((row[0] + gx) * s, (row[1] + gy) * s, row[2].exp() * s, row[3].exp() * s)
                    }
                    None => (row[0], row[1], row[2], row[3]),
                };
                if let Some(bounds) = corners(cx, cy, w, h) {
                    found.push(Candidate { label, score, bounds });
                }
            }
        }
    }
    if found.len() > MAX_CANDIDATES {
        found.select_nth_unstable_by(MAX_CANDIDATES, |a, b| b.score.total_cmp(&a.score));
        found.truncate(MAX_CANDIDATES);
    }
    found
}

/// Each cell of the stride-8, -16 and -32 grids, in YOLOX's order: its
/// column, row and stride.
fn grid(width: u32, height: u32) -> Vec<(f32, f32, f32)> {
    let mut cells = Vec::new();
    for s in STRIDES {
        for y in 0..height.div_ceil(s) {
            for x in 0..width.div_ceil(s) {
                cells.push((x as f32, y as f32, s as f32));
            }
        }
    }
    cells
}

/// The best class and its score.
fn best(scores: impl Iterator<Item = f32>) -> Option<(usize, f32)> {
    scores.enumerate().filter(|(_, s)| s.is_finite()).max_by(|a, b| a.1.total_cmp(&b.1))
}

/// A box's corners, if it is a real box (finite, not negative in size).
fn corners(cx: f32, cy: f32, w: f32, h: f32) -> Option<[f32; 4]> {
    let box_ = [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0];
    (box_.iter().all(|v| v.is_finite()) && w >= 0.0 && h >= 0.0).then_some(box_)
}

/// Intersection over union of two boxes.
pub fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = w * h;
    let area = |r: &[f32; 4]| (r[2] - r[0]).max(0.0) * (r[3] - r[1]).max(0.0);
    let union = area(a) + area(b) - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// Keeps, per label, the best candidates that overlap no better one by more
/// than `max_iou`; best first, at most [`MAX_DETECTIONS`].
pub fn suppress(mut candidates: Vec<Candidate>, max_iou: f32) -> Vec<Candidate> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        if kept.len() == MAX_DETECTIONS {
            break;
        }
        if !kept.iter().any(|k| k.label == c.label && iou(&k.bounds, &c.bounds) > max_iou) {
            kept.push(c);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_told_from_the_shape() {
        let v8 = recognise(&[1, 6, 8400], 640, 640, 2).unwrap();
        assert_eq!((v8.layout, v8.classes, v8.boxes), (Layout::V8, 2, 8400));
        let v8_coco = recognise(&[1, 84, 8400], 640, 640, 80).unwrap();
        assert_eq!(v8_coco.layout, Layout::V8);
        let v5 = recognise(&[1, 25200, 85], 640, 640, 80).unwrap();
        assert_eq!((v5.layout, v5.classes, v5.boxes), (Layout::V5, 80, 25200));
        let yolox = recognise(&[1, 3549, 85], 416, 416, 80).unwrap();
        assert_eq!((yolox.layout, yolox.classes), (Layout::Yolox, 80));
        // At 64 × 64 (84 cells) [1, 84, 84] is a COCO YOLOv8 or a 79-class YOLOX: the labels decide.
        assert_eq!(recognise(&[1, 84, 84], 64, 64, 80).unwrap().layout, Layout::V8);
        assert_eq!(recognise(&[1, 84, 84], 64, 64, 79).unwrap().layout, Layout::Yolox);
        assert!(matches!(recognise(&[1, 84, 84], 64, 64, 3), Err(LayoutError::Labels { .. })));
        assert!(matches!(recognise(&[1, 1000, 7], 640, 640, 2), Err(LayoutError::Unknown { .. })));
        assert!(matches!(recognise(&[1, 6, 8400, 1], 640, 640, 2), Err(LayoutError::Unknown { .. })));
        assert!(matches!(recognise(&[1, -1, 8400], 640, 640, 2), Err(LayoutError::Unknown { .. })));
        assert_eq!(recognise(&[1, 6, 8400], 640, 640, 80), Err(LayoutError::Labels { model: 2, labels: 80 }));
    }

    #[test]
    fn v8_columns_become_boxes() {
        let output = Output { layout: Layout::V8, classes: 2, boxes: 3 };
        // Columns: box 0 scores 0.9 for class 1, box 1 below the floor, box 2 0.6 for class 0.
        #[rustfmt::skip]
        let data = [
            100.0, 10.0, 300.0,
            100.0, 10.0, 200.0,
            40.0, 4.0, 20.0,
            20.0, 4.0, 60.0,
            0.1, 0.2, 0.6,
            0.9, 0.1, 0.3,
        ];
        let found = decode(&output, &data, 640, 640, 0.5);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], Candidate { label: 1, score: 0.9, bounds: [80.0, 90.0, 120.0, 110.0] });
        assert_eq!(found[1].label, 0);
        assert_eq!(found[1].bounds, [290.0, 170.0, 310.0, 230.0]);
    }

    #[test]
    fn v5_rows_multiply_objectness_and_class() {
        let output = Output { layout: Layout::V5, classes: 2, boxes: 2 };
        let data = [50.0, 50.0, 10.0, 10.0, 0.8, 0.5, 1.0, 50.0, 50.0, 10.0, 10.0, 0.3, 1.0, 0.0];
        let found = decode(&output, &data, 640, 640, 0.5);
        assert_eq!(found, vec![Candidate { label: 1, score: 0.8, bounds: [45.0, 45.0, 55.0, 55.0] }]);
    }

    #[test]
    fn yolox_rows_are_placed_on_their_grid_cell() {
        // A 32 × 32 input: 16 stride-8 cells, 4 stride-16, 1 stride-32 (21 in all).
        let output = recognise(&[1, 21, 6], 32, 32, 1).unwrap();
        let mut data = vec![0.0f32; 21 * 6];
        // Cell 5 is stride 8, column 1, row 1; a box at its offset (0.5, 0.5), size e^0 · 8.
        data[5 * 6..6 * 6].copy_from_slice(&[0.5, 0.5, 0.0, 0.0, 0.9, 0.9]);
        // Cell 20 is the stride-32 cell.
        data[20 * 6..21 * 6].copy_from_slice(&[0.5, 0.5, 0.0, 0.0, 0.9, 0.7]);
        let found = decode(&output, &data, 32, 32, 0.5);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].bounds, [8.0, 8.0, 16.0, 16.0]);
        assert_eq!(found[1].bounds, [0.0, 0.0, 32.0, 32.0]);
        assert!((found[0].score - 0.81).abs() < 1e-6);
    }

    #[test]
    fn suppression_works_per_label() {
        let c = |label, score, x: f32| Candidate { label, score, bounds: [x, 0.0, x + 10.0, 10.0] };
        let kept = suppress(vec![c(0, 0.6, 1.0), c(0, 0.9, 0.0), c(1, 0.5, 0.0), c(0, 0.7, 30.0)], 0.45);
        assert_eq!(kept, vec![c(0, 0.9, 0.0), c(0, 0.7, 30.0), c(1, 0.5, 0.0)]);
        assert!((iou(&[0.0, 0.0, 10.0, 10.0], &[5.0, 0.0, 15.0, 10.0]) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn short_or_odd_data_gives_nothing_rather_than_a_panic() {
        let output = Output { layout: Layout::V8, classes: 2, boxes: 8400 };
        assert!(decode(&output, &[0.0; 10], 640, 640, 0.1).is_empty());
        let nan = Output { layout: Layout::V5, classes: 1, boxes: 1 };
        assert!(decode(&nan, &[1.0, 1.0, 1.0, 1.0, 0.9, f32::NAN], 640, 640, 0.1).is_empty());
        assert!(decode(&nan, &[1.0, 1.0, 1.0, 1.0, f32::NAN, 0.9], 640, 640, 0.1).is_empty(), "NaN objectness");
        assert!(decode(&nan, &[1.0, 1.0, f32::INFINITY, 1.0, 0.9, 0.9], 640, 640, 0.1).is_empty(), "endless box");
        assert!(decode(&nan, &[1.0, 1.0, -4.0, 1.0, 0.9, 0.9], 640, 640, 0.1).is_empty(), "negative size");
    }

    #[test]
    fn a_flood_of_candidates_is_bounded() {
        let output = Output { layout: Layout::V5, classes: 1, boxes: 100_000 };
        let data: Vec<f32> = (0..100_000).flat_map(|i| [(i % 640) as f32, 10.0, 4.0, 4.0, 0.9, 0.9]).collect();
        let found = decode(&output, &data, 640, 640, 0.1);
        assert_eq!(found.len(), MAX_CANDIDATES);
        assert!(suppress(found, 0.45).len() <= MAX_DETECTIONS);
    }
}

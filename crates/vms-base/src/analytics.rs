//! A camera's analytics settings, as operators set them in control
//! (`PUT /api/cameras/{id}/analytics`) and as the analytics plane receives
//! them with its assignments: whether and how fast the camera is analysed,
//! which objects count, and the zones, lines and masks drawn on its picture.
//!
//! Coordinates are normalised 0–1 from the top left of the picture, so a
//! shape holds whatever resolution the stream is analysed at. Every field
//! has a default, so `{}` is a valid setting (analysed with the plane's
//! defaults, no zones or lines).

use serde::{Deserialize, Serialize};

use crate::StreamRole;

/// A point `[x, y]`, each 0–1 from the top left.
pub type Point = [f32; 2];

/// Most zones, lines or masks of one camera.
pub const MAX_SHAPES: usize = 32;
/// Most corners of one polygon.
pub const MAX_POINTS: usize = 64;
/// Most labels in one filter.
pub const MAX_LABELS: usize = 80;
/// The longest name of a zone, a line or a label.
pub const MAX_NAME: usize = 64;
/// The longest loitering time: a day.
pub const MAX_LOITER_SECS: u32 = 86_400;
/// The highest detect rate a camera may ask for.
pub const MAX_FPS: u32 = 30;
/// The most bytes one camera's setting takes as JSON. Every camera's
/// setting travels in the analytics plane's one assignment message, so one
/// camera's drawings must not be able to swell it without bound: 32 zones
/// and 32 masks of 64 corners, to 4 decimals as the web app draws them,
/// take about 70 KiB; the most anyone draws, a few.
pub const MAX_JSON_BYTES: usize = 96 * 1024;

/// How one camera is analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "enabled": true,
    "stream": "sub",
    "fps": 5,
    "labels": ["person", "car"],
    "min_score": 0.5,
    "min_area": 0.002,
    "motion_sensitivity": 60,
    "masks": [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78, 0.08]]],
    "zones": [
        {"name": "dock_door", "points": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]], "labels": ["person"],
         "loiter_secs": 60}
    ],
    "lines": [{"name": "gate", "a": [0.2, 0.6], "b": [0.8, 0.6], "labels": ["car"]}]
})))]
#[serde(deny_unknown_fields)]
pub struct CameraAnalytics {
    /// Whether the camera is analysed at all (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The stream analysed: `sub` or `main`; by default the sub stream, or
    /// the main stream of a camera that has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "sub"))]
    pub stream: Option<StreamRole>,
    /// Pictures analysed a second, 1 to 30; the plane's `analytics.detect_fps` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<u32>,
    /// The labels of the model that count (`person`, `car`); empty for all.
    #[serde(default)]
    pub labels: Vec<String>,
    /// The median score an object needs, 0.05 to 0.99; the plane's
    /// `analytics.min_score` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f32>,
    /// The smallest box that counts, as a share of the picture (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_area: Option<f32>,
    /// The largest box that counts, as a share of the picture (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_area: Option<f32>,
    /// Motion sensitivity, 1 (only large, strong changes) to 100 (the faintest); 50 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion_sensitivity: Option<u8>,
    /// Areas never looked at for motion (a clock overlay, a tree, a busy road).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<Vec<f32>>>))]
    pub masks: Vec<Vec<Point>>,
    /// Zones: an object is in one while the bottom centre of its box is.
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// Lines: an object crosses one when the bottom centre of its box does.
    #[serde(default)]
    pub lines: Vec<Line>,
}

fn yes() -> bool {
    true
}

impl Default for CameraAnalytics {
    fn default() -> Self {
        Self {
            enabled: true,
            stream: None,
            fps: None,
            labels: Vec::new(),
            min_score: None,
            min_area: None,
            max_area: None,
            motion_sensitivity: None,
            masks: Vec::new(),
            zones: Vec::new(),
            lines: Vec::new(),
        }
    }
}

/// A zone drawn on the picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Its name, unique among the camera's zones and lines (it names the events).
    pub name: String,
    /// Its corners, 3 to 64, in order; the last joins the first. The
    /// polygon must not cross itself.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<f32>>, example = json!([[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]])))]
    pub points: Vec<Point>,
    /// The labels that count here; empty for every label the camera counts.
    #[serde(default)]
    pub labels: Vec<String>,
    /// An object staying this many seconds is loitering (1 to 86,400); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loiter_secs: Option<u32>,
}

/// A line drawn on the picture, with a direction: from `a` to `b`.
/// Crossings are reported as `left_to_right` or `right_to_left`, as seen
/// standing on `a` looking at `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Its name, unique among the camera's zones and lines.
    pub name: String,
    /// One end.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<f32>, example = json!([0.2, 0.6])))]
    pub a: Point,
    /// The other end.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<f32>, example = json!([0.8, 0.6])))]
    pub b: Point,
    /// The labels that count here; empty for every label the camera counts.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// What is wrong with a setting: the field (`zones[1].points`) and why.
pub type Invalid = (String, String);

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
    (field.into(), problem.into())
}

impl CameraAnalytics {
    /// The same setting with names and labels trimmed and each label list
    /// without repeats: what is stored, and what events and rules see.
    pub fn normalised(mut self) -> Self {
        let tidy = |labels: &mut Vec<String>| {
            let mut seen = std::collections::HashSet::new();
            labels.retain_mut(|l| {
                *l = l.trim().to_owned();
                seen.insert(l.clone())
            });
        };
        tidy(&mut self.labels);
        for zone in &mut self.zones {
            zone.name = zone.name.trim().to_owned();
            tidy(&mut zone.labels);
        }
        for line in &mut self.lines {
            line.name = line.name.trim().to_owned();
            tidy(&mut line.labels);
        }
        self
    }

    /// Every label the setting names (the camera's, its zones' and lines').
    pub fn labels_named(&self) -> impl Iterator<Item = &str> {
        let zones = self.zones.iter().flat_map(|z| &z.labels);
        let lines = self.lines.iter().flat_map(|l| &l.labels);
        self.labels.iter().chain(zones).chain(lines).map(String::as_str)
    }

    /// Checks every field; the error names the first one at fault.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.fps.is_some_and(|f| !(1..=MAX_FPS).contains(&f)) {
            return Err(invalid("fps", format!("must be between 1 and {MAX_FPS}")));
        }
        labels("labels", &self.labels)?;
        // 1 would start no track at all: nothing is that sure.
        if self.min_score.is_some_and(|s| !(0.05..=0.99).contains(&s)) {
            return Err(invalid("min_score", "must be between 0.05 and 0.99"));
        }
        for (field, area) in [("min_area", self.min_area), ("max_area", self.max_area)] {
            if area.is_some_and(|a| !(0.0..=1.0).contains(&a)) {
                return Err(invalid(field, "must be a share of the picture, between 0 and 1"));
            }
        }
        if let (Some(min), Some(max)) = (self.min_area, self.max_area)
            && min > max
        {
            return Err(invalid("max_area", "must not be below min_area"));
        }
        if self.motion_sensitivity.is_some_and(|s| !(1..=100).contains(&s)) {
            return Err(invalid("motion_sensitivity", "must be between 1 and 100"));
        }
        for (what, count) in [("masks", self.masks.len()), ("zones", self.zones.len()), ("lines", self.lines.len())] {
            if count > MAX_SHAPES {
                return Err(invalid(what, format!("at most {MAX_SHAPES}")));
            }
        }
        for (i, mask) in self.masks.iter().enumerate() {
            polygon(&format!("masks[{i}]"), mask)?;
        }
        let mut names = std::collections::HashSet::new();
        for (i, zone) in self.zones.iter().enumerate() {
            name(&format!("zones[{i}].name"), &zone.name, &mut names)?;
            polygon(&format!("zones[{i}].points"), &zone.points)?;
            labels(&format!("zones[{i}].labels"), &zone.labels)?;
            if zone.loiter_secs.is_some_and(|s| !(1..=MAX_LOITER_SECS).contains(&s)) {
                return Err(invalid(
                    format!("zones[{i}].loiter_secs"),
                    format!("must be between 1 and {MAX_LOITER_SECS}"),
                ));
            }
        }
        for (i, line) in self.lines.iter().enumerate() {
            name(&format!("lines[{i}].name"), &line.name, &mut names)?;
            for (end, p) in [("a", line.a), ("b", line.b)] {
                if !on_picture(p) {
                    return Err(invalid(format!("lines[{i}].{end}"), "must be [x, y], each between 0 and 1"));
                }
            }
            if distance(line.a, line.b) < 0.01 {
                return Err(invalid(format!("lines[{i}].b"), "must be apart from a (at least 1% of the picture)"));
            }
            labels(&format!("lines[{i}].labels"), &line.labels)?;
        }
        let size = serde_json::to_vec(self).map_or(usize::MAX, |json| json.len());
        if size > MAX_JSON_BYTES {
            return Err(invalid(
                "analytics",
                format!("the setting takes {size} bytes; at most {MAX_JSON_BYTES} (fewer corners or labels)"),
            ));
        }
        Ok(())
    }
}

/// Whether a character is invisible or reorders text (controls, zero-width
/// and bidirectional marks, line and paragraph separators): a name with one
/// can look like another.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn name(field: &str, name: &str, seen: &mut std::collections::HashSet<String>) -> Result<(), Invalid> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_NAME || name.chars().any(invisible) {
        return Err(invalid(field, format!("must be 1 to {MAX_NAME} printable characters")));
    }
    if !seen.insert(trimmed.to_lowercase()) {
        return Err(invalid(field, format!("{trimmed:?} names another zone or line of this camera")));
    }
    Ok(())
}

fn labels(field: &str, labels: &[String]) -> Result<(), Invalid> {
    if labels.len() > MAX_LABELS {
        return Err(invalid(field, format!("at most {MAX_LABELS} labels")));
    }
    if labels.iter().any(|l| l.trim().is_empty() || l.chars().count() > MAX_NAME || l.chars().any(invisible)) {
        return Err(invalid(field, format!("each label must be 1 to {MAX_NAME} printable characters")));
    }
    Ok(())
}

fn on_picture(p: Point) -> bool {
    p.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v))
}

fn distance(a: Point, b: Point) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Checks a polygon: 3 to 64 corners on the picture, an area (not a line
/// or a dot), and no edge crossing another.
fn polygon(field: &str, points: &[Point]) -> Result<(), Invalid> {
    if !(3..=MAX_POINTS).contains(&points.len()) {
        return Err(invalid(field, format!("must have 3 to {MAX_POINTS} points")));
    }
    if let Some(i) = points.iter().position(|p| !on_picture(*p)) {
        return Err(invalid(field, format!("point {i} must be [x, y], each between 0 and 1")));
    }
    if area(points) < 1e-4 {
        return Err(invalid(field, "must enclose an area (at least 0.01% of the picture)"));
    }
    let n = points.len();
    let edge = |i: usize| (points[i], points[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            // Neighbouring edges share a corner; that is not a crossing.
            if j == i + 1 || (i == 0 && j == n - 1) {
                continue;
            }
            if segments_cross(edge(i), edge(j)) {
                return Err(invalid(field, format!("edges {i} and {j} cross: the polygon must not cross itself")));
            }
        }
    }
    Ok(())
}

/// The polygon's area (shoelace).
fn area(points: &[Point]) -> f32 {
    let n = points.len();
    let twice: f32 = (0..n)
        .map(|i| {
            let (p, q) = (points[i], points[(i + 1) % n]);
            p[0] * q[1] - q[0] * p[1]
        })
        .sum();
    twice.abs() / 2.0
}

/// Which side of the line through `a` and `b` the point `p` is on: positive
/// on the right as seen from `a` looking at `b` (y grows downwards),
/// negative on the left, zero on it.
pub fn side(a: Point, b: Point, p: Point) -> f32 {
    (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
}

/// Whether two segments touch or cross.
pub fn segments_cross((p, q): (Point, Point), (r, s): (Point, Point)) -> bool {
    let (d1, d2) = (side(r, s, p), side(r, s, q));
    let (d3, d4) = (side(p, q, r), side(p, q, s));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return true;
    }
    let within = |a: Point, b: Point, c: Point| {
        c[0] >= a[0].min(b[0]) && c[0] <= a[0].max(b[0]) && c[1] >= a[1].min(b[1]) && c[1] <= a[1].max(b[1])
    };
    (d1 == 0.0 && within(r, s, p))
        || (d2 == 0.0 && within(r, s, q))
        || (d3 == 0.0 && within(p, q, r))
        || (d4 == 0.0 && within(p, q, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> CameraAnalytics {
        serde_json::from_str(json).expect("valid JSON")
    }

    fn problem(json: &str) -> Invalid {
        parse(json).validate().expect_err(json)
    }

    #[test]
    fn an_empty_setting_is_the_plane_defaults() {
        let s = parse("{}");
        assert_eq!(s, CameraAnalytics::default());
        assert!(s.enabled);
        s.validate().unwrap();
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"enabled":true,"labels":[],"masks":[],"zones":[],"lines":[]}"#
        );
    }

    #[test]
    fn a_full_setting_round_trips() {
        let json = r#"{"enabled":true,"stream":"main","fps":10,"labels":["person","car"],"min_score":0.6,
            "min_area":0.001,"max_area":0.5,"motion_sensitivity":70,"masks":[[[0,0],[0.2,0],[0.2,0.1]]],
            "zones":[{"name":"Door","points":[[0.1,0.5],[0.9,0.5],[0.9,1],[0.1,1]],"labels":["person"],"loiter_secs":30}],
            "lines":[{"name":"Gate","a":[0.2,0.6],"b":[0.8,0.6]}]}"#;
        let s = parse(json);
        s.validate().unwrap();
        assert_eq!(s.stream, Some(StreamRole::Main));
        assert_eq!(s.zones[0].loiter_secs, Some(30));
        let again: CameraAnalytics = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<CameraAnalytics>(r#"{"zone":[]}"#).is_err());
        assert!(
            serde_json::from_str::<CameraAnalytics>(r#"{"lines":[{"name":"x","a":[0,0],"b":[1,1],"c":1}]}"#).is_err()
        );
    }

    #[test]
    fn bad_values_name_their_field() {
        assert_eq!(problem(r#"{"fps":0}"#).0, "fps");
        assert_eq!(problem(r#"{"fps":31}"#).0, "fps");
        assert_eq!(problem(r#"{"min_score":0}"#).0, "min_score");
        assert_eq!(problem(r#"{"min_area":-0.1}"#).0, "min_area");
        assert_eq!(problem(r#"{"min_area":0.5,"max_area":0.1}"#).0, "max_area");
        assert_eq!(problem(r#"{"motion_sensitivity":0}"#).0, "motion_sensitivity");
        assert_eq!(problem(r#"{"labels":[" "]}"#).0, "labels");
        assert_eq!(problem(r#"{"masks":[[[0,0],[1,0]]]}"#).0, "masks[0]");
        let zone = |points: &str| format!(r#"{{"zones":[{{"name":"z","points":{points}}}]}}"#);
        assert_eq!(problem(&zone("[[0,0],[1,0],[1,1.5]]")).0, "zones[0].points");
        assert_eq!(problem(&zone("[[0,0],[0.5,0.5],[1,1]]")).1, "must enclose an area (at least 0.01% of the picture)");
        // A bow tie: its edges 0 and 2 cross.
        let bow = problem(&zone("[[0,0],[1,1],[1,0],[0,0.5]]"));
        assert_eq!(bow.0, "zones[0].points");
        assert!(bow.1.contains("cross"), "{bow:?}");
        let loiter = r#"{"zones":[{"name":"z","points":[[0,0],[1,0],[1,1]],"loiter_secs":0}]}"#;
        assert_eq!(problem(loiter).0, "zones[0].loiter_secs");
        let twins = r#"{"zones":[{"name":"Door","points":[[0,0],[1,0],[1,1]]}],"lines":[{"name":"door ","a":[0,0],"b":[1,1]}]}"#;
        assert_eq!(problem(twins).0, "lines[0].name");
        assert_eq!(problem(r#"{"lines":[{"name":"l","a":[0.5,0.5],"b":[0.5,0.505]}]}"#).0, "lines[0].b");
        assert_eq!(problem(r#"{"lines":[{"name":"l","a":[0.5,0.5],"b":[1.5,0.5]}]}"#).0, "lines[0].b");
        assert_eq!(problem(r#"{"lines":[{"name":"","a":[0,0],"b":[1,1]}]}"#).0, "lines[0].name");
    }

    #[test]
    fn names_and_labels_are_tidied_and_invisible_characters_refused() {
        let s = parse(r#"{"labels":[" person","person","car "],"zones":[{"name":" Door ","points":[[0,0],[1,0],[1,1]],"labels":["a","a"]}]}"#)
            .normalised();
        assert_eq!(s.labels, ["person", "car"]);
        assert_eq!((s.zones[0].name.as_str(), s.zones[0].labels.len()), ("Door", 1));
        assert_eq!(s.labels_named().collect::<Vec<_>>(), ["person", "car", "a"]);
        for name in ["Door\u{202E}", "\nDoor", "Do\u{200B}or"] {
            let json =
                format!(r#"{{"lines":[{{"name":{},"a":[0,0],"b":[1,1]}}]}}"#, serde_json::to_string(name).unwrap());
            assert_eq!(problem(&json).0, "lines[0].name", "{name:?}");
        }
        assert_eq!(problem(r#"{"min_score":1.0}"#).0, "min_score", "nothing is that sure");
    }

    #[test]
    fn a_setting_too_large_to_send_is_refused_as_a_whole() {
        let long = "l".repeat(MAX_NAME);
        let labels: Vec<String> = (0..MAX_LABELS).map(|i| format!("{long:.60}{i:04}")).collect();
        let line = |i: usize| Line { name: format!("line {i}"), a: [0.0, 0.0], b: [1.0, 1.0], labels: labels.clone() };
        let s = CameraAnalytics { lines: (0..MAX_SHAPES).map(line).collect(), ..Default::default() };
        assert_eq!(s.validate().unwrap_err().0, "analytics");
        // Each part alone is within its own bounds.
        CameraAnalytics { lines: vec![line(0)], ..Default::default() }.validate().unwrap();
    }

    #[test]
    fn the_most_shapes_the_web_app_can_draw_fit() {
        let corners: Vec<Point> = (0..MAX_POINTS)
            .map(|i| {
                let t = i as f32 / MAX_POINTS as f32 * std::f32::consts::TAU;
                [0.5 + 0.4123 * t.cos(), 0.5 + 0.4321 * t.sin()]
            })
            .map(|[x, y]| [(x * 1e4).round() / 1e4, (y * 1e4).round() / 1e4])
            .collect();
        let zone = |i: usize| Zone {
            name: format!("zone {i}"),
            points: corners.clone(),
            labels: vec![],
            loiter_secs: Some(60),
        };
        let s = CameraAnalytics {
            zones: (0..MAX_SHAPES).map(zone).collect(),
            masks: vec![corners.clone(); MAX_SHAPES],
            ..Default::default()
        };
        s.validate().unwrap();
    }

    #[test]
    fn too_many_shapes_are_refused() {
        let zones: Vec<String> =
            (0..=MAX_SHAPES).map(|i| format!(r#"{{"name":"z{i}","points":[[0,0],[1,0],[1,1]]}}"#)).collect();
        assert_eq!(problem(&format!(r#"{{"zones":[{}]}}"#, zones.join(","))).0, "zones");
        let points: Vec<String> = (0..=MAX_POINTS).map(|i| format!("[{},{}]", i as f32 / 100.0, 0.5)).collect();
        assert_eq!(problem(&format!(r#"{{"masks":[[{}]]}}"#, points.join(","))).0, "masks[0]");
    }

    #[test]
    fn sides_and_crossings() {
        let (a, b) = ([0.0, 0.5], [1.0, 0.5]);
        assert!(side(a, b, [0.5, 0.9]) > 0.0, "below the line is on the right, looking from a to b");
        assert!(side(a, b, [0.5, 0.1]) < 0.0);
        assert!(segments_cross((a, b), ([0.5, 0.0], [0.5, 1.0])));
        assert!(!segments_cross((a, b), ([1.5, 0.0], [1.5, 1.0])));
        assert!(segments_cross((a, b), ([0.5, 0.5], [0.5, 1.0])), "touching counts");
    }
}

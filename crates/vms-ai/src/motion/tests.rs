//! The detector on synthetic scenes: a textured background with noise, a
//! square that moves and stops, brightness jumps, a light switching, shake
//! and masks.

use vms_video::gray::Gray;

use super::*;

const W: u32 = 160;
const H: u32 = 120;

/// A deterministic noise source (xorshift), values in `-amplitude..=amplitude`.
struct Noise(u32, i32);

impl Noise {
    fn next(&mut self) -> i32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 % (2 * self.1 as u32 + 1)) as i32 - self.1
    }
}

/// The scene's texture at (x, y), shifted by `dx`.
fn texture(x: u32, y: u32, dx: i32) -> i32 {
    let x = x as f32 + dx as f32;
    (80.0 + 50.0 * (x / 7.0).sin() * (y as f32 / 5.0).cos() + 20.0 * (x / 23.0 + y as f32 / 17.0).sin()) as i32
}

struct Scene {
    noise: Noise,
    /// Added to every pixel.
    brightness: i32,
    /// The texture's horizontal shift (camera shake).
    shift: i32,
    /// Inverts the texture (a light switching changes the picture's look, not only its level).
    relit: bool,
    /// A square's top-left corner, side and look.
    square: Option<(u32, u32, u32, Fill)>,
}

/// How a square looks.
#[derive(Clone, Copy)]
enum Fill {
    /// One value.
    Flat(i32),
    /// The scene behind it, lifted by this much.
    Lift(i32),
    /// A checkerboard of dark and light two-pixel cells (a patterned coat).
    Checks,
}

impl Scene {
    fn new(noise: i32) -> Self {
        Self { noise: Noise(0x1234_5678, noise), brightness: 0, shift: 0, relit: false, square: None }
    }

    fn picture(&mut self) -> Gray {
        let mut data = Vec::with_capacity((W * H) as usize);
        for y in 0..H {
            for x in 0..W {
                let mut v = texture(x, y, self.shift);
                if self.relit {
                    v = 200 - v / 2;
                }
                if let Some((left, top, side, fill)) = self.square
                    && (left..left + side).contains(&x)
                    && (top..top + side).contains(&y)
                {
                    v = match fill {
                        Fill::Flat(value) => value,
                        Fill::Lift(by) => v + by,
                        Fill::Checks => [20, 230][((x / 2 + y / 2) % 2) as usize],
                    };
                }
                data.push((v + self.brightness + self.noise.next()).clamp(0, 255) as u8);
            }
        }
        Gray { width: W, height: H, data }
    }
}

fn square_rect(left: u32, top: u32, side: u32) -> Rect {
    Rect { x: left as f32 / W as f32, y: top as f32 / H as f32, w: side as f32 / W as f32, h: side as f32 / H as f32 }
}

#[test]
fn a_moving_square_is_motion_only_while_it_moves() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(6);
    for n in 0..20 {
        let motion = detector.detect(&scene.picture());
        assert!(!motion.any(), "picture {n} of a still scene: {motion:?}");
    }
    let side = 16;
    let mut left = 10;
    for n in 20..50 {
        left += 3;
        scene.square = Some((left, 50, side, Fill::Flat(230)));
        let motion = detector.detect(&scene.picture());
        let square = square_rect(left, 50, side);
        assert!(
            motion.boxes.iter().any(|b| b.intersection_area(&square) > 0.5 * square.w * square.h),
            "picture {n}: the square at x = {left} moved unseen: {motion:?}"
        );
        assert!(motion.boxes.len() <= 2, "picture {n}: {motion:?}");
    }
    let mut quiet_from = None;
    for n in 50..90 {
        let motion = detector.detect(&scene.picture());
        match (motion.any(), quiet_from) {
            (false, None) => quiet_from = Some(n),
            (true, Some(q)) => panic!("motion came back at picture {n} after quiet from {q}: {motion:?}"),
            _ => {}
        }
    }
    let quiet_from = quiet_from.expect("a square that stopped stays motion for ever");
    assert!(quiet_from <= 50 + u32::from(ABSORB_FRAMES) + 5, "the stopped square was motion until {quiet_from}");
}

#[test]
fn a_uniform_brightness_jump_is_not_motion() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(4);
    for n in 0..60 {
        if n == 20 {
            scene.brightness = 60;
        }
        if n == 40 {
            scene.brightness = -30;
        }
        let motion = detector.detect(&scene.picture());
        assert!(!motion.any(), "picture {n}: {motion:?}");
    }
}

#[test]
fn a_light_switching_recalibrates_and_motion_is_seen_again_after() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(4);
    let mut calibrated = 0;
    for n in 0..30 {
        if n == 10 {
            scene.relit = true;
        }
        let motion = detector.detect(&scene.picture());
        assert!(!motion.any(), "picture {n}: {motion:?}");
        calibrated += u32::from(motion.calibrating);
    }
    assert!((CALM_FRAMES..=10).contains(&calibrated), "re-calibrated for {calibrated} pictures");
    let mut seen = 0;
    for n in 30..40 {
        scene.square = Some((20 + 4 * (n - 30), 30, 14, Fill::Flat(10)));
        seen += u32::from(detector.detect(&scene.picture()).any());
    }
    assert!(seen >= 9, "after re-calibrating, the square was seen in {seen} of 10 pictures");
}

#[test]
fn noise_and_shake_alone_are_not_motion() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(25);
    for n in 0..100 {
        scene.shift = [0, 1, 0, -1][n % 4];
        let motion = detector.detect(&scene.picture());
        assert!(!motion.any(), "picture {n}: {motion:?}");
    }
}

#[test]
fn masked_areas_are_not_watched() {
    let mask = Polygon(vec![[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]);
    let mut detector = MotionDetector::new(Settings { masks: vec![mask], ..Settings::default() });
    let mut scene = Scene::new(4);
    for n in 0..40u32 {
        // Inside the left half until picture 20, then in the right half.
        let left = if n < 20 { 10 + 2 * n } else { 90 + 2 * (n - 20) };
        scene.square = (n >= 2).then_some((left, 40, 12, Fill::Checks));
        let motion = detector.detect(&scene.picture());
        if n < 20 {
            assert!(!motion.any(), "picture {n} moved only under the mask: {motion:?}");
        } else if n > 21 {
            assert!(motion.boxes.iter().all(|b| b.x >= 0.5), "picture {n}: {motion:?}");
            assert!(motion.any(), "picture {n}: the square in the open was not seen");
        }
    }
}

#[test]
fn sensitivity_decides_whether_a_faint_change_counts() {
    let faint = |sensitivity| {
        let mut detector = MotionDetector::new(Settings { sensitivity, ..Settings::default() });
        let mut scene = Scene::new(2);
        let mut seen = 0;
        for n in 0..30u32 {
            // A square only a little brighter than the scene behind it.
            scene.square = (n >= 10).then(|| (20 + 3 * (n - 10), 60, 16, Fill::Lift(20)));
            seen += u32::from(detector.detect(&scene.picture()).any());
        }
        seen
    };
    assert!(faint(100) >= 15, "the most sensitive setting saw it in {} pictures", faint(100));
    assert_eq!(faint(1), 0, "the least sensitive setting saw it");
}

#[test]
fn a_big_bright_object_in_a_dim_scene_moves_only_itself() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(2);
    // A dim scene: the texture's 10–150 squeezed into about 20–55.
    scene.brightness = -60;
    for n in 0..30u32 {
        let left = 10 + 4 * n.saturating_sub(10);
        // From picture 10 a 40×40 bright object (over 8% of the picture) walks in.
        scene.square = (n >= 10).then_some((left, 40, 40, Fill::Flat(220)));
        let motion = detector.detect(&scene.picture());
        assert!(!motion.calibrating, "picture {n}: the object is not a change of light");
        if n > 10 {
            let object = square_rect(left.saturating_sub(4), 40, 48);
            assert!(motion.any(), "picture {n}: the object was not seen");
            for b in &motion.boxes {
                assert!(b.intersection_area(&object) > 0.0, "picture {n}: motion away from the object: {b:?}");
            }
        }
    }
}

#[test]
fn something_close_to_the_camera_is_motion_not_a_change_of_light() {
    let mut detector = MotionDetector::new(Settings::default());
    let mut scene = Scene::new(4);
    for n in 0..20u32 {
        // A 90×90 patterned object (over 40% of the picture) moving across.
        scene.square = (n >= 5).then(|| (5 * (n - 5), 15, 90, Fill::Checks));
        let motion = detector.detect(&scene.picture());
        assert!(!motion.calibrating, "picture {n}: {motion:?}");
        if n > 5 {
            assert!(motion.any(), "picture {n}: the close object was not seen");
        }
    }
}

//! A constant-velocity Kalman filter for one coordinate (position and
//! speed), four of which follow a box: centre x, centre y, width, height.
//! Independent coordinates keep the filter small and exact enough for boxes
//! a few pictures apart.

/// One coordinate's position and speed, with their uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    /// Position.
    pub x: f32,
    /// Speed, per picture.
    pub v: f32,
    /// Covariance: [[pxx, pxv], [pxv, pvv]].
    p: [f32; 3],
}

/// How much a position and a speed may change unexpectedly between pictures.
const PROCESS_X: f32 = 1e-4;
const PROCESS_V: f32 = 1e-4;
/// How far off a measurement may be.
const MEASUREMENT: f32 = 1e-3;

impl Axis {
    /// Starts at `x`, not moving, speed unknown.
    pub fn new(x: f32) -> Self {
        Self { x, v: 0.0, p: [MEASUREMENT, 0.0, 0.01] }
    }

    /// Moves one picture ahead.
    pub fn predict(&mut self) {
        let [pxx, pxv, pvv] = self.p;
        self.x += self.v;
        self.p = [pxx + 2.0 * pxv + pvv + PROCESS_X, pxv + pvv, pvv + PROCESS_V];
    }

    /// Takes a measurement `z` of the position.
    pub fn update(&mut self, z: f32) {
        let [pxx, pxv, pvv] = self.p;
        let s = pxx + MEASUREMENT;
        let (kx, kv) = (pxx / s, pxv / s);
        let residual = z - self.x;
        self.x += kx * residual;
        self.v += kv * residual;
        self.p = [(1.0 - kx) * pxx, (1.0 - kx) * pxv, pvv - kv * pxv];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_mover_is_followed_and_its_speed_learned() {
        let mut axis = Axis::new(0.0);
        for n in 1..=20 {
            axis.predict();
            axis.update(n as f32 * 0.01);
        }
        assert!((axis.v - 0.01).abs() < 0.002, "speed {}", axis.v);
        axis.predict();
        assert!((axis.x - 0.21).abs() < 0.005, "predicted {}", axis.x);
    }

    #[test]
    fn without_measurements_it_keeps_going() {
        let mut axis = Axis::new(0.0);
        for n in 1..=10 {
            axis.predict();
            axis.update(n as f32 * 0.02);
        }
        // Hidden for three pictures: it goes on at the speed it had.
        for _ in 0..3 {
            axis.predict();
        }
        assert!((axis.x - 0.26).abs() < 0.01, "{}", axis.x);
        let mut still = Axis::new(0.5);
        still.update(0.5);
        still.predict();
        assert!((still.x - 0.5).abs() < 1e-6);
    }
}

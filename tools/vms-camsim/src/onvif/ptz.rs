//! A simulated PTZ head: a position that moves with the velocity asked for
//! until stopped or timed out, presets and a home position.

use std::{collections::BTreeMap, time::Instant};

/// Generic-space units per second at velocity 1.
const FULL_SPEED: f32 = 0.5;

/// Pan, tilt, zoom.
pub type Vector = [f32; 3];

/// The head.
#[derive(Debug)]
pub struct Head {
    position: Vector,
    velocity: Vector,
    since: Instant,
    until: Option<Instant>,
    presets: BTreeMap<String, (String, Vector)>,
    next_preset: u32,
}

impl Default for Head {
    fn default() -> Self {
        Head {
            position: [0.0; 3],
            velocity: [0.0; 3],
            since: Instant::now(),
            until: None,
            presets: BTreeMap::new(),
            next_preset: 1,
        }
    }
}

fn clamp(v: Vector) -> Vector {
    [v[0].clamp(-1.0, 1.0), v[1].clamp(-1.0, 1.0), v[2].clamp(0.0, 1.0)]
}

impl Head {
    /// Brings the position up to `now` and stops a move whose timeout passed.
    fn advance(&mut self, now: Instant) {
        let end = self.until.map_or(now, |u| u.min(now));
        let secs = end.saturating_duration_since(self.since).as_secs_f32();
        let mut p = self.position;
        for (axis, v) in self.velocity.iter().enumerate() {
            p[axis] += v * FULL_SPEED * secs;
        }
        self.position = clamp(p);
        self.since = now;
        if self.until.is_some_and(|u| u <= now) {
            self.velocity = [0.0; 3];
            self.until = None;
        }
    }

    /// Where it is now and whether it moves.
    pub fn status(&mut self) -> (Vector, bool) {
        self.advance(Instant::now());
        (self.position, self.velocity.iter().any(|v| *v != 0.0))
    }

    /// Starts moving at `velocity` (each −1..1), for `timeout` at most.
    pub fn continuous(&mut self, velocity: Vector, timeout: Option<std::time::Duration>) {
        let now = Instant::now();
        self.advance(now);
        self.velocity = velocity.map(|v| v.clamp(-1.0, 1.0));
        self.until = timeout.map(|t| now + t);
    }

    /// Stops.
    pub fn stop(&mut self) {
        self.advance(Instant::now());
        self.velocity = [0.0; 3];
        self.until = None;
    }

    /// Goes to `position` at once.
    pub fn absolute(&mut self, position: Vector) {
        self.stop();
        self.position = clamp(position);
    }

    /// Moves by `by` at once.
    pub fn relative(&mut self, by: Vector) {
        self.stop();
        self.position = clamp([self.position[0] + by[0], self.position[1] + by[1], self.position[2] + by[2]]);
    }

    /// Stores the position as a preset (a new token unless `token` names one); returns its token.
    pub fn set_preset(&mut self, name: &str, token: Option<&str>) -> String {
        self.advance(Instant::now());
        let token = match token {
            Some(t) if self.presets.contains_key(t) => t.to_owned(),
            _ => {
                let t = self.next_preset.to_string();
                self.next_preset += 1;
                t
            }
        };
        self.presets.insert(token.clone(), (name.to_owned(), self.position));
        token
    }

    /// The presets: token, name, position.
    pub fn presets(&self) -> Vec<(String, String, Vector)> {
        self.presets.iter().map(|(t, (n, p))| (t.clone(), n.clone(), *p)).collect()
    }

    /// Goes to a preset; false if there is none with `token`.
    pub fn goto_preset(&mut self, token: &str) -> bool {
        let Some((_, position)) = self.presets.get(token).cloned() else { return false };
        self.absolute(position);
        true
    }

    /// Removes a preset; false if there was none.
    pub fn remove_preset(&mut self, token: &str) -> bool {
        self.presets.remove(token).is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn moves_with_velocity_and_stops_at_its_timeout() {
        let mut head = Head::default();
        head.continuous([1.0, -1.0, 0.5], Some(Duration::from_millis(200)));
        std::thread::sleep(Duration::from_millis(400));
        let ([pan, tilt, zoom], moving) = head.status();
        assert!(!moving, "the timeout stopped it");
        assert!(
            (pan - 0.1).abs() < 0.02 && (tilt + 0.1).abs() < 0.02 && (zoom - 0.05).abs() < 0.02,
            "{pan} {tilt} {zoom}"
        );
    }

    #[test]
    fn positions_are_clamped_and_presets_kept() {
        let mut head = Head::default();
        head.absolute([3.0, -3.0, -1.0]);
        assert_eq!(head.status().0, [1.0, -1.0, 0.0]);
        let token = head.set_preset("gate", None);
        head.relative([-0.5, 0.5, 0.25]);
        assert_eq!(head.status().0, [0.5, -0.5, 0.25]);
        assert!(head.goto_preset(&token));
        assert_eq!(head.status().0, [1.0, -1.0, 0.0]);
        assert_eq!(head.set_preset("gate 2", Some(&token)), token, "an existing token is replaced");
        assert!(head.remove_preset(&token));
        assert!(!head.goto_preset(&token));
    }
}

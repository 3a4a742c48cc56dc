//! Simulated cameras: which clip each serves and how it misbehaves.
//!
//! Options come from the command line (`--camera door=h264_720p?auth=digest`)
//! or from the request's query string (`rtsp://host/h264_720p?drop_after=5`),
//! the query adding to the camera's own:
//!
//! | option | effect |
//! |---|---|
//! | `auth=basic` or `auth=digest` | require credentials (`user`, `password`; default `admin` / `camsim`) |
//! | `auth_fail` | refuse every credential (a camera whose password changed) |
//! | `drop_after=N` | close the connection N seconds into PLAY |
//! | `stall_after=N` | stop sending N seconds into PLAY but keep the connection |
//! | `garbage` | every second, send a packet of random bytes as RTP payload |
//! | `truncate` | every second, send a truncated RTP packet |
//! | `switch_after=N` | switch to the other resolution at the first loop end after N seconds |
//! | `silent` | accept connections and read requests, but never answer DESCRIBE, SETUP or PLAY (a hung camera) |

use std::time::Duration;

use anyhow::{Context, bail};

use crate::clip::ClipSpec;

/// How a camera wants clients to authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// RTSP Basic.
    Basic,
    /// RTSP Digest (and Basic).
    Digest,
}

/// A camera's behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Required authentication.
    pub auth: Option<AuthMode>,
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Refuse every credential.
    pub auth_fail: bool,
    /// Close the connection after this long playing.
    pub drop_after: Option<Duration>,
    /// Stop sending after this long playing.
    pub stall_after: Option<Duration>,
    /// Send random payloads now and then.
    pub garbage: bool,
    /// Send truncated packets now and then.
    pub truncate: bool,
    /// Switch resolution after this long.
    pub switch_after: Option<Duration>,
    /// Never answer DESCRIBE, SETUP or PLAY.
    pub silent: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            auth: None,
            username: "admin".into(),
            password: "camsim".into(),
            auth_fail: false,
            drop_after: None,
            stall_after: None,
            garbage: false,
            truncate: false,
            switch_after: None,
            silent: false,
        }
    }
}

impl Options {
    /// Applies `key=value&flag` options on top of these.
    pub fn apply(&mut self, query: &str) -> anyhow::Result<()> {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let secs = || -> anyhow::Result<Option<Duration>> {
                Ok(Some(Duration::from_secs_f64(value.parse::<f64>().with_context(|| format!("{key} needs seconds"))?)))
            };
            match key {
                "auth" => {
                    self.auth = match value {
                        "basic" => Some(AuthMode::Basic),
                        "digest" => Some(AuthMode::Digest),
                        "none" => None,
                        other => bail!("auth must be basic, digest or none, not `{other}`"),
                    }
                }
                "user" => self.username = value.to_owned(),
                "password" => self.password = value.to_owned(),
                "auth_fail" => self.auth_fail = true,
                "drop_after" => self.drop_after = secs()?,
                "stall_after" => self.stall_after = secs()?,
                "garbage" => self.garbage = true,
                "truncate" => self.truncate = true,
                "switch_after" => self.switch_after = secs()?,
                "silent" => self.silent = true,
                other => bail!("unknown camera option `{other}`"),
            }
        }
        Ok(())
    }
}

/// A camera served under a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Camera {
    /// Path segment (`rtsp://host:port/<name>`).
    pub name: String,
    /// Clip it loops.
    pub clip: ClipSpec,
    /// Behaviour.
    pub options: Options,
}

impl Camera {
    /// Parses `name=clip[?options]`, or a bare clip name served under its own name.
    pub fn parse(spec: &str) -> anyhow::Result<Camera> {
        let (name, rest) = spec.split_once('=').unwrap_or((spec, spec));
        let (clip, query) = rest.split_once('?').unwrap_or((rest, ""));
        let clip = ClipSpec::named(clip).with_context(|| format!("unknown clip `{clip}`"))?;
        let mut options = Options::default();
        options.apply(query)?;
        Ok(Camera { name: name.to_owned(), clip, options })
    }

    /// One camera per clip, named after it (those of real footage only where it is installed).
    pub fn defaults() -> Vec<Camera> {
        crate::clip::CATALOGUE
            .iter()
            // A clip of real footage only where the footage is installed.
            .filter(|c| c.footage.is_none_or(|f| std::path::Path::new(f).is_file()))
            .map(|c| Camera { name: c.name.to_owned(), clip: *c, options: Options::default() })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cameras_and_options() {
        let c = Camera::parse("door=h264_720p?auth=digest&user=u&password=p&drop_after=2.5&garbage").unwrap();
        assert_eq!(c.name, "door");
        assert_eq!(c.clip.name, "h264_720p");
        assert_eq!(c.options.auth, Some(AuthMode::Digest));
        assert_eq!((c.options.username.as_str(), c.options.password.as_str()), ("u", "p"));
        assert_eq!(c.options.drop_after, Some(Duration::from_millis(2500)));
        assert!(c.options.garbage && !c.options.truncate);
        assert_eq!(Camera::parse("h265_1080p").unwrap().name, "h265_1080p");
        assert!(Camera::parse("x=h264_720p?silent").unwrap().options.silent);
        assert!(Camera::parse("x=nope").is_err());
        assert!(Camera::parse("x=h264_720p?bogus").is_err());
        assert!(Camera::parse("x=h264_720p?drop_after=soon").is_err());
    }
}

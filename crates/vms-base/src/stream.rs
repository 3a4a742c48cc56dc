//! The words every plane uses for a camera's streams: which stream
//! ([`StreamRole`]) and how its RTP travels from the camera ([`Transport`]).
//! One type each, from the database through the API and the protos to file
//! paths, so "main" and "sub" are checked in one place with one error.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// What a stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StreamRole {
    /// Full resolution, recorded.
    Main,
    /// Low resolution, for grids and analytics.
    Sub,
}

/// How RTP is carried from the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// Interleaved in the RTSP TCP connection (the default: survives NAT and firewalls).
    #[default]
    Tcp,
    /// Separate UDP ports.
    Udp,
}

/// A word that names no stream role or transport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{found}` is not one of: {expected}")]
pub struct UnknownWord {
    /// What was given (at most 32 characters of it).
    pub found: String,
    /// The words allowed.
    pub expected: &'static str,
}

macro_rules! words {
    ($ty:ident { $($variant:ident => $text:literal),+ }) => {
        impl $ty {
            /// Every value, in order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// Returns the lowercase word stored in the database and used in the API and paths.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                match s {
                    $($text => Ok($ty::$variant),)+
                    _ => Err(UnknownWord {
                        found: s.chars().take(32).collect(),
                        expected: concat!($($text, " "),+).trim_ascii_end(),
                    }),
                }
            }
        }
    };
}
words!(StreamRole { Main => "main", Sub => "sub" });
words!(Transport { Tcp => "tcp", Udp => "udp" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_strangers_are_named() {
        for role in StreamRole::ALL {
            assert_eq!(role.as_str().parse::<StreamRole>(), Ok(*role));
            assert_eq!(serde_json::to_string(role).unwrap(), format!("\"{role}\""));
        }
        assert_eq!("udp".parse::<Transport>(), Ok(Transport::Udp));
        let err = "Main".parse::<StreamRole>().unwrap_err();
        assert_eq!(err.to_string(), "`Main` is not one of: main sub");
        assert_eq!("x".repeat(100).parse::<Transport>().unwrap_err().found.len(), 32);
    }
}

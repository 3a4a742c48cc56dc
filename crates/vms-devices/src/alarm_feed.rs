//! A live alarm subscription to a Hikvision or Dahua NVR: the long-lived
//! HTTP reply of its event stream ([`crate::hikvision::alert_stream`],
//! [`crate::dahua::event_stream`]) read as it comes, into [`Alarm`]s.
//!
//! Everything is bounded: opening has the request deadline, the stream's
//! parts have the parsers' bounds, and a stream that sends nothing, not even
//! its heartbeat, for `idle` is [`DeviceError::Silent`]. A feed that has
//! failed is done: drop it and subscribe again.
//!
//! ONVIF devices report alarms through a PullPoint subscription instead
//! ([`crate::onvif::events`]).

use std::time::Duration;

use url::Url;

use crate::{
    alarm::{Alarm, StreamError},
    dahua::event_stream::{self, EventStream},
    error::DeviceError,
    hikvision::alert_stream::{self, AlertStream},
    http::{Credentials, DeviceHttp, Limits, LiveReply, host_of},
    nvr::{self, Vendor},
};

enum Parser {
    Hikvision(AlertStream),
    Dahua(EventStream),
}

impl Parser {
    fn push(&mut self, bytes: &[u8]) -> Result<Vec<Alarm>, StreamError> {
        match self {
            Parser::Hikvision(p) => p.push(bytes),
            Parser::Dahua(p) => p.push(bytes),
        }
    }

    fn ended(&self) -> bool {
        match self {
            Parser::Hikvision(p) => p.ended(),
            Parser::Dahua(p) => p.ended(),
        }
    }
}

/// An open event stream of one NVR.
pub struct AlarmFeed {
    reply: LiveReply,
    parser: Parser,
    idle: Duration,
    host: String,
}

impl std::fmt::Debug for AlarmFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlarmFeed").field("host", &self.host).field("idle", &self.idle).finish_non_exhaustive()
    }
}

impl AlarmFeed {
    /// Opens the event stream of the `vendor` NVR at `base` (its
    /// `http://host:port/`; a path is ignored) with HTTP Digest. `limits`
    /// bound the opening; `idle` is the longest silence accepted after it
    /// (make it a few of the device's heartbeats: Hikvision firmwares send
    /// one every few seconds, Dahua every 5 s as asked).
    pub async fn subscribe(
        vendor: Vendor,
        base: &Url,
        credentials: &Credentials,
        limits: Limits,
        idle: Duration,
    ) -> Result<AlarmFeed, DeviceError> {
        let path = match vendor {
            Vendor::Hikvision => alert_stream::PATH,
            Vendor::Dahua => event_stream::PATH,
            Vendor::Onvif => return Err(DeviceError::Unsupported("an HTTP alarm stream (ONVIF uses PullPoint)")),
        };
        let base = nvr::base_url(base.as_str())?;
        let url = base.join(path).map_err(|_| DeviceError::Invalid("the NVR address cannot take a path".into()))?;
        let http = DeviceHttp::new(limits, Some(credentials.clone()));
        let reply = http.open(&url).await?;
        let content_type = reply.content_type();
        let multipart = content_type.is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("multipart/"));
        let parser = match vendor {
            Vendor::Dahua if multipart || content_type.is_none() => Parser::Dahua(EventStream::new(content_type)),
            Vendor::Hikvision if multipart => Parser::Hikvision(AlertStream::new(content_type.unwrap_or_default())?),
            _ => return Err(StreamError::NoBoundaryParameter.into()),
        };
        Ok(AlarmFeed { reply, parser, idle, host: host_of(&url) })
    }

    /// The alarms the next bytes of the stream complete, heartbeats
    /// included (so a caller sees the stream is alive); empty when they
    /// complete none. A stream that ends is [`DeviceError::Closed`].
    pub async fn next(&mut self) -> Result<Vec<Alarm>, DeviceError> {
        if self.parser.ended() {
            return Err(self.closed());
        }
        match self.reply.chunk(self.idle).await? {
            Some(bytes) => Ok(self.parser.push(&bytes)?),
            None => Err(self.closed()),
        }
    }

    fn closed(&self) -> DeviceError {
        DeviceError::Closed { host: self.host.clone() }
    }
}

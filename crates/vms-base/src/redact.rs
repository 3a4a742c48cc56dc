//! Display wrappers that keep credentials out of logs.

use std::fmt;

/// Displays a URL with any user name and password replaced by `***`.
///
/// Strings that do not parse as URLs are shown as `<unparseable url>` rather
/// than verbatim, since they may still embed a secret.
pub struct RedactedUrl<'a>(pub &'a str);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(self.0) {
            Ok(mut url) => {
                if !url.username().is_empty() || url.password().is_some() {
                    // Both setters only fail for cannot-be-a-base URLs, which carry no credentials.
                    let _ = url.set_username("***");
                    let _ = url.set_password(None);
                }
                f.write_str(url.as_str())
            }
            Err(_) => f.write_str("<unparseable url>"),
        }
    }
}

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_user_and_password() {
        let shown = RedactedUrl("rtsp://admin:s3cret@10.0.0.5:554/stream1").to_string();
        assert_eq!(shown, "rtsp://***@10.0.0.5:554/stream1");
        assert!(!shown.contains("s3cret"));
    }

    #[test]
    fn leaves_plain_urls_alone_and_hides_garbage() {
        assert_eq!(RedactedUrl("rtsp://cam/live").to_string(), "rtsp://cam/live");
        assert_eq!(RedactedUrl("not a url pass=x").to_string(), "<unparseable url>");
    }
}

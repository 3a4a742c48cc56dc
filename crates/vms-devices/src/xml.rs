//! A small, forgiving XML tree for device replies.
//!
//! Devices send undeclared namespace prefixes, mismatched end tags, stray
//! entities and elements in unexpected places. Replies are small (capped by
//! the HTTP client), so they are read whole into a tree of elements named by
//! their *local* name, and callers look fields up by name wherever they sit.
//! Only XML that cannot be tokenised at all is an error; a missing field is
//! the caller's `None`.

use quick_xml::{Reader, events::Event};

/// The deepest nesting accepted; deeper documents are refused (a hostile
/// device could otherwise make every lookup walk a very deep chain).
pub const MAX_DEPTH: usize = 64;
/// The most elements one document may hold.
pub const MAX_ELEMENTS: usize = 50_000;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The bytes are not XML a tokenizer can follow.
    #[error("malformed XML at byte {position}: {reason}")]
    Malformed {
        /// Where the reader gave up.
        position: u64,
        /// The reader's words.
        reason: String,
    },
    /// The document holds no element at all.
    #[error("the reply holds no XML element")]
    Empty,
    /// Nested deeper than [`MAX_DEPTH`] or more than [`MAX_ELEMENTS`] elements.
    #[error("the XML document is too deep or too large")]
    TooComplex,
}

/// One element: its local name, attributes (local names too), text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The local name (`Profiles` for `<trt:Profiles>`).
    pub name: String,
    /// Attributes by local name, in document order.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (entities resolved, CDATA included), trimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first direct child named `name` (ASCII case ignored, as some
    /// firmwares capitalise differently from the schema).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every direct child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// The first element named `name` at any depth below this one (depth first,
    /// document order), so a reply with a missing or extra wrapper still reads.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for child in &self.children {
            if child.name.eq_ignore_ascii_case(name) {
                return Some(child);
            }
            if let Some(found) = child.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// Every element named `name` at any depth below this one, not looking
    /// inside a match (so nested elements of the same name stay with their parent).
    pub fn find_all<'a>(&'a self, name: &str) -> Vec<&'a Element> {
        let mut out = Vec::new();
        self.collect(name, &mut out);
        out
    }

    fn collect<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for child in &self.children {
            if child.name.eq_ignore_ascii_case(name) {
                out.push(child);
            } else {
                child.collect(name, out);
            }
        }
    }

    /// Follows `path` one [`find`](Self::find) at a time.
    pub fn find_path(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |at, name| at.find(name))
    }

    /// The trimmed text of the first element named `name` below this one, if
    /// it exists and is not empty (devices leave template fields blank).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.find(name).map(|e| e.text.as_str()).filter(|t| !t.is_empty())
    }

    /// The value of attribute `name` (local name, case ignored).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Strips a namespace prefix: `tt:Name` → `Name`.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.into_owned(),
    }
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Element {
    let attrs = start
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (local(a.key.local_name().as_ref()), value)
        })
        .collect();
    Element { name: local(start.name().as_ref()), attrs, ..Element::default() }
}

/// Reads `input` into its root element.
///
/// Forgiving where devices are sloppy: end tags need not match their start
/// (the innermost open element is closed), unknown entities are kept as
/// written, and anything after the root is ignored. A document cut short
/// (an element still open at the end) is refused.
pub fn parse(input: &[u8]) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(input);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.check_comments = false;
    config.allow_dangling_amp = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| XmlError::Malformed { position: reader.error_position(), reason: e.to_string() })?;
        match event {
            Event::Start(start) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(XmlError::TooComplex);
                }
                stack.push(element(&start));
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooComplex);
                }
                let el = element(&start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::End(_) => {
                let Some(mut done) = stack.pop() else { continue };
                done.text = done.text.trim().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&String::from_utf8_lossy(&text));
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(open) = stack.last_mut() {
                    let name = String::from_utf8_lossy(&reference).into_owned();
                    match reference.resolve_char_ref().ok().flatten().or_else(|| entity(&name)) {
                        Some(c) => open.text.push(c),
                        None => {
                            open.text.push('&');
                            open.text.push_str(&name);
                            open.text.push(';');
                        }
                    }
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    // A document that ends inside an element was cut short (or never
    // finished): reading what arrived could silently drop the rest.
    match stack.last() {
        Some(open) => Err(XmlError::Malformed {
            position: reader.buffer_position(),
            reason: format!("the document ends inside <{}>", open.name),
        }),
        None => Err(XmlError::Empty),
    }
}

/// Escapes text for use inside an element or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_by_local_name_whatever_the_prefix() {
        let doc = br#"<?xml version="1.0"?><env:Envelope xmlns:env="x"><env:Body><trt:GetProfilesResponse>
            <trt:Profiles token="p0" fixed="true"><tt:Name>main</tt:Name></trt:Profiles>
            <Profiles token="p1"><Name> sub </Name></Profiles></trt:GetProfilesResponse></env:Body></env:Envelope>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Envelope");
        let profiles = root.find_all("Profiles");
        assert_eq!(profiles.len(), 2);
        assert_eq!(profiles[0].attr("token"), Some("p0"));
        assert_eq!(profiles[1].text_of("Name"), Some("sub"));
        assert_eq!(root.find_path(&["Body", "GetProfilesResponse"]).map(|e| e.children.len()), Some(2));
    }

    #[test]
    fn undeclared_prefixes_mismatched_ends_and_unknown_entities_still_read() {
        let doc = b"<a:Root><b:Item>x &amp; y &#65; &nbsp; & z</c:Item><Other/></a:Root>";
        let root = parse(doc).unwrap();
        assert_eq!(root.text_of("Item"), Some("x & y A &nbsp; & z"));
        assert!(root.child("Other").is_some());
    }

    #[test]
    fn a_document_cut_short_is_refused_and_trailing_junk_ignored() {
        let err = parse(b"<Root><Open><Name>n</Name>").unwrap_err();
        assert!(matches!(&err, XmlError::Malformed { reason, .. } if reason.contains("<Open>")), "{err:?}");
        let root = parse(b"<Root/>garbage<more>").unwrap();
        assert_eq!(root.name, "Root");
    }

    #[test]
    fn empty_fields_read_as_missing() {
        let root = parse(b"<R><Model></Model><Serial>  </Serial></R>").unwrap();
        assert_eq!(root.text_of("Model"), None);
        assert_eq!(root.text_of("Serial"), None);
    }

    #[test]
    fn cdata_is_text() {
        let root = parse(b"<R><Uri><![CDATA[rtsp://h/a?b=1&c=2]]></Uri></R>").unwrap();
        assert_eq!(root.text_of("Uri"), Some("rtsp://h/a?b=1&c=2"));
    }

    #[test]
    fn refuses_what_is_not_xml_or_too_deep() {
        assert_eq!(parse(b"").unwrap_err(), XmlError::Empty);
        assert_eq!(parse(b"just text").unwrap_err(), XmlError::Empty);
        assert!(matches!(parse(b"<a><!-- never closed").unwrap_err(), XmlError::Malformed { .. }));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()).unwrap_err(), XmlError::TooComplex);
        let wide = format!("<r>{}</r>", "<e/>".repeat(MAX_ELEMENTS + 1));
        assert_eq!(parse(wide.as_bytes()).unwrap_err(), XmlError::TooComplex);
    }

    #[test]
    fn escapes_what_it_writes() {
        assert_eq!(escape("a<b&\"c'"), "a&lt;b&amp;&quot;c&apos;");
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse(&bytes);
        }
    }
}

//! Just enough STUN (RFC 8489) to route a binding request to its session:
//! the USERNAME attribute, `<our ufrag>:<their ufrag>`.

/// STUN's magic cookie.
const MAGIC_COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];
/// The USERNAME attribute.
const USERNAME: u16 = 0x0006;

/// Returns our ICE ufrag from a STUN message's USERNAME, if `packet` is one.
pub fn local_ufrag(packet: &[u8]) -> Option<&str> {
    if packet.len() < 20 || packet[0] & 0xc0 != 0 || packet[4..8] != MAGIC_COOKIE {
        return None;
    }
    let length = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    let mut attributes = packet.get(20..20 + length)?;
    while attributes.len() >= 4 {
        let kind = u16::from_be_bytes([attributes[0], attributes[1]]);
        let len = usize::from(u16::from_be_bytes([attributes[2], attributes[3]]));
        let value = attributes.get(4..4 + len)?;
        if kind == USERNAME {
            let username = std::str::from_utf8(value).ok()?;
            return username.split(':').next();
        }
        let padded = (4 + len).div_ceil(4) * 4;
        attributes = attributes.get(padded..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding_request(username: &str) -> Vec<u8> {
        let mut attrs = Vec::new();
        // A PRIORITY attribute first, then USERNAME with padding.
        attrs.extend_from_slice(&[0x00, 0x24, 0x00, 0x04, 1, 2, 3, 4]);
        attrs.extend_from_slice(&USERNAME.to_be_bytes());
        attrs.extend_from_slice(&(username.len() as u16).to_be_bytes());
        attrs.extend_from_slice(username.as_bytes());
        while attrs.len() % 4 != 0 {
            attrs.push(0);
        }
        let mut msg = vec![0x00, 0x01];
        msg.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        msg.extend_from_slice(&MAGIC_COOKIE);
        msg.extend_from_slice(&[7; 12]);
        msg.extend_from_slice(&attrs);
        msg
    }

    #[test]
    fn finds_the_local_ufrag_of_a_binding_request() {
        assert_eq!(local_ufrag(&binding_request("abcd:wxyz1")), Some("abcd"));
    }

    #[test]
    fn rejects_what_is_not_stun() {
        assert_eq!(local_ufrag(&[0x80; 40]), None, "RTP");
        assert_eq!(local_ufrag(&[22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), None, "DTLS");
        let mut truncated = binding_request("abcd:wxyz");
        truncated.truncate(30);
        assert_eq!(local_ufrag(&truncated), None);
    }
}

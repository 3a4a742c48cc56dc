//! 64-bit NTP timestamps (RFC 5905 §6: seconds since 1900 in the high 32
//! bits, the fraction of a second in the low 32), as RTCP sender reports and
//! MP4 `prft` boxes carry wall-clock time.

/// Seconds from 1900 (NTP epoch) to 1970 (Unix epoch).
pub const UNIX_OFFSET_SECS: u64 = 2_208_988_800;

/// Converts a Unix time in microseconds to an NTP timestamp (era 0, which
/// ends in 2036; later times wrap as NTP does).
pub fn from_unix_micros(unix_micros: u64) -> u64 {
    let secs = unix_micros / 1_000_000 + UNIX_OFFSET_SECS;
    let frac = ((unix_micros % 1_000_000) << 32) / 1_000_000;
    (secs << 32) | frac
}

/// Converts an NTP timestamp to a Unix time in microseconds (0 for one
/// before 1970), rounding down.
pub fn to_unix_micros(ntp: u64) -> u64 {
    let secs = (ntp >> 32).saturating_sub(UNIX_OFFSET_SECS);
    let micros = ((ntp & 0xffff_ffff) * 1_000_000) >> 32;
    if ntp >> 32 < UNIX_OFFSET_SECS { 0 } else { secs * 1_000_000 + micros }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn half_a_second_after_the_unix_epoch() {
        let ntp = from_unix_micros(1_500_000);
        assert_eq!(ntp >> 32, UNIX_OFFSET_SECS + 1);
        assert_eq!(ntp & 0xffff_ffff, 1 << 31);
        assert_eq!(to_unix_micros(ntp), 1_500_000);
        assert_eq!(to_unix_micros(5 << 32), 0, "before 1970");
    }

    proptest! {
        #[test]
        fn round_trips_within_a_microsecond(unix_micros in 0u64..2_000_000_000_000_000) {
            let back = to_unix_micros(from_unix_micros(unix_micros));
            prop_assert!(back <= unix_micros && unix_micros - back <= 1);
        }
    }
}

// NTP time (seconds since 1900), as RTCP sender reports and MP4 `prft` boxes
// carry it, against the browser's Unix time.

/// Milliseconds from the NTP epoch (1900) to the Unix epoch (1970).
export const NTP_UNIX_OFFSET_MS = 2_208_988_800_000;

/// Unix milliseconds of a 64-bit NTP timestamp given as its two 32-bit halves.
export function ntpToUnixMs(seconds: number, fraction: number): number {
  return seconds * 1000 + (fraction / 2 ** 32) * 1000 - NTP_UNIX_OFFSET_MS;
}

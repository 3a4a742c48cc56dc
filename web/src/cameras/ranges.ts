// The address ranges a scan probes, as typed: one per line or separated by
// commas (`192.168.1.0/24`, `10.0.0.5-10.0.0.40`, `10.0.0.7`). The server
// checks each; this only splits them.

/// The ranges in `text`, trimmed, blanks and repeats left out.
export function parseRanges(text: string): string[] {
  const ranges = text
    .split(/[\n,;]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  return [...new Set(ranges)];
}

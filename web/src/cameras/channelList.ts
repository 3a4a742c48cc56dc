// The channels an NVR import asks for, as typed: numbers and ranges
// separated by commas or spaces ("1-4, 7"), read into the sorted numbers
// the server is given. Nothing typed means every channel. The bounds are
// the server's: numbers from 1 to 65535, at most 256 channels.

/// The most channels one import may ask for (the largest NVRs have 256).
export const MAX_CHANNELS = 256;

/// The highest channel number the server accepts.
const MAX_NUMBER = 65535;

/// The channels asked for (null: every channel), or why the text is not a list of them.
export type ChannelChoice = { ok: true; channels: number[] | null } | { ok: false; problem: string };

/// A channel number as typed, or null when it is not one.
function number(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_NUMBER ? n : null;
}

/// Reads "1-4, 7" as [1, 2, 3, 4, 7]: repeats are dropped, the order is the channels'.
export function parseChannels(text: string): ChannelChoice {
  // "1 - 4" is one range, whatever the spaces around its dash.
  const parts = text
    .trim()
    .replace(/\s*[-–]\s*/g, "-")
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (parts.length === 0) return { ok: true, channels: null };
  const chosen = new Set<number>();
  for (const part of parts) {
    const ends = part.split("-");
    const first = ends.length <= 2 ? number(ends[0]) : null;
    const last = ends.length === 2 ? number(ends[1]) : first;
    if (first === null || last === null) {
      return { ok: false, problem: `“${part}” is not a channel: give numbers from 1, or ranges such as 1-4, separated by commas.` };
    }
    if (last < first) return { ok: false, problem: `“${part}” runs backwards: write the lower channel first (${last}-${first}).` };
    if (last - first + 1 > MAX_CHANNELS) return tooMany();
    for (let n = first; n <= last; n++) chosen.add(n);
    if (chosen.size > MAX_CHANNELS) return tooMany();
  }
  return { ok: true, channels: [...chosen].sort((a, b) => a - b) };
}

function tooMany(): ChannelChoice {
  return { ok: false, problem: `At most ${MAX_CHANNELS} channels at once: leave the field empty for every channel.` };
}

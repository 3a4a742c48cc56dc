// The IANA time zones a site may be in, as the browser knows them.

/// Every time zone the browser names (with `UTC`, which some leave out), or
/// null when it cannot list them (the form then takes the name as typed).
export function timeZones(): string[] | null {
  if (typeof Intl.supportedValuesOf !== "function") return null;
  try {
    const zones = Intl.supportedValuesOf("timeZone");
    return zones.includes("UTC") ? zones : ["UTC", ...zones];
  } catch {
    // An engine that has the function but not this key: the typed name serves.
    return null;
  }
}

/**
 * `claim_mappings` (MXCP's CapabilityMapper): `{<claim path>: {<claim value>: [capability, ...]}}`. The path
 * is tried as one top-level key first (URI-style claims such as `https://x.com/roles`), then dot by dot.
 * Values: arrays item by item, strings with spaces split (OAuth `scope`), booleans as `true`/`false`.
 */
export type ClaimMappings = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export function capabilitiesOf(mappings: ClaimMappings, profile: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  for (const [path, byValue] of Object.entries(mappings)) {
    for (const value of claimValues(lookup(profile, path))) for (const cap of byValue[value] ?? []) out.add(cap);
  }
  return [...out].sort();
}

function lookup(profile: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(profile, path)) return profile[path];
  let cur: unknown = profile;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function claimValues(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.includes(' ') ? v.split(/\s+/).filter(Boolean) : [v];
  return [String(v)];
}

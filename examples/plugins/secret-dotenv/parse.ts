/** `KEY=value` lines; blank lines and `#` comments skipped; one pair of surrounding quotes removed. */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const raw = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(raw);
    values.set(m[1] as string, quoted ? (quoted[2] as string) : raw);
  }
  return values;
}

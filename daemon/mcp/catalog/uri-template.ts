/**
 * Resource URI templates (`users://{id}`): MXCP matches a requested URI by replacing each `{name}` with a
 * `[^/]+` capture, anchored at both ends. MXCP leaves the literal parts unescaped, so `.` or `+` in a URI
 * matched more than it says [quirk]; here they are escaped. Captured text is percent-decoded, since
 * clients percent-encode reserved characters they put into a URI.
 */

// Two regexes: a global one carries lastIndex between uses (and matchAll copies it), so tests use their own.
const kPlaceholders = /\{([^{}]+)\}/g;
const kAnyPlaceholder = /\{[^{}]+\}/;

export function hasPlaceholders(uri: string): boolean {
  return kAnyPlaceholder.test(uri);
}

export type UriMatcher = (uri: string) => Record<string, string> | undefined;

export function compileUriTemplate(template: string): UriMatcher {
  const names: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(kPlaceholders)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    pattern += '([^/]+)';
    names.push(m[1] as string);
    last = m.index + m[0].length;
  }
  pattern += `${escapeRegExp(template.slice(last))}$`;
  const regex = new RegExp(pattern);
  return (uri) => {
    const m = regex.exec(uri);
    if (!m) return undefined;
    const params: Record<string, string> = Object.create(null);
    names.forEach((name, i) => {
      params[name] = decode(m[i + 1] as string);
    });
    return { ...params };
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not valid percent-encoding: take it literally
  }
}

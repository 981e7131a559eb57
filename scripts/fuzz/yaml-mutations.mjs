// Seeded mutations of project YAML files (site config, user config, endpoint files) for the config fuzzers:
// spec/fuzz.yaml.test.ts (validate in-process, and reload of a running daemon) and scripts/fuzz/yaml.mjs.
// Each mutation is a list of 1-3 edits, so most results stay close to valid YAML and reach deep checks.
import fc from 'fast-check';

const kTokens = [
  ':',
  ': ',
  '- ',
  '-',
  '\t',
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '*undefined_alias',
  '!!python/object:os.system ',
  '!!binary ',
  '"',
  "'",
  '\n',
  '  ',
  '    ',
  '#',
  '<<: *a',
  'null',
  '~',
  '1e999',
  '-1',
  '0x1F',
  '0o17',
  'yes',
  'no',
  'y',
  'n',
  'on',
  'off',
  '.nan',
  '.inf',
  '2026-11-24',
  '12:30:00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a config reference, literally
  '${HOME}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a config reference, literally
  '${MXCP_NO_SUCH_VAR}',
  'file:///etc/passwd',
  'vault://x/y#z',
  'op://a/b/c',
  '../../outside.sql',
  '/etc/passwd',
  '{{ x }}',
  '{% for %}',
  '$name',
  "'; DROP TABLE t; --",
  '\u0000',
  '\ufeff',
  '💥',
  '|',
  '>',
  '? ',
  '%YAML 1.2\n---\n',
  '---\n',
  '...\n',
  'a'.repeat(5_000),
  'x: '.repeat(200),
  '[[[[[[[[[[[[[[[[[[[[',
  '&a [*a, *a, *a, *a]',
];

const edit = fc.oneof(
  fc.record({ op: fc.constant('insert'), at: fc.double({ min: 0, max: 1, noNaN: true }), token: fc.constantFrom(...kTokens) }),
  fc.record({ op: fc.constant('delete'), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('replaceValue'), line: fc.nat(), token: fc.constantFrom(...kTokens) }),
  fc.record({ op: fc.constant('duplicateLine'), line: fc.nat() }),
  fc.record({ op: fc.constant('swapLines'), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('indent'), line: fc.nat(), by: fc.constantFrom(-4, -2, -1, 1, 2, 4) }),
  fc.record({ op: fc.constant('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    op: fc.constant('bytes'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
  }),
);

export const mutation = fc.array(edit, { minLength: 1, maxLength: 3 });

/** Applies a mutation to a file's text; returns a Buffer (some edits insert bytes that are not UTF-8). */
export function applyMutation(text, edits) {
  let buf = Buffer.from(text, 'utf8');
  for (const e of edits) {
    const s = buf.toString('utf8');
    const lines = s.split('\n');
    const pos = (f) => Math.floor(f * buf.length);
    switch (e.op) {
      case 'insert':
        buf = Buffer.concat([buf.subarray(0, pos(e.at)), Buffer.from(e.token, 'utf8'), buf.subarray(pos(e.at))]);
        break;
      case 'delete':
        buf = Buffer.concat([buf.subarray(0, pos(e.at)), buf.subarray(pos(e.at) + e.length)]);
        break;
      case 'truncate':
        buf = buf.subarray(0, pos(e.at));
        break;
      case 'bytes':
        buf = Buffer.concat([buf.subarray(0, pos(e.at)), Buffer.from(e.bytes), buf.subarray(pos(e.at))]);
        break;
      case 'replaceValue': {
        const i = e.line % lines.length;
        lines[i] = lines[i].replace(/:\s.*$/, `: ${e.token}`);
        buf = Buffer.from(lines.join('\n'), 'utf8');
        break;
      }
      case 'duplicateLine': {
        const i = e.line % lines.length;
        lines.splice(i, 0, lines[i]);
        buf = Buffer.from(lines.join('\n'), 'utf8');
        break;
      }
      case 'swapLines': {
        const a = e.a % lines.length;
        const b = e.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
        buf = Buffer.from(lines.join('\n'), 'utf8');
        break;
      }
      case 'indent': {
        const i = e.line % lines.length;
        lines[i] = e.by > 0 ? ' '.repeat(e.by) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-e.by}}`), '');
        buf = Buffer.from(lines.join('\n'), 'utf8');
        break;
      }
    }
  }
  return buf;
}

/** `count` mutations from `seed`, each paired with the index of the target file it applies to. */
export function mutations(seed, count, targets) {
  return fc.sample(fc.tuple(fc.nat({ max: targets - 1 }), mutation), { seed, numRuns: count });
}

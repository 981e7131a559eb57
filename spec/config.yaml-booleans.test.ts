/**
 * Project YAML is read as PyYAML reads it (YAML 1.1 booleans, dates kept as text), so an existing MXCP
 * project means the same thing here. The `yaml` library's own 1.1 schema also reads `y`/`n` as booleans,
 * which silently renamed a return property `n` to `false`; this pins the fix.
 */
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../daemon/config/yaml-file.js';

const parse = (text: string) => parseYaml(text, '/x.yml', 'x.yml').data;

describe('YAML 1.1 scalars, PyYAML style', () => {
  it('keeps y, n, Y, N as strings, as keys and as values', () => {
    expect(parse('n: y\nY: N\n')).toEqual({ n: 'y', Y: 'N' });
  });

  it('reads yes/no/true/false/on/off in their three casings as booleans', () => {
    const data = parse('a: yes\nb: No\nc: ON\nd: off\ne: True\nf: FALSE\n');
    expect(data).toEqual({ a: true, b: false, c: true, d: false, e: true, f: false });
  });

  it('keeps dates as text', () => {
    expect(parse('day: 2024-01-15\n')).toEqual({ day: '2024-01-15' });
  });
});

/**
 * `mxcp lint` through the real CLI: one case per rule (an endpoint that breaks it, located by file and
 * line, with rule id, severity and suggestion), a clean endpoint that triggers nothing, checklist item 57
 * (`Parameter '<n>' is missing a description`, severity error, exit 0), `--severity`, and `--strict`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

interface Finding {
  rule: string;
  id: string;
  severity: string;
  path: string;
  line?: number;
  location: string;
  message: string;
  suggestion: string;
}

/** An endpoint that breaks no rule: the baseline each case departs from. */
const kClean = `mxcp: 1
tool:
  name: get_customer_orders
  description: Orders of one customer, newest first, with totals in EUR.
  tags: [sales]
  annotations: {readOnlyHint: true, destructiveHint: false}
  parameters:
    - name: customer_id
      type: integer
      description: The customer's id
      examples: [42]
    - name: status
      type: string
      enum: [open, closed]
      description: "open: not yet shipped; closed: shipped or cancelled"
  return:
    type: array
    description: One row per order
    items:
      type: object
      properties:
        id: {type: integer}
  source:
    code: "SELECT id FROM orders WHERE customer_id = $customer_id AND status = $status LIMIT 50"
  tests:
    - name: one
      arguments: [{key: customer_id, value: 1}, {key: status, value: open}]
      result: []
`;

const kCases: Record<string, { file: string; content: string; line: number; message: RegExp; severity: string }> = {
  'description-missing': {
    file: 'tools/a.yml',
    content: kClean.replace(/ {2}description: Orders.*\n/, ''),
    line: 2,
    message: /^Tool is missing a description$/,
    severity: 'warning',
  },
  'description-short': {
    file: 'tools/b.yml',
    content: kClean.replace(/description: Orders.*\n/, 'description: Orders.\n'),
    line: 4,
    message: /very short \(7 characters\)/,
    severity: 'info',
  },
  'tests-missing': {
    file: 'tools/c.yml',
    content: kClean.replace(/ {2}tests:\n[\s\S]*$/, ''),
    line: 2,
    message: /^Tool has no tests$/,
    severity: 'warning',
  },
  'test-without-assertion': {
    file: 'tools/d.yml',
    content: kClean.replace('      result: []\n', ''),
    line: 26,
    message: /Test 'one' has no assertion/,
    severity: 'info',
  },
  'parameter-description-missing': {
    file: 'tools/e.yml',
    content: kClean.replace("      description: The customer's id\n", ''),
    line: 8,
    message: /^Parameter 'customer_id' is missing a description$/,
    severity: 'error',
  },
  'parameter-examples-missing': {
    file: 'tools/f.yml',
    content: kClean.replace('      examples: [42]\n', ''),
    line: 8,
    message: /^Parameter 'customer_id' has no examples$/,
    severity: 'info',
  },
  'return-description-missing': {
    file: 'tools/g.yml',
    content: kClean.replace('    description: One row per order\n', ''),
    line: 16,
    message: /^Return type has no description$/,
    severity: 'info',
  },
  'annotations-missing': {
    file: 'tools/h.yml',
    content: kClean.replace(/ {2}annotations:.*\n/, ''),
    line: 2,
    message: /^Tool has no annotations$/,
    severity: 'info',
  },
  'tags-missing': {
    file: 'tools/i.yml',
    content: kClean.replace('  tags: [sales]\n', ''),
    line: 2,
    message: /^Tool has no tags$/,
    severity: 'info',
  },
  'vague-name': {
    file: 'tools/j.yml',
    content: kClean.replace('name: get_customer_orders', 'name: query'),
    line: 3,
    message: /Name 'query' says little/,
    severity: 'warning',
  },
  'enum-values-undescribed': {
    file: 'tools/k.yml',
    content: kClean.replace('"open: not yet shipped; closed: shipped or cancelled"', 'Order status'),
    line: 12,
    message: /enum values its description does not explain: open, closed/,
    severity: 'info',
  },
  'too-many-parameters': {
    file: 'tools/l.yml',
    content: kClean.replace(
      '  return:',
      `${Array.from({ length: 8 }, (_, i) => `    - {name: p${i}, type: integer, description: extra ${i}, examples: [1]}\n`).join('')}  return:`,
    ),
    line: 7,
    message: /has 10 parameters \(more than 8\)/,
    severity: 'warning',
  },
  'unbounded-query': {
    file: 'tools/m.yml',
    content: kClean.replace(' LIMIT 50', ''),
    line: 23,
    message: /reads 'orders' \(12000 rows\) without a LIMIT/,
    severity: 'warning',
  },
  'writes-without-destructive-hint': {
    file: 'tools/n.yml',
    content: kClean.replace(
      'SELECT id FROM orders WHERE customer_id = $customer_id AND status = $status LIMIT 50',
      'UPDATE orders SET status = $status WHERE customer_id = $customer_id RETURNING id',
    ),
    line: 6,
    message: /changes data but its annotations do not say so/,
    severity: 'warning',
  },
  'object-without-properties': {
    file: 'tools/o.yml',
    content: kClean.replace('      properties:\n        id: {type: integer}\n', ''),
    line: 19,
    message: /Object type without properties/,
    severity: 'info',
  },
};

let project: TempProject;
let findings: Finding[];

beforeAll(async () => {
  const files: Record<string, string> = { 'tools/clean.yml': kClean };
  for (const [rule, c] of Object.entries(kCases))
    files[c.file] = c.content
      .replace('name: get_customer_orders', `name: get_customer_orders_${rule.replaceAll('-', '_')}`)
      .replace('name: query', 'name: query');
  project = tempProject(files);
  const seed = await runCli(
    ['query', "CREATE TABLE orders AS SELECT range AS id, range % 100 AS customer_id, 'open' AS status FROM range(12000)"],
    { cwd: project.root, home: project.home },
  );
  expect(seed.code, seed.stderr).toBe(0);
  const r = await runCli(['lint', '--json-output'], { cwd: project.root, home: project.home });
  expect(r.code, r.stderr).toBe(0);
  findings = r.json<{ result: Finding[] }>().result;
});
afterAll(() => project.remove());

describe('mxcp lint rules', () => {
  it('a clean endpoint triggers nothing', () => {
    expect(findings.filter((f) => f.path === 'tools/clean.yml')).toEqual([]);
  });

  for (const [rule, c] of Object.entries(kCases)) {
    it(`${rule}: found in ${c.file} at line ${c.line}, with id, severity and a suggestion`, () => {
      const mine = findings.filter((f) => f.path === c.file);
      const hit = mine.find((f) => f.rule === rule);
      expect(hit, JSON.stringify(mine, null, 1)).toBeDefined();
      expect(hit).toMatchObject({ severity: c.severity, line: c.line, id: expect.stringMatching(/^MXL\d{3}$/) });
      expect(hit?.message).toMatch(c.message);
      expect(hit?.suggestion.length).toBeGreaterThan(10);
      // Each fixture departs from the clean endpoint in one way only (a name change may add vague-name).
      expect(mine.filter((f) => f.rule !== rule && f.rule !== 'vague-name').map((f) => f.rule)).toEqual([]);
    });
  }

  it('rule ids are stable and distinct', () => {
    const ids = new Map<string, string>();
    for (const f of findings) {
      expect(ids.get(f.rule) ?? f.id).toBe(f.id);
      ids.set(f.rule, f.id);
    }
    expect(new Set(ids.values()).size).toBe(ids.size);
  });
});

describe('mxcp lint options', () => {
  it('checklist 57: a parameter without a description is an error, and lint still exits 0; --strict exits 1', async () => {
    const p = tempProject({
      'tools/t.yml':
        'mxcp: 1\ntool:\n  name: lookup_value\n  parameters:\n    - {name: n, type: integer}\n  source:\n    code: "SELECT $n"\n',
    });
    try {
      const r = await runCli(['lint', '--json-output'], { cwd: p.root, home: p.home });
      expect(r.code).toBe(0);
      expect(r.json<{ result: Finding[] }>().result).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          message: "Parameter 'n' is missing a description",
          location: 'tool.parameters[0]',
          path: 'tools/t.yml',
        }),
      );
      expect((await runCli(['lint', '--strict'], { cwd: p.root, home: p.home })).code).toBe(1);
      const human = await runCli(['lint'], { cwd: p.root, home: p.home });
      expect(human.stdout).toContain("Parameter 'n' is missing a description [MXL005 parameter-description-missing]");
    } finally {
      p.remove();
    }
  });

  it('--severity shows only that severity (MXCP: warning shows only warnings)', async () => {
    const r = await runCli(['lint', '--severity', 'warning', '--json-output'], { cwd: project.root, home: project.home });
    const shown = r.json<{ result: Finding[] }>().result;
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((f) => f.severity === 'warning')).toBe(true);
    const bad = await runCli(['lint', '--severity', 'loud'], { cwd: project.root, home: project.home });
    expect(bad.code).toBe(2);
  });
});

/**
 * Bad endpoint files: each is reported with its own coded error, file and line; `list` keeps going and
 * exits 0, `validate` reports every file and exits 1; nothing prints a stack trace. One project holds all
 * the broken files, so the whole table costs three CLI runs.
 */
import { spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, kBin, runCli } from './support/cli.js';
import { expectNoStackTrace, type Located, parseLocated } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

interface BadFile {
  readonly name: string;
  readonly path: string;
  readonly content?: string | Buffer;
  readonly code: string;
  /** Where the error points; defaults to `path`. */
  readonly file?: string;
  readonly line?: number;
  readonly message: string | RegExp;
}

const tool = (name: string, body: string) => `mxcp: 1\ntool:\n  name: ${name}\n${body}`;
const code = '  source:\n    code: SELECT 1\n';

const kBad: BadFile[] = [
  {
    name: 'an unclosed flow bracket',
    path: 'tools/unclosed.yml',
    content: 'mxcp: 1\ntool:\n  name: [unclosed\n  source:\n    code: SELECT 1\n',
    code: 'MXCP_E_YAML_SYNTAX',
    line: 4,
    message: /YAML syntax error/,
  },
  {
    name: 'inconsistent indentation',
    path: 'tools/indent.yml',
    content: 'mxcp: 1\ntool:\n  name: indent\n    description: too deep\n  source:\n    code: SELECT 1\n',
    code: 'MXCP_E_YAML_SYNTAX',
    line: 3,
    message: /YAML syntax error/,
  },
  {
    name: 'tab indentation',
    path: 'tools/tab.yml',
    content: 'mxcp: 1\ntool:\n\tname: tab\n',
    code: 'MXCP_E_YAML_SYNTAX',
    line: 3,
    message: /Tabs are not allowed as indentation/,
  },
  {
    name: 'a duplicate key',
    path: 'tools/dupkey.yml',
    content: tool('dupkey', `  name: again\n${code}`),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 4,
    message: "YAML syntax error: duplicate key 'name' (map keys must be unique)",
  },
  {
    name: 'two YAML documents',
    path: 'tools/two-docs.yml',
    content: `${tool('two_docs', code)}---\nmxcp: 1\n`,
    code: 'MXCP_E_YAML_SYNTAX',
    line: 6,
    message: /one YAML document/,
  },
  {
    name: 'a mapping used as a key',
    path: 'tools/map-key.yml',
    content: tool('map_key', `${code}  ? {a: 1}\n  : x\n`),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 6,
    message: /mapping keys must be plain scalars/,
  },
  {
    // Found by the YAML fuzzer: `!!binary` turns a key into bytes, which the library stringified with a warning.
    name: 'a binary scalar used as a key',
    path: 'tools/binary-key.yml',
    content: tool('binary_key', `${code}  !!binary aGVsbG8= : x\n`),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 6,
    message: /mapping keys must be plain scalars/,
  },
  {
    // Found by the YAML fuzzer: a cyclic value overflowed the stack of recursive readers (an uncoded crash).
    name: 'an alias inside its own anchor',
    path: 'tools/cycle.yml',
    content: tool('cycle', `${code}  tags: &l [1, [2, *l]]\n`),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 6,
    message: /recursive structure/,
  },
  {
    // Found by the YAML fuzzer: the library stringified such a key and printed a process warning.
    name: 'an alias of a list used as a key',
    path: 'tools/alias-key.yml',
    content: tool('alias_key', `${code}  tags: &l [1, 2]\n  *l : x\n`),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 7,
    message: /mapping keys must be plain scalars/,
  },
  {
    name: 'a number where a string belongs',
    path: 'tools/wrong-type.yml',
    content: tool('wrong_type', `  description: 42\n${code}`),
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 4,
    message: 'tool.description: must be string, got number 42',
  },
  {
    name: 'a mapping where the parameter list belongs',
    path: 'tools/params-map.yml',
    content: tool('params_map', `  parameters:\n    a: {type: string}\n${code}`),
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 4,
    message: /^tool\.parameters: must be array/,
  },
  {
    name: 'an unknown key at the file root',
    path: 'tools/root-key.yml',
    content: `${tool('root_key', code)}extra: 1\n`,
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 6,
    message: /^extra: unknown key 'extra'/,
  },
  {
    name: 'an unknown key in a parameter',
    path: 'tools/param-key.yml',
    content: tool('param_key', `  parameters:\n    - name: a\n      type: string\n      colour: red\n${code}`),
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 7,
    message: /^tool\.parameters\.0\.colour: unknown key 'colour'/,
  },
  {
    name: 'mxcp: 2',
    path: 'tools/version.yml',
    content: `mxcp: 2\ntool:\n  name: version\n${code}`,
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 1,
    message: 'mxcp: must be 1, got 2',
  },
  {
    name: 'no tool, resource or prompt',
    path: 'tools/no-type.yml',
    content: 'mxcp: 1\nmetadata: {}\n',
    code: 'MXCP_E_ENDPOINT_NO_TYPE',
    line: 1,
    message: 'Endpoint definition must include a tool, resource, or prompt definition',
  },
  {
    name: 'both a tool and a prompt',
    path: 'tools/two-types.yml',
    content: `${tool('two_types', code)}prompt:\n  name: p\n  messages: [{prompt: hi}]\n`,
    code: 'MXCP_E_ENDPOINT_MULTIPLE_TYPES',
    line: 6,
    message: /exactly one endpoint type/,
  },
  {
    name: 'an empty file',
    path: 'tools/empty.yml',
    content: '',
    code: 'MXCP_E_ENDPOINT_EMPTY',
    line: 1,
    message: 'Endpoint file is empty',
  },
  {
    name: 'a file holding only a comment',
    path: 'tools/comment.yml',
    content: '# nothing here yet\n',
    code: 'MXCP_E_ENDPOINT_EMPTY',
    line: 1,
    message: 'Endpoint file is empty',
  },
  {
    name: 'a list at the top level',
    path: 'tools/list.yml',
    content: '- mxcp: 1\n- tool: {}\n',
    code: 'MXCP_E_YAML_NOT_MAPPING',
    line: 1,
    message: 'An endpoint file must be a mapping at the top level, got a list',
  },
  {
    name: 'NUL bytes (a binary file)',
    path: 'tools/binary.yml',
    content: Buffer.from([0x6d, 0x78, 0x63, 0x70, 0x3a, 0x20, 0x31, 0x0a, 0x00, 0x01, 0x02, 0xff]),
    code: 'MXCP_E_FILE_BINARY',
    line: 2,
    message: /binary/,
  },
  {
    name: 'invalid UTF-8',
    path: 'tools/latin1.yml',
    content: Buffer.concat([Buffer.from(tool('latin1', '  description: caf')), Buffer.from([0xe9, 0x0a]), Buffer.from(code)]),
    code: 'MXCP_E_FILE_ENCODING',
    line: 4,
    message: /not valid UTF-8/,
  },
  {
    name: 'a YAML alias bomb',
    path: 'tools/bomb.yml',
    content: [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      '',
    ].join('\n'),
    code: 'MXCP_E_YAML_SYNTAX',
    line: 2,
    message: /alias/i,
  },
  {
    name: 'nesting thousands of levels deep',
    path: 'tools/deep.yml',
    content: tool('deep', `${code}  metadata: {x: ${'['.repeat(5000)}${']'.repeat(5000)}}\n`),
    code: 'MXCP_E_YAML_TOO_DEEP',
    line: 6,
    message: /deeper than 100 levels/,
  },
  {
    name: 'an unknown parameter type',
    path: 'tools/param-type.yml',
    content: tool('param_type', `  parameters:\n    - name: a\n      type: strng\n${code}`),
    code: 'MXCP_E_ENDPOINT_SCHEMA',
    line: 6,
    message: /^tool\.parameters\.0\.type: must be one of/,
  },
  {
    name: 'a parameter declared twice',
    path: 'tools/param-twice.yml',
    content: tool('param_twice', `  parameters:\n    - {name: a, type: string}\n    - {name: a, type: integer}\n${code}`),
    code: 'MXCP_E_ENDPOINT_PARAM_DUPLICATE',
    line: 6,
    message: "tool.parameters.1.name: Parameter 'a' is declared more than once",
  },
  {
    name: "a source with both 'code' and 'file'",
    path: 'tools/both.yml',
    content: tool('both', '  source:\n    code: SELECT 1\n    file: ../sql/ok.sql\n'),
    code: 'MXCP_E_ENDPOINT_SOURCE',
    line: 4,
    message: "tool.source: Source must provide exactly one of 'code' or 'file'",
  },
  {
    name: 'source.file climbing out with ../',
    path: 'tools/escape.yml',
    content: tool('escape', '  source:\n    file: ../../../../../../../../etc/passwd\n'),
    code: 'MXCP_E_ENDPOINT_PATH_ESCAPE',
    line: 5,
    message: /^tool\.source\.file: '\.\.\/.*etc\/passwd' resolves outside the project directory/,
  },
  {
    name: 'an absolute-looking source.file that climbs out',
    path: 'tools/escape-abs.yml',
    content: tool('escape_abs', '  source:\n    file: /../../../../../../etc/passwd\n'),
    code: 'MXCP_E_ENDPOINT_PATH_ESCAPE',
    line: 5,
    message: /resolves outside the project directory/,
  },
  {
    name: 'an absolute source.file (taken relative to the project, never the real /etc/passwd)',
    path: 'tools/abs.yml',
    content: tool('abs', '  source:\n    file: /etc/passwd\n'),
    code: 'MXCP_E_ENDPOINT_SOURCE_MISSING',
    line: 5,
    message: /^tool\.source\.file: source file not found: .*\/project\/etc\/passwd$/,
  },
  {
    name: 'source.file through a symlink that points out of the project',
    path: 'tools/symlink.yml',
    content: tool('symlink', '  source:\n    file: ../sql/outside.sql\n'),
    code: 'MXCP_E_ENDPOINT_PATH_ESCAPE',
    line: 5,
    message: /'\.\.\/sql\/outside\.sql' resolves outside the project directory/,
  },
  {
    name: 'a missing source.file',
    path: 'tools/missing.yml',
    content: tool('missing', '  source:\n    file: ../sql/nope.sql\n'),
    code: 'MXCP_E_ENDPOINT_SOURCE_MISSING',
    line: 5,
    message: /source file not found: .*\/sql\/nope\.sql$/,
  },
  {
    name: 'a SQL source file that is too large',
    path: 'tools/big-sql.yml',
    content: tool('big_sql', '  source:\n    file: ../sql/big.sql\n'),
    code: 'MXCP_E_FILE_TOO_LARGE',
    file: 'sql/big.sql',
    message: /too large/,
  },
  {
    name: 'a 50 MB endpoint file',
    path: 'tools/huge.yml',
    code: 'MXCP_E_FILE_TOO_LARGE',
    message: 'File is too large (52428800 bytes; the limit is 4194304 bytes)',
  },
  {
    name: 'a resource URI placeholder without a parameter',
    path: 'resources/placeholder.yml',
    content: 'mxcp: 1\nresource:\n  uri: users://{id}\n  source:\n    code: SELECT 1\n',
    code: 'MXCP_E_ENDPOINT_URI_PLACEHOLDER',
    line: 3,
    message: "URI 'users://{id}' has placeholder(s) ['id'] with no declared parameter of that name",
  },
  {
    name: 'a prompt template with a syntax error',
    path: 'prompts/template.yml',
    content: 'mxcp: 1\nprompt:\n  name: template\n  messages:\n    - prompt: "Hello {{ name "\n',
    code: 'MXCP_E_ENDPOINT_TEMPLATE_SYNTAX',
    line: 5,
    message: /^Message 0 has a template syntax error: /,
  },
  {
    name: 'a prompt with an unclosed block',
    path: 'prompts/block.yml',
    content: 'mxcp: 1\nprompt:\n  name: block\n  parameters: [{name: x, type: string}]\n  messages:\n    - prompt: "{% if x %}yes"\n',
    code: 'MXCP_E_ENDPOINT_TEMPLATE_SYNTAX',
    line: 6,
    message: /endif/,
  },
  {
    name: 'two tools with one name (first file)',
    path: 'tools/dup-a.yml',
    content: tool('same_tool', code),
    code: 'MXCP_E_ENDPOINT_DUPLICATE',
    line: 3,
    message: "Duplicate endpoint name 'same_tool' found in: tools/dup-a.yml, tools/dup-b.yml",
  },
  {
    name: 'two tools with one name (second file)',
    path: 'tools/dup-b.yml',
    content: tool('same_tool', code),
    code: 'MXCP_E_ENDPOINT_DUPLICATE',
    line: 3,
    message: "Duplicate endpoint name 'same_tool' found in: tools/dup-a.yml, tools/dup-b.yml",
  },
  {
    name: 'a tool and a prompt with one name',
    path: 'prompts/shared.yml',
    content: 'mxcp: 1\nprompt:\n  name: shared_name\n  messages:\n    - prompt: hi\n',
    code: 'MXCP_E_ENDPOINT_DUPLICATE',
    line: 3,
    message: "Duplicate endpoint name 'shared_name' found in: tools/shared.yml, prompts/shared.yml",
  },
  {
    name: 'two resources with one URI',
    path: 'resources/dup-2.yml',
    content: 'mxcp: 1\nresource:\n  uri: data://same\n  source:\n    code: SELECT 2\n',
    code: 'MXCP_E_ENDPOINT_DUPLICATE',
    line: 3,
    message: "Duplicate endpoint URI 'data://same' found in: resources/dup-1.yml, resources/dup-2.yml",
  },
];

/** Codes of the source checks that `validate` runs after loading (and `list` does not). */
const kCheckCodes = new Set([
  'MXCP_E_ENDPOINT_PATH_ESCAPE',
  'MXCP_E_ENDPOINT_SOURCE_MISSING',
  'MXCP_E_ENDPOINT_URI_PLACEHOLDER',
  'MXCP_E_ENDPOINT_TEMPLATE_SYNTAX',
]);

/** Files that are valid on their own and are the other half of a duplicate, or helpers. */
const kSupporting: Record<string, string> = {
  'tools/shared.yml': tool('shared_name', code),
  'resources/dup-1.yml': 'mxcp: 1\nresource:\n  uri: data://same\n  source:\n    code: SELECT 1\n',
  'tools/fine.yml': tool('fine', code),
  'sql/ok.sql': 'SELECT 1\n',
  'sql/big.sql': `SELECT 1 ${'-'.repeat(5 * 1024 * 1024)}\n`,
};

let project: TempProject;
let outside: TempProject;
let list: CliResult;
let listHuman: CliResult;
let validate: CliResult;
let validated: Map<string, { status: string; message?: string }>;

beforeAll(async () => {
  project = tempProject(kSupporting);
  outside = tempProject({ 'secret.sql': 'SELECT 42\n' }, { site: null });
  for (const f of kBad) if (f.content !== undefined) project.write(f.path, f.content);
  symlinkSync(outside.path('secret.sql'), project.path('sql/outside.sql'));
  const fd = openSync(project.path('tools/huge.yml'), 'w');
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  [list, listHuman, validate] = await Promise.all([
    runCli(['list', '--json-output'], { cwd: project.root, home: project.home }),
    runCli(['list'], { cwd: project.root, home: project.home }),
    runCli(['validate', '--json-output'], { cwd: project.root, home: project.home }),
  ]);
  const body = validate.json<{ result: { validated: { path: string; status: string; message?: string }[] } }>();
  validated = new Map(body.result.validated.map((v) => [v.path, v]));
});

afterAll(() => {
  project?.remove();
  outside?.remove();
});

describe('bad endpoint files', () => {
  it('list keeps going: exit 0, every broken file listed with its error; validate exits 1; no stack traces', () => {
    expect(list.code).toBe(0);
    expect(listHuman.code).toBe(0);
    expect(validate.code).toBe(1);
    for (const r of [list, listHuman, validate]) expectNoStackTrace(r);
    const body = list.json<{ result: { status: string; endpoints: { path: string; error: string }[] } }>();
    expect(body.result.status).toBe('error');
    const listed = new Map(body.result.endpoints.map((e) => [e.path, e.error]));
    // list reports what fails to load (it runs no source checks); each such file appears with its code.
    for (const f of kBad.filter((b) => !kCheckCodes.has(b.code) && b.file === undefined)) {
      expect(listed.get(project.path(f.path)), f.path).toContain(`(${f.code})`);
    }
    expect(listed.get(project.path('tools/fine.yml'))).toBe('');
    // Human list: one line per broken file, in the `file:line:col: message (CODE)` form.
    expect(listHuman.stdout).toContain('tools/tab.yml:3:1: YAML syntax error: Tabs are not allowed as indentation (MXCP_E_YAML_SYNTAX)');
    expect(validated.get('tools/fine.yml')).toEqual({ status: 'ok', path: 'tools/fine.yml' });
  });

  it.each(kBad)('$name → $code', (f) => {
    const entry = validated.get(f.path);
    expect(entry, `${f.path} missing from validate output`).toBeDefined();
    expect(entry?.status).toBe('error');
    const located: Located = parseLocated(entry?.message ?? '');
    expect(located.code).toBe(f.code);
    expect(located.file).toBe(f.file ?? f.path);
    if (f.line !== undefined) {
      expect(located.line).toBe(f.line);
      expect(located.column).toBeGreaterThan(0);
    }
    if (typeof f.message === 'string') expect(located.message).toBe(f.message);
    else expect(located.message).toMatch(f.message);
  });
});

describe('many endpoint files', () => {
  it('500 endpoint files all load, even with few file descriptors available', async () => {
    const many = tempProject();
    try {
      mkdirSync(many.path('tools'));
      for (let i = 0; i < 500; i++) many.write(join('tools', `t${i}.yml`), tool(`t${i}`, code));
      // `ulimit -n 64` leaves room for node itself but not for 500 files opened at once.
      const [plain, limited] = await Promise.all([
        runCli(['list', '--json-output'], { cwd: many.root, home: many.home }),
        runLimited(many),
      ]);
      expect(plain.code).toBe(0);
      const endpoints = plain.json<{ result: { status: string; endpoints: { error: string }[] } }>().result;
      expect(endpoints.status).toBe('ok');
      expect(endpoints.endpoints).toHaveLength(500);
      expect(limited.code, limited.stdout.slice(0, 2000)).toBe(0);
      const summary = limited.json<{ result: { status: string; validated: { status: string }[] } }>().result;
      expect(summary.status).toBe('ok');
      expect(summary.validated.filter((v) => v.status === 'ok')).toHaveLength(500);
    } finally {
      many.remove();
    }
  });
});

/** `mxcp validate --json-output` under `ulimit -n 64`. */
function runLimited(p: TempProject): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${kBin}" validate --json-output`], {
      cwd: p.root,
      env: { PATH: process.env.PATH, HOME: p.home, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (c) =>
      resolve({
        code: c,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      }),
    );
  });
}

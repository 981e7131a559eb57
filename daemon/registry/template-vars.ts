/**
 * Finds the variables a prompt template reads but does not define, like Jinja2's
 * `meta.find_undeclared_variables`: names bound by `set`, `for`, `macro` and imports are excluded, as are
 * the template globals; attribute and item lookups count as their root name (`user.name` → `user`).
 */
import nunjucks from 'nunjucks';

interface AstNode {
  typename: string;
  fields?: string[];
  value?: unknown;
  children?: AstNode[];
  [field: string]: unknown;
}

const kGlobals = new Set([
  'loop',
  'range',
  'cycler',
  'joiner',
  'caller',
  'super',
  'self',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
]);

export type TemplateScan = { ok: true; undeclared: string[] } | { ok: false; error: string };

export function undeclaredVariables(template: string): TemplateScan {
  let root: AstNode;
  try {
    root = (nunjucks as unknown as { parser: { parse(src: string): AstNode } }).parser.parse(template);
  } catch (err) {
    return { ok: false, error: (err as Error).message.replace(/^\(unknown path\)\s*/, '').trim() };
  }
  const read = new Set<string>();
  const bound = new Set<string>();
  visit(root, read, bound);
  return { ok: true, undeclared: [...read].filter((n) => !bound.has(n) && !kGlobals.has(n)).sort() };
}

function symbolNames(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as AstNode;
  if (n.typename === 'Symbol') return [String(n.value)];
  if (Array.isArray(n.children)) return n.children.flatMap(symbolNames);
  if (Array.isArray(node)) return (node as unknown[]).flatMap(symbolNames);
  return [];
}

function visit(node: unknown, read: Set<string>, bound: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) visit(child, read, bound);
    return;
  }
  const n = node as AstNode;
  switch (n.typename) {
    case 'Symbol':
      read.add(String(n.value));
      return;
    case 'Filter':
    case 'FilterAsync':
      // The filter's own name is not a variable; its arguments are.
      visit(n.args, read, bound);
      return;
    case 'Set':
      for (const name of symbolNames(n.targets)) bound.add(name);
      visit(n.value, read, bound);
      visit(n.body, read, bound);
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      for (const name of symbolNames(n.name)) bound.add(name);
      visit(n.arr, read, bound);
      visit(n.body, read, bound);
      visit(n.else_, read, bound);
      return;
    case 'Macro':
    case 'Caller':
      for (const name of symbolNames(n.name)) bound.add(name);
      for (const name of symbolNames(n.args)) bound.add(name);
      visit(n.body, read, bound);
      return;
    case 'Import':
      for (const name of symbolNames(n.target)) bound.add(name);
      return;
    case 'FromImport':
      for (const name of symbolNames(n.names)) bound.add(name);
      return;
    case 'LookupVal':
      visit(n.target, read, bound);
      // `d[key]` reads `key`; `d.key` is a Literal and reads nothing.
      visit(n.val, read, bound);
      return;
    default:
      for (const field of n.fields ?? []) visit(n[field], read, bound);
  }
}

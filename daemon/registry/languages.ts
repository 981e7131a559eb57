/**
 * Languages served by the built-in executor plugins. Python is deliberately absent: a Python endpoint is
 * accepted by the schema and reported as "no executor plugin" until such a plugin is installed.
 */
export function builtinExecutorLanguages(): ReadonlySet<string> {
  return new Set(['sql', 'typescript', 'javascript']);
}

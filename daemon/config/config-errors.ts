/** Turns schema issues and reference failures into one coded error that names file, line and key path. */
import { type ErrorLocation, Errors, type MxcpError, type MxcpErrorClass } from '../../sdk/errors/index.js';
import type { ReferenceFailure } from './references.js';
import type { SchemaIssue } from './schema-validator.js';
import { formatKeyPath, locate, type YamlFile } from './yaml-file.js';

export function issueLocation(file: YamlFile, issue: SchemaIssue): ErrorLocation {
  return locate(file, issue.path, { key: issue.atKey });
}

function describeIssue(file: YamlFile, issue: SchemaIssue): string {
  const loc = issueLocation(file, issue);
  const where = loc.line !== undefined ? ` (line ${loc.line})` : '';
  return `${formatKeyPath(issue.path) || '<root>'}: ${issue.message}${where}`;
}

/** The first issue becomes the message and location; all of them are listed in `details`. */
export function schemaError(cls: MxcpErrorClass<{ detail: string }>, file: YamlFile, issues: readonly SchemaIssue[]): MxcpError {
  const first = issues[0];
  if (!first) return new cls({ detail: 'invalid' }, { location: { file: file.displayPath } });
  const detail = `${formatKeyPath(first.path) || '<root>'}: ${first.message}`;
  return new cls({ detail }, { location: issueLocation(file, first), details: issues.slice(0, 20).map((i) => describeIssue(file, i)) });
}

export function referenceError(file: YamlFile, failures: readonly ReferenceFailure[]): MxcpError {
  const first = failures[0] as ReferenceFailure;
  return new Errors.MXCP_E_REF_UNRESOLVED(
    { key: formatKeyPath(first.path), detail: first.message, more: failures.length - 1 },
    {
      location: locate(file, first.path),
      details: failures.map((f) => {
        const loc = locate(file, f.path);
        return `${file.displayPath}:${loc.line ?? '?'}: ${formatKeyPath(f.path)}: ${f.message}`;
      }),
    },
  );
}

/**
 * A small lexical scanner over SQL text that knows DuckDB's quoting: '...' strings ('' escapes), E'...'
 * strings (backslash escapes), "..." identifiers, $tag$...$tag$ dollar quoting, -- and nested /* *\/
 * comments. It needs no database, so `mxcp validate` can check parameter names even when the database
 * file is held by a running daemon and cannot be opened.
 */

export interface ScannedSql {
  /** Named `$name` parameters of the first statement, in order of first use (positional `$1` excluded). */
  readonly firstStatementParameters: readonly string[];
  /** Whether the text holds anything besides whitespace, comments and semicolons. */
  readonly hasStatement: boolean;
}

const isIdentStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_\u0080-\uffff]/.test(c);

export function scanSql(sql: string): ScannedSql {
  const params: string[] = [];
  let inFirst = true;
  let firstHasContent = false;
  let hasStatement = false;
  let i = 0;
  const n = sql.length;
  const content = (): void => {
    hasStatement = true;
    if (inFirst) firstHasContent = true;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      content();
      i = skipQuoted(sql, i, "'", false);
    } else if ((c === 'e' || c === 'E') && next === "'" && !isIdentPart(sql[i - 1] ?? ' ')) {
      content();
      i = skipQuoted(sql, i + 1, "'", true);
    } else if (c === '"') {
      content();
      i = skipQuoted(sql, i, '"', false);
    } else if (c === '$') {
      content();
      i = scanDollar(sql, i, inFirst ? params : undefined);
    } else if (c === ';') {
      // The first statement ends at the first semicolon that follows some content.
      if (firstHasContent) inFirst = false;
      i++;
    } else {
      if (!/\s/.test(c)) content();
      i++;
    }
  }
  return { firstStatementParameters: params, hasStatement };
}

/** Named parameters of the first statement (what `Parameter mismatch` compares with the declared ones). */
export function firstStatementParameters(sql: string): string[] {
  return [...scanSql(sql).firstStatementParameters];
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

function skipQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') i += 2;
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** At a `$`: a dollar-quoted string (skipped), a `$name` parameter (recorded), or `$1` (skipped). */
function scanDollar(sql: string, start: number, params: string[] | undefined): number {
  let i = start + 1;
  if (sql[i] === '$') return skipDollarQuoted(sql, start, '$$');
  if (i < sql.length && isIdentStart(sql[i]!)) {
    while (i < sql.length && isIdentPart(sql[i]!)) i++;
    if (sql[i] === '$') return skipDollarQuoted(sql, start, sql.slice(start, i + 1));
    const name = sql.slice(start + 1, i);
    if (params && !params.includes(name)) params.push(name);
    return i;
  }
  while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
  return i;
}

function skipDollarQuoted(sql: string, start: number, tag: string): number {
  const end = sql.indexOf(tag, start + tag.length);
  return end < 0 ? sql.length : end + tag.length;
}

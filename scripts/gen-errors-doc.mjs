// Prints the rows of spec/errors.md for codes missing from it (a helper for keeping the doc complete;
// the catalogue test fails when the two disagree). Usage: npm run build && node scripts/gen-errors-doc.mjs
import { readFileSync } from 'node:fs';
import { Errors } from '../dist/sdk/errors/index.js';

const doc = readFileSync(new URL('../spec/errors.md', import.meta.url), 'utf8');
for (const [code, cls] of Object.entries(Errors)) {
  if (!doc.includes(`\`${code}\``)) console.log(`| \`${code}\` | ${cls.exitCode} | |`);
}

// After tsc: make the bin executable and place each built-in plugin's package.json (its manifest) beside
// its compiled entry, so dist/plugins/<name>/ is a complete plugin folder.
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The bin's header: valid shell and valid JavaScript (node strips the #! line; line 2 is a string
// expression and a comment). sh sets UV_THREADPOOL_SIZE (unless the operator did) and execs node on the
// same file, keeping the PID and a command line that contains "mxcp serve".
const bin = 'dist/daemon/cli/main.js';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a JS template.
const header = '#!/bin/sh\n\':\' //; export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}"; exec node "$0" "$@"\n';
const body = readFileSync(bin, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(bin, header + body);
chmodSync(bin, 0o755);
for (const name of readdirSync('plugins')) {
  const manifest = join('plugins', name, 'package.json');
  if (existsSync(manifest) && existsSync(join('dist', 'plugins', name)))
    copyFileSync(manifest, join('dist', 'plugins', name, 'package.json'));
}

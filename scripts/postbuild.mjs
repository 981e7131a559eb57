// After tsc: make the bin executable and place each built-in plugin's package.json (its manifest) beside
// its compiled entry, so dist/plugins/<name>/ is a complete plugin folder.
import { chmodSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

chmodSync('dist/daemon/cli/main.js', 0o755);
for (const name of readdirSync('plugins')) {
  const manifest = join('plugins', name, 'package.json');
  if (existsSync(manifest) && existsSync(join('dist', 'plugins', name)))
    copyFileSync(manifest, join('dist', 'plugins', name, 'package.json'));
}

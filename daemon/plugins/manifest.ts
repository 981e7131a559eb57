/**
 * Reads and checks a plugin folder's manifest, without loading any of its code (STYLE 5, 6):
 *
 *   package.json readable JSON ─> manifest schema (Ajv) ─> semver version and range ─> entry inside the folder
 *   ─> configSchema compiles ─> SDK range includes this SDK
 *
 * Each step that fails gives its own coded error; the record keeps the manifest once the schema passed so
 * `mxcp plugins` can still show kind and version of a plugin that fails a later step.
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import type { PluginManifest } from '../../sdk/plugin-definition.js';
import { kPackageVersion } from '../package-root.js';
import { compileConfigSchema, describeAjvErrors, manifestSchema } from './plugin-ajv.js';
import { failure, messageOf, type PluginRecord, type PluginSource } from './types.js';

/** The SDK version plugins are checked against: this package's version. */
export const kSdkVersion = kPackageVersion;

export async function readPluginRecord(dir: string, source: PluginSource): Promise<PluginRecord> {
  const folder = basename(dir);
  const invalid = (detail: string, plugin = folder, cause?: unknown): PluginRecord => ({
    name: plugin,
    dir,
    source,
    failure: failure('manifest', pluginErrors.MXCP_E_PLUGIN_MANIFEST_INVALID, { plugin, detail: `${detail} (${dir})` }, cause),
  });

  let text: string;
  try {
    text = await readFile(join(dir, 'package.json'), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return invalid(
      code === 'ENOENT' ? 'no package.json (a plugin folder needs one with an `mxcp` field)' : `cannot read package.json: ${code}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return invalid(`package.json is not valid JSON: ${messageOf(err)}`, folder, err);
  }
  const named = typeof (data as { name?: unknown })?.name === 'string' ? (data as { name: string }).name : folder;
  const check = manifestSchema();
  if (!check(data)) return invalid(describeAjvErrors(check.errors), named);
  const manifest = data as PluginManifest;
  if (!semver.valid(manifest.version)) return invalid(`version '${manifest.version}' is not a semver version`, named);
  if (!semver.validRange(manifest.mxcp.sdk)) return invalid(`mxcp.sdk '${manifest.mxcp.sdk}' is not a semver range`, named);
  const entry = resolve(dir, manifest.mxcp.entry);
  const rel = relative(dir, entry);
  if (rel.startsWith('..') || isAbsolute(rel)) return invalid(`mxcp.entry '${manifest.mxcp.entry}' leaves the plugin folder`, named);

  let validateConfig: PluginRecord['validateConfig'];
  try {
    validateConfig = compileConfigSchema(manifest.mxcp.configSchema);
  } catch (err) {
    return invalid(`mxcp.configSchema is not a valid JSON Schema: ${messageOf(err)}`, named, err);
  }
  const record: PluginRecord = { name: manifest.name, dir, source, manifest, validateConfig };
  if (!semver.satisfies(kSdkVersion, manifest.mxcp.sdk, { includePrerelease: true })) {
    record.failure = failure('sdk', pluginErrors.MXCP_E_PLUGIN_SDK_INCOMPATIBLE, {
      plugin: manifest.name,
      range: manifest.mxcp.sdk,
      sdk: kSdkVersion,
      detail: '',
    });
  }
  return record;
}

/** Absolute path of the record's entry module (the manifest was validated). */
export function entryPath(record: PluginRecord): string {
  if (!record.manifest) throw new Error(`plugin ${record.name} has no valid manifest`);
  return resolve(record.dir, record.manifest.mxcp.entry);
}

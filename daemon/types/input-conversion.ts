/**
 * Parameter validation and conversion (MXCP section 7.1), compiled once per endpoint:
 *
 *   1. every parameter without a `default` key must be supplied  -> MXCP_E_PARAM_MISSING
 *   2. each supplied argument, in the order given:
 *        not declared                                            -> MXCP_E_PARAM_UNKNOWN
 *        `enum` on the raw value                                  -> MXCP_E_PARAM_ENUM
 *        conversion and constraints                               -> MXCP_E_PARAM_INVALID
 *   3. parameters not supplied get their (already converted) default
 *
 * MXCP applied defaults before step 1; doing it last is equivalent (a defaulted parameter is never
 * missing, and its default was converted and checked at compile time) and avoids copying the input.
 * Unlike MXCP, endpoints without parameters reject every argument instead of passing them through.
 * An argument whose value is `undefined` (possible from JavaScript callers, never from JSON) is absent.
 */
import { Errors } from '../../sdk/errors/index.js';
import type { ParameterDefinition } from '../registry/types.js';
import { compileConverter, enumRepr } from './compile-converter.js';
import { type Converter, EnumMismatch, Invalid, isPlainObject, setOwn } from './conversion-result.js';
import { displayValue } from './describe-value.js';
import type { ParamValue, ParamValues } from './values.js';

export type ParamConverter = (raw: Readonly<Record<string, unknown>>) => ParamValues;

interface CompiledParam {
  readonly name: string;
  readonly convert: Converter;
  /** Defined iff the parameter has a default: returns a fresh value of it for each call. */
  readonly defaultValue?: () => ParamValue;
  readonly enumList: string;
}

export function compileParamConverter(params: readonly ParameterDefinition[] | undefined): ParamConverter {
  const byName = new Map<string, CompiledParam>();
  const required: string[] = [];
  const defaulted: CompiledParam[] = [];
  (params ?? []).forEach((def, index) => {
    const path = `parameters.${index}`;
    const convert = compileConverter(def, path);
    const param: CompiledParam = {
      name: def.name,
      convert,
      enumList: def.enum === undefined ? '' : enumRepr(def),
      ...(hasDefault(def) ? { defaultValue: compileDefault(def, convert, path) } : {}),
    };
    byName.set(def.name, param);
    if (param.defaultValue) defaulted.push(param);
    else required.push(def.name);
  });

  return (raw) => {
    for (const name of required) {
      if (!Object.hasOwn(raw, name) || raw[name] === undefined) {
        throw new Errors.MXCP_E_PARAM_MISSING({ name }, { location: { path: name } });
      }
    }
    const out: ParamValues = {};
    for (const name in raw) {
      if (!Object.hasOwn(raw, name)) continue;
      const value = raw[name];
      if (value === undefined) continue;
      const param = byName.get(name);
      if (!param) throw new Errors.MXCP_E_PARAM_UNKNOWN({ name }, { location: { path: name } });
      const converted = param.convert(value);
      if (converted instanceof Invalid) throw conversionError(param, converted);
      setOwn(out, name, converted);
    }
    for (const param of defaulted) {
      if (!Object.hasOwn(out, param.name)) setOwn(out, param.name, param.defaultValue!());
    }
    return out;
  };
}

/** A `default` key makes a parameter optional, even `default: null`; `undefined` counts as no key. */
function hasDefault(def: ParameterDefinition): boolean {
  return Object.hasOwn(def, 'default') && def.default !== undefined;
}

/**
 * Converts the default once, at compile time, so a bad default is a load error rather than a failure of
 * every call that omits the parameter. Scalars (and the immutable temporal values) are reused; arrays and
 * objects are converted again per call so that no two calls share a mutable value.
 */
function compileDefault(def: ParameterDefinition, convert: Converter, path: string): () => ParamValue {
  const converted = convert(def.default);
  if (converted instanceof Invalid) {
    const detail = `default ${displayValue(def.default)} is invalid: ${converted.detail}`;
    throw new Errors.MXCP_E_TYPE_DEFINITION_INVALID({ path: `${path}.default`, detail }, { location: { path: `${path}.default` } });
  }
  if (Array.isArray(converted) || isPlainObject(converted)) return () => convert(def.default) as ParamValue;
  return () => converted;
}

function conversionError(param: CompiledParam, failure: Invalid): Error {
  const location = { path: param.name };
  if (failure instanceof EnumMismatch) return new Errors.MXCP_E_PARAM_ENUM({ name: param.name, allowed: param.enumList }, { location });
  return new Errors.MXCP_E_PARAM_INVALID({ name: param.name, detail: failure.detail }, { location });
}

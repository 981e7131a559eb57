/**
 * The type system, as the rest of the daemon uses it:
 *
 *   compile (once per endpoint)          per request / per result
 *   compileParamConverter(params)   -->  convert(raw args)        -> ParamValues  (MXCP 7.1)
 *                                        shapeResult(rows, ret)    -> value        (MXCP 7.2)
 *   compileOutputValidator(ret)     -->  validate(value)                           (MXCP 7.3)
 *                                        serializeOutput(value)    -> JSON value   (MXCP 7.4)
 *   inputJsonSchema / outputJsonSchema (once per generation)                       (MXCP 16.2)
 *
 * Every failure is a coded MxcpError (sdk/errors/types.ts).
 */
export { jsonTypeName, pyRepr } from './describe-value.js';
export { compileParamConverter, type ParamConverter } from './input-conversion.js';
export {
  inputJsonSchema,
  inputTypeSchema,
  type JsonSchema,
  outputJsonSchema,
  structuredContent,
  structuredOutputWrapped,
} from './json-schema.js';
export { compileOutputCheck, compileOutputValidator, type OutputCheck, validateOutput } from './output-validation.js';
export { shapeResult } from './result-shaping.js';
export { serializeOutput } from './serialize-output.js';
export { DateParam, type ParamValue, type ParamValues, TimeParam, TimestampParam } from './values.js';

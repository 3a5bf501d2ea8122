/**
 * The parts of @bufbuild/cel the evaluator uses. This module is the only place the library
 * imports it: at compile, scripts/bundle-vendor.ts replaces lib/private/vendor/cel.js with one
 * self-contained file (with @bufbuild/cel-spec, @bufbuild/protobuf and @bufbuild/re2), so the
 * package carries no runtime dependency of its own.
 */
// A dev dependency on purpose: bundled into lib/private/vendor/cel.js at compile.
// eslint-disable-next-line import/no-extraneous-dependencies
export {
  CelScalar, celEnv, celMethod, celFunc, isCelError, isCelList, isCelMap, listType, parse, plan,
  type CelEnv, type CelFunc, type CelInput, type CelList, type CelValue,
} from '@bufbuild/cel';
// eslint-disable-next-line import/no-extraneous-dependencies
export { strings } from '@bufbuild/cel/ext';

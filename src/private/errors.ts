import { IConstruct } from 'constructs';

/**
 * The one error thrown for bad input anywhere in the library.
 *
 * Message shape: `[<construct path>] '<prop>' <problem>, got <value>; <how to fix>`.
 * Not exported from the package: users match on the message, which is the contract.
 */
export class DevSecOpsValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevSecOpsValidationError';
  }
}

/** Renders a received value for an error message: strings quoted, objects as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Formats the house error message without throwing (for `node.addValidation`). */
export function invalidMessage(scope: IConstruct | string, prop: string, problem: string, value: unknown, fix: string): string {
  const where = typeof scope === 'string' ? scope : scope.node.path || '<root>';
  return `[${where}] '${prop}' ${problem}, got ${describeValue(value)}; ${fix}`;
}

/** Throws the house error: `[path] 'prop' problem, got value; fix`. */
export function invalid(scope: IConstruct | string, prop: string, problem: string, value: unknown, fix: string): never {
  throw new DevSecOpsValidationError(invalidMessage(scope, prop, problem, value, fix));
}

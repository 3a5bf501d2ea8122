import { IConstruct } from 'constructs';
import { invalid } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `s` is an RFC 1123 DNS label (what a Namespace name must be). */
export function isDnsLabel(s: string): boolean {
  return typeof s === 'string' && s.length >= 1 && s.length <= 63 && DNS_LABEL.test(s);
}

/** True when `s` is a registry host as image references name it: a lowercase DNS name with an optional port. */
export function isRegistryHost(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = /^(.*?)(:(\d{1,5}))?$/.exec(s)!;
  return isDnsSubdomain(m[1]) && (m[3] === undefined || (Number(m[3]) >= 1 && Number(m[3]) <= 65535));
}

/** One path component of an OCI repository: lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A Harbor project name: lowercase alphanumerics with single `.`, `_` or `-` between them. */
const HARBOR_PROJECT = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** True when `s` is one path component of an OCI repository name (distribution's grammar). */
export function isRepositoryComponent(s: string): boolean {
  return typeof s === 'string' && PATH_COMPONENT.test(s);
}

/** True when `s` is an OCI repository path: one or more components separated by `/`. */
export function isRepositoryPath(s: string): boolean {
  return typeof s === 'string' && s.length > 0 && s.split('/').every(isRepositoryComponent);
}

/** True when `s` follows Harbor's project-name rule (at most 255 characters). */
export function isHarborProjectName(s: string): boolean {
  return typeof s === 'string' && s.length <= 255 && HARBOR_PROJECT.test(s);
}

/** True when `s` is an RFC 1123 DNS subdomain (the default object-name rule). */
export function isDnsSubdomain(s: string): boolean {
  return typeof s === 'string' && s.length >= 1 && s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

export function requireDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 63): string {
  if (typeof value !== 'string' || !isDnsLabel(value) || value.length > maxLength) {
    invalid(scope, prop, `must be a DNS label (lowercase letters, digits and '-', starting and ending alphanumeric, at most ${maxLength} characters)`, value,
      'choose a name such as "payments" or "core-banking"');
  }
  return value;
}

/**
 * Kubernetes resource.Quantity grammar: a signed decimal number with an optional
 * binary-SI (Ki..Ei), decimal-SI (n, u, m, k, M, G, T, P, E) or exponent suffix.
 */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function isQuantity(s: string): boolean {
  return typeof s === 'string' && QUANTITY.test(s);
}

/** Validates a non-negative quantity (requests, limits, quotas cannot be negative). */
export function requireQuantity(scope: IConstruct, prop: string, value: string): string {
  if (!isQuantity(value) || value.startsWith('-')) {
    invalid(scope, prop, 'must be a non-negative Kubernetes quantity', value,
      'use a number with an optional unit suffix, for example "500m" (CPU) or "512Mi" (memory)');
  }
  return value;
}

/** Validates that `value` is one of the values of a string enum (for callers without a type checker). */
export function requireEnum<T extends string>(scope: IConstruct, prop: string, value: T, values: { [key: string]: T }, enumName: string): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value)) {
    invalid(scope, prop, `is not a ${enumName}`, value, `use one of ${Object.keys(values).map((k) => `${enumName}.${k}`).join(', ')}`);
  }
  return value;
}

/** An integer count of at least `min` (replicas and the like), or the house error with `fix`. */
export function requireCount(scope: IConstruct, prop: string, value: number, min: number, fix: string): number {
  if (!Number.isInteger(value) || value < min) invalid(scope, prop, `must be an integer of at least ${min}`, value, fix);
  return value;
}

export function requirePort(scope: IConstruct, prop: string, value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    invalid(scope, prop, 'must be an integer port between 1 and 65535', value, 'use a port such as 8443');
  }
  return value;
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.includes(':::')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const all = halves.flatMap(groups);
  if (all.some((g) => g.length < 1 || g.length > 4)) return false;
  return halves.length === 2 ? all.length < 8 : all.length === 8;
}

/**
 * Validates a CIDR as NetworkPolicy ipBlock expects it (IPv4 or IPv6, prefix in range),
 * and that it is in canonical form: no host bits set past the prefix, so the allowed range is
 * exactly what the reader sees.
 */
export function requireCidr(scope: IConstruct, prop: string, value: string): string {
  const fail = (problem: string): never =>
    invalid(scope, prop, problem, value, 'use CIDR notation with the network address, for example "10.20.0.0/16"');
  if (typeof value !== 'string') fail('must be a CIDR string');
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) fail('must be a CIDR (address/prefix)');
  const [, addr, prefixText] = m!;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(addr);
  if (v4) {
    if (prefix > 32) fail('has an IPv4 prefix length above 32');
    const n = v4[0] * 2 ** 24 + v4[1] * 2 ** 16 + v4[2] * 2 ** 8 + v4[3];
    const hostBits = prefix === 32 ? 0 : prefix === 0 ? n : n % 2 ** (32 - prefix);
    if (hostBits !== 0) fail('has host bits set beyond the prefix');
    return value;
  }
  if (parseIpv6(addr)) {
    if (prefix > 128) fail('has an IPv6 prefix length above 128');
    return value;
  }
  return fail('is not a valid IPv4 or IPv6 CIDR');
}

const SUFFIX: { [s: string]: number } = {
  '': 1,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** The numeric value of a valid quantity (for comparisons only; not exact at the extremes). */
export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(q);
  if (!m) return NaN;
  const [, num, suffix] = m;
  if (/^[eE]/.test(suffix)) return Number(num) * 10 ** Number(suffix.slice(1));
  return Number(num) * (SUFFIX[suffix] ?? NaN);
}

/** A path inside a repository: relative, non-empty, never climbing out with `..`. */
export function requireSubPath(scope: IConstruct, prop: string, value: string | undefined): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value === '' || value.startsWith('/') || value.split('/').includes('..'))) {
    invalid(scope, prop, 'is not a relative path inside the repository', value, 'use a path such as "services/ledger"');
  }
  return value;
}

/**
 * How sensitive a tenant is. The tier drives every default of the tenant and of the layers that
 * act on it: Pod Security level, quotas, team access, admission enforcement, runtime detection.
 */
export enum Tier {
  /** Regulated data or money movement (payments, cardholder data). Strictest defaults everywhere. */
  SENSITIVE = 'sensitive',
  /** Production business services without regulated data. */
  STANDARD = 'standard',
  /** Development and experimentation. Looser, but still audited and warned against `restricted`. */
  DEV = 'dev',
}

/**
 * Data classification recorded on a tenant's namespace, for policy and compliance evidence.
 */
export enum DataClassification {
  /** Regulated data: cardholder data (PCI DSS), protected health information (HIPAA). */
  RESTRICTED = 'restricted',
  /** Confidential business data. */
  CONFIDENTIAL = 'confidential',
  /** Internal data with no regulatory scope. */
  INTERNAL = 'internal',
  /** Data that may be made public. */
  PUBLIC = 'public',
}

/** The props and options of `Tenant`, and the interface other layers see it through. */
import { IConstruct } from 'constructs';
import { ClusterDns } from './cluster-dns';
import { PodSecurityConfig, PodSecurityLevel } from './pod-security';
import { ContainerResourceDefaults, TenantQuota } from './resources';
import { TeamAccess } from './team-access';
import { DataClassification, Tier } from './tier';
import { Weakening } from './weakening';

/**
 * A tenant as other layers see it: a namespace owned by a team, with a tier.
 */
export interface ITenant extends IConstruct {
  /** Name of the tenant's namespace. */
  readonly namespaceName: string;
  /** Tier the tenant's defaults come from. */
  readonly tier: Tier;
  /** Owning team. */
  readonly team: string;
  /** Classification of the tenant's data. */
  readonly dataClassification: DataClassification;
  /** Pod Security level enforced in the namespace. */
  readonly podSecurityLevel: PodSecurityLevel;
}

/**
 * Options of a tenant: everything but its name.
 */
export interface TenantOptions {
  /**
   * Tier of the tenant. Every other default follows from it.
   */
  readonly tier: Tier;

  /**
   * Owning team: recorded as the owner label and, unless `teamGroup` says otherwise, the
   * identity-provider group bound to the team role. A DNS label.
   */
  readonly team: string;

  /**
   * Group (as the API server's authenticator reports it) bound to the team role.
   * @default - the value of `team`
   */
  readonly teamGroup?: string;

  /**
   * Data classification label.
   * @default - SENSITIVE: RESTRICTED, STANDARD: CONFIDENTIAL, DEV: INTERNAL
   */
  readonly dataClassification?: DataClassification;

  /**
   * Security: Pod Security admission levels; a level below the tier's weakens pod isolation.
   * @default - SENSITIVE and STANDARD enforce `restricted`; DEV enforces `baseline`; all audit
   * and warn `restricted`; version pinned to `PodSecurity.PINNED_VERSION`
   */
  readonly podSecurity?: PodSecurityConfig;

  /**
   * Security: what the owning team may do through the API; a broader level than the tier's
   * widens who can touch running workloads.
   * @default - SENSITIVE: READ_ONLY, STANDARD: OPERATE, DEV: DEVELOP
   */
  readonly teamAccess?: TeamAccess;

  /**
   * Resource quota; fields left out take the tier's default.
   * @default - the tier's quota (see the README's secure-defaults table)
   */
  readonly quota?: TenantQuota;

  /**
   * Per-container defaults and bounds; fields left out take the tier's default.
   * @default - the tier's container defaults
   */
  readonly containerDefaults?: ContainerResourceDefaults;

  /**
   * Where cluster DNS answers; the only egress a tenant has by default.
   * @default ClusterDns.kubeDns()
   */
  readonly clusterDns?: ClusterDns;

  /**
   * Extra namespace labels. Keys of the library (`devsecops.cdk8s.io/`) and of Pod Security
   * admission are refused: set them through the typed props.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Security: the widest egress CIDRs a SENSITIVE tenant may allow without an acknowledged
   * `Weakening`. `0.0.0.0/0` and `::/0` always need one, whatever the limit.
   * @default - IPv4 /16, IPv6 /48
   */
  readonly egressPrefixLimit?: EgressPrefixLimit;
}

/**
 * Prefix lengths below which a SENSITIVE tenant's egress CIDR is a weakening.
 */
export interface EgressPrefixLimit {
  /**
   * Shortest IPv4 prefix allowed without an acknowledgement (0-32).
   * @default 16
   */
  readonly ipv4?: number;
  /**
   * Shortest IPv6 prefix allowed without an acknowledgement (0-128).
   * @default 48
   */
  readonly ipv6?: number;
}

/**
 * Properties of a `Tenant`.
 */
export interface TenantProps extends TenantOptions {
  /**
   * Namespace name.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * Options of one allow rule.
 */
export interface AllowOptions {
  /**
   * Restrict the rule to these pods of this tenant.
   * @default - every pod of the tenant
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * The acknowledgement a rule that weakens the tier's default needs: a peer in every namespace
   * (`NetworkPeer.allNamespaces`), ingress from every address (`/0`), or egress from a SENSITIVE
   * tenant wider than its `egressPrefixLimit`. Recorded on the NetworkPolicy and in the policy
   * report.
   * @default - none: such a rule is refused
   */
  readonly weakening?: Weakening;
}

/** Direction of an allow rule, seen from the tenant that holds it. */
export enum NetworkDirection {
  INGRESS = 'Ingress',
  EGRESS = 'Egress',
}

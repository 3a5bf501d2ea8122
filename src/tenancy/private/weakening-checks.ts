import { IConstruct } from 'constructs';
import { checkWeakening } from './weakenings';
import { invalid } from '../../private/errors';
import { NetworkPeer, NetworkPeerKind } from '../network';
import { PodSecurityLevel } from '../pod-security';
import { Tier } from '../tier';
import { Weakening, WeakeningKind } from '../weakening';

const RANK: { [level: string]: number } = {
  [PodSecurityLevel.PRIVILEGED]: 0,
  [PodSecurityLevel.BASELINE]: 1,
  [PodSecurityLevel.RESTRICTED]: 2,
};

/** The widest egress CIDRs a SENSITIVE tenant may allow without an acknowledgement. */
export interface EgressPrefixLimits {
  readonly ipv4: number;
  readonly ipv6: number;
}

/**
 * The Pod Security modes set below the tier's level, as `mode=level (tier: level)`; an error
 * with the fix when there are some and no acknowledgement.
 */
export function podSecurityWeakenings(
  scope: IConstruct, tier: Tier, levels: { [mode: string]: PodSecurityLevel }, tierLevels: { [mode: string]: PodSecurityLevel },
  weakening: Weakening | undefined,
): string[] {
  checkWeakening(scope, 'podSecurity.weakening', weakening);
  const below = ['enforce', 'audit', 'warn'].filter((m) => RANK[levels[m]] < RANK[tierLevels[m]]);
  if (below.length > 0 && !weakening) {
    const m = below[0];
    invalid(scope, `podSecurity.${m}`, `is below the ${tier.toUpperCase()} tier's Pod Security level "${tierLevels[m]}"`, levels[m],
      `keep "${tierLevels[m]}", or acknowledge the weakening: podSecurity: { ..., weakening: Weakening.acknowledge("<ticket and reason>") }`);
  }
  return below.map((m) => `${m}=${levels[m]} (tier ${tier}: ${tierLevels[m]})`);
}

/** Prefix length and family of a validated CIDR. */
function prefixOf(cidr: string): { v6: boolean; prefix: number } {
  return { v6: cidr.includes(':'), prefix: Number(cidr.slice(cidr.lastIndexOf('/') + 1)) };
}

/**
 * The weakening an allow rule is, if any: every namespace (either direction), ingress from
 * every address (`/0`), or, from a SENSITIVE tenant, egress to a CIDR wider than the limit
 * (always to `0.0.0.0/0` and `::/0`). Throws the house error with the fix when there is one and
 * no acknowledgement.
 */
export function networkWeakening(
  scope: IConstruct, prop: string, tier: Tier, egress: boolean, peer: NetworkPeer, limits: EgressPrefixLimits,
  weakening: Weakening | undefined,
): { kind: WeakeningKind; detail: string } | undefined {
  checkWeakening(scope, `${prop.split('.')[0]}.options.weakening`, weakening);
  let found: { kind: WeakeningKind; detail: string; problem: string } | undefined;
  const direction = egress ? 'egress to' : 'ingress from';
  if (peer.kind === NetworkPeerKind.ALL_NAMESPACES) {
    found = { kind: WeakeningKind.ALL_NAMESPACES, detail: `${direction} ${peer}`, problem: 'admits every namespace of the cluster' };
  } else if (peer.kind === NetworkPeerKind.CIDR) {
    const { v6, prefix } = prefixOf(peer.cidrBlock!);
    const limit = v6 ? limits.ipv6 : limits.ipv4;
    if (!egress && prefix === 0) {
      found = { kind: WeakeningKind.ALL_NAMESPACES, detail: `${direction} ${peer}`, problem: 'admits every address, pods of every namespace included' };
    } else if (egress && tier === Tier.SENSITIVE && (prefix === 0 || prefix < limit)) {
      found = {
        kind: WeakeningKind.WIDE_EGRESS,
        detail: `${direction} ${peer}`,
        problem: prefix === 0 ? 'opens SENSITIVE egress to every address'
          : `is wider than the SENSITIVE egress limit /${limit} (${v6 ? 'egressPrefixLimit.ipv6' : 'egressPrefixLimit.ipv4'})`,
      };
    }
  }
  if (!found) return undefined;
  if (!weakening) {
    invalid(scope, prop, found.problem, peer.toString(),
      'name the narrower destination, or acknowledge the weakening: { weakening: Weakening.acknowledge("<ticket and reason>") } in the rule\'s options');
  }
  return { kind: found.kind, detail: found.detail };
}

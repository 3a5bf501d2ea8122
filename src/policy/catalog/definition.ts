import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperCelValidation, GatekeeperCelVariable } from '../constraint-template';
import { GatekeeperMatchKind } from '../match';
import { GatekeeperParameterSchema } from '../parameter-schema';

/** What the catalog knows when it parameterizes a default constraint. */
export interface CatalogContext {
  readonly allowedRepositories: string[];
  /** Per tier: namespace -> repositories admitted there only. */
  readonly tenantRepositories?: (tier: Tier) => { [namespace: string]: string[] };
  /** Per tier: namespace -> the build service account and the repositories its kpack build pods may pull. */
  readonly buildRepositories?: (tier: Tier) => { [namespace: string]: { serviceAccountName: string; repositories: string[] } };
  readonly toolRepositories?: (tier: Tier) => { [namespace: string]: { serviceAccountNames: string[]; repositories: string[] } };
  /** Per tier: the node pool placement its pods must have (empty: none required). */
  readonly nodePlacement?: (tier: Tier) => {
    nodeSelector?: { [key: string]: string };
    tolerations?: Array<{ key: string; value: string; effect: string }>;
  };
  readonly allowedCapabilities: string[];
  readonly requiredLabels: string[];
}

/** One built-in policy: its template and how its per-tier default constraints are made. */
export interface PolicyDefinition {
  readonly policy: BuiltInPolicy;
  readonly kind: string;
  readonly description: string;
  readonly parameters?: { [name: string]: GatekeeperParameterSchema };
  readonly variables?: GatekeeperCelVariable[];
  readonly validations: GatekeeperCelValidation[];
  readonly kinds: GatekeeperMatchKind[];
  /** Tiers that get a default constraint. */
  readonly tiers: Tier[];
  /** Parameters of the default constraint of `tier`. */
  readonly parametersFor?: (tier: Tier, ctx: CatalogContext) => { [key: string]: any };
}

export const ALL_TIERS = [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];
export const POD_KINDS: GatekeeperMatchKind[] = [{ apiGroups: [''], kinds: ['Pod'] }];

/** Gatekeeper-style variables every pod policy starts from. */
export function podVariables(): GatekeeperCelVariable[] {
  const list = (field: string) => `has(variables.anyObject.spec.${field}) ? variables.anyObject.spec.${field} : []`;
  return [
    { name: 'containers', expression: list('containers') },
    { name: 'initContainers', expression: list('initContainers') },
    { name: 'ephemeralContainers', expression: list('ephemeralContainers') },
    { name: 'allContainers', expression: 'variables.containers + variables.initContainers + variables.ephemeralContainers' },
  ];
}

/** CEL listing the names of the containers of `list` for which `failing` (on `c`) holds. */
export function failingNames(list: string, failing: string): string {
  return `variables.${list}.filter(c, ${failing}).map(c, c.name).join(', ')`;
}

import { IConstruct } from 'constructs';
import { globMatches } from './match-eval';
import { GatekeeperConstraint } from '../constraint';
import { PolicyExemption, PolicyExemptionKind } from '../exemption';
import { GatekeeperSystemConfig } from '../gatekeeper-system-config';
import type { PolicyCatalog } from '../policy-catalog';

/**
 * Weakenings only known once the whole program is built: policy exemptions that cover a
 * tenant's namespace (from the Gatekeeper Config or any constraint), and label exemptions of the
 * catalog's tier constraints (which judge nothing but tenant namespaces), each of which needs an
 * acknowledged `Weakening`.
 */
export function checkWeakenings(all: IConstruct[], tenants: string[], policies: PolicyCatalog): string[] {
  const errors: string[] = [];
  const catalogConstraints = new Set<IConstruct>(policies.node.findAll().filter((c) => c instanceof GatekeeperConstraint));
  const check = (owner: IConstruct, e: PolicyExemption, catalog: boolean) => {
    if (e.weakening) return;
    let covered: string[] = [];
    if (e.kind === PolicyExemptionKind.NAMESPACES) {
      covered = tenants.filter((t) => e.exemptNamespaces.some((p) => globMatches(p, t)));
      if (covered.length === 0) return;
    } else if (!catalog) {
      return;
    }
    const what = covered.length > 0 ? `tenant namespace${covered.length > 1 ? 's' : ''} ${covered.join(', ')}` : 'labelled objects in every tenant of the tier';
    errors.push(`[${owner.node.path}] 'exemption' exempts ${what} from policy, got ${JSON.stringify(e.toJson())}; `
      + 'narrow the exemption to the objects that need it, or acknowledge the weakening: '
      + 'PolicyExemption.namespaces(namespaces, reason, Weakening.acknowledge("<ticket and reason>"))');
  };
  for (const c of all) {
    if (c instanceof GatekeeperConstraint) c.exemptions.forEach((e) => check(c, e, catalogConstraints.has(c)));
    else if (c instanceof GatekeeperSystemConfig) c.exemptions.forEach((e) => check(c, e, false));
  }
  return errors;
}


import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { checkWeakening, recordWeakening } from '../tenancy/private/weakenings';
import { Weakening, WeakeningKind } from '../tenancy/weakening';
import { checkNamespacePattern } from './private/match-check';

/**
 * How an exemption is applied.
 */
export enum PolicyExemptionKind {
  /** Objects in the listed namespaces (and the Namespaces themselves) are not judged. */
  NAMESPACES = 'namespaces',
  /** Objects carrying a label with a given value are not judged. */
  LABELLED_OBJECTS = 'labelled-objects',
}

/**
 * An explicit, reasoned exception to a policy. Exemptions are applied through Gatekeeper's own
 * mechanisms (a constraint's match exclusions, or the Gatekeeper `Config` for exemptions from
 * every policy), so the cluster and the synth-time evaluator agree, and every exemption is
 * listed with its reason in the policy report and in the constraint's annotations.
 */
export class PolicyExemption {
  /**
   * Security: exempt every object in `namespaces` (prefix `team-*` or suffix `*-system` globs
   * allowed). An exemption that covers a tenant's namespace needs an acknowledged `weakening`
   * (checked by `DevSecOpsPlatform` at synth), recorded in the policy report.
   */
  public static namespaces(namespaces: string[], reason: string, weakening?: Weakening): PolicyExemption {
    return new PolicyExemption(PolicyExemptionKind.NAMESPACES, reason, [...namespaces], undefined, undefined, weakening);
  }

  /**
   * Security: exempt objects labelled `key=value`. For workloads the label is read from the pod
   * template. Anyone who can set the label can claim the exemption: pair it with RBAC or a
   * separate policy on who sets the label.
   */
  public static labelledObjects(key: string, value: string, reason: string, weakening?: Weakening): PolicyExemption {
    return new PolicyExemption(PolicyExemptionKind.LABELLED_OBJECTS, reason, [], key, value, weakening);
  }

  /** How the exemption is applied. */
  public readonly kind: PolicyExemptionKind;
  /** Why the exemption exists (for reviewers and auditors). */
  public readonly reason: string;
  /** Exempt namespaces (for `NAMESPACES`). */
  public readonly exemptNamespaces: string[];
  /** Label key (for `LABELLED_OBJECTS`). */
  public readonly labelKey?: string;
  /** Label value (for `LABELLED_OBJECTS`). */
  public readonly labelValue?: string;
  /** The acknowledgement of the weakening, when the exemption covers tenant namespaces. */
  public readonly weakening?: Weakening;

  private constructor(
    kind: PolicyExemptionKind, reason: string, namespaces: string[], labelKey?: string, labelValue?: string, weakening?: Weakening,
  ) {
    this.kind = kind;
    this.weakening = weakening;
    this.reason = reason;
    this.exemptNamespaces = namespaces;
    this.labelKey = labelKey;
    this.labelValue = labelValue;
  }

  /**
   * Checks the exemption where it is applied, so errors carry that construct's path.
   * @internal
   */
  public _check(scope: IConstruct): void {
    checkWeakening(scope, 'exemption.weakening', this.weakening);
    if (typeof this.reason !== 'string' || this.reason.trim().length < 10) {
      invalid(scope, 'exemption.reason', 'must explain why the exemption is needed (at least 10 characters)', this.reason,
        'write the reason an auditor will read, for example "CNI agent needs host networking"');
    }
    if (this.kind === PolicyExemptionKind.NAMESPACES) {
      if (this.exemptNamespaces.length === 0) {
        invalid(scope, 'exemption.namespaces', 'must list at least one namespace', this.exemptNamespaces, 'name the namespaces to exempt');
      }
      this.exemptNamespaces.forEach((ns, i) => checkNamespacePattern(scope, `exemption.namespaces[${i}]`, ns));
    } else if (!this.labelKey || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(this.labelKey)) {
      invalid(scope, 'exemption.labelKey', 'must be a valid label key', this.labelKey, 'use a key such as "devsecops.cdk8s.io/exempt-automount"');
    }
  }

  /**
   * Records the acknowledged weakening (if any) on the object the exemption is applied through.
   * @internal
   */
  public _record(obj: ApiObject, appliedTo: string): void {
    if (!this.weakening) return;
    const what = this.kind === PolicyExemptionKind.NAMESPACES ? `namespaces ${this.exemptNamespaces.join(', ')}` : `objects labelled ${this.labelKey}=${this.labelValue}`;
    recordWeakening(obj, WeakeningKind.TENANT_EXEMPTION, `${appliedTo} exempts ${what}`, this.weakening);
  }

  /** A plain record of the exemption, for reports and annotations. */
  public toJson(): any {
    return this.kind === PolicyExemptionKind.NAMESPACES
      ? { kind: this.kind, namespaces: [...this.exemptNamespaces], reason: this.reason }
      : { kind: this.kind, label: `${this.labelKey}=${this.labelValue}`, reason: this.reason };
  }
}

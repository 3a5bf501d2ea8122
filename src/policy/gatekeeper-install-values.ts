import { GatekeeperSystemConfig } from './gatekeeper-system-config';

/** Props of the Gatekeeper Helm values. */
export interface GatekeeperInstallValuesProps {
  /**
   * Further namespaces the admission webhook skips (beyond `config`'s exemptions and
   * Gatekeeper's own namespace, which is always skipped). Exact names, or `prefix*` / `*suffix`
   * globs: the webhook's namespaceSelector can only skip exact names, so a glob is exempted by
   * the Config and may carry the `admission.gatekeeper.sh/ignore` label, but its requests still
   * reach the webhook. With `config`, `GatekeeperInstall` fails synth for an entry the Config does
   * not exempt too (audit would still report it).
   * @default - none
   */
  readonly exemptNamespaces?: string[];
  /**
   * The Config whose exemptions the webhook, audit and the controller all honour, so the three
   * agree.
   * @default - none
   */
  readonly config?: GatekeeperSystemConfig;
  /**
   * Controller (webhook) replicas.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Audit interval in seconds.
   * @default 60
   */
  readonly auditIntervalSeconds?: number;
  /**
   * Security: let requests through when the webhook is unreachable (`Ignore`).
   * @default false - the webhook fails closed
   */
  readonly failOpen?: boolean;
  /**
   * Security: stop logging every denied admission request (`--log-denies`). Denials then leave
   * no trace in the controller's log for the SIEM.
   * @default false - every denial is logged
   */
  readonly disableDenyLogging?: boolean;
  /**
   * Security: stop emitting a Kubernetes Event for every admission denial and warning
   * (`--emit-admission-events`).
   * @default false - admission events are emitted
   */
  readonly disableAdmissionEvents?: boolean;
  /**
   * Security: stop emitting a Kubernetes Event for every audit violation (`--emit-audit-events`).
   * @default false - audit events are emitted
   */
  readonly disableAuditEvents?: boolean;
  /**
   * Violations audit records in each constraint's status (`--constraint-violations-limit`).
   * @default 100
   */
  readonly auditViolationsLimit?: number;
  /**
   * Security: run Gatekeeper's mutation webhook (Assign, ModifySet, AssignMetadata). The
   * platform emits no mutators, so it is off and no MutatingWebhookConfiguration exists that
   * could change objects after review.
   * @default false
   */
  readonly enableMutation?: boolean;
  /**
   * CIDRs of the Kubernetes API servers. When given, a NetworkPolicy admits only them (and
   * Gatekeeper's own pods) to the webhook pods.
   * @default - no NetworkPolicy: any pod may connect to the webhook port
   */
  readonly apiServerCidrs?: string[];
}

/** Label every Namespace carries with its own name (Kubernetes sets it). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Port the chart's controller serves the webhook on (`controllerManager.port`). */
const WEBHOOK_PORT = 8443;

/** One group of namespaces the webhook skips, with why. */
export interface GatekeeperWebhookExemption {
  /** Exact namespace names. */
  readonly namespaces: string[];
  /** Why they are skipped. */
  readonly reason: string;
}

/**
 * Typed values for the Gatekeeper 3.23 Helm chart.
 *
 * Namespace exemptions have two effects in that chart, both set here from the same list:
 * `validatingWebhookExemptNamespacesLabels` makes the API server skip the webhook for the named
 * namespaces (`namespaceSelector` on `kubernetes.io/metadata.name`), and
 * `controllerManager.exemptNamespaces` / `...Prefixes` / `...Suffixes` (`--exempt-namespace*` on
 * the controller and audit) permit those namespaces to carry the `admission.gatekeeper.sh/ignore`
 * label. The Config (`config`) exempts the same namespaces from every process, audit included.
 */
export class GatekeeperInstallValues {
  /** Controller replicas. */
  public readonly replicas: number;
  /** Audit interval in seconds. */
  public readonly auditIntervalSeconds: number;
  /** Webhook failure policy (`Fail` or `Ignore`). */
  public readonly failurePolicy: string;
  /** Whether denials are logged. */
  public readonly logDenies: boolean;
  /** Whether admission events are emitted. */
  public readonly emitAdmissionEvents: boolean;
  /** Whether audit events are emitted. */
  public readonly emitAuditEvents: boolean;
  /** Violations kept per constraint status. */
  public readonly auditViolationsLimit: number;
  /** Whether the mutation webhook runs. */
  public readonly mutation: boolean;
  /** API server CIDRs admitted by the NetworkPolicy (empty: no NetworkPolicy). */
  public readonly apiServerCidrs: string[];

  private readonly props: GatekeeperInstallValuesProps;

  constructor(props: GatekeeperInstallValuesProps = {}) {
    this.props = props;
    this.replicas = props.replicas ?? 3;
    this.auditIntervalSeconds = props.auditIntervalSeconds ?? 60;
    this.failurePolicy = props.failOpen ? 'Ignore' : 'Fail';
    this.logDenies = !props.disableDenyLogging;
    this.emitAdmissionEvents = !props.disableAdmissionEvents;
    this.emitAuditEvents = !props.disableAuditEvents;
    this.auditViolationsLimit = props.auditViolationsLimit ?? 100;
    this.mutation = props.enableMutation ?? false;
    this.apiServerCidrs = [...(props.apiServerCidrs ?? [])];
  }

  // The exemptions are read from the Config each time: it keeps growing after the install is
  // created (a tenant's exemption comes with the tenant), and webhook, audit and Config must agree.

  /** Exact namespace names the webhook skips (Gatekeeper's own included), sorted. */
  public get exemptNamespaces(): string[] {
    return this.allExempt().filter((n) => !n.includes('*')).sort();
  }

  /** Namespace prefixes (from `prefix*` globs) allowed the ignore label. */
  public get exemptNamespacePrefixes(): string[] {
    return this.allExempt().filter((n) => n.endsWith('*') && !n.startsWith('*')).map((n) => n.slice(0, -1)).sort();
  }

  /** Namespace suffixes (from `*suffix` globs) allowed the ignore label. */
  public get exemptNamespaceSuffixes(): string[] {
    return this.allExempt().filter((n) => n.startsWith('*') && !n.endsWith('*')).map((n) => n.slice(1)).sort();
  }

  /** The webhook exemptions with their reasons, for the policy report. */
  public get webhookExemptions(): GatekeeperWebhookExemption[] {
    return this.exemptionGroups()
      .map((g) => ({ namespaces: [...new Set(g.namespaces.filter((n) => !n.includes('*')))].sort(), reason: g.reason }))
      .filter((g) => g.namespaces.length > 0);
  }

  /** The chart values. */
  public toValues(): any {
    const skip = { [NAMESPACE_NAME_LABEL]: [...this.exemptNamespaces] };
    return {
      replicas: this.replicas,
      auditInterval: this.auditIntervalSeconds,
      constraintViolationsLimit: this.auditViolationsLimit,
      validatingWebhookFailurePolicy: this.failurePolicy,
      validatingWebhookExemptNamespacesLabels: skip,
      logDenies: this.logDenies,
      emitAdmissionEvents: this.emitAdmissionEvents,
      emitAuditEvents: this.emitAuditEvents,
      disableMutation: !this.mutation,
      ...(this.mutation ? { mutatingWebhookExemptNamespacesLabels: skip } : {}),
      controllerManager: {
        exemptNamespaces: [...this.exemptNamespaces],
        ...(this.exemptNamespacePrefixes.length > 0 ? { exemptNamespacePrefixes: [...this.exemptNamespacePrefixes] } : {}),
        ...(this.exemptNamespaceSuffixes.length > 0 ? { exemptNamespaceSuffixes: [...this.exemptNamespaceSuffixes] } : {}),
        ...(this.apiServerCidrs.length > 0 ? {
          networkPolicy: {
            enabled: true,
            ingress: [{
              from: this.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
              ports: [{ protocol: 'TCP', port: WEBHOOK_PORT }],
            }],
          },
        } : {}),
      },
    };
  }

  private exemptionGroups(): Array<{ namespaces: string[]; reason: string }> {
    const groups: Array<{ namespaces: string[]; reason: string }> = [
      { namespaces: [GatekeeperSystemConfig.DEFAULT_NAMESPACE], reason: 'Gatekeeper\'s own namespace: the chart always skips it so a broken webhook cannot block its own repair' },
      ...(this.props.config?.exemptions ?? []).map((e) => ({ namespaces: e.exemptNamespaces, reason: e.reason })),
    ];
    if (this.props.exemptNamespaces && this.props.exemptNamespaces.length > 0) {
      groups.push({ namespaces: this.props.exemptNamespaces, reason: 'listed in GatekeeperInstallProps.exemptNamespaces' });
    }
    return groups;
  }

  private allExempt(): string[] {
    return [...new Set(this.exemptionGroups().flatMap((g) => g.namespaces))];
  }
}

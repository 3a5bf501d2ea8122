import { GatekeeperSystemConfig } from './gatekeeper-system-config';

/** Props of the Gatekeeper Helm values. */
export interface GatekeeperInstallValuesProps {
  /**
   * Namespaces the admission webhook exempts (Gatekeeper's own namespace is always added).
   * @default - the namespaces exempted by `config`, if given
   */
  readonly exemptNamespaces?: string[];
  /**
   * The Config whose exemptions become webhook exemptions too.
   * @default - none
   */
  readonly config?: GatekeeperSystemConfig;
  /**
   * Controller replicas.
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
}

/**
 * Typed values for the Gatekeeper Helm chart, kept here so the install construct (written
 * elsewhere) can pass the policy layer's exempt-namespace list unchanged.
 */
export class GatekeeperInstallValues {
  /** Namespaces exempt from the admission webhook. */
  public readonly exemptNamespaces: string[];
  /** Namespace prefixes exempt from the admission webhook (from `prefix-*` globs). */
  public readonly exemptNamespacePrefixes: string[];
  /** Controller replicas. */
  public readonly replicas: number;
  /** Audit interval in seconds. */
  public readonly auditIntervalSeconds: number;
  /** Webhook failure policy (`Fail` or `Ignore`). */
  public readonly failurePolicy: string;

  constructor(props: GatekeeperInstallValuesProps = {}) {
    const ns = new Set<string>([GatekeeperSystemConfig.DEFAULT_NAMESPACE, ...(props.exemptNamespaces ?? props.config?.exemptNamespaces ?? [])]);
    this.exemptNamespaces = [...ns].filter((n) => !n.includes('*')).sort();
    // Suffix globs (`*-system`) have no chart value: they stay in the Config, which Gatekeeper
    // honours for every process, so only the webhook's own pre-filter misses them.
    this.exemptNamespacePrefixes = [...ns].filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)).sort();
    this.replicas = props.replicas ?? 3;
    this.auditIntervalSeconds = props.auditIntervalSeconds ?? 60;
    this.failurePolicy = props.failOpen ? 'Ignore' : 'Fail';
  }

  /** The chart values. */
  public toValues(): any {
    return {
      replicas: this.replicas,
      auditInterval: this.auditIntervalSeconds,
      validatingWebhookFailurePolicy: this.failurePolicy,
      exemptNamespaces: [...this.exemptNamespaces],
      ...(this.exemptNamespacePrefixes.length > 0 ? { exemptNamespacePrefixes: [...this.exemptNamespacePrefixes] } : {}),
    };
  }
}

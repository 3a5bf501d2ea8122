import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GatekeeperInstallValues, GatekeeperInstallValuesProps } from './gatekeeper-install-values';
import { EXEMPTIONS_TARGET_ANNOTATION } from './private/engine';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid, invalidMessage } from '../private/errors';
import { requireCidr, requireCount } from '../private/validate';

/**
 * Props of `GatekeeperInstall`.
 */
export interface GatekeeperInstallProps extends GatekeeperInstallValuesProps {
  /**
   * Exact chart version for this install (one of the chart's known versions).
   * @default - the version pinned in `UpstreamCharts.GATEKEEPER`
   */
  readonly version?: string;
}

/** Annotation on the HelmRelease listing the webhook's namespace exemptions with reasons (read by the policy report). */
const WEBHOOK_EXEMPTIONS_ANNOTATION = 'devsecops.cdk8s.io/exemptions';

/**
 * OPA Gatekeeper installed through Flux (`UpstreamCharts.GATEKEEPER`, pinned) into
 * `gatekeeper-system` at Pod Security `restricted`, with the values a bank sets typed:
 * replicas, audit interval and violations limit, webhook failure policy (fails closed by
 * default), deny logging and admission/audit events (on), mutation (off), a NetworkPolicy for
 * the webhook, and the namespaces the webhook skips, taken from the policy layer's
 * `GatekeeperSystemConfig` so the webhook, audit and the Config agree.
 *
 * The webhook's exemptions are recorded with their reasons on the HelmRelease and listed in the
 * policy report (`appliedTo` `ValidatingWebhookConfiguration/gatekeeper-validating-webhook-configuration`).
 *
 * The values are computed when the install is created: add Config exemptions first. Further
 * chart values go through `install.addValues(...)`.
 */
export class GatekeeperInstall extends Construct {
  /** Name of the ValidatingWebhookConfiguration the chart creates. */
  public static readonly WEBHOOK_NAME = 'gatekeeper-validating-webhook-configuration';

  /** The Flux install (escape hatch for extra values: `install.addValues`). */
  public readonly install: FluxHelmInstall;
  /** The typed values passed to the chart. */
  public readonly values: GatekeeperInstallValues;

  constructor(scope: Construct, id: string, props: GatekeeperInstallProps = {}) {
    super(scope, id);
    const counts = [
      ['replicas', props.replicas, 1, 'run at least 1 controller replica (3 for a highly available webhook)'],
      ['auditIntervalSeconds', props.auditIntervalSeconds, 0, 'give the audit interval in whole seconds, e.g. 60 (0 disables audit)'],
      ['auditViolationsLimit', props.auditViolationsLimit, 1, 'keep at least 1 violation per constraint status, e.g. 100'],
    ] as const;
    for (const [prop, value, min, fix] of counts) {
      if (value !== undefined) requireCount(this, prop, value, min, fix);
    }
    for (const n of props.exemptNamespaces ?? []) {
      if (typeof n !== 'string' || !/^(\*?[a-z0-9]([-a-z0-9]*[a-z0-9])?\*?|\*)$/.test(n) || n === '*') {
        invalid(this, 'exemptNamespaces', 'must hold namespace names or prefix*/*suffix globs', n, 'use names such as "kube-system" or "team-*"');
      }
    }
    (props.apiServerCidrs ?? []).forEach((c, i) => requireCidr(this, `apiServerCidrs[${i}]`, c));
    this.values = new GatekeeperInstallValues(props);
    this.install = new FluxHelmInstall(this, 'Resource', { chart: UpstreamCharts.GATEKEEPER, version: props.version });
    // The values are computed at synth, not now: the Config keeps growing after the install is
    // created (a tenant's exemption comes with the tenant), and webhook, audit and Config agree.
    this.install._addValuesProducer(() => this.values.toValues());
    if (props.config) {
      const config = props.config;
      // A namespace the webhook skips but the Config does not would still be audited: refused.
      this.node.addValidation({
        validate: () => {
          const webhook = [...this.values.exemptNamespaces, ...this.values.exemptNamespacePrefixes.map((p) => `${p}*`),
            ...this.values.exemptNamespaceSuffixes.map((x) => `*${x}`)];
          const inConfig = new Set(config.exemptNamespaces);
          const webhookOnly = webhook.filter((n) => !inConfig.has(n) && n !== config.namespace).sort();
          return webhookOnly.length > 0 ? [invalidMessage(this, 'exemptNamespaces', 'are skipped by the webhook but audited through the Config', webhookOnly,
            'exempt them in the Config with a PolicyExemption and a reason instead')] : [];
        },
      });
    }
    this.install.release.metadata.addAnnotation(EXEMPTIONS_TARGET_ANNOTATION, `ValidatingWebhookConfiguration/${GatekeeperInstall.WEBHOOK_NAME}`);
    this.install.release.metadata.addAnnotation(WEBHOOK_EXEMPTIONS_ANNOTATION, Lazy.any({
      produce: () => JSON.stringify(this.values.webhookExemptions.map((e) => ({ kind: 'namespaces', namespaces: e.namespaces, reason: e.reason }))),
    }) as unknown as string);
  }
}

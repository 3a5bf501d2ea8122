import { Construct } from 'constructs';
import { GatekeeperInstallValues, GatekeeperInstallValuesProps } from './gatekeeper-install-values';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';

/**
 * Props of `GatekeeperInstall`.
 */
export interface GatekeeperInstallProps extends GatekeeperInstallValuesProps {
  /**
   * Exact chart version for this install.
   * @default - the version pinned in `UpstreamCharts.GATEKEEPER`
   */
  readonly version?: string;
}

/**
 * OPA Gatekeeper installed through Flux (`UpstreamCharts.GATEKEEPER`, pinned) into
 * `gatekeeper-system` at Pod Security `restricted`, with the values a bank sets typed:
 * replicas, audit interval, webhook failure policy (fails closed by default) and the namespaces
 * the webhook exempts, taken from the policy layer's `GatekeeperSystemConfig` so the webhook and
 * the Config agree.
 *
 * The values are computed when the install is created: add Config exemptions first. Further
 * chart values go through `install.addValues(...)`.
 */
export class GatekeeperInstall extends Construct {
  /** The Flux install (escape hatch for extra values: `install.addValues`). */
  public readonly install: FluxHelmInstall;
  /** The typed values passed to the chart. */
  public readonly values: GatekeeperInstallValues;

  constructor(scope: Construct, id: string, props: GatekeeperInstallProps = {}) {
    super(scope, id);
    for (const [prop, value, min] of [['replicas', props.replicas, 1], ['auditIntervalSeconds', props.auditIntervalSeconds, 0]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < min)) {
        invalid(this, prop, `must be an integer of at least ${min}`, value, prop === 'replicas'
          ? 'run at least 1 controller replica (3 for a highly available webhook)'
          : 'give the audit interval in whole seconds, e.g. 60 (0 disables audit)');
      }
    }
    this.values = new GatekeeperInstallValues(props);
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.GATEKEEPER,
      version: props.version,
      values: this.values.toValues(),
    });
  }
}

import { Chart } from 'cdk8s';
import { PolicyExemption } from './exemption';
import { GatekeeperInstall } from './gatekeeper-install';
import { PolicyCatalog } from './policy-catalog';
import { checkWeakenings } from './private/weakening-checks';
import type { PlatformComponentsProps } from '../platform/platform-components';
import type { PlatformPolicyProps } from '../platform/platform-props';
import { PlatformCheckInput, PlatformLayer } from '../private/platform-layer';

/** Settings of the policy layer, from the platform's props. */
export interface PlatformPolicySettings {
  readonly policy?: PlatformPolicyProps;
  readonly components?: PlatformComponentsProps;
  /** Repositories admitted in every tenant namespace (the registry host when the registry is not managed). */
  readonly allowedRepositories: string[];
  /** Namespaces of the platform's own components. */
  readonly componentNamespaces: string[];
}

/**
 * The admission policy layer of the platform: Gatekeeper, the built-in catalog with its per-tier
 * constraints and system exemptions, and the check that every exemption covering a tenant is an
 * acknowledged weakening.
 */
export class PlatformPolicy implements PlatformLayer {
  private catalogValue?: PolicyCatalog;
  private gatekeeperValue?: GatekeeperInstall;

  constructor(private readonly settings: PlatformPolicySettings) {}

  /** The catalog (after `install`). */
  public get catalog(): PolicyCatalog {
    return this.catalogValue!;
  }

  /** The Gatekeeper install (after `install`). */
  public get gatekeeper(): GatekeeperInstall {
    return this.gatekeeperValue!;
  }

  public install(components: Chart): void {
    const policy = this.settings.policy ?? {};
    this.catalogValue = new PolicyCatalog(components, 'policies', {
      // Harbor-managed: nothing everywhere; each tenant its own project, grants and, for kpack
      // build pods only, the platform project (the registry and build layers add them).
      allowedRepositories: this.settings.allowedRepositories,
      allowedCapabilities: policy.allowedCapabilities,
      enforcementOverrides: policy.enforcementOverrides,
      evaluateOnSynth: policy.evaluateOnSynth,
      systemExemptions: [
        PolicyExemption.namespaces(['kube-system', 'kube-public', 'kube-node-lease'],
          'Kubernetes system namespaces run control-plane add-ons outside tenant policy'),
        PolicyExemption.namespaces(this.settings.componentNamespaces,
          'platform components run upstream charts at the Pod Security level their namespace declares; tenant tier policies do not apply to them'),
      ],
    });
    this.gatekeeperValue = new GatekeeperInstall(components, 'gatekeeper', {
      config: this.catalogValue.config,
      ...this.settings.components?.gatekeeper,
      replicas: policy.gatekeeperReplicas,
      failOpen: policy.failOpen,
    });
  }

  public checks(input: PlatformCheckInput): string[] {
    return checkWeakenings(input.all, input.tenants.map((t) => t.namespaceName), this.catalog);
  }
}

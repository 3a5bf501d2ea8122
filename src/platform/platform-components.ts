import { CaBundleConfigMap } from '../install/ca-bundle';
import { CrossplaneInstallProps } from '../registry/crossplane-install';
import { ExternalSecretsInstallProps } from '../secrets/external-secrets-install';

/**
 * Gatekeeper settings of the platform's install. The exemptions come from the policy catalog's
 * Config; replicas and fail-open are `policy.gatekeeperReplicas` and `policy.failOpen`.
 */
export interface PlatformGatekeeperSettings {
  /**
   * CIDRs of the Kubernetes API servers: a NetworkPolicy admits only them to the webhook.
   * @default - no NetworkPolicy
   */
  readonly apiServerCidrs?: string[];
  /**
   * Violations kept per constraint status.
   * @default 100
   */
  readonly auditViolationsLimit?: number;
  /**
   * Security: stop logging denials.
   * @default false
   */
  readonly disableDenyLogging?: boolean;
  /**
   * Security: stop emitting admission events.
   * @default false
   */
  readonly disableAdmissionEvents?: boolean;
  /**
   * Security: stop emitting audit events.
   * @default false
   */
  readonly disableAuditEvents?: boolean;
}

/** policy-controller settings of the platform's install (with `signing`). */
export interface PlatformPolicyControllerSettings {
  /**
   * Webhook replicas (at least 2).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * CA bundle the webhook trusts when it reads signatures from the registry.
   * @default - the image's system trust store
   */
  readonly registryCaBundle?: CaBundleConfigMap;
}

/**
 * Settings of the platform's component installs, each typed by its install construct. Every
 * field defaults to that construct's secure default.
 */
export interface PlatformComponentsProps {
  /**
   * Gatekeeper.
   * @default - GatekeeperInstall's defaults
   */
  readonly gatekeeper?: PlatformGatekeeperSettings;
  /**
   * policy-controller.
   * @default - SignaturePolicyInstall's defaults
   */
  readonly policyController?: PlatformPolicyControllerSettings;
  /**
   * External Secrets Operator (with `registry.harbor`).
   * @default - ExternalSecretsInstall's defaults
   */
  readonly externalSecrets?: ExternalSecretsInstallProps;
  /**
   * Crossplane (with `registry.harbor`).
   * @default - CrossplaneInstall's defaults
   */
  readonly crossplane?: CrossplaneInstallProps;
}

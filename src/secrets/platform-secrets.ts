import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ExternalSecretsInstall, ExternalSecretsInstallProps } from './external-secrets-install';
import { collectObjects, destinationFindings, operatorDestinations, plaintextSecretFindings, podOwners } from './private/checks';
import { ResolvedVaultConnection, resolveVaultConnection } from './private/connection';
import { renderEsoSecret, renderEsoStore, renderVsoAuth, renderVsoConnection, renderVsoSecret, authObjectName } from './private/render';
import { tenantAuthRole, tenantPolicyHcl, tenantPolicyName } from './private/vault-files';
import { PlatformSecretsProps, SecretsBackend } from './vault-connection';
import { VaultSecret } from './vault-secret';
import { SecretDelivery, SecretDeliveryKind, VaultSecretKind, VaultSecretSource } from './vault-secret-source';
import { VaultSecretsOperatorInstall } from './vault-secrets-operator-install';
import { invalid, invalidMessage } from '../private/errors';
import { reportsDirectory } from '../private/output-layout';
import { afterSynthWrite } from '../private/synth-cache';
import { requireDnsLabel, requireEnum } from '../private/validate';
import { ITenant } from '../tenancy/tenant-props';
import { IWorkload } from '../workload/workload-props';

/** What a workload declares about one secret it uses. */
export interface WorkloadSecretOptions {
  /** Where the secret comes from in Vault. */
  readonly source: VaultSecretSource;
  /**
   * How it reaches the workload's container.
   * @default - not delivered to this workload: consume it with `consumeSecret`, or set `unusedReason`
   */
  readonly delivery?: SecretDelivery;
  /**
   * Why a secret no workload consumes is declared anyway (at least 10 characters). Without a
   * consumer and without a reason, synth fails.
   * @default - the secret must have a consumer
   */
  readonly unusedReason?: string;
}

const REGISTRY = new WeakMap<IConstruct, PlatformSecrets>();
const MIN_REASON = 10;

/**
 * The secrets layer of a `DevSecOpsPlatform` (`platform.secrets`): workloads declare the Vault
 * secrets they consume, the layer writes what the chosen operator needs to deliver and rotate
 * them, restarts exactly the consumers on rotation (VSO), writes the tenants' Vault policies and
 * auth roles for the Vault administrator, and refuses any Secret whose values are in the
 * manifests, with or without Vault configured.
 */
export class PlatformSecrets {
  /** The secrets layer of the platform `scope` belongs to (a workload, a tenant or the platform). */
  public static of(scope: IConstruct): PlatformSecrets {
    for (const s of [...scope.node.scopes].reverse()) {
      const found = REGISTRY.get(s);
      if (found) return found;
    }
    return invalid(scope, 'secrets', 'is not part of a DevSecOpsPlatform', scope.node.path, 'add the workload to a tenant of a DevSecOpsPlatform');
  }

  /** The operator that delivers the secrets, when Vault is configured. */
  public readonly backend?: SecretsBackend;

  private readonly platform: Construct;
  private readonly conn?: ResolvedVaultConnection;
  private readonly vaultProps?: PlatformSecretsProps;
  private readonly declared: VaultSecret[] = [];
  private readonly tenants = new Map<string, ITenant>();
  private readonly authObjects = new Map<string, ApiObject>();
  private readonly plaintextExemptions = new Map<IConstruct, string>();
  private readonly undeclaredAllowed = new Map<string, string>();
  private operatorNamespace = 'vault-secrets-operator';
  private readonly externalSecretsProps?: ExternalSecretsInstallProps;

  /**
   * Validates the props; creates nothing until `install`. `externalSecrets` configures the
   * External Secrets install this layer creates when no other layer has.
   */
  constructor(platform: Construct, props?: PlatformSecretsProps, externalSecrets?: ExternalSecretsInstallProps) {
    this.platform = platform;
    this.externalSecretsProps = externalSecrets;
    REGISTRY.set(platform, this);
    if (props !== undefined) {
      this.conn = resolveVaultConnection(platform, props.vault);
      this.backend = requireEnum(platform, 'secrets.backend', props.backend ?? SecretsBackend.EXTERNAL_SECRETS, SecretsBackend, 'SecretsBackend');
      this.vaultProps = props;
    }
  }

  /** Whether Vault is configured (`secrets` in the platform props). */
  public get configured(): boolean {
    return this.conn !== undefined;
  }

  /** Every declared secret, in declaration order. */
  public get secrets(): VaultSecret[] {
    return [...this.declared];
  }

  /**
   * Installs the chosen operator in the components chart (External Secrets unless another
   * layer already installed it there), and for VSO the platform's VaultConnection.
   */
  public install(components: Chart): void {
    const installed = components.node.findAll().find((c): c is ExternalSecretsInstall => c instanceof ExternalSecretsInstall);
    afterSynthWrite(this.platform, this, () => this.writeFiles());
    if (!this.conn) return;
    if (this.backend === SecretsBackend.VAULT_SECRETS_OPERATOR) {
      const vso = new VaultSecretsOperatorInstall(components, 'vault-secrets-operator', this.vaultProps!.vaultSecretsOperator);
      this.operatorNamespace = vso.install.namespace;
      renderVsoConnection(new Construct(components, 'vault-connection'), this.operatorNamespace, this.conn);
    } else {
      const eso = installed ?? new ExternalSecretsInstall(components, 'external-secrets', this.externalSecretsProps);
      if (eso.restrictsEgress) {
        if (this.conn.cidrs.length === 0) {
          invalid(this.platform, 'secrets.vault.cidrs', 'must say where Vault answers: the External Secrets NetworkPolicies (apiServerCidrs) let the controller reach only the API servers', this.conn.cidrs,
            `add Vault's IP blocks, e.g. cidrs: ["10.50.0.10/32"]; the controller is then let out to them on port ${this.conn.port}`);
        }
        eso.allowControllerEgress(this.conn.cidrs, this.conn.port);
      }
    }
  }

  /** Records a tenant of the platform (its workloads may declare secrets). */
  public onTenant(tenant: ITenant): void {
    this.tenants.set(tenant.namespaceName, tenant);
  }

  /** Nothing is added to a workload until it declares a secret. */
  public onWorkload(workload: IWorkload): void {
    this.requireTenantOf(workload, 'workload');
  }

  /**
   * Declares a secret of `workload`'s tenant, named `name` (the Kubernetes Secret the operator
   * writes in the namespace, and the operator object's name), read from Vault as the workload's
   * service account, and delivers it to the workload when `options.delivery` is given.
   * Options are validated before anything is added: a refused declaration leaves the App as it was.
   */
  public addSecret(workload: IWorkload, name: string, options: WorkloadSecretOptions): VaultSecret {
    const tenant = this.requireTenantOf(workload, `addSecret(${name})`);
    const where = workload.node.path;
    const prop = `addSecret(${name})`;
    if (!this.conn) {
      invalid(where, prop, 'needs Vault: the platform has no secrets settings', name,
        'set secrets: { vault: { address, caCertificatePem }, backend } in the DevSecOpsPlatform props');
    }
    requireDnsLabel(workload, `${prop}.name`, name);
    const taken = this.declared.find((s) => s.namespace === workload.namespace && s.secretName === name);
    if (taken) {
      invalid(where, `${prop}.name`, `is already the destination of the secret declared by ${taken.owner.node.path}: two secrets would write one Secret and overwrite each other`, name,
        'give every secret its own name, or let the other workload consume the existing one with consumeSecret(workload, secret, delivery)');
    }
    if (!(options?.source instanceof VaultSecretSource)) {
      invalid(where, `${prop}.source`, 'must be a VaultSecretSource', options?.source, 'use VaultSecretSource.kv({...}), .dynamic({...}) or .pki({...})');
    }
    options.source._validate(where, `${prop}.source`, tenant.namespaceName);
    if (options.delivery !== undefined) this.checkDelivery(workload, prop, options.source, options.delivery);
    if (options.unusedReason !== undefined && (typeof options.unusedReason !== 'string' || options.unusedReason.trim().length < MIN_REASON)) {
      invalid(where, `${prop}.unusedReason`, `must say why the secret has no consumer (at least ${MIN_REASON} characters)`, options.unusedReason,
        'e.g. "read by the nightly batch declared in another repository (PAY-412)"');
    }

    const secret = VaultSecret._create(workload, name, options.source);
    const scope = tenant as unknown as Construct;
    const role = tenantPolicyName(tenant.namespaceName);
    if (this.backend === SecretsBackend.VAULT_SECRETS_OPERATOR) {
      this.authObject(workload.namespace, workload.serviceAccountName, undefined,
        () => renderVsoAuth(scope, `VaultAuth-${workload.serviceAccountName}`, workload.namespace, workload.serviceAccountName, role, this.conn!, this.operatorNamespace));
      secret._resource = renderVsoSecret(scope, `VaultSecret-${name}`, secret, this.conn);
    } else {
      if (options.source.kind === VaultSecretKind.STATIC) {
        const mount = options.source.mount;
        this.authObject(workload.namespace, workload.serviceAccountName, mount,
          () => renderEsoStore(scope, `SecretStore-${authObjectName(workload.serviceAccountName, mount)}`, workload.namespace, workload.serviceAccountName, mount, role, this.conn!));
      }
      renderEsoSecret(scope, `VaultSecret-${name}`, secret, role, this.conn);
    }
    this.declared.push(secret);
    if (options.delivery !== undefined) this.deliver(workload, secret, options.delivery);
    else if (options.unusedReason !== undefined) secret._markUnused(options.unusedReason.trim());
    return secret;
  }

  /**
   * Delivers an already declared secret to another workload of the same tenant; the workload's
   * Deployment joins the secret's restart targets. A secret never crosses tenants.
   */
  public consumeSecret(workload: IWorkload, secret: VaultSecret, delivery: SecretDelivery): void {
    const prop = `consumeSecret(${secret?.secretName})`;
    this.requireTenantOf(workload, prop);
    if (!(secret instanceof VaultSecret) || !this.declared.includes(secret)) {
      invalid(workload, `${prop}.secret`, 'is not a secret declared on this platform', secret?.secretName, 'pass the VaultSecret returned by addSecret');
    }
    if (secret.namespace !== workload.namespace) {
      invalid(workload, `${prop}.secret`, `belongs to tenant "${secret.namespace}" (declared by ${secret.owner.node.path}), and this workload runs in tenant "${workload.namespace}": secrets never cross tenants`,
        secret.secretName, `declare the secret in tenant "${workload.namespace}" with its own Vault path (addSecret), granted to that tenant`);
    }
    if (secret.consumers.some((c) => c.workload === workload)) {
      invalid(workload, `${prop}`, 'is already consumed by this workload', secret.secretName, 'deliver each secret to a workload once (one env mapping or one mount)');
    }
    this.checkDelivery(workload, prop, secret.source, delivery);
    this.deliver(workload, secret, delivery);
  }

  /**
   * Security: lets one Secret with values stay in the manifests (`construct` is the Secret, or a
   * scope holding it such as an `Include`). The reason is written in the secrets report.
   */
  public exemptPlaintextSecret(construct: IConstruct, reason: string): void {
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
      invalid(this.platform, 'exemptPlaintextSecret.reason', `must say why the values may be in the manifests (at least ${MIN_REASON} characters)`, reason,
        'e.g. "public test fixture of the conformance suite, no credential (SEC-17)"');
    }
    this.plaintextExemptions.set(construct, reason.trim());
  }

  /**
   * Lets the pods of `tenant` read a Secret that no Vault secret declares (written by another
   * tool, such as cert-manager), for `reason`. Listed in the secrets report.
   */
  public allowUndeclaredSecret(tenant: ITenant, secretName: string, reason: string): void {
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
      invalid(this.platform, 'allowUndeclaredSecret.reason', `must say who writes the Secret (at least ${MIN_REASON} characters)`, reason,
        'e.g. "written by cert-manager for the ingress certificate"');
    }
    this.undeclaredAllowed.set(`${tenant.namespaceName}/${secretName}`, reason.trim());
  }

  /** Whole-App checks (run once per synth by the platform), each naming both sides. */
  public checks(): string[] {
    // Without Vault only the plaintext guard runs, and only Secrets are rendered for it.
    const objects = collectObjects(this.platform.node.root, !this.conn);
    const errors = plaintextSecretFindings(objects, this.plaintextExemptions);
    if (!this.conn) return errors;
    const owners = podOwners(objects);
    const destinations = operatorDestinations(objects);
    errors.push(...destinationFindings(destinations, owners));
    const written = new Set(destinations.map((d) => `${d.namespace}/${d.secretName}`));
    for (const o of owners) {
      if (!this.tenants.has(o.namespace)) continue;
      for (const name of o.secrets) {
        const key = `${o.namespace}/${name}`;
        if (written.has(key) || this.undeclaredAllowed.has(key)) continue;
        errors.push(invalidMessage(o.construct, 'secrets', `reads the Secret ${key}, which no Vault secret declares and no operator writes`, name,
          `declare it: platform.secrets.addSecret(workload, "${name}", { source, delivery }); or, for a Secret another tool writes, platform.secrets.allowUndeclaredSecret(tenant, "${name}", reason)`));
      }
    }
    for (const s of this.declared) {
      if (s.consumers.length === 0 && s.unusedReason === undefined) {
        errors.push(invalidMessage(s.owner, `addSecret(${s.secretName})`, 'declares a secret no workload consumes', s.secretName,
          'give it a delivery, deliver it to a workload with consumeSecret, or say why it is unused with unusedReason'));
      }
      if (!written.has(`${s.namespace}/${s.secretName}`)) {
        errors.push(invalidMessage(s.owner, `addSecret(${s.secretName})`, `has no ${this.backend === SecretsBackend.VAULT_SECRETS_OPERATOR ? 'Vault Secrets Operator object' : 'ExternalSecret'} writing it in the App (removed through an escape hatch?)`,
          s.secretName, 'keep the object the secrets layer creates for every declaration'));
      }
    }
    return errors;
  }

  /**
   * The secrets report (names, paths and consumers; never a value), and the Vault
   * administrator's files: file name -> content.
   * @internal
   */
  public _files(): { [file: string]: string } {
    if (!this.conn) return {};
    const files: { [file: string]: string } = {};
    const byTenant = new Map<string, VaultSecret[]>();
    for (const s of this.declared) byTenant.set(s.namespace, [...(byTenant.get(s.namespace) ?? []), s]);
    for (const tenant of [...byTenant.keys()].sort()) {
      const list = byTenant.get(tenant)!;
      files[`vault/${tenant}.policy.hcl`] = tenantPolicyHcl(tenant, list);
      files[`vault/${tenant}.auth-role.json`] = JSON.stringify(tenantAuthRole(tenant, list.map((s) => s.owner.serviceAccountName), this.conn), undefined, 2) + '\n';
    }
    const report = {
      backend: this.backend,
      vault: { address: this.conn.address, authMount: this.conn.authMount, audiences: this.conn.audiences },
      secrets: this.declared.map((s) => ({
        tenant: s.namespace,
        secret: s.secretName,
        kind: s.source.kind,
        vaultPath: s.source.apiPath,
        refreshSeconds: s.source._refreshSeconds(),
        authenticatesAs: s.owner.serviceAccountName,
        consumers: s.consumers.map((c) => ({
          workload: c.workload.node.path,
          ...(c.delivery.kind === SecretDeliveryKind.ENV ? { env: Object.keys(c.delivery.variables!).sort() } : { mountPath: c.delivery.mountPath }),
        })),
        restart: this.backend === SecretsBackend.VAULT_SECRETS_OPERATOR
          ? { rolloutRestartTargets: s.restartTargets.map((n) => `Deployment/${n}`) }
          : { none: 'files are updated in place by the kubelet' },
        ...(s.unusedReason ? { unusedReason: s.unusedReason } : {}),
        ...(s.source.outsideTenantPrefix ? { outsideTenantPrefix: s.source.outsideTenantPrefix.reason } : {}),
      })),
      plaintextExemptions: [...this.plaintextExemptions].map(([c, reason]) => ({ construct: c.node.path, reason }))
        .sort((a, b) => a.construct.localeCompare(b.construct)),
      undeclaredSecretsAllowed: [...this.undeclaredAllowed].map(([secret, reason]) => ({ secret, reason }))
        .sort((a, b) => a.secret.localeCompare(b.secret)),
      vaultFiles: Object.keys(files).sort(),
    };
    files['secrets-report.json'] = JSON.stringify(report, undefined, 2) + '\n';
    return files;
  }

  private writeFiles(): void {
    const files = this._files();
    if (Object.keys(files).length === 0) return;
    const dir = reportsDirectory(this.platform);
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }

  private requireTenantOf(workload: IWorkload, prop: string): ITenant {
    const ok = workload && typeof workload === 'object' && typeof (workload as any).addSecretEnv === 'function' && workload.tenant;
    if (!ok) invalid(this.platform, prop, 'must be a workload (IWorkload)', (workload as any)?.node?.path ?? workload, 'pass the workload returned by tenant.addWorkload');
    const tenant = this.tenants.get(workload.tenant.namespaceName);
    if (tenant !== workload.tenant) {
      invalid(workload, prop, 'runs in a tenant of another platform (or none)', workload.tenant.namespaceName, 'add the workload to a tenant of this platform');
    }
    return tenant;
  }

  private checkDelivery(workload: IWorkload, prop: string, source: VaultSecretSource, delivery: SecretDelivery): void {
    if (!(delivery instanceof SecretDelivery)) {
      invalid(workload, `${prop}.delivery`, 'must be a SecretDelivery', delivery, 'use SecretDelivery.env({ NAME: "key" }) or SecretDelivery.file("/var/run/secrets/app")');
    }
    delivery._validate(workload, `${prop}.delivery`);
    if (delivery.kind !== SecretDeliveryKind.ENV) return;
    if (source.kind === VaultSecretKind.PKI) {
      invalid(workload, `${prop}.delivery`, 'puts a certificate\'s private key in environment variables, where process listings, crash dumps and child processes see it', 'env',
        'mount it: SecretDelivery.file("/var/run/secrets/tls")');
    }
    if (this.backend === SecretsBackend.EXTERNAL_SECRETS) {
      invalid(workload, `${prop}.delivery`, 'is environment variables, which External Secrets cannot renew in running pods (it restarts nothing; env is read once at start)', 'env',
        'mount it with SecretDelivery.file(path): the kubelet updates the files at each refresh; or choose SecretsBackend.VAULT_SECRETS_OPERATOR, which restarts the consumers');
    }
  }

  private deliver(workload: IWorkload, secret: VaultSecret, delivery: SecretDelivery): void {
    if (delivery.kind === SecretDeliveryKind.ENV) {
      const vars = Object.entries(delivery.variables!).sort(([a], [b]) => a.localeCompare(b));
      for (const [env, key] of vars) workload.addSecretEnv(env, secret.secretName, key);
    } else {
      workload.addSecretVolume(secret.secretName, delivery.mountPath!);
    }
    secret._addConsumer({ workload, delivery });
  }

  /** Creates the VaultAuth / SecretStore of a service account (and KV mount) once. */
  private authObject(namespace: string, serviceAccount: string, mount: string | undefined, create: () => ApiObject): void {
    const key = `${namespace}|${serviceAccount}|${mount ?? ''}`;
    if (!this.authObjects.has(key)) this.authObjects.set(key, create());
  }
}

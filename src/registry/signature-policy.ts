import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CosignKeyPair } from './cosign-key';
import { IRegistryProject } from './registry-project';
import { ClusterImagePolicy } from '../imports/policy-controller-policy.sigstore.dev';
import { invalid } from '../private/errors';
import { isDnsSubdomain } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';

/** What policy-controller does with an image that fails its policy. */
export enum SignaturePolicyMode {
  /** Reject the pod. */
  ENFORCE = 'enforce',
  /** Admit the pod with a warning. */
  WARN = 'warn',
}

/** Props of `SignaturePolicy`. */
export interface SignaturePolicyProps {
  /** The key pair images are signed with (kpack signs with its private half). */
  readonly key: CosignKeyPair;
  /**
   * Registry projects whose images must be signed; more with `addProject()`.
   * @default - none
   */
  readonly projects?: IRegistryProject[];
  /**
   * Prefix of the ClusterImagePolicy names (`<prefix>-enforce`, `<prefix>-warn`).
   * @default 'platform-signed-images'
   */
  readonly namePrefix?: string;
  /**
   * Rekor instance the signatures were logged in. Without it, signatures are verified against
   * the key alone (no transparency log), which is what a private signer that does not publish
   * image names to the public Rekor needs.
   * @default - no transparency-log check
   */
  readonly rekorUrl?: string;
}

/**
 * Cosign signature policies for policy-controller (`policy.sigstore.dev/v1beta1`
 * ClusterImagePolicy, cluster-scoped): images of SENSITIVE and STANDARD projects must carry a
 * signature verifiable with the platform key (`mode: enforce`, construct id `Resource`), images
 * of DEV projects are checked with `mode: warn`.
 *
 * policy-controller acts only in namespaces labelled `policy.sigstore.dev/include: "true"`
 * (`optIn(tenant)`), and in such a namespace judges an image by every policy whose glob matches
 * it; a policy selects images, not namespaces. So enforce-versus-warn is decided by the image's
 * project (one glob `<host>/<project>/**` per project, in the policy of its tier's mode), and
 * images matching no policy fall to the controller's `no-match-policy` (`SignaturePolicyInstall`).
 */
export class SignaturePolicy extends Construct {
  /** Namespace label policy-controller's webhook selects on. */
  public static readonly INCLUDE_LABEL = 'policy.sigstore.dev/include';

  /** Annotation on the exemption policy listing each exempt glob with its reason (JSON). */
  public static readonly EXEMPTION_REASONS_ANNOTATION = `${PlatformLabels.PREFIX}/signature-exemptions`;

  /** Mode of a tier: enforce for SENSITIVE and STANDARD, warn for DEV. */
  public static modeFor(tier: Tier): SignaturePolicyMode {
    return tier === Tier.DEV ? SignaturePolicyMode.WARN : SignaturePolicyMode.ENFORCE;
  }

  /** The key pair verified against. */
  public readonly key: CosignKeyPair;
  private readonly prefix: string;
  private readonly rekorUrl?: string;
  private readonly globs: { [mode: string]: string[] } = { enforce: [], warn: [], exempt: [] };
  private readonly exemptReasons: { [glob: string]: string } = {};
  private readonly policies: { [mode: string]: ApiObject } = {};

  constructor(scope: Construct, id: string, props: SignaturePolicyProps) {
    super(scope, id);
    if (!(props.key instanceof CosignKeyPair)) {
      invalid(this, 'key', 'must be a CosignKeyPair', props.key, 'use CosignKeyPair.fromPublicKeyPem(pem, { privateKeySecretName })');
    }
    this.key = props.key;
    this.prefix = props.namePrefix ?? 'platform-signed-images';
    if (!isDnsSubdomain(this.prefix) || this.prefix.length > 240) {
      invalid(this, 'namePrefix', 'must be an object name prefix (DNS subdomain)', this.prefix, 'use a prefix such as "platform-signed-images"');
    }
    if (props.rekorUrl !== undefined && !/^https:\/\/[^\s/]+/.test(props.rekorUrl)) {
      invalid(this, 'rekorUrl', 'must be an https URL', props.rekorUrl, 'use the URL of your Rekor, e.g. "https://rekor.bank.example"');
    }
    this.rekorUrl = props.rekorUrl;
    for (const p of props.projects ?? []) this.addProject(p);
  }

  /** Requires signatures on the images of `project`, in the mode of its tier. */
  public addProject(project: IRegistryProject): void {
    if (!project || typeof project.repositoryPrefix !== 'string') {
      invalid(this, 'projects', 'must hold registry projects', project, 'pass HarborProject objects');
    }
    const mode = SignaturePolicy.modeFor(project.tier);
    const glob = `${project.repositoryPrefix}/**`;
    if (this.isCovered(glob)) return;
    this.globs[mode].push(glob);
    this.globs[mode].sort();
    if (!this.policies[mode]) this.policies[mode] = this.createPolicy(mode);
  }

  /**
   * Security: admits the images of `project` in opted-in namespaces without a signature check
   * (a `static: pass` authority), for images no platform key signs, such as the builder images
   * kpack writes to the platform project and build pods run. Without it they fall to the
   * no-match policy, which denies by default. The reason is recorded on the policy object.
   */
  public exemptProject(project: IRegistryProject, reason: string): void {
    if (!project || typeof project.repositoryPrefix !== 'string') {
      invalid(this, 'exemptProject.project', 'must be a registry project', project, 'pass a HarborProject');
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      invalid(this, 'exemptProject.reason', 'must say why the images need no signature (at least 10 characters)', reason,
        'state the reason, e.g. "builder images written by kpack; built from digest-pinned inputs"');
    }
    const glob = `${project.repositoryPrefix}/**`;
    if (this.isCovered(glob)) {
      invalid(this, 'exemptProject.project', 'already has a signature requirement or exemption', project.repositoryPrefix,
        'exempt a project only once, and never one whose images are signed');
    }
    this.globs.exempt.push(glob);
    this.globs.exempt.sort();
    this.exemptReasons[glob] = reason.trim();
    if (!this.policies.exempt) this.policies.exempt = this.createPolicy('exempt');
  }

  /** Labels the tenant's namespace so policy-controller checks its pods. */
  public optIn(tenant: ITenant): void {
    const ns = tenant?.node?.defaultChild;
    if (!(ns instanceof ApiObject) || ns.kind !== 'Namespace') {
      invalid(this, 'optIn.tenant', 'must be a tenant whose Namespace object is its default child', tenant?.node?.path,
        `pass a Tenant, or label the namespace "${SignaturePolicy.INCLUDE_LABEL}: true" yourself`);
    }
    ns.metadata.addLabel(SignaturePolicy.INCLUDE_LABEL, 'true');
  }

  /** The image globs of a mode, sorted. */
  public globsFor(mode: SignaturePolicyMode): string[] {
    return [...this.globs[mode]];
  }

  /** The image globs admitted without a signature check (`exemptProject`), sorted. */
  public get exemptGlobs(): string[] {
    return [...this.globs.exempt];
  }

  private isCovered(glob: string): boolean {
    return Object.values(this.globs).some((g) => g.includes(glob));
  }

  private createPolicy(mode: string): ApiObject {
    if (mode === 'exempt') {
      return new ClusterImagePolicy(this, 'Exempt', {
        metadata: {
          name: `${this.prefix}-exempt`,
          labels: { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE },
          annotations: {
            [SignaturePolicy.EXEMPTION_REASONS_ANNOTATION]: Lazy.any({
              produce: () => JSON.stringify(this.globs.exempt.map((glob) => ({ glob, reason: this.exemptReasons[glob] }))),
            }),
          },
        },
        spec: {
          images: Lazy.any({ produce: () => this.globs.exempt.map((glob) => ({ glob })) }) as any,
          authorities: [{ name: 'no-signature-required', static: { action: 'pass' } }],
        },
      });
    }
    const id = mode === SignaturePolicyMode.ENFORCE ? 'Resource' : 'Warn';
    return new ClusterImagePolicy(this, id, {
      metadata: {
        name: `${this.prefix}-${mode}`,
        labels: { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE },
        annotations: { [`${PlatformLabels.PREFIX}/cosign-key-sha256`]: this.key.fingerprint },
      },
      spec: {
        mode,
        images: Lazy.any({ produce: () => this.globs[mode].map((glob) => ({ glob })) }) as any,
        authorities: [{
          name: 'platform-cosign-key',
          key: { data: this.key.publicKeyPem, hashAlgorithm: 'sha256' },
          ...(this.rekorUrl ? { ctlog: { url: this.rekorUrl } } : {}),
        }],
      },
    });
  }
}

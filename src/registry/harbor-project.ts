import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IHarborProvider } from './harbor-provider';
import { HarborRobot } from './harbor-robot';
import { HarborRobotAccess } from './harbor-robot-access';
import { IHarborProject } from './registry-project';
import { ISeverityGate, RegistrySeverities, RegistrySeverity } from './severity';
import { Project, ProjectSpecDeletionPolicy } from '../imports/harbor-project.harbor.crossplane.io';
import { placeClusterScoped } from '../private/api-scope';
import { invalid } from '../private/errors';
import { isDnsLabel, isHarborProjectName, isRepositoryPath, requireEnum } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';

/**
 * One accepted vulnerability: a CVE the project's prevention setting ignores, until a date,
 * for a stated reason.
 */
export interface HarborCveAllowance {
  /** CVE identifier, `CVE-YYYY-NNNN...`. */
  readonly cveId: string;
  /**
   * Last day the allowance holds, ISO date `YYYY-MM-DD` (UTC). Synth fails from the day
   * after, so the allowance has to be renewed or removed on purpose.
   */
  readonly expires: string;
  /** Why the risk is accepted (ticket, compensating control). Recorded on the Project object. */
  readonly reason: string;
}

/**
 * Props of `HarborProject`.
 */
export interface HarborProjectProps {
  /** The Harbor API (Crossplane ProviderConfig and registry host). */
  readonly provider: IHarborProvider;
  /**
   * The tenant the project belongs to; its tier sets the defaults. Without a tenant the project
   * is the platform's own (builders, stacks, relocated component images): give `name`.
   * @default - a platform project, no tenant
   */
  readonly tenant?: ITenant;
  /**
   * Tier of a platform project (a tenant's project takes the tenant's tier).
   * @default Tier.SENSITIVE - the strictest defaults
   */
  readonly tier?: Tier;
  /**
   * Project name in Harbor: lowercase letters, digits and `.`, `_`, `-` between them.
   * @default - the tenant's namespace name (required for a platform project)
   */
  readonly name?: string;
  /**
   * Security: vulnerability threshold; Harbor refuses pulls of images with a finding at or above
   * it (`deploymentSecurity`). A higher severity admits more vulnerable images.
   * @default RegistrySeverities.DEFAULT_THRESHOLD (HIGH)
   */
  readonly severity?: RegistrySeverity;
  /**
   * Security: refuse pulls of images without a cosign signature (`enableContentTrustCosign`).
   * Turning it off for SENSITIVE or STANDARD admits unsigned images at the registry.
   * @default - true for SENSITIVE and STANDARD, false for DEV
   */
  readonly cosignEnforcement?: boolean;
  /**
   * Generate an SBOM for every pushed image (Harbor 2.11+).
   * @default true
   */
  readonly autoSbomGeneration?: boolean;
  /**
   * Storage quota in GB.
   * @default - SENSITIVE 100, STANDARD 200, DEV 50
   */
  readonly storageQuotaGb?: number;
  /**
   * Security: accepted CVEs, each with an expiry and a reason.
   * @default - none
   */
  readonly cveAllowlist?: HarborCveAllowance[];
  /**
   * Create the pull-only robot for the tenant's runtime and its dockerconfigjson Secret
   * (`harbor-pull`) in the tenant's namespace. A platform project has no tenant: give its
   * readers robots with `addPullRobot()`.
   * @default - true for a tenant's project
   */
  readonly pullRobot?: boolean;
  /**
   * Day against which allowance expiry is checked, `YYYY-MM-DD`.
   * @default - today (UTC)
   */
  readonly today?: string;
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const QUOTA: { [tier: string]: number } = { [Tier.SENSITIVE]: 100, [Tier.STANDARD]: 200, [Tier.DEV]: 50 };

/**
 * The Harbor project of one tenant (`project.harbor.crossplane.io/v1alpha1` Project, construct
 * id `Resource`, cluster-scoped): private, scan on push, pulls refused above the severity
 * threshold, cosign signatures required for SENSITIVE and STANDARD, SBOMs generated on push,
 * a storage quota, and accepted CVEs only with an expiry and a reason. Deleting the object
 * leaves the Harbor project and its images in place (`deletionPolicy: Orphan`).
 *
 * By default it also creates the tenant's pull-only robot, with its dockerconfigjson Secret in
 * the tenant's namespace (`pullSecretName`). `addPushRobot()` creates the build robot.
 */
export class HarborProject extends Construct implements IHarborProject, ISeverityGate {
  /** Annotation on the Project object recording every accepted CVE with its expiry and reason (JSON). */
  public static readonly CVE_ALLOWLIST_ANNOTATION = `${PlatformLabels.PREFIX}/cve-allowlist`;

  /**
   * True when `name` follows Harbor's project-name rule: lowercase letters and digits, with
   * single `.`, `_` or `-` between them, at most 255 characters.
   */
  public static isProjectName(name: string): boolean {
    return isHarborProjectName(name);
  }

  public readonly registryHost: string;
  public readonly projectName: string;
  public readonly tier: Tier;
  public readonly repositoryPrefix: string;
  public readonly resourceName: string;
  public readonly providerConfigName: string;
  /** The tenant the project belongs to; undefined for a platform project. */
  public readonly tenant?: ITenant;
  /** Severity threshold of the project. */
  public readonly severity: RegistrySeverity;
  /** Whether Harbor refuses unsigned images. */
  public readonly cosignEnforcement: boolean;
  /** The tenant's pull-only robot, unless `pullRobot: false`. */
  public readonly pullRobot?: HarborRobot;
  /** The Project object. */
  public readonly resource: ApiObject;

  private readonly allowances: HarborCveAllowance[] = [];
  private readonly today: string;

  constructor(scope: Construct, id: string, props: HarborProjectProps) {
    super(scope, id);
    const tenant = props.tenant;
    if (tenant !== undefined && (!tenant || typeof tenant.namespaceName !== 'string' || !Object.values(Tier).includes(tenant.tier))) {
      invalid(this, 'tenant', 'must be a tenant', tenant, 'pass the Tenant object (platform.addTenant(...) or new Tenant(...))');
    }
    if (tenant && props.tier !== undefined) {
      invalid(this, 'tier', 'is taken from the tenant; it is only for a platform project', props.tier, 'remove tier, or remove tenant for a platform project');
    }
    if (!tenant && props.name === undefined) {
      invalid(this, 'name', 'is required for a platform project (one without a tenant)', props.name, 'name the project, e.g. "platform"');
    }
    if (!props.provider || typeof props.provider.registryHost !== 'string') {
      invalid(this, 'provider', 'must be a Harbor provider', props.provider, 'pass a HarborProvider');
    }
    const name = props.name ?? tenant!.namespaceName;
    if (!HarborProject.isProjectName(name)) {
      invalid(this, 'name', "is not a valid Harbor project name (lowercase letters and digits, '.', '_' or '-' only between them, at most 255 characters)",
        name, 'use a name such as "payments" or "core-banking"');
    }
    this.tenant = tenant;
    this.tier = tenant ? tenant.tier : requireEnum(this, 'tier', props.tier ?? Tier.SENSITIVE, Tier, 'Tier');
    this.projectName = name;
    this.registryHost = props.provider.registryHost;
    this.repositoryPrefix = `${this.registryHost}/${name}`;
    this.providerConfigName = props.provider.providerConfigName;
    this.resourceName = name.replace(/[._]/g, '-');
    if (!isDnsLabel(this.resourceName)) {
      invalid(this, 'name', 'does not map to an object name', name, 'use at most 63 characters');
    }
    this.severity = RegistrySeverities.parse(this, 'severity', props.severity ?? RegistrySeverities.DEFAULT_THRESHOLD);
    this.cosignEnforcement = props.cosignEnforcement ?? (this.tier !== Tier.DEV);
    const sbom = props.autoSbomGeneration ?? true;
    const quota = props.storageQuotaGb ?? QUOTA[this.tier];
    if (typeof quota !== 'number' || !Number.isInteger(quota) || quota < 1) {
      invalid(this, 'storageQuotaGb', 'must be a positive whole number of GB', quota, 'use a quota such as 100; unlimited (-1) is not offered');
    }
    this.today = props.today ?? new Date().toISOString().slice(0, 10);
    if (parseDate(this.today) === undefined) {
      invalid(this, 'today', 'must be a date YYYY-MM-DD', this.today, 'use an ISO date such as "2025-01-31"');
    }

    this.resource = new Project(this, 'Resource', {
      metadata: {
        name: this.resourceName,
        labels: {
          [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE,
          ...(tenant ? { [PlatformLabels.TENANT]: tenant.namespaceName } : {}),
          [PlatformLabels.TIER]: this.tier,
        },
      },
      spec: {
        deletionPolicy: ProjectSpecDeletionPolicy.ORPHAN,
        providerConfigRef: { name: this.providerConfigName },
        forProvider: {
          name,
          public: false,
          vulnerabilityScanning: true,
          deploymentSecurity: this.severity,
          enableContentTrustCosign: this.cosignEnforcement,
          autoSbomGeneration: sbom,
          storageQuota: quota,
          cveAllowlist: Lazy.any({ produce: () => this.allowances.length === 0 ? undefined : this.allowances.map((a) => a.cveId).sort() }) as any,
        },
      },
    });
    placeClusterScoped(this.resource);

    for (const a of props.cveAllowlist ?? []) this.addCveAllowance(a);

    if (props.pullRobot ?? tenant !== undefined) {
      if (!tenant) {
        invalid(this, 'pullRobot', 'needs a tenant whose namespace receives the credentials', props.pullRobot,
          'give each reader of a platform project its own robot with addPullRobot(name, namespace)');
      }
      this.pullRobot = this.addPullRobot('pull', tenant.namespaceName, 'harbor-pull');
    }
  }

  /**
   * Creates a pull-only robot of this project (pull, read artifacts, list accessories such as
   * signatures and SBOMs), with its dockerconfigjson Secret in `credentialsNamespace`. One robot
   * per reader keeps each credential revocable on its own.
   * @param name robot name inside the project (`robot$<project>+<name>`)
   * @param credentialsNamespace namespace receiving the dockerconfigjson Secret
   * @param secretName name of the Secret; default `harbor-<project>-<name>`
   * @param credentialsScope construct under which the objects in `credentialsNamespace` are
   * created (the consuming tenant, when it is not this project's); default the robot
   */
  public addPullRobot(name: string, credentialsNamespace: string, secretName?: string, credentialsScope?: Construct): HarborRobot {
    return new HarborRobot(this, name === 'pull' ? 'PullRobot' : `PullRobot-${name}`, {
      project: this,
      name,
      permissions: [HarborRobotAccess.PULL_REPOSITORY, HarborRobotAccess.READ_ARTIFACT, HarborRobotAccess.LIST_ACCESSORY],
      credentialsNamespace,
      secretName,
      credentialsScope,
    });
  }

  /** Full repository path of an image of this project: `<host>/<project>/<name>`. */
  public repositoryFor(name: string): string {
    if (!isRepositoryPath(name)) {
      invalid(this, 'repositoryFor.name', 'is not a repository name (lowercase path components)', name, 'use a name such as "ledger" or "payments/ledger-api"');
    }
    return `${this.repositoryPrefix}/${name}`;
  }

  /**
   * Security: accepts one CVE until its expiry, for a stated reason. Refused when the expiry is
   * missing, malformed or already past, or the reason is empty.
   */
  public addCveAllowance(allowance: HarborCveAllowance): void {
    const i = this.allowances.length;
    const at = `cveAllowlist[${i}]`;
    if (!allowance || typeof allowance.cveId !== 'string' || !CVE.test(allowance.cveId)) {
      invalid(this, `${at}.cveId`, 'is not a CVE identifier', allowance?.cveId, 'use the form "CVE-2024-12345"');
    }
    const expires = allowance.expires;
    if (expires === undefined || expires === null || expires === '') {
      invalid(this, `${at}.expires`, 'is missing: an accepted CVE must expire', expires, 'set the last day the acceptance holds, e.g. "2025-06-30"');
    }
    const day = parseDate(expires);
    if (day === undefined) {
      invalid(this, `${at}.expires`, 'is not a date YYYY-MM-DD', expires, 'use an ISO date such as "2025-06-30"');
    }
    if (day! < parseDate(this.today)!) {
      invalid(this, `${at}.expires`, `has passed (today is ${this.today})`, expires, `fix ${allowance.cveId} or renew the acceptance with a new expiry and reason`);
    }
    if (typeof allowance.reason !== 'string' || allowance.reason.trim().length < 10) {
      invalid(this, `${at}.reason`, 'must state why the risk is accepted (at least 10 characters)', allowance.reason,
        'reference the risk acceptance, e.g. "RISK-123: not reachable, no fix upstream"');
    }
    if (this.allowances.some((a) => a.cveId === allowance.cveId)) {
      invalid(this, `${at}.cveId`, 'is already accepted', allowance.cveId, 'list each CVE once');
    }
    this.allowances.push({ cveId: allowance.cveId, expires, reason: allowance.reason.trim() });
    const record = [...this.allowances].sort((a, b) => a.cveId.localeCompare(b.cveId));
    this.resource.metadata.addAnnotation(HarborProject.CVE_ALLOWLIST_ANNOTATION, JSON.stringify(record));
  }

  /**
   * Creates a push robot for the builds of this project (push and pull of repositories, tag
   * creation), with its dockerconfigjson Secret in `credentialsNamespace` (the namespace kpack
   * builds in).
   */
  public addPushRobot(credentialsNamespace: string, secretName?: string): HarborRobot {
    if (this.node.tryFindChild('PushRobot')) {
      invalid(this, 'addPushRobot', 'was already called: a project has one push robot', credentialsNamespace,
        'build every image of the project from one namespace, or reuse the robot returned by the first call');
    }
    return new HarborRobot(this, 'PushRobot', {
      project: this,
      name: 'push',
      permissions: [HarborRobotAccess.PULL_REPOSITORY, HarborRobotAccess.PUSH_REPOSITORY, HarborRobotAccess.CREATE_TAG, HarborRobotAccess.LIST_TAG],
      credentialsNamespace,
      secretName: secretName ?? `harbor-${this.resourceName}-push`,
    });
  }

  /** Harbor refuses pulls of images with a finding at or above this severity (`ISeverityGate`). */
  public get severityThreshold(): RegistrySeverity {
    return this.severity;
  }

  /** The accepted CVEs, in the order added. */
  public get cveAllowances(): HarborCveAllowance[] {
    return this.allowances.map((a) => ({ ...a }));
  }

}

function parseDate(s: string): number | undefined {
  const m = typeof s === 'string' ? DATE.exec(s) : null;
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return t;
}

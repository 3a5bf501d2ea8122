import { IConstruct } from 'constructs';
import { KpackBuildServiceAccount } from '../../image-build/build-service-account';
import { BuiltInPolicy } from '../../policy/built-in-policy';
import { GatekeeperConstraint } from '../../policy/constraint';
import type { PolicyCatalog } from '../../policy/policy-catalog';
import { IMAGE_PULL_GRANTS_ANNOTATION } from '../../policy/private/annotations';
import type { Tenant } from '../../tenancy/tenant';
import { Tier } from '../../tenancy/tier';
import { HarborProject } from '../harbor-project';
import { SignaturePolicy, SignaturePolicyMode } from '../signature-policy';

/** What the image-boundary check judges: the registry layer's model of projects and grants. */
export interface ImageBoundaryInput {
  /** The platform, named as one side. */
  readonly platform: IConstruct;
  /** Every construct of the App. */
  readonly all: IConstruct[];
  /** The platform's tenants. */
  readonly tenants: Tenant[];
  /** The policy catalog whose allowed-repositories constraints draw the boundary. */
  readonly policies: PolicyCatalog;
  /** The tenant's own project. */
  readonly projectOf: (tenant: Tenant) => HarborProject;
  /** The platform project. */
  readonly platformProject: HarborProject;
  /** The signature policy, when signing is on. */
  readonly signaturePolicy?: SignaturePolicy;
  /** The declared project a repository or image reference is in. */
  readonly containing: (ref: string) => HarborProject | undefined;
  /** The declared project prefixes, for messages. */
  readonly prefixes: string;
}

/** How strongly a project's images are held to signatures: at Harbor, and at admission. */
interface SignatureStrength {
  /** Harbor refuses unsigned images of the project. */
  readonly harbor: boolean;
  /** policy-controller: 2 enforce, 1 warn, 0 not checked (no policy, or exempt). */
  readonly admission: number;
  readonly text: string;
}

/** The signature policy a project's images are under. */
export function signatureStrength(project: HarborProject, policy: SignaturePolicy | undefined): SignatureStrength {
  const glob = `${project.repositoryPrefix}/**`;
  const admission = !policy ? 0
    : policy.globsFor(SignaturePolicyMode.ENFORCE).includes(glob) ? 2
      : policy.globsFor(SignaturePolicyMode.WARN).includes(glob) ? 1 : 0;
  const mode = ['not verified', 'verified in warn mode', 'verified (enforce)'][admission];
  return { harbor: project.cosignEnforcement, admission, text: `signatures ${mode} at admission, ${project.cosignEnforcement ? 'required' : 'not required'} by Harbor` };
}

/**
 * Why the pods of `consumer`'s tenant may not pull images of `owner` even through a grant, or
 * undefined when a grant may admit them: the platform project serves build pods and platform
 * components only; a SENSITIVE tenant never pulls from a DEV tenant's project nor from one whose
 * signature policy is weaker than its own.
 */
export function grantRefusal(consumer: HarborProject, owner: HarborProject, platformProject: HarborProject | undefined,
  policy: SignaturePolicy | undefined): { problem: string; fix: string } | undefined {
  if (owner === platformProject) {
    return {
      problem: 'is the platform\'s own project, which holds builder, lifecycle and kpack images for build pods and platform components, not tenant workloads',
      fix: 'build or copy the image into a tenant project and grant that one',
    };
  }
  if (consumer.tier !== Tier.SENSITIVE) return undefined;
  if (owner.tier === Tier.DEV) {
    return {
      problem: `is the project of a DEV tenant, and "${consumer.projectName}" is SENSITIVE: a SENSITIVE tenant never runs DEV images, even through a grant`,
      fix: 'rebuild the image in a SENSITIVE or STANDARD project (platform.addImage), where it is scanned, signed and verified',
    };
  }
  const mine = signatureStrength(consumer, policy);
  const theirs = signatureStrength(owner, policy);
  if (theirs.admission < mine.admission || (mine.harbor && !theirs.harbor)) {
    return {
      problem: `has a weaker signature policy (${theirs.text}) than SENSITIVE "${consumer.projectName}" (${mine.text})`,
      fix: 'pull only from projects whose images are signed and verified as strictly as the consumer\'s own',
    };
  }
  return undefined;
}

/**
 * The image boundary as the allowed-repositories constraints of the App draw it, checked
 * against the platform's model: in the catalog's constraints nothing is admitted in every
 * namespace, each tenant's entry holds its own project plus granted projects the tiers permit
 * (never the platform project), and build entries name the tenant's build service account and
 * the platform project only. Any constraint of the kind admits only declared projects.
 */
export function checkImageBoundary(input: ImageBoundaryInput): string[] {
  const { all, containing, prefixes, policies, platformProject } = input;
  const errors: string[] = [];
  const at = (c: IConstruct) => `[${c.node.path}]`;
  const where = at(input.platform);
  const kind = policies.template(BuiltInPolicy.ALLOWED_REPOSITORIES).kind;
  const own = new Set(Object.values(Tier).map((t) => policies.tryConstraint(BuiltInPolicy.ALLOWED_REPOSITORIES, t)));
  const tenants = new Map(input.tenants.map((t) => [t.namespaceName, t]));
  const buildAccounts = new Map<string, string[]>();
  for (const x of all) if (x instanceof KpackBuildServiceAccount) buildAccounts.set(x.namespace, [...buildAccounts.get(x.namespace) ?? [], x.name]);

  for (const c of all.filter((x): x is GatekeeperConstraint => x instanceof GatekeeperConstraint && x.template.kind === kind)) {
    const params = c.parameters ?? {};
    const everywhere: string[] = params.repositories ?? [];
    const byNs: { [ns: string]: string[] } = params.namespaceRepositories ?? {};
    const builds: { [ns: string]: { serviceAccountName: string; repositories: string[] } } = params.buildRepositories ?? {};
    const grants: any[] = parseGrants(c.resource.metadata.toJson().annotations?.[IMAGE_PULL_GRANTS_ANNOTATION]);
    const allRepos = [...everywhere, ...Object.values(byNs).flat(), ...Object.values(builds).flatMap((b) => b.repositories ?? [])];
    for (const r of [...new Set(allRepos)]) {
      if (!containing(r)) {
        errors.push(`${at(c)} allowed-repositories constraint "${c.name}" admits "${r}", which is in no Harbor project declared by ${where} (${prefixes}); `
          + 'declare the project through the platform (addTenant) or remove the repository');
      }
    }
    if (own.has(c)) {
      for (const r of everywhere.filter((x) => containing(x))) {
        errors.push(`${at(c)} allowed-repositories constraint "${c.name}" admits "${r}" in every namespace, but ${where} admits each project to its own tenant only; `
          + 'remove it, and give other tenants access with platform.grantImagePull(consumer, ImagePullGrant.fromTenant(owner, reason))');
      }
    }
    for (const ns of Object.keys(byNs)) {
      const tenant = tenants.get(ns);
      if (!tenant) {
        errors.push(`${at(c)} allowed-repositories constraint "${c.name}" admits images to namespace "${ns}", which is no tenant of ${where}; `
          + 'admit repositories to tenants only (the platform does it in addTenant)');
        continue;
      }
      const consumer = input.projectOf(tenant);
      for (const r of byNs[ns]) {
        const project = containing(r);
        if (!project || project === consumer) continue;
        const refusal = grantRefusal(consumer, project, platformProject, input.signaturePolicy);
        const grant = grants.find((g) => g?.namespace === ns && g?.repository === r);
        if (refusal) {
          errors.push(`${at(c)} allowed-repositories constraint "${c.name}" lets tenant "${ns}" pull "${r}", which ${refusal.problem}; ${refusal.fix}`);
        } else if (!grant || typeof grant.reason !== 'string' || grant.reason.trim().length < 10) {
          errors.push(`${at(c)} allowed-repositories constraint "${c.name}" lets tenant "${ns}" pull "${r}" from ${at(project)} without a recorded grant; `
            + `grant it with a reason: platform.grantImagePull(${ns}, ImagePullGrant.fromTenant(${project.tenant?.namespaceName ?? project.projectName}, "<reason>"))`);
        }
      }
    }
    for (const ns of Object.keys(builds)) {
      const b = builds[ns];
      const account = buildAccounts.get(ns);
      if (!tenants.has(ns) || !account?.includes(b.serviceAccountName)) {
        errors.push(`${at(c)} allowed-repositories constraint "${c.name}" admits build images to service account "${b.serviceAccountName}" of namespace "${ns}", which is not a build account of a tenant of ${where} (${account?.join(', ') ?? 'none'}); `
          + 'leave build entries to platform.addImage');
      }
      for (const r of b.repositories ?? []) {
        if (containing(r) && containing(r) !== platformProject) {
          errors.push(`${at(c)} allowed-repositories constraint "${c.name}" admits "${r}" to build pods of "${ns}", but build pods pull only builder images of ${at(platformProject)} "${platformProject.repositoryPrefix}"; `
            + 'remove it');
        }
      }
    }
  }
  // Every tenant's own project is admitted to it, in the constraint of its tier.
  for (const tenant of input.tenants) {
    const c = policies.tryConstraint(BuiltInPolicy.ALLOWED_REPOSITORIES, tenant.tier);
    if (!c) continue;
    const project = input.projectOf(tenant);
    const entry: string[] = c.parameters?.namespaceRepositories?.[tenant.namespaceName] ?? [];
    if (!entry.includes(project.repositoryPrefix)) {
      errors.push(`${at(project)} Harbor project "${project.repositoryPrefix}" is not admitted to tenant "${tenant.namespaceName}" by ${at(c)} allowed-repositories constraint "${c.name}" (${entry.join(', ') || 'none'}); `
        + 'leave the constraint\'s repositories to the platform, which sets them from the declared projects');
    }
  }
  return errors;
}

function parseGrants(raw: string | undefined): any[] {
  if (!raw) return [];
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

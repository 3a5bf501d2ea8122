import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkImageBoundary } from './image-boundary';
import { KpackClusterBuilder } from '../../image-build/cluster-builder';
import { KpackImage } from '../../image-build/image';
import { POD_RUNNING_KINDS, podSpecOf } from '../../policy/private/expansion';
import { HarborProject } from '../../registry/harbor-project';
import { ISeverityGate, RegistrySeverities } from '../../registry/severity';
import { SignaturePolicy } from '../../registry/signature-policy';
import type { DevSecOpsPlatform } from '../devsecops-platform';

/**
 * The platform's one-source-of-truth rules, checked over the whole App at synth. Each message
 * names both sides of the disagreement by construct path, and how to fix it.
 *
 * The platform derives every side itself (projects, allowed repositories, thresholds, the key),
 * so a failure means something was added or changed by hand, beside or below the platform.
 */
export function checkSupplyChain(platform: DevSecOpsPlatform): string[] {
  const all = platform.node.root.node.findAll();
  const errors: string[] = [];
  const at = (c: IConstruct) => `[${c.node.path}]`;
  const where = at(platform);

  const projects = platform.registryProjects;
  const prefixes = projects.map((p) => p.repositoryPrefix).join(', ');
  /** The declared project a repository or image reference is in, at a path boundary. */
  const containing = (ref: string) => projects.find((p) => ref === p.repositoryPrefix || ref.startsWith(`${p.repositoryPrefix}/`));
  const images = all.filter((x): x is KpackImage => x instanceof KpackImage);

  if (platform.managesRegistry) {
    // 1. The allowed-repositories constraints admit each tenant its own project, other projects
    //    only through a grant the tiers permit, and the platform project to build pods only.
    errors.push(...checkImageBoundary(platform, all, containing, prefixes));

    // 2. Every kpack tag is inside a declared project: an Image's in its tenant's, a builder's in the platform's.
    const tenantProject = new Map<string, HarborProject>();
    for (const p of projects) if (p.tenant) tenantProject.set(p.tenant.namespaceName, p);
    for (const image of images) {
      const project = containing(image.tag);
      const expected = tenantProject.get(image.namespace);
      if (!project) {
        errors.push(`${at(image)} kpack Image tag "${image.tag}" is outside every Harbor project declared by ${where} (${prefixes}); `
          + 'tag the image in its tenant\'s project (platform.addImage does)');
      } else if (expected && project !== expected) {
        errors.push(`${at(image)} kpack Image of tenant "${image.namespace}" is tagged "${image.tag}" in ${at(project)} project "${project.projectName}", not in the tenant's own ${at(expected)} project "${expected.projectName}"; `
          + 'tag every image in its tenant\'s project');
      }
    }
    const platformProject = platform.platformProject!;
    for (const builder of all.filter((x): x is KpackClusterBuilder => x instanceof KpackClusterBuilder)) {
      if (!builder.tag.startsWith(`${platformProject.repositoryPrefix}/`)) {
        errors.push(`${at(builder)} ClusterBuilder tag "${builder.tag}" is outside ${at(platformProject)} platform project "${platformProject.repositoryPrefix}"; `
          + 'create builders with platform.addBuilder');
      }
    }
  }

  // 3. One severity threshold: every gate blocks at the platform's.
  for (const gate of all.filter((x) => x !== platform && RegistrySeverities.isSeverityGate(x)) as unknown as ISeverityGate[]) {
    if (gate.severityThreshold !== platform.severity) {
      errors.push(`${at(gate)} blocks images at severity "${gate.severityThreshold}", but ${where} registry.severity is "${platform.severity}"; `
        + 'use one threshold: leave the gate\'s severity to the platform, or change registry.severity');
    }
  }

  // 4. The key kpack signs with is the key admission verifies.
  const policies = all.filter((x): x is SignaturePolicy => x instanceof SignaturePolicy);
  for (const image of images) {
    const account = image.buildServiceAccount;
    const key = account.signingKey!;
    if (policies.length === 0 && platform.managesRegistry) {
      errors.push(`${at(image)} kpack Image is signed with the key in Secret "${key.secretName}" (${at(account)}), but no SignaturePolicy verifies signatures; `
        + 'set signing on the platform');
    }
    for (const policy of policies) {
      if (normalizePem(policy.key.publicKeyPem) !== normalizePem(key.publicKeyPem)) {
        errors.push(`${at(account)} kpack signs ${image.namespace}/${image.name} with the key in Secret "${key.secretName}", but ${at(policy)} verifies with another public key (sha256 ${policy.key.fingerprint.slice(0, 16)}...); `
          + 'give the build service account and the signature policy the same CosignKeyPair');
      }
    }
  }

  // 5. A tenant that runs images has pull credentials.
  const workloadsByNamespace = new Map<string, ApiObject[]>();
  for (const x of all) {
    if (!(x instanceof ApiObject) || !POD_RUNNING_KINDS.has(x.kind) || !x.metadata.namespace) continue;
    const list = workloadsByNamespace.get(x.metadata.namespace) ?? [];
    list.push(x);
    workloadsByNamespace.set(x.metadata.namespace, list);
  }
  for (const tenant of platform.tenants) {
    const accounts = new Set(tenant.serviceAccountNames);
    const tenantSecrets = tenant.imagePullSecrets;
    for (const obj of workloadsByNamespace.get(tenant.namespaceName) ?? []) {
      const pod = podSpecOf(obj.toJson());
      if (!pod || (Array.isArray(pod.imagePullSecrets) && pod.imagePullSecrets.length > 0)) continue;
      const sa = pod.serviceAccountName ?? 'default';
      if (tenantSecrets.length === 0) {
        errors.push(`${at(obj)} ${obj.kind} "${obj.name}" runs images in tenant "${tenant.namespaceName}", but ${at(tenant)} has no pull credentials; `
          + 'manage the registry (registry.harbor gives every tenant a pull robot) or call tenant.addImagePullSecret(name)');
      } else if (!accounts.has(sa)) {
        errors.push(`${at(obj)} ${obj.kind} "${obj.name}" runs as service account "${sa}", which ${at(tenant)} does not declare, so it carries no pull credentials; `
          + `declare it with tenant.addServiceAccount("${sa}")`);
      }
    }
  }
  return errors;
}

function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperParameterSchema as P } from '../parameter-schema';
import { ALL_TIERS, POD_KINDS, PolicyDefinition, podVariables } from './definition';

/**
 * CEL: image `i` comes from repository `r`. A repository matches itself and anything below it
 * at a path boundary, so `harbor.bank.example/payments` admits `.../payments/ledger:1.0` but not
 * `.../payments-evil/x`. An entry ending in `/` admits everything under that prefix.
 */
const fromRepo = "(r.endsWith('/') ? i.startsWith(r) : (i == r || i.startsWith(r + '/') || i.startsWith(r + ':') || i.startsWith(r + '@')))";

/** CEL: the object's namespace (the request's for an object that names none). */
const objectNamespace = "has(variables.anyObject.metadata.namespace) ? variables.anyObject.metadata.namespace : (has(request.namespace) ? request.namespace : '')";
const PARAMS = 'variables.params';
/** CEL: the constraint has map parameter `m` with an entry for the object's namespace. */
const hasEntry = (m: string) => `${PARAMS} != null && has(${PARAMS}.${m}) && variables.objectNamespace in ${PARAMS}.${m}`;
/**
 * CEL: the pod is a kpack build pod of the namespace's build service account: kpack's
 * `kpack.io/build` label, a controller reference to a kpack Build, and the service account
 * the platform gave the tenant's builds (the only one holding the platform project's pull
 * credentials).
 */
const isBuildPod = [
  hasEntry('buildRepositories'),
  'has(variables.anyObject.spec.serviceAccountName)',
  `variables.anyObject.spec.serviceAccountName == ${PARAMS}.buildRepositories[variables.objectNamespace].serviceAccountName`,
  "has(variables.anyObject.metadata.labels) && 'kpack.io/build' in variables.anyObject.metadata.labels",
  'has(variables.anyObject.metadata.ownerReferences)',
  "variables.anyObject.metadata.ownerReferences.exists(o, o.kind == 'Build' && o.apiVersion.startsWith('kpack.io/') && has(o.controller) && o.controller == true)",
].join(' && ');

/**
 * CEL: the pod is a Tekton TaskRun pod of one of the namespace's supply-chain tool service
 * accounts: Tekton's `tekton.dev/taskRun` label, a controller reference to a Tekton TaskRun, and
 * a service account a platform chain gave the tenant's tool pods (no token, no other role).
 */
const isToolPod = [
  hasEntry('toolRepositories'),
  'has(variables.anyObject.spec.serviceAccountName)',
  `variables.anyObject.spec.serviceAccountName in ${PARAMS}.toolRepositories[variables.objectNamespace].serviceAccountNames`,
  "has(variables.anyObject.metadata.labels) && 'tekton.dev/taskRun' in variables.anyObject.metadata.labels",
  'has(variables.anyObject.metadata.ownerReferences)',
  "variables.anyObject.metadata.ownerReferences.exists(o, o.kind == 'TaskRun' && o.apiVersion.startsWith('tekton.dev/') && has(o.controller) && o.controller == true)",
].join(' && ');

const ALLOWED_REPOSITORIES: PolicyDefinition = {
  policy: BuiltInPolicy.ALLOWED_REPOSITORIES,
  kind: 'DevSecOpsAllowedRepositories',
  description: 'Container images must come from the repositories allowed in every namespace, in the pod\'s own namespace (its tenant\'s project and granted ones) or, for kpack build pods and supply-chain tool pods, to the namespace\'s builds and tools.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    repositories: P.arrayOf(P.stringType(), { description: 'Registries or repositories allowed in every namespace, for example harbor.bank.example/payments.' }),
    namespaceRepositories: P.mapOf(P.arrayOf(P.stringType()), {
      description: 'Per namespace: repositories allowed to pods of that namespace only (the tenant\'s own project and granted projects).',
    }),
    buildRepositories: P.mapOf(P.objectOf({
      serviceAccountName: P.stringType({ description: 'Service account kpack build pods of the namespace run as.' }),
      repositories: P.arrayOf(P.stringType(), { description: 'Repositories (builder, lifecycle and kpack images) those build pods may pull.' }),
    }), { description: 'Per namespace: repositories allowed to kpack build pods only.' }),
    toolRepositories: P.mapOf(P.objectOf({
      serviceAccountNames: P.arrayOf(P.stringType(), { description: 'Service accounts the supply chains\' Tekton tool pods of the namespace run as.' }),
      repositories: P.arrayOf(P.stringType(), { description: 'Repositories (grype, gator, git and the other tools) those tool pods may pull.' }),
    }), { description: 'Per namespace: repositories allowed to the supply chain\'s tool pods only.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'images', expression: 'variables.allContainers.map(c, c.image)' },
    { name: 'objectNamespace', expression: objectNamespace },
    { name: 'everywhere', expression: `${PARAMS} == null || !has(${PARAMS}.repositories) ? [] : ${PARAMS}.repositories` },
    { name: 'own', expression: `${hasEntry('namespaceRepositories')} ? ${PARAMS}.namespaceRepositories[variables.objectNamespace] : []` },
    { name: 'isBuildPod', expression: isBuildPod },
    { name: 'build', expression: `variables.isBuildPod ? ${PARAMS}.buildRepositories[variables.objectNamespace].repositories : []` },
    { name: 'isToolPod', expression: isToolPod },
    { name: 'tool', expression: `variables.isToolPod ? ${PARAMS}.toolRepositories[variables.objectNamespace].repositories : []` },
    { name: 'repositories', expression: 'variables.everywhere + variables.own + variables.build + variables.tool' },
    { name: 'disallowed', expression: `variables.images.filter(i, !variables.repositories.exists(r, ${fromRepo}))` },
  ],
  validations: [{
    expression: 'size(variables.disallowed) == 0',
    messageExpression: "'images of namespace ' + variables.objectNamespace + ' must come from [' + variables.repositories.join(', ') + ']: ' + variables.disallowed.join(', ')"
      + " + '; pull from the tenant\\'s own project, or from another project through a grant with a reason (DevSecOpsPlatform.grantImagePull)'",
  }],
  parametersFor: (tier, ctx) => {
    const own = ctx.tenantRepositories?.(tier) ?? {};
    const builds = ctx.buildRepositories?.(tier) ?? {};
    const tools = ctx.toolRepositories?.(tier) ?? {};
    return {
      repositories: [...ctx.allowedRepositories],
      ...(Object.keys(own).length > 0 ? { namespaceRepositories: own } : {}),
      ...(Object.keys(builds).length > 0 ? { buildRepositories: builds } : {}),
      ...(Object.keys(tools).length > 0 ? { toolRepositories: tools } : {}),
    };
  },
};

/** CEL: the last path segment of image `i` without its digest (`name[:tag]`). */
const lastSegment = "i.split('@')[0].substring(i.split('@')[0].lastIndexOf('/') + 1)";
const DIGEST = '@sha256:[a-f0-9]{64}$';

const IMAGE_TAGS: PolicyDefinition = {
  policy: BuiltInPolicy.IMAGE_TAGS,
  kind: 'DevSecOpsImageTags',
  description: 'Images must name an explicit tag other than latest, or a digest; with requireDigest, every image must be pinned by sha256 digest.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    requireDigest: P.booleanType({ description: 'Require every image to be pinned by sha256 digest.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'images', expression: 'variables.allContainers.map(c, c.image)' },
    { name: 'untagged', expression: `variables.images.filter(i, !i.contains('@') && !${lastSegment}.contains(':'))` },
    { name: 'latest', expression: `variables.images.filter(i, ${lastSegment}.endsWith(':latest'))` },
    { name: 'requireDigest', expression: 'variables.params != null && has(variables.params.requireDigest) && variables.params.requireDigest == true' },
    { name: 'unpinned', expression: `variables.images.filter(i, !i.matches('${DIGEST}'))` },
  ],
  validations: [
    { expression: 'size(variables.untagged) == 0', messageExpression: "'images must name a tag or digest: ' + variables.untagged.join(', ')" },
    { expression: 'size(variables.latest) == 0', messageExpression: "'images must not use the latest tag: ' + variables.latest.join(', ')" },
    {
      expression: '!variables.requireDigest || size(variables.unpinned) == 0',
      messageExpression: "'images must be pinned by sha256 digest (image@sha256:...): ' + variables.unpinned.join(', ')",
    },
  ],
  parametersFor: (tier) => ({ requireDigest: tier === Tier.SENSITIVE }),
};

export const IMAGE_POLICIES: PolicyDefinition[] = [ALLOWED_REPOSITORIES, IMAGE_TAGS];

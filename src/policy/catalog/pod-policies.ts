import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperParameterSchema as P } from '../parameter-schema';
import { ALL_TIERS, failingNames, POD_KINDS, PolicyDefinition, podVariables } from './definition';

const SPEC = 'variables.anyObject.spec';
/** CEL: container `c` sets securityContext field `f` (a path under securityContext). */
const sc = (f: string) => `has(c.securityContext) && has(c.securityContext.${f})`;
const podSc = (f: string) => `has(${SPEC}.securityContext) && has(${SPEC}.securityContext.${f})`;

const privileged = `${sc('privileged')} && c.securityContext.privileged == true`;
const PRIVILEGED: PolicyDefinition = {
  policy: BuiltInPolicy.PRIVILEGED_CONTAINERS,
  kind: 'DevSecOpsPrivilegedContainers',
  description: 'Containers must not run privileged: a privileged container has every device and capability of its node.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  variables: podVariables(),
  validations: [{
    expression: `!variables.allContainers.exists(c, ${privileged})`,
    messageExpression: `'privileged containers are not allowed: ' + ${failingNames('allContainers', privileged)}`,
  }],
};

const HOST_NAMESPACES: PolicyDefinition = {
  policy: BuiltInPolicy.HOST_NAMESPACES,
  kind: 'DevSecOpsHostNamespaces',
  description: 'Pods must not share the node\'s network, PID or IPC namespace.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  validations: ['hostNetwork', 'hostPID', 'hostIPC'].map((f) => ({
    expression: `!(has(${SPEC}.${f}) && ${SPEC}.${f} == true)`,
    message: `spec.${f} must not be true: the pod would share the node's ${f.slice(4).toLowerCase()} namespace`,
  })),
};

const hostPathVolume = 'has(v.hostPath)';
const HOST_PATH: PolicyDefinition = {
  policy: BuiltInPolicy.HOST_PATH,
  kind: 'DevSecOpsHostPath',
  description: 'Pods must not mount hostPath volumes, which expose the node\'s filesystem.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  variables: [{ name: 'volumes', expression: `has(${SPEC}.volumes) ? ${SPEC}.volumes : []` }],
  validations: [{
    expression: `!variables.volumes.exists(v, ${hostPathVolume})`,
    messageExpression: `'hostPath volumes are not allowed: ' + variables.volumes.filter(v, ${hostPathVolume}).map(v, v.name).join(', ')`,
  }],
};

const escalates = `!(${sc('allowPrivilegeEscalation')} && c.securityContext.allowPrivilegeEscalation == false)`;
const PRIVILEGE_ESCALATION: PolicyDefinition = {
  policy: BuiltInPolicy.PRIVILEGE_ESCALATION,
  kind: 'DevSecOpsPrivilegeEscalation',
  description: 'Every container must set securityContext.allowPrivilegeEscalation to false.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  variables: podVariables(),
  validations: [{
    expression: `!variables.allContainers.exists(c, ${escalates})`,
    messageExpression: `'containers must set securityContext.allowPrivilegeEscalation=false: ' + ${failingNames('allContainers', escalates)}`,
  }],
};

const dropsAll = `${sc('capabilities')} && has(c.securityContext.capabilities.drop) && c.securityContext.capabilities.drop.exists(d, d == 'ALL')`;
const addedCaps = `(${sc('capabilities')} && has(c.securityContext.capabilities.add) ? c.securityContext.capabilities.add : [])`;
const addsForbidden = `${addedCaps}.exists(a, !(a in variables.allowed))`;
const CAPABILITIES: PolicyDefinition = {
  policy: BuiltInPolicy.CAPABILITIES,
  kind: 'DevSecOpsCapabilities',
  description: 'Every container must drop ALL capabilities and may add back only allow-listed ones.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    allowedCapabilities: P.arrayOf(P.stringType(), { description: 'Capabilities containers may add, for example NET_BIND_SERVICE.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'allowed', expression: 'variables.params == null || !has(variables.params.allowedCapabilities) ? [] : variables.params.allowedCapabilities' },
  ],
  validations: [
    {
      expression: `variables.allContainers.all(c, ${dropsAll})`,
      messageExpression: `'containers must drop ALL capabilities: ' + ${failingNames('allContainers', `!(${dropsAll})`)}`,
    },
    {
      expression: `!variables.allContainers.exists(c, ${addsForbidden})`,
      messageExpression: `'containers add capabilities outside the allow-list [' + variables.allowed.join(', ') + ']: ' + ${failingNames('allContainers', addsForbidden)}`,
    },
  ],
  parametersFor: (_tier, ctx) => ({ allowedCapabilities: [...ctx.allowedCapabilities] }),
};

const nonRoot = `(${sc('runAsNonRoot')} ? c.securityContext.runAsNonRoot == true : variables.podRunAsNonRoot)`;
const notUid0 = `(${sc('runAsUser')} ? c.securityContext.runAsUser != 0 : !variables.podRunAsRootUser)`;
const RUN_AS_NON_ROOT: PolicyDefinition = {
  policy: BuiltInPolicy.RUN_AS_NON_ROOT,
  kind: 'DevSecOpsRunAsNonRoot',
  description: 'Containers must run with runAsNonRoot true (container or pod level) and never as UID 0.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  variables: [
    ...podVariables(),
    { name: 'podRunAsNonRoot', expression: `${podSc('runAsNonRoot')} && ${SPEC}.securityContext.runAsNonRoot == true` },
    { name: 'podRunAsRootUser', expression: `${podSc('runAsUser')} && ${SPEC}.securityContext.runAsUser == 0` },
  ],
  validations: [
    {
      expression: `variables.allContainers.all(c, ${nonRoot})`,
      messageExpression: `'containers must set runAsNonRoot=true (or inherit it from the pod): ' + ${failingNames('allContainers', `!${nonRoot}`)}`,
    },
    {
      expression: `variables.allContainers.all(c, ${notUid0})`,
      messageExpression: `'containers must not run as UID 0: ' + ${failingNames('allContainers', `!${notUid0}`)}`,
    },
  ],
};

const profile = `(${sc('seccompProfile')} ? c.securityContext.seccompProfile.type : variables.podProfile)`;
const badProfile = `!(${profile} in variables.allowedProfiles)`;
const SECCOMP: PolicyDefinition = {
  policy: BuiltInPolicy.SECCOMP,
  kind: 'DevSecOpsSeccomp',
  description: 'Every container must run under an allowed seccomp profile (RuntimeDefault or Localhost), set on it or on the pod.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    allowedProfiles: P.arrayOf(P.stringEnum(['RuntimeDefault', 'Localhost', 'Unconfined']), { description: 'Allowed seccomp profile types.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'podProfile', expression: `${podSc('seccompProfile')} ? ${SPEC}.securityContext.seccompProfile.type : ''` },
    { name: 'allowedProfiles', expression: "variables.params == null || !has(variables.params.allowedProfiles) ? ['RuntimeDefault', 'Localhost'] : variables.params.allowedProfiles" },
  ],
  validations: [{
    expression: `!variables.allContainers.exists(c, ${badProfile})`,
    messageExpression: `'containers must use a seccomp profile of type ' + variables.allowedProfiles.join(' or ') + ': ' + ${failingNames('allContainers', badProfile)}`,
  }],
  parametersFor: () => ({ allowedProfiles: ['RuntimeDefault', 'Localhost'] }),
};

const writable = `!(${sc('readOnlyRootFilesystem')} && c.securityContext.readOnlyRootFilesystem == true)`;
const READ_ONLY_ROOT_FILESYSTEM: PolicyDefinition = {
  policy: BuiltInPolicy.READ_ONLY_ROOT_FILESYSTEM,
  kind: 'DevSecOpsReadOnlyRootFilesystem',
  description: 'Containers must mount their root filesystem read-only (use emptyDir volumes for scratch space).',
  kinds: POD_KINDS,
  tiers: [Tier.SENSITIVE],
  variables: podVariables(),
  validations: [{
    expression: '!(variables.containers + variables.initContainers).exists(c, ' + writable + ')',
    messageExpression: `'containers must set securityContext.readOnlyRootFilesystem=true: ' + (variables.containers + variables.initContainers).filter(c, ${writable}).map(c, c.name).join(', ')`,
  }],
};

const missingResources = "!(has(c.resources) && has(c.resources.requests) && has(c.resources.limits) && 'cpu' in c.resources.requests && 'memory' in c.resources.requests && 'cpu' in c.resources.limits && 'memory' in c.resources.limits)";
const CONTAINER_RESOURCES: PolicyDefinition = {
  policy: BuiltInPolicy.CONTAINER_RESOURCES,
  kind: 'DevSecOpsContainerResources',
  description: 'Every container and init container must set CPU and memory requests and limits.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  variables: podVariables(),
  validations: [{
    expression: `!(variables.containers + variables.initContainers).exists(c, ${missingResources})`,
    messageExpression: `'containers must set resources.requests and resources.limits for cpu and memory: ' + (variables.containers + variables.initContainers).filter(c, ${missingResources}).map(c, c.name).join(', ')`,
  }],
};

/** Pod-hardening policies, most security-critical first. */
export const POD_POLICIES: PolicyDefinition[] = [
  PRIVILEGED, HOST_NAMESPACES, HOST_PATH, PRIVILEGE_ESCALATION, CAPABILITIES, RUN_AS_NON_ROOT, SECCOMP,
  READ_ONLY_ROOT_FILESYSTEM, CONTAINER_RESOURCES,
];

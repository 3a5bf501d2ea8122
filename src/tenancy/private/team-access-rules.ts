import { TeamAccess } from '../team-access';

/** One RBAC PolicyRule. */
export interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

const WORKLOADS = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'events', 'resourcequotas', 'limitranges'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'] },
];

/** The namespace Role rules of an access level. Deterministic order. */
export function teamAccessRules(access: TeamAccess): RbacRule[] {
  const rules: RbacRule[] = WORKLOADS.map((r) => ({ ...r, verbs: READ }));
  if (access === TeamAccess.OPERATE || access === TeamAccess.DEVELOP) {
    rules.push({ apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] });
    rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
    rules.push({ apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] });
  }
  if (access === TeamAccess.DEVELOP) {
    rules.push({ apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'], verbs: ['create', 'get'] });
    rules.push({ apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: WRITE });
    rules.push({ apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE });
    rules.push({ apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE });
  }
  return rules;
}

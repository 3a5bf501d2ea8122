/**
 * Which kinds are cluster-scoped, so the evaluator knows whether an object without
 * `metadata.namespace` lands in the default namespace or has none. CustomResourceDefinitions in
 * the program extend the list.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass', 'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'templates.gatekeeper.sh/ConstraintTemplate', 'expansion.gatekeeper.sh/ExpansionTemplate',
  'mutations.gatekeeper.sh/Assign', 'mutations.gatekeeper.sh/AssignMetadata', 'mutations.gatekeeper.sh/AssignImage',
  'mutations.gatekeeper.sh/ModifySet', 'externaldata.gatekeeper.sh/Provider', 'syncset.gatekeeper.sh/SyncSet',
]);

export class ScopeResolver {
  private readonly extra = new Map<string, boolean>();

  /** Learns scopes from CustomResourceDefinition objects of the program. */
  public learn(json: any): void {
    if (json?.kind === 'CustomResourceDefinition' && json?.spec?.names?.kind) {
      this.extra.set(`${json.spec.group ?? ''}/${json.spec.names.kind}`, json.spec.scope === 'Cluster');
    }
  }

  public isClusterScoped(group: string, kind: string): boolean {
    if (group === 'constraints.gatekeeper.sh') return true;
    const key = `${group}/${kind}`;
    return this.extra.get(key) ?? CLUSTER_SCOPED.has(key);
  }
}

import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformLabels } from '../../src/tenancy/labels';
import { Tier } from '../../src/tenancy/tier';

export const REGISTRY = 'harbor.bank.example/payments';
export const DIGEST = '@sha256:' + 'b'.repeat(64);

/** A Namespace of a tier, with the labels the catalog requires and Pod Security restricted. */
export function tierNamespace(scope: Construct, name: string, tier: Tier, extraLabels: Record<string, string> = {}): k8s.KubeNamespace {
  return new k8s.KubeNamespace(scope, `ns-${name}`, {
    metadata: {
      name,
      labels: {
        [PlatformLabels.TIER]: tier,
        [PlatformLabels.OWNER]: 'payments-eng',
        [PlatformLabels.DATA_CLASSIFICATION]: 'restricted',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.28',
        ...extraLabels,
      },
    },
  });
}

/** A container that passes every built-in policy in every tier. */
export function hardenedContainer(overrides: Partial<k8s.Container> = {}): k8s.Container {
  return {
    name: 'app',
    image: `${REGISTRY}/ledger:1.4.2${DIGEST}`,
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: {
      requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
      limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
    },
    ...overrides,
  };
}

/** A Deployment in `namespace` with the given container. */
export function deployment(chart: Chart, id: string, namespace: string, container: k8s.Container = hardenedContainer()): k8s.KubeDeployment {
  return new k8s.KubeDeployment(chart, id, {
    metadata: {
      name: id.toLowerCase(),
      namespace,
      labels: { [PlatformLabels.OWNER]: 'payments-eng', [PlatformLabels.DATA_CLASSIFICATION]: 'restricted' },
    },
    spec: {
      selector: { matchLabels: { app: id.toLowerCase() } },
      template: {
        metadata: { labels: { app: id.toLowerCase() } },
        spec: { automountServiceAccountToken: false, containers: [container] },
      },
    },
  });
}

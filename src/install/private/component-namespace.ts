import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformLabels } from '../../tenancy/labels';
import { PodSecurity, PodSecurityLevel } from '../../tenancy/pod-security';

/** Annotation stating why a component's namespace enforces less than `restricted`. */
const POD_SECURITY_REASON_ANNOTATION = 'devsecops.cdk8s.io/pod-security-reason';

/** Labels of every object an install writes: the component, managed by this library. */
export function componentLabels(component: string): { [key: string]: string } {
  return { [PlatformLabels.COMPONENT]: component, [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
}

/**
 * A component's Namespace, the same for chart and release installs: the component's labels, Pod
 * Security enforced at `level`, and, below `restricted`, the reason as an annotation.
 */
export function componentNamespace(scope: Construct, id: string, name: string, component: string, level: PodSecurityLevel,
  reason?: string): k8s.KubeNamespace {
  return new k8s.KubeNamespace(scope, id, {
    metadata: {
      name,
      labels: { ...PodSecurity.labels({ enforce: level }), ...componentLabels(component) },
      annotations: level !== PodSecurityLevel.RESTRICTED && reason ? { [POD_SECURITY_REASON_ANNOTATION]: reason } : undefined,
    },
  });
}

import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FalcoOutput } from './falco-output';
import { NodeTaintEffect, RuntimeAgentResources, RuntimeNodePool } from './node-pool';
import { UPSTREAM_RULES_TAG } from './private/falco-upstream';
import { Config as FalcoConfig, Rulesfile } from '../imports/falco-artifact.falcosecurity.dev';
import {
  Falco, FalcoSpecPodTemplateSpecSpecContainersResourcesLimits as Limit,
  FalcoSpecPodTemplateSpecSpecContainersResourcesRequests as Request, FalcoSpecType,
} from '../imports/falco-instance.falcosecurity.dev';
import { PlatformLabels } from '../tenancy/labels';
import { PodSecurity, PodSecurityLevel } from '../tenancy/pod-security';

/** How much a pool's Falco sees. */
export enum FalcoFidelity {
  /** The full upstream ruleset plus the platform's rules scoped to SENSITIVE namespaces. */
  FULL = 'full',
  /** The upstream rules at priority WARNING and above. */
  REDUCED = 'reduced',
}

/** Props of `FalcoPoolInstance`. */
export interface FalcoPoolInstanceProps {
  /** The node pool. */
  readonly pool: RuntimeNodePool;
  /** Rules loaded on the pool. */
  readonly fidelity: FalcoFidelity;
  /** Falco container CPU and memory. */
  readonly resources: RuntimeAgentResources;
  /** Where alerts go. */
  readonly output: FalcoOutput;
  /** Falco version the operator deploys. */
  readonly version: string;
  /** OCI tag of ghcr.io/falcosecurity/rules/falco-rules. */
  readonly rulesTag?: string;
  /**
   * Produces the platform's rules file items (FULL fidelity only), at synth.
   * @internal
   */
  readonly _platformRules?: () => any[];
}

/** Falco's lowest loaded priority per fidelity (Falco's `priority` setting). */
const FIDELITY_MIN_PRIORITY: { [f: string]: string } = { [FalcoFidelity.FULL]: 'debug', [FalcoFidelity.REDUCED]: 'warning' };

/**
 * Falco on one node pool through the falco-operator: a namespace `falco-<pool>` (Pod Security
 * privileged: Falco loads modern eBPF probes), a `Falco` DaemonSet instance pinned to the pool's
 * nodes with the pool's toleration and the tier's CPU and memory, a `Config` (modern_ebpf, JSON
 * outputs, minimum priority, every matching rule reported) and `Rulesfile`s: the pinned upstream
 * ruleset, and for FULL fidelity the platform's rules. The operator's artifact sidecar reads the
 * artifacts of its own namespace only, which is why each pool has one.
 */
export class FalcoPoolInstance extends Construct {
  /** The lowest rule priority Falco loads at `fidelity` (Falco's `priority` setting). */
  public static minimumPriority(fidelity: FalcoFidelity): string {
    return FIDELITY_MIN_PRIORITY[fidelity];
  }

  /** The namespace of the pool's Falco. */
  public readonly namespace: string;
  /** The `Falco` instance object (construct id `Resource`; escape hatch: `addJsonPatch`). */
  public readonly falco: ApiObject;

  constructor(scope: Construct, id: string, props: FalcoPoolInstanceProps) {
    super(scope, id);
    const pool = props.pool;
    this.namespace = `falco-${pool.name}`;
    const labels = { [PlatformLabels.COMPONENT]: 'falco', [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: { ...PodSecurity.labels({ enforce: PodSecurityLevel.PRIVILEGED }), ...labels },
        annotations: { 'devsecops.cdk8s.io/pod-security-reason': `Falco on node pool "${pool.name}" loads modern eBPF probes, shares the host PID namespace and mounts host paths` },
      },
    });
    const r = props.resources;
    this.falco = new Falco(this, 'Resource', {
      metadata: { name: 'falco', namespace: this.namespace, labels },
      spec: {
        type: FalcoSpecType.DAEMON_SET,
        version: props.version,
        podTemplateSpec: {
          spec: {
            nodeSelector: { ...pool.nodeLabels },
            tolerations: pool.taint
              ? [{ key: pool.taint.key, operator: 'Equal', value: pool.taint.value, effect: pool.taint.effect ?? NodeTaintEffect.NO_SCHEDULE }]
              : undefined,
            containers: [{
              name: 'falco',
              resources: {
                requests: { cpu: Request.fromString(r.cpuRequest), memory: Request.fromString(r.memoryRequest) },
                limits: { cpu: Limit.fromString(r.cpuLimit), memory: Limit.fromString(r.memoryLimit) },
              },
            }],
          },
        },
      },
    });
    new FalcoConfig(this, 'Config', {
      metadata: { name: 'platform', namespace: this.namespace, labels },
      spec: {
        priority: 60,
        config: {
          engine: { kind: 'modern_ebpf' },
          priority: FIDELITY_MIN_PRIORITY[props.fidelity],
          // Report every rule an event matches: with Falco's default (`first`), an upstream
          // rule loaded first would hide the platform's rule for the same event.
          rule_matching: 'all',
          ...props.output.toConfig(),
        },
      },
    });
    new Rulesfile(this, 'UpstreamRules', {
      metadata: { name: 'falco-rules', namespace: this.namespace, labels },
      spec: {
        priority: 50,
        ociArtifact: {
          image: { repository: 'falcosecurity/rules/falco-rules', tag: props.rulesTag ?? UPSTREAM_RULES_TAG },
          registry: { name: 'ghcr.io' },
        },
      },
    });
    if (props.fidelity === FalcoFidelity.FULL && props._platformRules) {
      const produce = props._platformRules;
      new Rulesfile(this, 'PlatformRules', {
        metadata: { name: 'platform-rules', namespace: this.namespace, labels },
        spec: { priority: 60, inlineRules: Lazy.any({ produce }) },
      });
    }
  }
}

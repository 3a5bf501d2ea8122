import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  TracingPolicyNamespaced, TracingPolicyNamespacedSpecContainerSelectorMatchExpressionsOperator as ContainerOp,
  TracingPolicyNamespacedSpecKprobesArgsType as ArgType, TracingPolicyNamespacedSpecKprobesSelectorsMatchActionsAction as Action,
  TracingPolicyNamespacedSpecKprobesSelectorsMatchArgsOperator as ArgOp,
} from '../imports/tetragon-cilium.io';
import { podSelectorOf } from './private/tetragon';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';
import { IWorkload } from '../workload/workload-props';

/** What Tetragon does beyond recording, in a SENSITIVE tenant's workload containers. */
export enum TetragonEnforcement {
  /** Kill (SIGKILL, in the kernel, before it runs) any shell executed in a workload container. */
  KILL_SHELLS = 'kill-shells',
  /** Security: record only; a shell in a workload container runs and is reported. */
  RECORD_ONLY = 'record-only',
}

/** Props of `TenantTracingPolicy`. */
export interface TenantTracingPolicyProps {
  /** The SENSITIVE tenant. */
  readonly tenant: ITenant;
  /**
   * Enforcement (read at synth: `RuntimeSecurity.setTetragonEnforcement` may change it later).
   * @internal
   */
  readonly _enforcement: () => TetragonEnforcement;
  /**
   * The tenant's workloads (read at synth: later workloads are included).
   * @internal
   */
  readonly _workloads: () => IWorkload[];
}

/**
 * A Tetragon `TracingPolicyNamespaced` (`cilium.io/v1alpha1`, construct id `Resource`) in a
 * SENSITIVE tenant's namespace, applied in the kernel only to the pods of the tenant's workloads
 * (pod selector from their selector labels; every pod of the namespace while it has none) and,
 * with `KILL_SHELLS`, only to the workloads' application containers (container selector):
 * - every program execution (`security_bprm_check`, the path executed);
 * - every outbound TCP connection (`tcp_connect`, the socket's addresses and ports);
 * - with `KILL_SHELLS`, a SIGKILL for an execution of a shell binary.
 */
export class TenantTracingPolicy extends Construct {
  /** Name of the policy. */
  public static readonly POLICY_NAME = 'devsecops-runtime';
  /** Suffixes of the shell binaries killed (matched on the executed path). */
  public static readonly SHELL_SUFFIXES: string[] = ['/sh', '/bash', '/dash', '/ash', '/zsh', '/ksh', '/mksh', '/csh', '/tcsh', '/fish'];
  /** The `TracingPolicyNamespaced` object (escape hatch: `addJsonPatch`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: TenantTracingPolicyProps) {
    super(scope, id);
    const kill = () => props._enforcement() === TetragonEnforcement.KILL_SHELLS;
    const workloads = () => [...props._workloads()].sort((a, b) => a.workloadName.localeCompare(b.workloadName));
    this.resource = new TracingPolicyNamespaced(this, 'Resource', {
      metadata: {
        name: TenantTracingPolicy.POLICY_NAME,
        namespace: props.tenant.namespaceName,
        labels: { [PlatformLabels.TENANT]: props.tenant.namespaceName, [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE },
      },
      spec: {
        podSelector: Lazy.any({ produce: () => podSelectorOf(workloads()) }) as any,
        containerSelector: Lazy.any({
          produce: () => {
            const names = [...new Set(workloads().map((w) => w.containerName))].sort();
            return kill() && names.length > 0 ? { matchExpressions: [{ key: 'name', operator: ContainerOp.IN, values: names }] } : undefined;
          },
        }) as any,
        kprobes: [
          {
            call: 'security_bprm_check',
            syscall: false,
            message: 'program executed',
            args: [{ index: 0, type: ArgType.LINUX_UNDERSCORE_BINPRM }],
            // The kill applies only with workloads: without them the policy selects every pod
            // of the namespace (kpack build pods run shells) and only records.
            selectors: Lazy.any({
              produce: () => [
                ...(kill() && workloads().length > 0 ? [{
                  matchArgs: [{ index: 0, operator: ArgOp.POSTFIX, values: [...TenantTracingPolicy.SHELL_SUFFIXES] }],
                  matchActions: [{ action: Action.SIGKILL }],
                }] : []),
                // Every other execution is recorded (an absolute path always starts with "/").
                { matchArgs: [{ index: 0, operator: ArgOp.PREFIX, values: ['/'] }], matchActions: [{ action: Action.POST }] },
              ],
            }) as any,
          },
          {
            call: 'tcp_connect',
            syscall: false,
            message: 'outbound TCP connection',
            args: [{ index: 0, type: ArgType.SOCK }],
          },
        ],
      },
    });
  }
}

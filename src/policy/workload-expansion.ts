import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyEnforcement } from './enforcement';
import { ExpansionTemplate } from '../imports/gatekeeper-expansion.gatekeeper.sh';
import { invalid } from '../private/errors';
import { DEFAULT_EXPANSION_RULES } from './private/expansion';

/** Props of the workload expansion templates. */
export interface GatekeeperWorkloadExpansionProps {
  /**
   * Enforcement of violations found on expanded pods, overriding the constraint's.
   * @default - the constraint's own enforcement
   */
  readonly enforcement?: PolicyEnforcement;
}

/**
 * Gatekeeper ExpansionTemplates (`expansion.gatekeeper.sh/v1beta1`) that make Gatekeeper judge
 * the pods Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers, Jobs and
 * CronJobs will create, at the time the workload is admitted rather than when its controller
 * creates the pods. The synth-time evaluator applies the same expansion.
 */
export class GatekeeperWorkloadExpansion extends Construct {
  /** The ExpansionTemplate objects, one per template path. */
  public readonly templates: ApiObject[];

  constructor(scope: Construct, id: string, props: GatekeeperWorkloadExpansionProps = {}) {
    super(scope, id);
    if (props.enforcement !== undefined && !Object.values(PolicyEnforcement).includes(props.enforcement)) {
      invalid(this, 'enforcement', 'must be deny, warn or dryrun', props.enforcement, 'use PolicyEnforcement');
    }
    this.templates = DEFAULT_EXPANSION_RULES.map((rule) => new ExpansionTemplate(this, rule.name, {
      metadata: { name: `expand-${rule.name}` },
      spec: {
        applyTo: [{ groups: [...rule.groups], kinds: [...rule.kinds], versions: ['v1'] }],
        templateSource: rule.templatePath,
        generatedGvk: { group: rule.generated.group, version: rule.generated.version, kind: rule.generated.kind },
        ...(props.enforcement ? { enforcementAction: props.enforcement } : {}),
      },
    }));
  }
}

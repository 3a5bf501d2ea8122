import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperParameterSchema as P } from '../parameter-schema';
import { POD_KINDS, PolicyDefinition } from './definition';

const PARAMS = 'variables.params';

/**
 * Pods of a tier with a dedicated node pool must run on it: every node label of the pool in the
 * pod's `nodeSelector`, and a toleration of the pool's taint. Without it a SENSITIVE pod could
 * land on a node where no runtime agent watches it (Falco's and Tetragon's probes are per node).
 */
const NODE_PLACEMENT: PolicyDefinition = {
  policy: BuiltInPolicy.NODE_PLACEMENT,
  kind: 'DevSecOpsNodePlacement',
  description: 'Pods of the tier must select its node pool (every pool node label in nodeSelector) and tolerate the pool\'s taint, so they run where the tier\'s runtime agents run.',
  kinds: POD_KINDS,
  tiers: [Tier.SENSITIVE],
  parameters: {
    nodeSelector: P.mapOf(P.stringType(), { description: 'Node labels of the pool; each must be in the pod\'s nodeSelector with this value.' }),
    tolerations: P.arrayOf(P.objectOf({
      key: P.stringType({ description: 'Taint key.' }),
      value: P.stringType({ description: 'Taint value.' }),
      effect: P.stringType({ description: 'Taint effect.' }),
    }), { description: 'Taints of the pool the pod must tolerate.' }),
  },
  variables: [
    { name: 'selector', expression: 'has(variables.anyObject.spec.nodeSelector) ? variables.anyObject.spec.nodeSelector : {}' },
    { name: 'required', expression: `${PARAMS} != null && has(${PARAMS}.nodeSelector) ? ${PARAMS}.nodeSelector : {}` },
    { name: 'missingLabels', expression: 'variables.required.filter(k, !(k in variables.selector) || variables.selector[k] != variables.required[k])' },
    { name: 'tolerations', expression: 'has(variables.anyObject.spec.tolerations) ? variables.anyObject.spec.tolerations : []' },
    { name: 'requiredTolerations', expression: `${PARAMS} != null && has(${PARAMS}.tolerations) ? ${PARAMS}.tolerations : []` },
    {
      name: 'missingTolerations',
      expression: 'variables.requiredTolerations.filter(r, !variables.tolerations.exists(t, has(t.key) && t.key == r.key'
        + " && ((has(t.operator) && t.operator == 'Exists') || (has(t.value) && t.value == r.value))"
        + " && (!has(t.effect) || t.effect == '' || t.effect == r.effect)))",
    },
  ],
  validations: [
    {
      expression: 'size(variables.missingLabels) == 0',
      messageExpression: "'pods of this tier run on its node pool: nodeSelector must have ' + variables.missingLabels.map(k, k + '=' + variables.required[k]).join(', ')"
        + " + ' (the runtime agents watch only that pool)'",
    },
    {
      expression: 'size(variables.missingTolerations) == 0',
      messageExpression: "'pods of this tier run on its node pool: add a toleration of the taint ' + variables.missingTolerations.map(r, r.key + '=' + r.value + ':' + r.effect).join(', ')",
    },
  ],
  parametersFor: (tier, ctx) => ctx.nodePlacement?.(tier) ?? {},
};

export const PLACEMENT_POLICIES: PolicyDefinition[] = [NODE_PLACEMENT];

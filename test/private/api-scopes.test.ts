import * as fs from 'fs';
import * as path from 'path';
import { readScopes, render } from '../../scripts/api-scopes';
import { apiScopeOf, ApiScopeKind } from '../../src/private/api-scope';
import { HAS_SHARED } from '../util';

describe('kind scopes (from the Kubernetes 1.28 OpenAPI and the upstream CRDs)', () => {
  test.each([
    ['v1', 'Namespace', ApiScopeKind.CLUSTER],
    ['v1', 'PersistentVolume', ApiScopeKind.CLUSTER],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', ApiScopeKind.CLUSTER],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', ApiScopeKind.CLUSTER],
    ['templates.gatekeeper.sh/v1', 'ConstraintTemplate', ApiScopeKind.CLUSTER],
    ['constraints.gatekeeper.sh/v1beta1', 'AnyConstraintKind', ApiScopeKind.CLUSTER],
    ['project.harbor.crossplane.io/v1alpha1', 'Project', ApiScopeKind.CLUSTER],
    ['kpack.io/v1alpha2', 'ClusterBuilder', ApiScopeKind.CLUSTER],
    ['v1', 'ConfigMap', ApiScopeKind.NAMESPACED],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', ApiScopeKind.NAMESPACED],
    ['config.gatekeeper.sh/v1alpha1', 'Config', ApiScopeKind.NAMESPACED],
    ['kpack.io/v1alpha2', 'Image', ApiScopeKind.NAMESPACED],
    ['external-secrets.io/v1', 'ExternalSecret', ApiScopeKind.NAMESPACED],
    ['example.com/v1', 'Widget', ApiScopeKind.UNKNOWN],
  ])('%s %s is %s', (apiVersion, kind, scope) => {
    expect(apiScopeOf(apiVersion, kind)).toBe(scope);
  });

  (HAS_SHARED ? test : test.skip)('the committed table is what scripts/api-scopes.ts generates from ../shared/crds', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../src/private/api-scopes.generated.ts'), 'utf8');
    expect(committed).toBe(render(readScopes()));
  });
});

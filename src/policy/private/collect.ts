import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { InputObject } from './engine';

/** Every ApiObject of the tree `scope` belongs to, as JSON with its construct path. */
export function collectApiObjects(scope: IConstruct): InputObject[] {
  return scope.node.root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => ({ json: o.toJson(), path: o.node.path }));
}

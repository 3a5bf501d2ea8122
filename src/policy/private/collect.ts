import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { InputObject } from './engine';
import { renderedObjectsOf } from '../../private/rendered-objects';

/**
 * Every ApiObject of the tree `scope` belongs to, as JSON with its construct path, followed in
 * tree order by the objects other tools will apply as the library renders them (a built
 * workload's Deployment, which its supply chain deploys).
 */
export function collectApiObjects(scope: IConstruct): InputObject[] {
  const out: InputObject[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof ApiObject) out.push({ json: c.toJson(), path: c.node.path });
    else out.push(...renderedObjectsOf(c));
  }
  return out;
}

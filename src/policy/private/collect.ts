import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { InputObject } from './engine';
import { chainRenderedObjects } from '../../private/rendered-objects';

/**
 * Every ApiObject of the tree `scope` belongs to, as JSON with its construct path, each followed
 * by the objects its supply chain will deploy (a built workload's Deployment and Service).
 */
export function collectApiObjects(scope: IConstruct): InputObject[] {
  const out: InputObject[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const json = c.toJson();
    out.push({ json, path: c.node.path }, ...chainRenderedObjects(json, c.node.path));
  }
  return out;
}

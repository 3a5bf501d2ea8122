import { IConstruct } from 'constructs';

/**
 * Property of a construct whose Kubernetes objects reach the cluster through another tool (the
 * supply chain renders and deploys a built workload's Deployment): a function returning them as
 * JSON, each with the construct path it is reported under. The synth-time policy gate judges
 * them as if they were written, so a workload admission would refuse fails synth, not the chain.
 */
export const RENDERED_OBJECTS = Symbol.for('cdk8s-devsecops.RenderedObjects');

/** One object another tool will apply, as the library renders it. */
export interface RenderedObject {
  readonly json: any;
  readonly path: string;
}

/** The objects `c` declares under `RENDERED_OBJECTS`, or none. */
export function renderedObjectsOf(c: IConstruct): RenderedObject[] {
  const produce = (c as any)[RENDERED_OBJECTS];
  return typeof produce === 'function' ? produce() : [];
}

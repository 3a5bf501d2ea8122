import { createHash } from 'crypto';

/**
 * The Cartographer Workload parameter carrying the Kubernetes objects a built workload's supply
 * chain deploys, rendered by the library (`WorkloadParams.CONFIG`).
 */
export const CONFIG_PARAM = 'platform-config';
/** The Cartographer Workload parameter naming the built image's repository (`WorkloadParams.IMAGE_REPOSITORY`). */
export const IMAGE_REPOSITORY_PARAM = 'image-repository';

/** One object another tool will apply, as the library renders it, with the path it is reported under. */
export interface RenderedObject {
  readonly json: any;
  readonly path: string;
}

/**
 * The objects a Cartographer Workload's chain will deploy, read from its `platform-config`
 * parameter, with the application image (the bare repository there) standing in as the
 * repository at a digest derived from its name: the chain replaces it with the scanned digest.
 * The synth-time policy gate and the cdk8s-cli validation plugin judge these as if written, so
 * a workload admission would refuse fails synth, not the chain. Reported under
 * `<path of the Workload>/platform-config/<kind>`. Empty for any other object.
 */
export function chainRenderedObjects(json: any, path: string): RenderedObject[] {
  if (json?.apiVersion !== 'carto.run/v1alpha1' || json?.kind !== 'Workload' || !Array.isArray(json.spec?.params)) return [];
  const param = (name: string) => json.spec.params.find((p: any) => p?.name === name)?.value;
  const config = param(CONFIG_PARAM);
  const repository = param(IMAGE_REPOSITORY_PARAM);
  if (!Array.isArray(config) || typeof repository !== 'string') return [];
  const stand = `${repository}@sha256:${createHash('sha256').update(repository).digest('hex')}`;
  return config.filter((o) => o && typeof o === 'object').map((o) => {
    const copy = JSON.parse(JSON.stringify(o));
    for (const c of copy.spec?.template?.spec?.containers ?? []) if (c?.image === repository) c.image = stand;
    return { json: copy, path: `${path}/${CONFIG_PARAM}/${copy.kind}` };
  });
}

import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { requirePort, requireQuantity } from '../../private/validate';
import { PlatformLabels } from '../../tenancy/labels';
import { WorkloadPort, WorkloadResources, WorkloadType } from '../workload-props';

/** Defaults of `WorkloadResources`. */
const DEFAULT_RESOURCES: Required<WorkloadResources> = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' };
/** An IANA service name: at most 15 lowercase letters, digits and hyphens, with a letter. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
/** What Kubernetes accepts as an environment variable name. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Label prefixes the platform, Kubernetes' recommended labels and Cartographer own on a workload. */
const OWNED_LABEL_PREFIXES = [PlatformLabels.PREFIX, 'app.kubernetes.io', 'apps.tanzu.vmware.com', 'carto.run'];

/** The workload's ports, named (`http` for the first, `port-<n>` for the others); a WEB workload needs one. */
export function validatePorts(scope: IConstruct, type: WorkloadType, ports: WorkloadPort[]): WorkloadPort[] {
  if (!Array.isArray(ports)) invalid(scope, 'ports', 'must be a list', ports, 'e.g. ports: [{ port: 8080 }]');
  if (type === WorkloadType.WEB && ports.length === 0) {
    invalid(scope, 'ports', 'is empty, but a WEB workload serves on at least one port (its Service exposes them)', ports,
      'add the port the application listens on, e.g. ports: [{ port: 8080 }], or use type: WorkloadType.WORKER');
  }
  const out = ports.map((port, i) => {
    requirePort(scope, `ports[${i}].port`, port?.port);
    const name = port.name ?? (i === 0 ? 'http' : `port-${port.port}`);
    if (typeof name !== 'string' || !PORT_NAME.test(name)) {
      invalid(scope, `ports[${i}].name`, 'is not a port name (at most 15 lowercase letters, digits and hyphens, with a letter)', name,
        'use a name such as "http"');
    }
    return { port: port.port, name };
  });
  for (const key of ['port', 'name'] as const) {
    const seen = new Set<unknown>();
    for (const port of out) {
      if (seen.has(port[key])) invalid(scope, 'ports', `repeats ${key} ${port[key]}`, ports.map((x) => x.port), `give every port its own ${key}`);
      seen.add(port[key]);
    }
  }
  return out;
}

/** Requests and limits, each defaulted and a quantity. */
export function validateResources(scope: IConstruct, r: WorkloadResources | undefined): Required<WorkloadResources> {
  const given = Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== undefined));
  const out = { ...DEFAULT_RESOURCES, ...given } as Required<WorkloadResources>;
  for (const key of Object.keys(DEFAULT_RESOURCES) as Array<keyof WorkloadResources>) requireQuantity(scope, `resources.${key}`, out[key]);
  return out;
}

/** Plain environment variables, sorted by name. */
export function validateEnv(scope: IConstruct, env: { [name: string]: string }): Array<{ name: string; value: string }> {
  return Object.keys(env).sort().map((name) => {
    requireEnvName(scope, `env.${name}`, name);
    if (typeof env[name] !== 'string') invalid(scope, `env.${name}`, 'must be a string', env[name], 'quote the value');
    return { name, value: env[name] };
  });
}

/** An environment variable name Kubernetes accepts. */
export function requireEnvName(scope: IConstruct, prop: string, name: string): void {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    invalid(scope, prop, 'is not an environment variable name', name, 'use letters, digits, "_", "-" and "." not starting with a digit');
  }
}

/** The user's labels: string values, none under a prefix the platform derives. */
export function validateLabels(scope: IConstruct, labels: { [key: string]: string }): { [key: string]: string } {
  for (const key of Object.keys(labels)) {
    if (OWNED_LABEL_PREFIXES.some((prefix) => key === prefix || key.startsWith(`${prefix}/`))) {
      invalid(scope, `labels.${key}`, 'is a label the platform derives', labels[key], 'use a label key of your own domain, e.g. "bank.example/cost-center"');
    }
    if (typeof labels[key] !== 'string') invalid(scope, `labels.${key}`, 'must be a string', labels[key], 'quote the value');
  }
  return labels;
}

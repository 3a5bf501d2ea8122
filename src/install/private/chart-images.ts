/**
 * The container images each chart of the install table runs, as its templates render them by
 * default, and the values key (a dotted path to a `repository`) that moves each one to another
 * registry. Facts read from the charts' values.yaml and templates in ../shared/charts; the chart
 * render test checks that every image a rendered release runs is listed here and, with
 * relocation on, pulled from the platform project. Only the images of parts the chart runs by
 * default (or the library turns on) are listed, so relocation sets no key the chart ignores.
 */
export interface ChartImage {
  /** Dotted values path of the image repository. */
  readonly repositoryKey: string;
  /** The image the chart runs by default (`repository:tag` or `repository@digest`). */
  readonly upstream: string;
  /** Whether the chart runs the image with these values (default: always). */
  readonly when?: (values: any) => boolean;
}

export interface ChartImages {
  readonly images: readonly ChartImage[];
  /** Set when the chart's images must not be relocated into the platform's registry. */
  readonly notRelocatable?: string;
}

export const CHART_IMAGES: { readonly [chartAtVersion: string]: ChartImages } = {
  'gatekeeper@3.23.0': {
    images: [
      { repositoryKey: 'image.repository', upstream: 'docker.io/openpolicyagent/gatekeeper:v3.23.0' },
      { repositoryKey: 'image.crdRepository', upstream: 'docker.io/openpolicyagent/gatekeeper-crds:v3.23.0' },
      { repositoryKey: 'postInstall.labelNamespace.image.repository', upstream: 'docker.io/openpolicyagent/gatekeeper-crds:v3.23.0' },
      { repositoryKey: 'postInstall.probeWebhook.image.repository', upstream: 'docker.io/curlimages/curl:8.20.0' },
      // postUpgrade.labelNamespace and preUninstall.deleteWebhookConfigurations are off in the
      // chart and the library: their images are not listed (enabling them needs their image set).
    ],
  },
  'harbor@1.19.1': {
    notRelocatable: 'Harbor cannot pull its own images from itself: a restarted Harbor pod would wait for the Harbor it is part of; '
      + 'mirror these into the nodes\' bootstrap registry instead',
    images: [
      { repositoryKey: 'core.image.repository', upstream: 'docker.io/goharbor/harbor-core:v2.15.1' },
      { repositoryKey: 'jobservice.image.repository', upstream: 'docker.io/goharbor/harbor-jobservice:v2.15.1' },
      { repositoryKey: 'portal.image.repository', upstream: 'docker.io/goharbor/harbor-portal:v2.15.1' },
      { repositoryKey: 'registry.registry.image.repository', upstream: 'docker.io/goharbor/registry-photon:v2.15.1' },
      { repositoryKey: 'registry.controller.image.repository', upstream: 'docker.io/goharbor/harbor-registryctl:v2.15.1' },
      { repositoryKey: 'trivy.image.repository', upstream: 'docker.io/goharbor/trivy-adapter-photon:v2.15.1' },
      { repositoryKey: 'database.internal.image.repository', upstream: 'docker.io/goharbor/harbor-db:v2.15.1', when: (v) => (v.database?.type ?? 'internal') === 'internal' },
      { repositoryKey: 'redis.internal.image.repository', upstream: 'docker.io/goharbor/redis-photon:v2.15.1', when: (v) => (v.redis?.type ?? 'internal') === 'internal' },
      { repositoryKey: 'exporter.image.repository', upstream: 'docker.io/goharbor/harbor-exporter:v2.15.1', when: (v) => v.metrics?.enabled === true },
      {
        repositoryKey: 'nginx.image.repository',
        upstream: 'docker.io/goharbor/nginx-photon:v2.15.1',
        when: (v) => !['ingress', 'route'].includes(v.expose?.type ?? 'ingress'),
      },
    ],
  },
  'falco-operator@0.3.1': {
    images: [{ repositoryKey: 'image.repository', upstream: 'docker.io/falcosecurity/falco-operator:0.4.1' }],
  },
  'tetragon@1.7.0': {
    images: [
      { repositoryKey: 'tetragon.image.repository', upstream: 'quay.io/cilium/tetragon:v1.7.0' },
      { repositoryKey: 'tetragonOperator.image.repository', upstream: 'quay.io/cilium/tetragon-operator:v1.7.0' },
      { repositoryKey: 'export.stdout.image.repository', upstream: 'quay.io/cilium/hubble-export-stdout:v1.1.1' },
      { repositoryKey: 'rthooks.image.repository', upstream: 'quay.io/cilium/tetragon-rthooks:v0.8', when: (v) => v.rthooks?.enabled === true },
    ],
  },
  'vault-secrets-operator@1.4.1': {
    images: [
      { repositoryKey: 'controller.manager.image.repository', upstream: 'docker.io/hashicorp/vault-secrets-operator:1.4.1' },
      { repositoryKey: 'controller.kubeRbacProxy.image.repository', upstream: 'quay.io/brancz/kube-rbac-proxy:v0.18.1' },
    ],
  },
  'external-secrets@2.9.0': {
    images: [
      { repositoryKey: 'image.repository', upstream: 'ghcr.io/external-secrets/external-secrets:v2.9.0' },
      { repositoryKey: 'webhook.image.repository', upstream: 'ghcr.io/external-secrets/external-secrets:v2.9.0' },
      { repositoryKey: 'certController.image.repository', upstream: 'ghcr.io/external-secrets/external-secrets:v2.9.0' },
    ],
  },
  'policy-controller@0.10.6': {
    images: [
      {
        repositoryKey: 'webhook.image.repository',
        upstream: 'ghcr.io/sigstore/policy-controller/policy-controller@sha256:0bcd60beb93f4427c29cf3a669743caf58490e98ded4380c33c09f092734a6ab',
      },
      { repositoryKey: 'leasescleanup.image.repository', upstream: 'cgr.dev/chainguard/kubectl:latest-dev' },
    ],
  },
  'crossplane@2.3.4': {
    images: [{ repositoryKey: 'image.repository', upstream: 'xpkg.crossplane.io/crossplane/crossplane:v2.3.4' }],
  },
};

/** `registry/path:tag` -> `path` (the repository path without the registry host). */
export function repositoryPath(upstream: string): string {
  const name = upstream.split('@')[0].replace(/:[^/]*$/, '');
  return name.split('/').slice(1).join('/');
}

/** The values that pull the chart's images from `prefix`, or why it cannot. */
export function relocationValues(chartAtVersion: string, prefix: string, current: any): { values?: { [key: string]: any }; note?: string } {
  const known = CHART_IMAGES[chartAtVersion];
  if (!known) return { note: `no image table for chart ${chartAtVersion.replace('@', ' ')}: set its image values with addValues` };
  if (known.notRelocatable) return { note: known.notRelocatable };
  const values: { [key: string]: any } = {};
  for (const image of known.images.filter((i) => !i.when || i.when(current))) {
    const keys = image.repositoryKey.split('.');
    let o = values;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] ?? {};
    o[keys[keys.length - 1]] = `${prefix}/${repositoryPath(image.upstream)}`;
  }
  return { values };
}

/** The images the chart runs with `values`, each with where it is pulled from. */
export function imagesOf(chartAtVersion: string, values: any): Array<{ valuesKey: string; upstream: string; pulledFrom: string }> {
  const known = CHART_IMAGES[chartAtVersion];
  if (!known) return [];
  return known.images.filter((image) => !image.when || image.when(values)).map((image) => {
    const repository = image.repositoryKey.split('.').reduce((o: any, k) => o?.[k], values);
    const suffix = image.upstream.slice(image.upstream.split('@')[0].replace(/:[^/]*$/, '').length);
    return {
      valuesKey: image.repositoryKey,
      upstream: image.upstream,
      pulledFrom: typeof repository === 'string' ? `${repository}${suffix}` : image.upstream,
    };
  });
}

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { KpackInstall } from '../../src/image-build/kpack-install';
import {
  ComponentImageReport, HelmChartVerification, ReleaseImageReference, ReleaseManifest, ReleaseManifestInstall, UpstreamReleases,
} from '../../src/install';
import { CartographerInstall, TektonPipelinesInstall } from '../../src/supply-chain/install';
import { PodSecurityLevel } from '../../src/tenancy/pod-security';
import { HAS_SHARED, KUBE_VALIDATE, kubeValidate, synthToDir } from '../util';

const TEKTON_REPO = 'oci://harbor.bank.example/platform/releases/tekton-pipelines';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function find(docs: any[], kind: string, name?: string): any {
  const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
}

function tekton(props: Partial<ConstructorParameters<typeof TektonPipelinesInstall>[2]> = {}) {
  const chart = Testing.chart();
  const install = new TektonPipelinesInstall(chart, 'Tekton', { artifactRepository: TEKTON_REPO, ...props });
  return { chart, install, docs: Testing.synth(chart) };
}

describe('ReleaseManifestInstall', () => {
  test('defaults', () => {
    expect(tekton().docs).toMatchSnapshot();
  });

  test('emits the release\'s namespaces, an OCIRepository and a Kustomization, the Flux objects in the component namespace', () => {
    const { docs } = tekton();
    expect(docs.map((d) => `${d.apiVersion}/${d.kind}/${d.metadata.name}`)).toEqual([
      'v1/Namespace/tekton-pipelines',
      'v1/Namespace/tekton-pipelines-resolvers',
      'source.toolkit.fluxcd.io/v1/OCIRepository/tekton-pipelines',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization/tekton-pipelines',
    ]);
    const kustomization = find(docs, 'Kustomization');
    expect(kustomization.metadata.namespace).toBe('tekton-pipelines');
    expect(find(docs, 'OCIRepository').metadata.namespace).toBe('tekton-pipelines');
    // same-namespace reference: works with Flux --no-cross-namespace-refs
    expect(kustomization.spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'tekton-pipelines' });
  });

  test('the OCIRepository pulls the exact release version as the tag of the mirrored Flux artifact', () => {
    const source = find(tekton().docs, 'OCIRepository');
    expect(source.spec.url).toBe(TEKTON_REPO);
    expect(source.spec.ref).toEqual({ tag: 'v1.15.0' });
    expect(source.spec.layerSelector).toEqual({ mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip', operation: 'extract' });
    expect(source.spec.interval).toBe('1h');
    expect(source.spec.verify).toBeUndefined();
    expect(source.spec.secretRef).toBeUndefined();
    expect(source.spec.certSecretRef).toBeUndefined();
  });

  test('a private mirror: pull credentials and the registry\'s CA', () => {
    const source = find(tekton({ pullSecretName: 'harbor-platform-pull', caSecretName: 'harbor-ca' }).docs, 'OCIRepository');
    expect(source.spec.secretRef).toEqual({ name: 'harbor-platform-pull' });
    expect(source.spec.certSecretRef).toEqual({ name: 'harbor-ca' });
  });

  test('artifactDigest pins the artifact\'s content instead of the tag', () => {
    expect(find(tekton({ artifactDigest: DIGEST }).docs, 'OCIRepository').spec.ref).toEqual({ digest: DIGEST });
  });

  test('the Kustomization prunes, waits for health, retries, and drops the release\'s own Namespace objects', () => {
    const k = find(tekton().docs, 'Kustomization');
    expect(k.spec).toMatchObject({ path: './', prune: true, deletionPolicy: 'Orphan', wait: true, interval: '10m', retryInterval: '10m', timeout: '5m' });
    expect(k.spec.patches).toEqual([
      { target: { kind: 'Namespace', name: 'tekton-pipelines' }, patch: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tekton-pipelines\n$patch: delete\n' },
      { target: { kind: 'Namespace', name: 'tekton-pipelines-resolvers' }, patch: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tekton-pipelines-resolvers\n$patch: delete\n' },
    ]);
    expect(k.spec.commonMetadata.labels).toEqual({ 'devsecops.cdk8s.io/component': 'tekton-pipelines', 'app.kubernetes.io/managed-by': 'cdk8s-devsecops' });
    expect(k.spec.images).toBeUndefined();
    expect(k.spec.dependsOn).toBeUndefined();
    expect(k.spec.serviceAccountName).toBeUndefined();
  });

  test('intervals, timeout and the impersonated service account are settable', () => {
    const { docs } = tekton({ interval: '30m', sourceInterval: '6h', timeout: '10m', serviceAccountName: 'flux-installer' });
    expect(find(docs, 'Kustomization').spec).toMatchObject({ interval: '30m', retryInterval: '30m', timeout: '10m', serviceAccountName: 'flux-installer' });
    expect(find(docs, 'OCIRepository').spec.interval).toBe('6h');
  });

  test.each([
    [() => new TektonPipelinesInstall(Testing.chart(), 'I', { artifactRepository: TEKTON_REPO }), ['tekton-pipelines', 'tekton-pipelines-resolvers']],
    [() => new KpackInstall(Testing.chart(), 'I', { artifactRepository: 'oci://h.example/p/releases/kpack' }), ['kpack']],
    [() => new CartographerInstall(Testing.chart(), 'I', { artifactRepository: 'oci://h.example/p/releases/cartographer' }), ['cartographer-system']],
  ])('every namespace of the release is written at Pod Security restricted with the component label (%#)', (make, namespaces) => {
    const install = make();
    const docs = Testing.synth(install.node.scope as Chart);
    expect(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name)).toEqual(namespaces);
    for (const ns of docs.filter((d) => d.kind === 'Namespace')) {
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
      expect(ns.metadata.labels['devsecops.cdk8s.io/component']).toBe(install.release.component);
      expect(ns.metadata.annotations).toBeUndefined();
    }
    expect(install.namespace).toBe(namespaces[0]);
  });

  test('verification: cosign public keys or keyless identity on the mirrored artifact', () => {
    expect(find(tekton({ verification: HelmChartVerification.cosignPublicKeys('release-signing') }).docs, 'OCIRepository').spec.verify)
      .toEqual({ provider: 'cosign', secretRef: { name: 'release-signing' } });
    expect(find(tekton({ verification: HelmChartVerification.cosignKeyless('^https://token\\.actions\\.githubusercontent\\.com$', '^https://github\\.com/bank/mirror/.*$') }).docs, 'OCIRepository').spec.verify)
      .toEqual({ provider: 'cosign', matchOIDCIdentity: [{ issuer: '^https://token\\.actions\\.githubusercontent\\.com$', subject: '^https://github\\.com/bank/mirror/.*$' }] });
  });

  test('dependsOn names the other release\'s Kustomization and namespace', () => {
    const chart = Testing.chart();
    const tektonInstall = new TektonPipelinesInstall(chart, 'Tekton', { artifactRepository: TEKTON_REPO });
    new CartographerInstall(chart, 'Carto', { artifactRepository: 'oci://h.example/p/releases/cartographer', dependsOn: [tektonInstall] });
    const carto = Testing.synth(chart).find((d) => d.kind === 'Kustomization' && d.metadata.name === 'cartographer');
    expect(carto.spec.dependsOn).toEqual([{ name: 'tekton-pipelines', namespace: 'tekton-pipelines' }]);
  });

  describe('relocation', () => {
    test('rewrites only the workload container images, keeping path and digest, and says which images it cannot reach', () => {
      const { chart, install } = tekton();
      install.relocateImages('harbor.bank.example/platform');
      const k = find(Testing.synth(chart), 'Kustomization');
      expect(k.spec.images).toEqual([
        { name: 'ghcr.io/tektoncd/pipeline/controller-10a3e32792f33651396d02b6855a6e36', newName: 'harbor.bank.example/platform/tektoncd/pipeline/controller-10a3e32792f33651396d02b6855a6e36' },
        { name: 'ghcr.io/tektoncd/pipeline/webhook-d4749e605405422fd87700164e31b2d1', newName: 'harbor.bank.example/platform/tektoncd/pipeline/webhook-d4749e605405422fd87700164e31b2d1' },
        { name: 'ghcr.io/tektoncd/pipeline/events-a9042f7efb0cbade2a868a1ee5ddd52c', newName: 'harbor.bank.example/platform/tektoncd/pipeline/events-a9042f7efb0cbade2a868a1ee5ddd52c' },
        { name: 'ghcr.io/tektoncd/pipeline/resolvers-ff86b24f130c42b88983d3c13993056d', newName: 'harbor.bank.example/platform/tektoncd/pipeline/resolvers-ff86b24f130c42b88983d3c13993056d' },
      ]);
      const nop = install.images.find((i) => i.upstream.startsWith('ghcr.io/tektoncd/pipeline/nop-'))!;
      expect(nop.pulledFrom).toBe(nop.upstream);
      expect(nop.note).toMatch(/argument -nop-image of Deployment tekton-pipelines-controller.*rewrite it in the release file before mirroring/);
      const controller = install.images.find((i) => i.upstream.startsWith('ghcr.io/tektoncd/pipeline/controller-'))!;
      expect(controller.pulledFrom).toBe('harbor.bank.example/platform/tektoncd/pipeline/controller-10a3e32792f33651396d02b6855a6e36:v1.15.0');
      expect(controller.note).toBeUndefined();
    });

    test('a Docker Hub name without registry host keeps its whole path under the prefix', () => {
      const chart = Testing.chart();
      const carto = new CartographerInstall(chart, 'C', { artifactRepository: 'oci://h.example/p/releases/cartographer' });
      carto.relocateImages('harbor.bank.example/platform');
      expect(find(Testing.synth(chart), 'Kustomization').spec.images)
        .toEqual([{ name: 'projectcartographer/cartographer', newName: 'harbor.bank.example/platform/projectcartographer/cartographer' }]);
    });

    test('ComponentImageReport relocates release installs and lists the release files to mirror', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'components');
      new KpackInstall(chart, 'kpack', { artifactRepository: 'oci://harbor.bank.example/platform/releases/kpack' });
      const report = new ComponentImageReport(chart, 'images', { relocateTo: 'harbor.bank.example/platform', writeFile: false });
      const json = report.toJson();
      expect(json.releaseFiles).toEqual([{
        component: 'kpack',
        version: '0.17.2',
        download: 'https://github.com/buildpacks-community/kpack/releases/download/v0.17.2/release-0.17.2.yaml',
        mirrorTo: 'oci://harbor.bank.example/platform/releases/kpack:0.17.2',
        prerequisites: [],
      }]);
      expect(json.images.filter((i: any) => i.pulledFrom.startsWith('harbor.bank.example/platform/')).map((i: any) => i.upstream))
        .toEqual(['ghcr.io/buildpacks-community/kpack/controller:0.17.2', 'ghcr.io/buildpacks-community/kpack/webhook:0.17.2']);
      // sorted by where the release names them: the ClusterLifecycle, then the ConfigMaps
      expect(json.notRelocated).toEqual([
        'kpack: ghcr.io/buildpacks-community/kpack/lifecycle:0.17.2',
        'kpack: ghcr.io/buildpacks-community/kpack/build-init:0.17.2',
        'kpack: ghcr.io/buildpacks-community/kpack/build-waiter:0.17.2',
        'kpack: ghcr.io/buildpacks-community/kpack/completion:0.17.2',
        'kpack: ghcr.io/buildpacks-community/kpack/rebase:0.17.2',
      ]);
    });

    test('a report without release installs keeps its former shape', () => {
      const chart = Testing.chart();
      expect(Object.keys(new ComponentImageReport(chart, 'images', { writeFile: false }).toJson())).toEqual(['relocatedTo', 'images', 'notRelocated']);
    });
  });

  describe('fails', () => {
    test.each([
      ['an https URL', 'https://harbor.bank.example/platform/releases/tekton'],
      ['a tag', `${TEKTON_REPO}:v1.15.0`],
      ['a digest', `${TEKTON_REPO}@${DIGEST}`],
      ['nothing', undefined],
    ])('if artifactRepository is %s', (_, value) => {
      expect(() => new TektonPipelinesInstall(Testing.chart(), 'T', { artifactRepository: value as any }))
        .toThrow(/\[test\/T\] 'artifactRepository' must be an oci:\/\/ repository without tag or digest, got .*; push the release file with "flux push artifact"/);
    });

    test('if artifactDigest is not a sha256 digest', () => {
      expect(() => tekton({ artifactDigest: 'v1.15.0' })).toThrow(/'artifactDigest' must be a sha256 digest, got "v1.15.0"; use the "sha256:<64 hex>" digest/);
    });

    test.each(['interval', 'sourceInterval', 'timeout'])('if %s is not a Go duration', (prop) => {
      expect(() => tekton({ [prop]: 'ten minutes' })).toThrow(new RegExp(`'${prop}' must be a Go duration, got "ten minutes"`));
    });

    test('if serviceAccountName is not a name', () => {
      expect(() => tekton({ serviceAccountName: 'Flux Installer' })).toThrow(/'serviceAccountName' must be a ServiceAccount name \(DNS subdomain\), got "Flux Installer"; use the name of a ServiceAccount in namespace "tekton-pipelines"/);
    });

    test.each(['pullSecretName', 'caSecretName'])('if %s is not a Secret name', (prop) => {
      expect(() => tekton({ [prop]: 'Harbor Pull' })).toThrow(new RegExp(`'${prop}' must be a Secret name \\(DNS subdomain\\), got "Harbor Pull"; use the name of a Secret in namespace "tekton-pipelines"`));
    });

    test('if keyless verification has an empty identity', () => {
      expect(() => tekton({ verification: HelmChartVerification.cosignKeyless('', '^x$') })).toThrow(/'verification.issuer' must be a non-empty regular expression/);
    });

    test('if it depends on itself', () => {
      const { install } = tekton();
      expect(() => install.addDependency(install)).toThrow(/\[test\/Tekton\] 'dependsOn' cannot contain the install itself/);
    });

    test('if a relocation target has no project path', () => {
      expect(() => tekton().install.relocateImages('harbor.bank.example')).toThrow(/'registryPrefix' must be a registry host with a project path, got "harbor.bank.example"/);
    });

    test('if the release is not a ReleaseManifest', () => {
      expect(() => new ReleaseManifestInstall(Testing.chart(), 'R', { release: { component: 'x' } as any, artifactRepository: TEKTON_REPO }))
        .toThrow(/\[test\/R\] 'release' must be a ReleaseManifest, got \{"component":"x"\}; use an entry of UpstreamReleases/);
    });
  });

  test('output validates against the Flux CRDs and Pod Security (kube-validate --pss)', () => {
    if (!HAS_SHARED) return;
    const dir = synthToDir((app: App) => {
      const chart = new Chart(app, 'components');
      const t = new TektonPipelinesInstall(chart, 'tekton', {
        artifactRepository: TEKTON_REPO,
        artifactDigest: DIGEST,
        verification: HelmChartVerification.cosignPublicKeys('mirror-keys'),
        pullSecretName: 'harbor-platform-pull',
        caSecretName: 'harbor-ca',
      });
      const k = new KpackInstall(chart, 'kpack', { artifactRepository: 'oci://harbor.bank.example/platform/releases/kpack', dependsOn: [t] });
      const c = new CartographerInstall(chart, 'cartographer', { artifactRepository: 'oci://harbor.bank.example/platform/releases/cartographer', dependsOn: [t, k] });
      for (const i of [t, k, c]) i.relocateImages('harbor.bank.example/platform');
    });
    expect(kubeValidate(dir)).toMatch(/ 0 errors/);
    expect(fs.existsSync(KUBE_VALIDATE)).toBe(true);
  });
});

describe('ReleaseManifest', () => {
  const valid = {
    component: 'demo',
    version: 'v1.2.3',
    releaseUrl: 'https://github.com/example/demo/releases/download/v1.2.3/release.yaml',
    namespaces: ['demo'],
  };

  test('defaults: restricted, no images, no prerequisites', () => {
    const r = ReleaseManifest.of(valid);
    expect(r.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
    expect(r.images).toEqual([]);
    expect(r.prerequisites).toEqual([]);
    expect(r.namespace).toBe('demo');
  });

  test.each([
    ['version', { version: '^1.2' }, /'version' must be one exact release version, got "\^1.2"/],
    ['version', { version: 'latest' }, /'version' must be one exact release version, got "latest"/],
    ['releaseUrl', { releaseUrl: 'http://example.com/release.yaml' }, /'releaseUrl' must be the https:\/\/ URL of the upstream release file/],
    ['namespaces', { namespaces: [] }, /'namespaces' must list the namespaces the release creates/],
    ['namespaces', { namespaces: ['Demo'] }, /'namespaces' must list the namespaces the release creates/],
    ['namespaces', { namespaces: ['demo', 'demo'] }, /'namespaces' lists a namespace twice/],
    ['component', { component: 'Demo' }, /'component' must be a DNS label, got "Demo"/],
    ['podSecurityReason', { podSecurity: PodSecurityLevel.BASELINE }, /'podSecurityReason' must say why the release's namespaces need Pod Security "baseline"/],
    ['images', { images: [{ name: 'ghcr.io/x/y:1.0', reference: ReleaseImageReference.CONTAINER, namedIn: 'x' }] }, /'images\[0\].name' must be an image name without tag or digest/],
  ])('refuses a bad %s', (_, patch, message) => {
    expect(() => ReleaseManifest.of({ ...valid, ...patch } as any)).toThrow(message);
    expect(() => ReleaseManifest.of({ ...valid, ...patch } as any)).toThrow(/^\[ReleaseManifest.of\] /);
  });

  test('a lowered level carries its reason onto the namespaces', () => {
    const release = ReleaseManifest.of({ ...valid, podSecurity: PodSecurityLevel.BASELINE, podSecurityReason: 'the demo agent mounts host paths' });
    const chart = Testing.chart();
    new ReleaseManifestInstall(chart, 'D', { release, artifactRepository: 'oci://h.example/p/releases/demo' });
    const ns = find(Testing.synth(chart), 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.annotations).toEqual({ 'devsecops.cdk8s.io/pod-security-reason': 'the demo agent mounts host paths' });
  });
});

describe('UpstreamReleases', () => {
  test('pins Tekton Pipelines v1.15.0, kpack 0.17.2 and Cartographer v0.8.11', () => {
    expect(UpstreamReleases.all().map((r) => `${r.component}@${r.version}`)).toEqual([
      'tekton-pipelines@v1.15.0', 'kpack@0.17.2', 'cartographer@v0.8.11',
    ]);
    for (const r of UpstreamReleases.all()) {
      expect(r.releaseUrl).toContain(r.version);
      expect(r.provenance).toMatch(/tag v?[0-9.]+ of /);
    }
  });

  test('Tekton image names are ko\'s: <cmd>-<md5 of the import path>', () => {
    const names = UpstreamReleases.TEKTON_PIPELINES.images.filter((i) => i.name.startsWith('ghcr.io/tektoncd/')).map((i) => i.name);
    expect(names).toHaveLength(8);
    for (const name of names) {
      const cmd = name.split('/').pop()!.replace(/-[0-9a-f]{32}$/, '');
      const md5 = createHash('md5').update(`github.com/tektoncd/pipeline/cmd/${cmd}`).digest('hex');
      expect(name).toBe(`ghcr.io/tektoncd/pipeline/${cmd}-${md5}`);
    }
  });

  test('the mirror repository convention: oci://<prefix>/releases/<component>', () => {
    expect(UpstreamReleases.KPACK.mirrorRepository('harbor.bank.example/platform')).toBe('oci://harbor.bank.example/platform/releases/kpack');
    expect(() => UpstreamReleases.KPACK.mirrorRepository('oci://harbor.bank.example/platform'))
      .toThrow(/\[ReleaseManifest.mirrorRepository\] 'registryPrefix' must be a registry host with a project path, got "oci:\/\/harbor.bank.example\/platform"/);
  });

  test('Cartographer names cert-manager as a prerequisite', () => {
    expect(UpstreamReleases.CARTOGRAPHER.prerequisites.join(' ')).toMatch(/cert-manager/);
  });

  test('each pinned version is the release the CRDs in ../shared were taken from (the kinds the library emits exist in it)', () => {
    if (!HAS_SHARED) return;
    const provenance = fs.readFileSync(path.join(path.dirname(KUBE_VALIDATE), '..', 'crds', 'PROVENANCE.md'), 'utf8');
    const tagOf = (file: string) => provenance.split('\n').find((l) => l.includes(`(\`${file}\`)`))!.split('|')[3].trim();
    expect(tagOf('tekton/tekton-crds.yaml')).toBe(UpstreamReleases.TEKTON_PIPELINES.version);
    expect(tagOf('kpack/kpack-crds.yaml')).toBe(`v${UpstreamReleases.KPACK.version}`);
    expect(tagOf('cartographer/cartographer-crds.yaml')).toBe(UpstreamReleases.CARTOGRAPHER.version);
  });
});

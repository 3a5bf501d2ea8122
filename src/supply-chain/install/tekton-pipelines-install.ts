import { Construct } from 'constructs';
import { ReleaseInstallOptions, ReleaseManifestInstall } from '../../install/release-manifest-install';
import { UpstreamReleases } from '../../install/upstream-releases';

/**
 * Props of `TektonPipelinesInstall`.
 */
export interface TektonPipelinesInstallProps extends ReleaseInstallOptions {}

/**
 * Installs Tekton Pipelines (`UpstreamReleases.TEKTON_PIPELINES`, v1.15.0), which runs the
 * supply chain's TaskRuns, from the platform team's mirror of its release file: namespaces
 * `tekton-pipelines` and `tekton-pipelines-resolvers` at Pod Security `restricted`, a Flux
 * OCIRepository pinned to the version and a Kustomization applying the file.
 *
 * ```ts
 * new TektonPipelinesInstall(components, 'tekton', {
 *   artifactRepository: 'oci://harbor.bank.example/platform/releases/tekton-pipelines',
 * });
 * ```
 */
export class TektonPipelinesInstall extends ReleaseManifestInstall {
  constructor(scope: Construct, id: string, props: TektonPipelinesInstallProps) {
    super(scope, id, { ...props, release: UpstreamReleases.TEKTON_PIPELINES });
  }
}

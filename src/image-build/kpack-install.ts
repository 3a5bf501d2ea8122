import { Construct } from 'constructs';
import { ReleaseInstallOptions, ReleaseManifestInstall } from '../install/release-manifest-install';
import { UpstreamReleases } from '../install/upstream-releases';

/**
 * Props of `KpackInstall`.
 */
export interface KpackInstallProps extends ReleaseInstallOptions {}

/**
 * Installs kpack (`UpstreamReleases.KPACK`, 0.17.2), which builds, signs and rebases the
 * applications' images, from the platform team's mirror of its release file: namespace `kpack`
 * at Pod Security `restricted`, a Flux OCIRepository pinned to the version and a Kustomization
 * applying the file. The build layer's objects in `kpack` (the builder's push credentials) can
 * be applied before the release, since the namespace is written here.
 */
export class KpackInstall extends ReleaseManifestInstall {
  constructor(scope: Construct, id: string, props: KpackInstallProps) {
    super(scope, id, { ...props, release: UpstreamReleases.KPACK });
  }
}

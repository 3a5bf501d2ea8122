import { Construct } from 'constructs';
import { ReleaseInstallOptions, ReleaseManifestInstall } from '../../install/release-manifest-install';
import { UpstreamReleases } from '../../install/upstream-releases';

/**
 * Props of `CartographerInstall`.
 */
export interface CartographerInstallProps extends ReleaseInstallOptions {}

/**
 * Installs Cartographer (`UpstreamReleases.CARTOGRAPHER`, v0.8.11), which stamps the supply
 * chain's objects for every Workload, from the platform team's mirror of its release file:
 * namespace `cartographer-system` at Pod Security `restricted` (upstream leaves it unlabelled;
 * its controller passes `restricted`), a Flux OCIRepository pinned to the version and a
 * Kustomization applying the file.
 *
 * Needs cert-manager in the cluster: the release issues its webhook's certificate with a
 * cert-manager `Issuer` and `Certificate` (the release's `prerequisites`).
 */
export class CartographerInstall extends ReleaseManifestInstall {
  constructor(scope: Construct, id: string, props: CartographerInstallProps) {
    super(scope, id, { ...props, release: UpstreamReleases.CARTOGRAPHER });
  }
}

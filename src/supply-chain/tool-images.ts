import { IConstruct } from 'constructs';
import { ImageReference } from '../image-build/image-reference';
import { invalid } from '../private/errors';

/**
 * A tool the secure supply chain runs in its Tekton tasks.
 */
export enum SupplyChainTool {
  /** Anchore grype: scans the source tree for known vulnerabilities (security-scan). */
  GRYPE = 'grype',
  /** jq: evaluates the grype and Harbor reports against the severity threshold (both gates). */
  JQ = 'jq',
  /** curl: downloads the source artifact from Flux and reads Harbor's scan report (with `sh`). */
  CURL = 'curl',
  /** Gatekeeper's gator: judges the rendered configuration with the platform's policies (policy-check). */
  GATOR = 'gator',
  /** git (with `sh`, `sed`, `grep`): renders the checked configuration and writes it to the GitOps repository. */
  GIT = 'git',
}

/**
 * The one table of tool images. A digest is listed only where one could be read from a public
 * source; an entry without one is refused for SENSITIVE tenants until it is overridden with a
 * pinned reference (`SecureSupplyChainProps.toolImages`).
 */
const TOOL_IMAGES: { readonly [tool in SupplyChainTool]: string } = {
  // distroless image, entrypoint /grype
  [SupplyChainTool.GRYPE]: 'docker.io/anchore/grype:v0.118.0@sha256:8a93fc48da96bd6ec5981279d099b69de11541dc68fdf222fb9161f8ff284af7',
  // scratch image, entrypoint jq
  [SupplyChainTool.JQ]: 'ghcr.io/jqlang/jq:1.8.1@sha256:4f34c6d23f4b1372ac789752cc955dc67c2ae177eb1b5860b75cdc5091ce6f91',
  // alpine-based, /bin/sh and curl, user curl_user
  [SupplyChainTool.CURL]: 'docker.io/curlimages/curl:8.5.0@sha256:08e466006f0860e54fc299378de998935333e0e130a15f6f98482e9f8dab3058',
  // distroless image, user 65532, entrypoint /gator
  // The Gatekeeper release the platform installs (GatekeeperInstall), so the chain judges with
  // the engine admission runs. No digest of this tag could be verified offline: SENSITIVE
  // tenants must override it with a pinned reference.
  [SupplyChainTool.GATOR]: 'docker.io/openpolicyagent/gator:v3.23.0',
  // alpine-based, /bin/sh, busybox sed and grep, git and ssh
  [SupplyChainTool.GIT]: 'docker.io/alpine/git:v2.49.1@sha256:c0280cf9572316299b08544065d3bf35db65043d5e3963982ec50647d2746e26',
};

/** Replaces the image of one tool. */
export interface SupplyChainToolImageOverride {
  /** The tool. */
  readonly tool: SupplyChainTool;
  /**
   * The image reference, for example a copy in the platform's registry. SENSITIVE tenants accept
   * only references pinned by digest (`...@sha256:<64 hex>`).
   */
  readonly image: string;
}

/**
 * The images the supply chain's tasks run, from the library's table with the chain's overrides.
 */
export class SupplyChainToolImages {
  /** The library's default image of a tool. */
  public static defaultImage(tool: SupplyChainTool): string {
    const entry = TOOL_IMAGES[tool];
    if (entry === undefined) invalid('SupplyChainToolImages', 'tool', 'is not a supply chain tool', tool, `use one of ${Object.values(SupplyChainTool).join(', ')}`);
    return entry;
  }

  /** Every tool, in the table's order. */
  public static tools(): SupplyChainTool[] {
    return Object.values(SupplyChainTool);
  }

  /** True when `image` is pinned by a sha256 digest. */
  public static isPinned(image: string): boolean {
    return ImageReference.isValid(image) && ImageReference.parse(image).isDigestPinned;
  }

  private readonly images = new Map<SupplyChainTool, string>();
  private readonly overridden = new Set<SupplyChainTool>();

  /** @param scope construct the errors name @param overrides images replacing the table's */
  constructor(scope: IConstruct, overrides: SupplyChainToolImageOverride[] = []) {
    if (!Array.isArray(overrides)) {
      invalid(scope, 'toolImages', 'must be a list of { tool, image }', overrides, 'pass e.g. [{ tool: SupplyChainTool.GATOR, image: "harbor.bank.example/platform/gator:v3.23.0@sha256:<64 hex>" }]');
    }
    for (const tool of SupplyChainToolImages.tools()) this.images.set(tool, TOOL_IMAGES[tool]);
    overrides.forEach((o, i) => {
      if (!o || !Object.values(SupplyChainTool).includes(o.tool)) {
        invalid(scope, `toolImages[${i}].tool`, 'is not a supply chain tool', o?.tool, `use one of SupplyChainTool.${SupplyChainToolImages.tools().map((t) => t.toUpperCase()).join(', SupplyChainTool.')}`);
      }
      if (this.overridden.has(o.tool)) {
        invalid(scope, `toolImages[${i}].tool`, 'is overridden twice', o.tool, 'give each tool one image');
      }
      ImageReference._parseFor(scope, `toolImages[${i}].image`, o.image, false);
      this.images.set(o.tool, o.image);
      this.overridden.add(o.tool);
    });
  }

  /** The image a tool runs. */
  public imageOf(tool: SupplyChainTool): string {
    return this.images.get(tool)!;
  }

  /** Whether the chain replaced the table's image of a tool. */
  public isOverridden(tool: SupplyChainTool): boolean {
    return this.overridden.has(tool);
  }

  /** The tools whose image is not pinned by digest, in the table's order. */
  public unpinned(): SupplyChainTool[] {
    return SupplyChainToolImages.tools().filter((t) => !SupplyChainToolImages.isPinned(this.imageOf(t)));
  }

  /** Every image, in the table's order. */
  public all(): string[] {
    return SupplyChainToolImages.tools().map((t) => this.imageOf(t));
  }
}

import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';

/** How a git source names the revision kpack builds. */
export enum KpackGitRevisionKind {
  /** A branch: kpack polls it and builds each new commit. */
  BRANCH = 'branch',
  /** A tag. */
  TAG = 'tag',
  /** A full 40-hex commit id: the build never changes until the manifest does. */
  COMMIT = 'commit',
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A git repository and revision that a `KpackImage` builds from.
 *
 * Only `https://` URLs are accepted unless the image opts in with `allowNonHttpsGit`; a URL that
 * embeds credentials is always refused (credentials belong in a git Secret on the build service
 * account).
 */
export class KpackGitSource {
  /** Builds the tip of `branch`; kpack rebuilds on every new commit. */
  public static branch(url: string, branch: string): KpackGitSource {
    return new KpackGitSource(url, branch, KpackGitRevisionKind.BRANCH);
  }

  /** Builds the commit a tag points to. */
  public static tag(url: string, tag: string): KpackGitSource {
    return new KpackGitSource(url, tag, KpackGitRevisionKind.TAG);
  }

  /** Builds one commit, named by its full 40-hex id (lowercase). */
  public static commit(url: string, sha: string): KpackGitSource {
    return new KpackGitSource(url, sha, KpackGitRevisionKind.COMMIT);
  }

  /** Repository URL. */
  public readonly url: string;
  /** Revision: branch, tag or commit id. */
  public readonly revision: string;
  /** What `revision` names. */
  public readonly revisionKind: KpackGitRevisionKind;

  private constructor(url: string, revision: string, kind: KpackGitRevisionKind) {
    this.url = url;
    this.revision = revision;
    this.revisionKind = kind;
  }

  /** @internal Whether the URL is ssh, as `ssh://...` or scp-like `user@host:path`. */
  public get _isSsh(): boolean {
    return typeof this.url === 'string' && (this.url.startsWith('ssh://') || isScpLike(this.url));
  }

  /** @internal Validates the source for `scope`; `allowNonHttps` admits ssh/http/git transports. */
  public _validate(scope: IConstruct, prop: string, allowNonHttps: boolean): void {
    const url = this.url;
    if (typeof url !== 'string' || url.length === 0) {
      invalid(scope, `${prop}.url`, 'is empty', url, 'pass the repository URL, e.g. "https://git.bank.example/payments/ledger.git"');
    }
    const scp = isScpLike(url);
    let parsed: URL | undefined;
    try {
      parsed = scp ? undefined : new URL(url);
    } catch {
      invalid(scope, `${prop}.url`, 'is not a URL', url, 'pass the repository URL, e.g. "https://git.bank.example/payments/ledger.git"');
    }
    // a user name alone is normal for ssh (git@host); with https it is a token in the URL
    if (parsed && (parsed.password || (parsed.username && parsed.protocol !== 'ssh:'))) {
      invalid(scope, `${prop}.url`, 'embeds credentials', redact(parsed), 'remove them from the URL and put them in a git Secret (gitSecretName on the build service account)');
    }
    const https = parsed?.protocol === 'https:' && parsed.hostname !== '';
    if (!https && !allowNonHttps) {
      invalid(scope, `${prop}.url`, 'is not an https:// URL', url,
        'use the https URL of the repository, or set allowNonHttpsGit (Security: weakens transport authentication) for ssh');
    }
    if (parsed && !['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol)) {
      invalid(scope, `${prop}.url`, `has unsupported scheme ${parsed.protocol}`, url, 'use https://');
    }
    const rev = this.revision;
    if (this.revisionKind === KpackGitRevisionKind.COMMIT) {
      if (typeof rev !== 'string' || !COMMIT.test(rev)) {
        invalid(scope, `${prop}.revision`, 'is not a full commit id (40 lowercase hex digits)', rev, 'pass the full id from "git rev-parse HEAD"');
      }
    } else if (typeof rev !== 'string' || rev.length === 0 || rev.length > 255 || /[\s~^:?*[\\]|\.\.|^[-/]|\/$|\.lock$|@\{/.test(rev)) {
      invalid(scope, `${prop}.revision`, `is not a valid git ${this.revisionKind} name`, rev, `pass a ${this.revisionKind} name such as "main" or "v1.4.2"`);
    }
  }
}

function redact(u: URL): string {
  const copy = new URL(u.toString());
  copy.username = copy.username ? '***' : '';
  copy.password = copy.password ? '***' : '';
  return copy.toString();
}

/** scp-like git address (`git@host:path`), which has no URL scheme. */
function isScpLike(url: string): boolean {
  return /^[\w.-]+@[\w.-]+:/.test(url) && !url.includes('://');
}

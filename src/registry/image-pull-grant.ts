import { ITenant } from '../tenancy/tenant-props';

/**
 * Security (widening): an explicit, reasoned grant letting a tenant's pods pull images of another
 * registry project. Without one, a tenant's pods pull only from its own project. Give it to
 * `DevSecOpsPlatform.grantImagePull(consumer, grant)`, which refuses grants a tier forbids (a
 * SENSITIVE tenant never pulls from a DEV project, nor from one whose signature policy is weaker
 * than its own), gives the consumer a pull robot of that project, admits the project in the
 * consumer's allowed-repositories entry and records the reason in the policy report.
 */
export class ImagePullGrant {
  /** The images of `owner`'s registry project, for `reason` (at least 10 characters). */
  public static fromTenant(owner: ITenant, reason: string): ImagePullGrant {
    return new ImagePullGrant(owner, reason);
  }

  /** The tenant whose project's images are granted. */
  public readonly owner: ITenant;
  /** Why the consumer needs them. */
  public readonly reason: string;

  private constructor(owner: ITenant, reason: string) {
    this.owner = owner;
    this.reason = typeof reason === 'string' ? reason.trim() : reason;
  }
}

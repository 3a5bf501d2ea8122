import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { isRepositoryComponent } from '../private/validate';

/** Registry implied when a reference names none (Docker's convention). */
const DEFAULT_REGISTRY = 'docker.io';
/** A registry host (DNS name or IPv4), with an optional port. */
const REGISTRY_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A parsed OCI image reference: `[registry/]repository[:tag][@sha256:<64 hex>]`.
 *
 * Parsing follows the distribution reference grammar: the first path element is the registry when
 * it contains a `.` or a `:` or is `localhost`; otherwise the registry is `docker.io` (and a
 * single-element repository is `library/<name>`). A digest, when present, must be
 * `sha256:` followed by 64 lowercase hex digits: other algorithms and malformed digests are refused.
 */
export class ImageReference {
  /**
   * Parses `ref`; throws the library's validation error when it is not a valid reference.
   */
  public static parse(ref: string): ImageReference {
    const result = ImageReference.tryParse(ref);
    if (typeof result === 'string') {
      invalid('ImageReference.parse', 'ref', result, ref, 'write a reference such as "registry.example/team/app:1.0@sha256:<64 hex>"');
    }
    return result as ImageReference;
  }

  /**
   * True when `ref` parses as an image reference.
   */
  public static isValid(ref: string): boolean {
    return typeof ImageReference.tryParse(ref) !== 'string';
  }

  /**
   * @internal Parses `ref` for a construct and throws the house error on the construct's path.
   * With `requirePin`, also refuses a reference without a digest.
   */
  public static _parseFor(scope: IConstruct, prop: string, ref: string, requirePin: boolean): ImageReference {
    const result = ImageReference.tryParse(ref);
    if (typeof result === 'string') {
      invalid(scope, prop, `is not a valid image reference: ${result}`, ref,
        'write a reference such as "registry.example/team/app:1.0@sha256:<64 lowercase hex>"');
    }
    const parsed = result as ImageReference;
    if (requirePin && !parsed.isDigestPinned) {
      invalid(scope, prop, 'is not pinned by digest', ref,
        `append the image digest, e.g. "${parsed.toString()}@sha256:<64 lowercase hex>" (crane digest ${parsed.toString()}); tags are mutable and would change the build without a manifest change`);
    }
    return parsed;
  }

  /** Returns the parsed reference, or a description of the first problem. */
  private static tryParse(ref: string): ImageReference | string {
    if (typeof ref !== 'string' || ref.length === 0) return 'is empty';
    if (ref !== ref.trim() || /\s/.test(ref)) return 'contains whitespace';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return 'has a URL scheme (image references have none)';

    let rest = ref;
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
      if (!SHA256_DIGEST.test(digest)) return `has digest "${digest}", which is not sha256: followed by 64 lowercase hex digits`;
    }

    let tag: string | undefined;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.indexOf(':', lastSlash + 1);
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(tag)) return `has tag "${tag}", which is not 1-128 of [A-Za-z0-9_.-] starting with a word character`;
    }

    const parts = rest.split('/');
    let registry = DEFAULT_REGISTRY;
    if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
      registry = parts.shift()!;
      if (!REGISTRY_HOST.test(registry)) return `has registry "${registry}", which is not a host name with an optional port`;
    }
    if (parts.length === 0 || !parts.every(isRepositoryComponent)) {
      return `has repository "${parts.join('/')}", whose path components must be lowercase letters and digits joined by ".", "_", "__" or "-"`;
    }
    if (registry === DEFAULT_REGISTRY && parts.length === 1) parts.unshift('library');
    const repository = parts.join('/');
    if (registry.length + 1 + repository.length > 255) return 'has a name longer than 255 characters';
    return new ImageReference(registry, repository, tag, digest);
  }

  /** Registry host (with port, when given); `docker.io` when the reference names none. */
  public readonly registry: string;
  /** Repository path inside the registry (`library/<name>` for Docker Hub official images). */
  public readonly repository: string;
  /** Tag, when the reference has one. */
  public readonly tag?: string;
  /** Digest (`sha256:<64 hex>`), when the reference has one. */
  public readonly digest?: string;

  private constructor(registry: string, repository: string, tag: string | undefined, digest: string | undefined) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** True when the reference carries a digest, so it always resolves to the same content. */
  public get isDigestPinned(): boolean {
    return this.digest !== undefined;
  }

  /** `registry/repository`, without tag or digest. */
  public get name(): string {
    return `${this.registry}/${this.repository}`;
  }

  /** The normalized reference: `registry/repository[:tag][@digest]`. */
  public toString(): string {
    return `${this.name}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }
}

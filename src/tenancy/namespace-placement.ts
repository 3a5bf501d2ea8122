import { Construct, IConstruct } from 'constructs';
import { checkNamespacePlacement, KIND_MARK, UNMANAGED_MARK } from './private/placement-check';
import { invalid } from '../private/errors';
import { oncePerSynth, trackSynth } from '../private/synth-cache';
import { isDnsLabel } from '../private/validate';

/**
 * Properties of an `UnmanagedNamespace`.
 */
export interface UnmanagedNamespaceProps {
  /** The namespace: one this program does not create (no Namespace object, no tenant). */
  readonly namespace: string;
  /** Why objects of this program go there; recorded in the policy report. */
  readonly reason: string;
}

/**
 * Security: lets objects of this program target a namespace the program does not declare (an
 * ingress controller's, one created by an operator installed from release manifests, `default`).
 * Without it, synth refuses every object placed in a namespace that is neither a tenant's nor
 * declared by a `Namespace` object of the App. Each declaration is listed with its reason and
 * construct path in the policy report (`unmanagedNamespaces`).
 *
 * It never lets a tenant's chart write into `default` or into another tenant's namespace.
 */
export class UnmanagedNamespace extends Construct {
  /** Every `UnmanagedNamespace` of the App `scope` belongs to, in the order they were created. */
  public static of(scope: IConstruct): UnmanagedNamespace[] {
    return [...((scope.node.root as any)[REGISTRY] ?? [])];
  }

  /** The namespace. */
  public readonly namespace: string;
  /** The recorded reason. */
  public readonly reason: string;

  constructor(scope: Construct, id: string, props: UnmanagedNamespaceProps) {
    super(scope, id);
    if (typeof props?.namespace !== 'string' || !isDnsLabel(props.namespace)) {
      invalid(this, 'namespace', 'must be a namespace name (DNS label)', props?.namespace, 'pass the namespace name, e.g. "ingress-nginx"');
    }
    if (typeof props.reason !== 'string' || props.reason.trim().length === 0) {
      invalid(this, 'reason', 'must say why objects go to a namespace this program does not manage', props.reason,
        'give the reason a reviewer reads in the policy report, e.g. "kpack is installed from its release manifests"');
    }
    this.namespace = props.namespace;
    this.reason = props.reason.trim();
    Object.defineProperty(this, UNMANAGED_MARK, { value: true });
    const root = this.node.root as any;
    (root[REGISTRY] ??= []).push(this);
    NamespacePlacement.of(this);
  }
}

/**
 * Properties of a `ClusterScopedKind`.
 */
export interface ClusterScopedKindProps {
  /** API group of the kind (empty string for the core group). */
  readonly apiGroup: string;
  /** The kind. */
  readonly kind: string;
}

/**
 * Declares a kind cluster-scoped, for a custom resource whose CRD is neither one of the upstream
 * CRDs the library knows nor a `CustomResourceDefinition` object of the App (whose `spec.scope`
 * is read). Objects of such a kind need no namespace.
 */
export class ClusterScopedKind extends Construct {
  /** API group. */
  public readonly apiGroup: string;
  /** Kind. */
  public readonly kind: string;

  constructor(scope: Construct, id: string, props: ClusterScopedKindProps) {
    super(scope, id);
    if (typeof props?.apiGroup !== 'string' || (props.apiGroup !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(props.apiGroup))) {
      invalid(this, 'apiGroup', 'must be an API group (DNS subdomain, or "" for core)', props?.apiGroup, 'pass the group of the CRD, e.g. "example.com"');
    }
    if (typeof props.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(props.kind)) {
      invalid(this, 'kind', 'must be a kind in PascalCase', props.kind, 'pass the kind of the CRD, e.g. "Widget"');
    }
    this.apiGroup = props.apiGroup;
    this.kind = props.kind;
    Object.defineProperty(this, KIND_MARK, { value: true });
    NamespacePlacement.of(this);
  }
}

const REGISTRY = Symbol.for('cdk8s-devsecops.unmanaged-namespaces');
const PLACEMENT_ID = 'NamespacePlacement';

/**
 * The whole-App check that every object lands in a namespace it belongs to, run once per synth
 * (before anything is written): objects of a tenant's chart in that tenant's namespace (the chart
 * places objects that name none there), never in another tenant's, `default` or an undeclared
 * one; objects outside tenant charts in a declared namespace; cluster-scoped kinds (from the
 * Kubernetes 1.28 OpenAPI and the upstream CRDs) outside tenant charts. Created once per App, at
 * its root, by every `Tenant` and `UnmanagedNamespace`.
 */
export class NamespacePlacement extends Construct {
  /** The check of the App `scope` belongs to, created at the root on first use. */
  public static of(scope: IConstruct): NamespacePlacement {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(PLACEMENT_ID);
    if (existing instanceof NamespacePlacement) return existing;
    return new NamespacePlacement(root as Construct, PLACEMENT_ID);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    trackSynth(this);
    this.node.addValidation({
      validate: () => oncePerSynth(this, this, () => checkNamespacePlacement(this)),
    });
  }
}

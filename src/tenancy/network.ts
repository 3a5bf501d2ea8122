import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { PlatformLabels } from './labels';
import type { ITenant } from './tenant-props';
import { invalid } from '../private/errors';
import { isDnsLabel, requireCidr, requirePort } from '../private/validate';

/** Transport protocol of an allowed port. */
export enum NetworkProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/**
 * A port (or contiguous port range) an allow rule admits. There is deliberately no "all ports":
 * every cross-boundary allow names what it lets through.
 */
export class NetworkPort {
  /** One TCP port. */
  public static tcp(port: number): NetworkPort {
    return new NetworkPort(NetworkProtocol.TCP, port);
  }

  /** One UDP port. */
  public static udp(port: number): NetworkPort {
    return new NetworkPort(NetworkProtocol.UDP, port);
  }

  /** One SCTP port. */
  public static sctp(port: number): NetworkPort {
    return new NetworkPort(NetworkProtocol.SCTP, port);
  }

  /** A contiguous range of ports, `from` to `to` inclusive (NetworkPolicy `endPort`). */
  public static range(protocol: NetworkProtocol, from: number, to: number): NetworkPort {
    return new NetworkPort(protocol, from, to);
  }

  private constructor(
    /** Protocol. */
    public readonly protocol: NetworkProtocol,
    /** First (or only) port. */
    public readonly port: number,
    /** Last port of a range. */
    public readonly endPort?: number,
  ) {}

  /** Human-readable form, for reports and errors: `8443/TCP`, `8000-8100/TCP`. */
  public toString(): string {
    return `${this.port}${this.endPort !== undefined ? `-${this.endPort}` : ''}/${this.protocol}`;
  }

  /** @internal */
  public _validate(scope: IConstruct, prop: string): void {
    requirePort(scope, `${prop}.port`, this.port);
    if (this.endPort !== undefined) {
      requirePort(scope, `${prop}.endPort`, this.endPort);
      if (this.endPort < this.port) {
        invalid(scope, prop, 'is a port range whose end is below its start', this.toString(),
          'use NetworkPort.range(protocol, low, high) with low <= high');
      }
    }
  }

  /** @internal */
  public _render(): k8s.NetworkPolicyPort {
    const range = this.endPort !== undefined && this.endPort !== this.port ? { endPort: this.endPort } : {};
    return { protocol: this.protocol, port: k8s.IntOrString.fromNumber(this.port), ...range };
  }
}

/** What kind of peer a `NetworkPeer` is. */
export enum NetworkPeerKind {
  /** Another tenant of the platform: both sides of the allow are emitted. */
  TENANT = 'tenant',
  /** Pods selected by labels in a namespace the platform does not manage. */
  PODS = 'pods',
  /** An IP block outside the cluster. */
  CIDR = 'cidr',
  /** Pods in every namespace of the cluster (needs an acknowledged `Weakening`). */
  ALL_NAMESPACES = 'all-namespaces',
}

/**
 * The other end of an allow rule.
 */
export class NetworkPeer {
  /**
   * Another tenant, by object. Allowing A -> B writes the egress rule in A's namespace and the
   * matching ingress rule in B's namespace, so both default-deny policies admit exactly it.
   *
   * @param tenant the other tenant
   * @param podLabels restrict the peer to pods with these labels
   * @default - every pod of the tenant
   */
  public static tenant(tenant: ITenant, podLabels?: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer(NetworkPeerKind.TENANT, tenant, undefined, podLabels);
  }

  /**
   * Pods in a namespace the platform does not model as a tenant (an ingress controller, a
   * monitoring stack). Only this tenant's side is emitted; the other namespace's policies are its
   * owner's business.
   *
   * @param namespace name of the namespace
   * @param podLabels pod label selector in that namespace
   * @default - every pod of the namespace
   */
  public static podsInNamespace(namespace: string, podLabels?: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer(NetworkPeerKind.PODS, undefined, namespace, podLabels);
  }

  /**
   * An IP block (CIDR), optionally minus sub-blocks. Use for services outside the cluster.
   */
  public static cidr(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer(NetworkPeerKind.CIDR, undefined, undefined, undefined, cidr, except);
  }

  /**
   * Security: pods in every namespace of the cluster (`namespaceSelector: {}`), such as an
   * ingress controller whose namespace varies by cluster. A tenant accepts it only with an
   * acknowledged `Weakening` (in the rule's options), recorded in the policy report.
   *
   * @param podLabels restrict the peer to pods with these labels
   * @default - every pod of every namespace
   */
  public static allNamespaces(podLabels?: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer(NetworkPeerKind.ALL_NAMESPACES, undefined, undefined, podLabels);
  }

  private constructor(
    /** Kind of peer. */
    public readonly kind: NetworkPeerKind,
    /** The tenant, for `NetworkPeerKind.TENANT`. */
    public readonly peerTenant?: ITenant,
    /** The namespace, for `NetworkPeerKind.PODS`. */
    public readonly namespace?: string,
    /** Pod labels the peer is restricted to. */
    public readonly podLabels?: { [key: string]: string },
    /** The IP block, for `NetworkPeerKind.CIDR`. */
    public readonly cidrBlock?: string,
    /** Sub-blocks excluded from `cidrBlock`. */
    public readonly except?: string[],
  ) {}

  /** Human-readable form, for reports and errors. */
  public toString(): string {
    const pods = this.podLabels && Object.keys(this.podLabels).length
      ? `{${Object.entries(this.podLabels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}` : '';
    switch (this.kind) {
      case NetworkPeerKind.TENANT: return `tenant ${this.peerTenant!.namespaceName}${pods}`;
      case NetworkPeerKind.PODS: return `namespace ${this.namespace}${pods}`;
      case NetworkPeerKind.ALL_NAMESPACES: return `every namespace${pods}`;
      default: return `cidr ${this.cidrBlock}${this.except?.length ? ` except ${this.except.join(',')}` : ''}`;
    }
  }

  /** @internal Checks the peer's own values. */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.kind === NetworkPeerKind.CIDR) {
      requireCidr(scope, `${prop}.cidr`, this.cidrBlock!);
      (this.except ?? []).forEach((e, i) => requireCidr(scope, `${prop}.except[${i}]`, e));
    }
    if (this.kind === NetworkPeerKind.PODS && !isDnsLabel(this.namespace ?? '')) {
      invalid(scope, `${prop}.namespace`, 'must be a namespace name (DNS label)', this.namespace,
        'pass the namespace name, for example "ingress-nginx"');
    }
  }

  /** @internal The NetworkPolicyPeer this peer renders to. */
  public _render(): { [key: string]: unknown } {
    const podSelector = this.podLabels && Object.keys(this.podLabels).length ? { matchLabels: { ...this.podLabels } } : undefined;
    switch (this.kind) {
      case NetworkPeerKind.TENANT:
        return {
          namespaceSelector: { matchLabels: { [PlatformLabels.NAMESPACE_NAME]: this.peerTenant!.namespaceName } },
          ...(podSelector ? { podSelector } : {}),
        };
      case NetworkPeerKind.PODS:
        return {
          namespaceSelector: { matchLabels: { [PlatformLabels.NAMESPACE_NAME]: this.namespace! } },
          ...(podSelector ? { podSelector } : {}),
        };
      case NetworkPeerKind.ALL_NAMESPACES:
        return { namespaceSelector: {}, ...(podSelector ? { podSelector } : {}) };
      default:
        return { ipBlock: { cidr: this.cidrBlock!, ...(this.except?.length ? { except: [...this.except] } : {}) } };
    }
  }

  /** @internal Stable short key used to name the policy that carries rules for this peer. */
  public _nameKey(): string {
    switch (this.kind) {
      case NetworkPeerKind.TENANT: return `tenant-${this.peerTenant!.namespaceName}`;
      case NetworkPeerKind.PODS: return `ns-${this.namespace}`;
      case NetworkPeerKind.ALL_NAMESPACES: return 'all-namespaces';
      default: return 'cidr';
    }
  }
}

import { PlatformLabels } from './labels';

/**
 * Where the cluster's DNS answers, so that a tenant's default-deny egress can let exactly DNS
 * through and nothing else.
 */
export class ClusterDns {
  /** CoreDNS / kube-dns as most distributions deploy it: pods `k8s-app=kube-dns` in `kube-system`, port 53. */
  public static kubeDns(): ClusterDns {
    return new ClusterDns('kube-system', { 'k8s-app': 'kube-dns' }, undefined);
  }

  /** DNS pods selected by labels in a namespace (for distributions that label them differently). */
  public static pods(namespace: string, podLabels: { [key: string]: string }): ClusterDns {
    return new ClusterDns(namespace, { ...podLabels }, undefined);
  }

  /**
   * kube-dns plus NodeLocal DNSCache, which answers on a link-local address of every node.
   * @param address the cache's listen address
   * @default '169.254.20.10'
   */
  public static withNodeLocalCache(address?: string): ClusterDns {
    return new ClusterDns('kube-system', { 'k8s-app': 'kube-dns' }, `${address ?? '169.254.20.10'}/32`);
  }

  private constructor(
    /** Namespace of the DNS pods. */
    public readonly namespace: string,
    /** Labels of the DNS pods. */
    public readonly podLabels: { [key: string]: string },
    /** Node-local cache address as a /32, if any. */
    public readonly nodeLocalCidr?: string,
  ) {}

  /** @internal The egress `to` peers of the DNS rule. */
  public _peers(): Array<{ [key: string]: unknown }> {
    const peers: Array<{ [key: string]: unknown }> = [{
      namespaceSelector: { matchLabels: { [PlatformLabels.NAMESPACE_NAME]: this.namespace } },
      podSelector: { matchLabels: { ...this.podLabels } },
    }];
    if (this.nodeLocalCidr) peers.push({ ipBlock: { cidr: this.nodeLocalCidr } });
    return peers;
  }
}

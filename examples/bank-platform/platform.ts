import { App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { DevSecOpsPlatform, NetworkPeer, NetworkPort, PlatformLabels, Tenant, Tier } from '../../src';

/**
 * The bank of the seed, as a real program: three tenants, one allowed path between them, the
 * admission policy catalog enforced per tier, and one payments service that obeys it.
 *
 * - payments (SENSITIVE): cardholder data; restricted pods, read-only team access.
 * - core-banking (STANDARD): may call payments on 8443/TCP, and nothing else crosses tenants.
 * - dev-sandbox (DEV): baseline pods, audited and warned against restricted.
 */
export function buildBankPlatform(app: App): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });

  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const coreBanking = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-banking-eng' });
  platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });

  // The only cross-tenant path: core-banking -> payments on 8443/TCP. This writes the egress rule
  // in core-banking and the matching ingress rule in payments.
  coreBanking.allowTo(NetworkPeer.tenant(payments), [NetworkPort.tcp(8443)]);

  addLedger(payments);
  return platform;
}

/**
 * A prebuilt payments service declared directly (until the supply-chain layer renders it):
 * digest-pinned image from the platform registry, non-root, no capabilities, read-only root
 * filesystem, RuntimeDefault seccomp, requests and limits, no API token.
 */
function addLedger(tenant: Tenant): void {
  const labels = { 'app.kubernetes.io/name': 'ledger' };
  const owner = {
    [PlatformLabels.OWNER]: tenant.team,
    [PlatformLabels.DATA_CLASSIFICATION]: tenant.dataClassification,
  };
  tenant.addServiceAccount('ledger');
  new k8s.KubeDeployment(tenant, 'LedgerDeployment', {
    metadata: { name: 'ledger', namespace: tenant.namespaceName, labels: { ...labels, ...owner } },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, ...owner } },
        spec: {
          serviceAccountName: 'ledger',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'ledger',
            image: 'harbor.bank.example/payments/ledger@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
            ports: [{ name: 'https', containerPort: 8443 }],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
            resources: {
              requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('256Mi') },
              limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
            },
          }],
        },
      },
    },
  });
  new k8s.KubeService(tenant, 'LedgerService', {
    metadata: { name: 'ledger', namespace: tenant.namespaceName, labels: { ...labels, ...owner } },
    spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'https', port: 8443, targetPort: k8s.IntOrString.fromString('https') }] },
  });
}

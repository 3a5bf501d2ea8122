import { App } from 'cdk8s';
import { DevSecOpsPlatform, NetworkPeer, NetworkPort, Tier } from '../../src';

/**
 * The bank of the seed, as a real program: three tenants, one allowed path between them.
 *
 * - payments (SENSITIVE): cardholder data; restricted pods, read-only team access.
 * - core-banking (STANDARD): may call payments on 8443/TCP, and nothing else crosses tenants.
 * - dev-sandbox (DEV): baseline pods, audited and warned against restricted.
 */
export function buildBankPlatform(app: App): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(app, 'bank');

  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const coreBanking = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-banking-eng' });
  platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });

  // The only cross-tenant path: core-banking -> payments on 8443/TCP. This writes the egress rule
  // in core-banking and the matching ingress rule in payments.
  coreBanking.allowTo(NetworkPeer.tenant(payments), [NetworkPort.tcp(8443)]);

  return platform;
}

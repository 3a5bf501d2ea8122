/** Validation of the chain's props (deploy target, egress). */
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { isDnsSubdomain } from '../../private/validate';
import { NetworkPeer } from '../../tenancy/network';
import { SupplyChainDeployTarget, SupplyChainDestination } from '../supply-chain-props';

const EXAMPLE_TARGET = 'deployTarget: { repositoryUrl: "https://git.bank.example/platform/gitops.git", branch: "main", path: "workloads", credentialsSecretName: "gitops-writer" }';

/** The deploy target, checked: an https or ssh URL without credentials, a branch, a relative path, a Secret. */
export function requireDeployTarget(scope: IConstruct, target: SupplyChainDeployTarget | undefined) {
  if (!target || typeof target !== 'object') {
    invalid(scope, 'deployTarget', 'is missing: the deployer has nowhere to write the checked configuration', target, `set ${EXAMPLE_TARGET}`);
  }
  const url = target.repositoryUrl;
  const scp = typeof url === 'string' && /^[\w.-]+@[\w.-]+:[^/]/.test(url) && !url.includes('://');
  let parsed: URL | undefined;
  try {
    parsed = scp || typeof url !== 'string' ? undefined : new URL(url);
  } catch {
    parsed = undefined;
  }
  const https = parsed?.protocol === 'https:' && parsed.hostname !== '';
  const ssh = scp || (parsed?.protocol === 'ssh:' && parsed.hostname !== '');
  if (!https && !ssh) {
    invalid(scope, 'deployTarget.repositoryUrl', 'is not an https:// or ssh URL', url,
      'use "https://git.bank.example/platform/gitops.git" or "ssh://git@git.bank.example/platform/gitops.git" (plain http and git:// are unauthenticated)');
  }
  if (parsed && (parsed.password || (https && parsed.username))) {
    invalid(scope, 'deployTarget.repositoryUrl', 'embeds credentials', `${parsed.protocol}//***@${parsed.host}${parsed.pathname}`,
      'remove them from the URL and put them in the Secret named by deployTarget.credentialsSecretName');
  }
  const branch = target.branch;
  if (typeof branch !== 'string' || branch.length === 0 || branch.length > 255 || /[\s~^:?*[\\]|\.\.|^[-/]|\/$|\.lock$|@\{/.test(branch)) {
    invalid(scope, 'deployTarget.branch', 'is not a git branch name', branch, 'pass a branch such as "main"');
  }
  const path = target.path;
  if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..') || /[\s"'$`\\]/.test(path)) {
    invalid(scope, 'deployTarget.path', 'is not a relative directory inside the repository', path, 'use a path such as "clusters/prod/workloads" (no leading "/", no "..", no spaces or quotes)');
  }
  if (!isDnsSubdomain(target.credentialsSecretName)) {
    invalid(scope, 'deployTarget.credentialsSecretName', 'is not a Secret name', target.credentialsSecretName,
      `name the Secret with the git credentials in each namespace, e.g. "gitops-writer" (${ssh ? 'ssh-privatekey and known_hosts' : 'username and password'})`);
  }
  const authorName = target.authorName ?? 'cdk8s-devsecops deployer';
  const authorEmail = target.authorEmail ?? 'deployer@cdk8s-devsecops.invalid';
  if (typeof authorName !== 'string' || authorName.trim() === '' || /[\n<>]/.test(authorName)) {
    invalid(scope, 'deployTarget.authorName', 'is not a commit author name', authorName, 'use a plain name such as "Platform deployer"');
  }
  if (typeof authorEmail !== 'string' || !/^[^\s@<>]+@[^\s@<>]+$/.test(authorEmail)) {
    invalid(scope, 'deployTarget.authorEmail', 'is not an e-mail address', authorEmail, 'use an address such as "deployer@bank.example"');
  }
  return { url, ssh, branch, path, secretName: target.credentialsSecretName, authorName, authorEmail };
}

/** A list of destinations, each with a NetworkPeer and at least one port. */
export function requireDestinations(scope: IConstruct, prop: string, list: SupplyChainDestination[], mayBeEmpty: boolean): void {
  if (!Array.isArray(list) || (!mayBeEmpty && list.length === 0)) {
    invalid(scope, prop, 'must list where the stage\'s pods connect: tenant namespaces deny all other egress', list,
      'e.g. [{ peer: NetworkPeer.cidr("10.40.0.0/28"), ports: [NetworkPort.tcp(443)] }]');
  }
  list.forEach((d, i) => {
    if (!(d?.peer instanceof NetworkPeer) || !Array.isArray(d.ports) || d.ports.length === 0) {
      invalid(scope, `${prop}[${i}]`, 'must name a NetworkPeer and at least one NetworkPort', d,
        'e.g. { peer: NetworkPeer.cidr("10.20.0.0/16"), ports: [NetworkPort.tcp(443)] }');
    }
  });
}

import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperParameterSchema as P } from '../parameter-schema';
import { ALL_TIERS, POD_KINDS, PolicyDefinition, podVariables } from './definition';

/**
 * CEL: image `i` comes from repository `r`. A repository matches itself and anything below it
 * at a path boundary, so `harbor.bank.example/payments` admits `.../payments/ledger:1.0` but not
 * `.../payments-evil/x`. An entry ending in `/` admits everything under that prefix.
 */
const fromRepo = "(r.endsWith('/') ? i.startsWith(r) : (i == r || i.startsWith(r + '/') || i.startsWith(r + ':') || i.startsWith(r + '@')))";

const ALLOWED_REPOSITORIES: PolicyDefinition = {
  policy: BuiltInPolicy.ALLOWED_REPOSITORIES,
  kind: 'DevSecOpsAllowedRepositories',
  description: 'Container images must come from the allowed registries and repositories.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    repositories: P.arrayOf(P.stringType(), { description: 'Allowed registries or repositories, for example harbor.bank.example/payments.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'images', expression: 'variables.allContainers.map(c, c.image)' },
    { name: 'repositories', expression: 'variables.params == null || !has(variables.params.repositories) ? [] : variables.params.repositories' },
    { name: 'disallowed', expression: `variables.images.filter(i, !variables.repositories.exists(r, ${fromRepo}))` },
  ],
  validations: [{
    expression: 'size(variables.disallowed) == 0',
    messageExpression: "'images must come from [' + variables.repositories.join(', ') + ']: ' + variables.disallowed.join(', ')",
  }],
  parametersFor: (_tier, ctx) => ({ repositories: [...ctx.allowedRepositories] }),
};

/** CEL: the last path segment of image `i` without its digest (`name[:tag]`). */
const lastSegment = "i.split('@')[0].substring(i.split('@')[0].lastIndexOf('/') + 1)";
const DIGEST = '@sha256:[a-f0-9]{64}$';

const IMAGE_TAGS: PolicyDefinition = {
  policy: BuiltInPolicy.IMAGE_TAGS,
  kind: 'DevSecOpsImageTags',
  description: 'Images must name an explicit tag other than latest, or a digest; with requireDigest, every image must be pinned by sha256 digest.',
  kinds: POD_KINDS,
  tiers: ALL_TIERS,
  parameters: {
    requireDigest: P.booleanType({ description: 'Require every image to be pinned by sha256 digest.' }),
  },
  variables: [
    ...podVariables(),
    { name: 'images', expression: 'variables.allContainers.map(c, c.image)' },
    { name: 'untagged', expression: `variables.images.filter(i, !i.contains('@') && !${lastSegment}.contains(':'))` },
    { name: 'latest', expression: `variables.images.filter(i, ${lastSegment}.endsWith(':latest'))` },
    { name: 'requireDigest', expression: 'variables.params != null && has(variables.params.requireDigest) && variables.params.requireDigest == true' },
    { name: 'unpinned', expression: `variables.images.filter(i, !i.matches('${DIGEST}'))` },
  ],
  validations: [
    { expression: 'size(variables.untagged) == 0', messageExpression: "'images must name a tag or digest: ' + variables.untagged.join(', ')" },
    { expression: 'size(variables.latest) == 0', messageExpression: "'images must not use the latest tag: ' + variables.latest.join(', ')" },
    {
      expression: '!variables.requireDigest || size(variables.unpinned) == 0',
      messageExpression: "'images must be pinned by sha256 digest (image@sha256:...): ' + variables.unpinned.join(', ')",
    },
  ],
  parametersFor: (tier) => ({ requireDigest: tier === Tier.SENSITIVE }),
};

export const IMAGE_POLICIES: PolicyDefinition[] = [ALLOWED_REPOSITORIES, IMAGE_TAGS];

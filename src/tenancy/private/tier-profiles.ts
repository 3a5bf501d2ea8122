import { PodSecurityLevel } from '../pod-security';
import { ContainerResourceDefaults, TenantQuota } from '../resources';
import { TeamAccess } from '../team-access';
import { DataClassification, Tier } from '../tier';

/** Everything a tier decides by default. */
export interface TierProfile {
  readonly podSecurity: { enforce: PodSecurityLevel; audit: PodSecurityLevel; warn: PodSecurityLevel };
  readonly dataClassification: DataClassification;
  readonly teamAccess: TeamAccess;
  readonly quota: Required<TenantQuota>;
  readonly containers: Required<ContainerResourceDefaults>;
}

const R = PodSecurityLevel.RESTRICTED;

/** The defaults table. Documented in the README's secure-defaults table; tests prove each row. */
export const TIER_PROFILES: Record<Tier, TierProfile> = {
  [Tier.SENSITIVE]: {
    podSecurity: { enforce: R, audit: R, warn: R },
    dataClassification: DataClassification.RESTRICTED,
    teamAccess: TeamAccess.READ_ONLY,
    quota: {
      requestsCpu: '8',
      limitsCpu: '16',
      requestsMemory: '16Gi',
      limitsMemory: '32Gi',
      requestsStorage: '200Gi',
      pods: 50,
      persistentVolumeClaims: 20,
      services: 20,
      loadBalancers: 0,
      nodePorts: 0,
    },
    containers: {
      defaultRequestCpu: '100m',
      defaultRequestMemory: '128Mi',
      defaultLimitCpu: '500m',
      defaultLimitMemory: '512Mi',
      maxCpu: '4',
      maxMemory: '8Gi',
    },
  },
  [Tier.STANDARD]: {
    podSecurity: { enforce: R, audit: R, warn: R },
    dataClassification: DataClassification.CONFIDENTIAL,
    teamAccess: TeamAccess.OPERATE,
    quota: {
      requestsCpu: '16',
      limitsCpu: '32',
      requestsMemory: '32Gi',
      limitsMemory: '64Gi',
      requestsStorage: '500Gi',
      pods: 100,
      persistentVolumeClaims: 40,
      services: 40,
      loadBalancers: 0,
      nodePorts: 0,
    },
    containers: {
      defaultRequestCpu: '100m',
      defaultRequestMemory: '128Mi',
      defaultLimitCpu: '1',
      defaultLimitMemory: '1Gi',
      maxCpu: '8',
      maxMemory: '16Gi',
    },
  },
  [Tier.DEV]: {
    podSecurity: { enforce: PodSecurityLevel.BASELINE, audit: R, warn: R },
    dataClassification: DataClassification.INTERNAL,
    teamAccess: TeamAccess.DEVELOP,
    quota: {
      requestsCpu: '4',
      limitsCpu: '8',
      requestsMemory: '8Gi',
      limitsMemory: '16Gi',
      requestsStorage: '50Gi',
      pods: 30,
      persistentVolumeClaims: 10,
      services: 20,
      loadBalancers: 0,
      nodePorts: 0,
    },
    containers: {
      defaultRequestCpu: '50m',
      defaultRequestMemory: '64Mi',
      defaultLimitCpu: '500m',
      defaultLimitMemory: '512Mi',
      maxCpu: '2',
      maxMemory: '4Gi',
    },
  },
};

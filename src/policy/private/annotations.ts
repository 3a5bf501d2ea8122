/** Annotation on an allowed-repositories constraint listing its image pull grants with their reasons (JSON). */
export const IMAGE_PULL_GRANTS_ANNOTATION = 'devsecops.cdk8s.io/image-pull-grants';

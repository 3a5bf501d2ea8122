/**
 * A PEM bundle of certificate authorities kept in a ConfigMap of a component's namespace, for a
 * component that must trust a private CA (the bank's registry, database or Vault).
 */
export interface CaBundleConfigMap {
  /** Name of the ConfigMap (in the component's namespace). */
  readonly configMapName: string;
  /**
   * Key of the PEM bundle in the ConfigMap.
   * @default 'ca-bundle.crt'
   */
  readonly key?: string;
}

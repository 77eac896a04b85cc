/** The divergence heads a run can train: THE list (the config schema, the bench suites and the loss registry read it). */
export const DIVERGENCE_HEADS = [
  'euclidean',
  'cosine',
  'mahalanobis',
  'max-affine',
  'icnn',
  'kl',
  'itakura-saito',
] as const;
export type DivergenceHead = (typeof DIVERGENCE_HEADS)[number];

export type { Divergence, DivergenceJSON } from './divergence';
export { bregmanGeneratorOf } from './bregman-generator-of';
export { BregmanCoreError } from './bregman-core-error';
export { BregmanDivergence } from './bregman-divergence';
export type { BregmanDivergenceOptions } from './bregman-divergence';
export { JeffreysBregman } from './jeffreys-bregman';
export { SquaredEuclideanDivergence } from './squared-euclidean-divergence';
export { EuclideanDivergence } from './euclidean-divergence';
export { CosineDivergence } from './cosine-divergence';
export { normalizeRows } from './normalize-rows';
export type { NegativityTolerance } from './negativity-check';
export { divergenceFromJSON, registerDivergence, registeredDivergences } from './divergence-from-json';
export type { DivergenceFactory } from './divergence-from-json';
export { rightCentroid } from './right-centroid';
export { leftCentroid } from './left-centroid';
export type { LeftCentroidOptions, LeftCentroidResult } from './left-centroid';
export { inverseGradient } from './inverse-gradient';
export type { InverseGradientOptions, InverseGradientResult } from './inverse-gradient';
export { bregmanKMeans } from './bregman-k-means';
export type { BregmanKMeansOptions, BregmanKMeansResult } from './bregman-k-means';
export { BregmanMipsReduction } from './bregman-mips-reduction';
export type { BregmanMipsReductionOptions, MipsQueries } from './bregman-mips-reduction';
export type { QuerySlot } from './divergence';
export { resolveQuerySlot } from './resolve-query-slot';
export { checkEmbeddings, isTensor } from './check-inputs';
export {
  innerProductFromSquaredDistance,
  mipsToNearestNeighbour,
  nearestNeighbourQueries,
} from './mips-to-nearest-neighbour';
export type { NearestNeighbourDatabase } from './mips-to-nearest-neighbour';

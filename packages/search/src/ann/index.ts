export { BregmanAnnIndex } from './bregman-ann-index';
export type { AnnSearchOptions, BregmanAnnIndexOptions } from './bregman-ann-index';
export { annRecall, neighbourRecall } from './ann-recall';
export type { AnnRecallPoint } from './ann-recall';

export type { Divergence, DivergenceJSON } from './divergence';

export { knnPool } from './knn-pool';
export type { KnnPoolOptions } from './knn-pool';
export type { WorkerPoolLike } from './worker-pool-like';

export { exactKnn, prepareReferences, DEFAULT_QUERY_BLOCK, DEFAULT_REFERENCE_BLOCK } from './exact-knn';
export type { ExactKnnOptions, PreparedReferences } from './exact-knn';
export type { KnnSearchPool, KnnSearchRequest } from './knn-search-pool';
export type { Neighbours } from './neighbours';
export { SearchError } from './search-error';

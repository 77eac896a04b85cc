export { EmpiricalBregmanError, isEmpiricalBregmanError, describeValue } from './errors';
export type { ErrorCode } from './errors';
export { SeededRandom, isSeededRandom } from './seeded-random';
export type { SeededRandomState } from './seeded-random';

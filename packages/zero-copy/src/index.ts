export { heapView } from './heap-view';
export { isTransferableResult, withTransfer } from './transferable-result';
export type { TransferableResult } from './transferable-result';

// What crosses between the HTTP thread and the serve worker (structured clone: plain data and typed arrays only).
import type { QuerySlot } from '@empirical-bregman/bregman-core';
import type { IndexSearchResult, ModelManifest, Prediction } from '@empirical-bregman/model';
import type { ServedIndexInfo } from './serve-engine';

/** The worker's `workerData`. */
export interface WorkerEngineData {
  readonly modelDir: string;
  readonly indexDir: string | null;
  /** initBackend's `quiet`: no line about the backend. */
  readonly quiet: boolean;
}

export type EngineRequest =
  | { readonly op: 'embed'; readonly id: number; readonly rows: Float32Array }
  | {
      readonly op: 'search';
      readonly id: number;
      readonly rows: Float32Array;
      readonly k: number;
      readonly slot?: QuerySlot;
    }
  | { readonly op: 'predict'; readonly id: number; readonly rows: Float32Array; readonly k?: number };

export type EngineReply =
  | { readonly kind: 'ready'; readonly manifest: ModelManifest; readonly index: ServedIndexInfo | null }
  /** Loading failed: the worker does nothing else. */
  | { readonly kind: 'failed'; readonly code?: string; readonly component?: string; readonly message: string }
  | { readonly kind: 'embed'; readonly id: number; readonly embeddings: Float32Array }
  | { readonly kind: 'search'; readonly id: number; readonly result: IndexSearchResult }
  | { readonly kind: 'predict'; readonly id: number; readonly prediction: Prediction }
  | {
      readonly kind: 'error';
      readonly id: number;
      readonly code?: string;
      readonly component?: string;
      readonly message: string;
    };

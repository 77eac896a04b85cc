import { type ConvexFunctionJSON, convexFunctionFromJSON } from '@empirical-bregman/convex-net';
import { describeValue } from '@empirical-bregman/common';
import { BregmanCoreError } from './bregman-core-error';
import { BregmanDivergence, type BregmanDivergenceOptions } from './bregman-divergence';
import { CosineDivergence } from './cosine-divergence';
import type { Divergence, DivergenceJSON } from './divergence';
import { EuclideanDivergence } from './euclidean-divergence';
import { JeffreysBregman } from './jeffreys-bregman';
import type { NegativityTolerance } from './negativity-check';
import { SquaredEuclideanDivergence } from './squared-euclidean-divergence';

/** Rebuilds a divergence from its `toJSON().config`. */
export type DivergenceFactory = (config: Record<string, unknown>) => Divergence;

const COMPONENT = 'divergenceFromJSON';

function generatorOptions(config: Record<string, unknown>): {
  generator: ConvexFunctionJSON;
  options: BregmanDivergenceOptions;
} {
  const generator = config.generator as ConvexFunctionJSON | undefined;
  if (generator === null || typeof generator !== 'object' || typeof generator.type !== 'string') {
    throw new BregmanCoreError(
      COMPONENT,
      'BAD_FORMAT',
      `expected config.generator to be a ConvexFunctionJSON ({ type, config, weights }), got ${describeValue(generator)}`,
    );
  }
  const options: { validate?: boolean; tolerance?: NegativityTolerance } = {};
  if (config.validate !== undefined) {
    if (typeof config.validate !== 'boolean') {
      throw new BregmanCoreError(
        COMPONENT,
        'BAD_FORMAT',
        `expected config.validate to be a boolean, got ${describeValue(config.validate)}`,
      );
    }
    options.validate = config.validate;
  }
  if (config.tolerance !== undefined) options.tolerance = config.tolerance as NegativityTolerance;
  return { generator, options };
}

const registry = new Map<string, DivergenceFactory>([
  [
    'BregmanDivergence',
    (config) => {
      const { generator, options } = generatorOptions(config);
      return new BregmanDivergence(convexFunctionFromJSON(generator), options);
    },
  ],
  [
    'JeffreysBregman',
    (config) => {
      const { generator, options } = generatorOptions(config);
      return new JeffreysBregman(convexFunctionFromJSON(generator), options);
    },
  ],
  ['SquaredEuclideanDivergence', () => new SquaredEuclideanDivergence()],
  ['EuclideanDivergence', () => new EuclideanDivergence()],
  ['CosineDivergence', () => new CosineDivergence()],
]);

/**
 * Registers a divergence type so that {@link divergenceFromJSON} can rebuild it (for divergences defined outside
 * this package). Replacing a built-in type is refused.
 */
export function registerDivergence(type: string, factory: DivergenceFactory): void {
  if (typeof type !== 'string' || type.length === 0 || typeof factory !== 'function') {
    throw new BregmanCoreError(
      'registerDivergence',
      'INVALID_ARGUMENT',
      `expected a non-empty type name and a factory function, got ${describeValue(type)} and ${describeValue(factory)}`,
    );
  }
  if (BUILT_IN.has(type)) {
    throw new BregmanCoreError(
      'registerDivergence',
      'INVALID_ARGUMENT',
      `expected a type name other than the built-in ${JSON.stringify(type)}, got ${JSON.stringify(type)}`,
    );
  }
  registry.set(type, factory);
}

const BUILT_IN = new Set(registry.keys());

/** Names of every divergence type {@link divergenceFromJSON} can rebuild. */
export function registeredDivergences(): string[] {
  return [...registry.keys()];
}

/**
 * The inverse of `Divergence.toJSON()`: rebuilds a divergence (with a freshly built generator holding the saved
 * weights, for Bregman divergences). The caller owns the result (dispose it).
 *
 * ```ts
 * const copy = divergenceFromJSON(JSON.parse(JSON.stringify(divergence.toJSON())));
 * ```
 */
export function divergenceFromJSON(json: DivergenceJSON): Divergence {
  if (json === null || typeof json !== 'object' || typeof json.type !== 'string') {
    throw new BregmanCoreError(COMPONENT, 'BAD_FORMAT', `expected { type, config }, got ${describeValue(json)}`);
  }
  const factory = registry.get(json.type);
  if (factory === undefined) {
    throw new BregmanCoreError(
      COMPONENT,
      'NOT_FOUND',
      `expected one of the registered types (${[...registry.keys()].join(', ')}), got ${JSON.stringify(json.type)}`,
    );
  }
  const config = json.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new BregmanCoreError(
      COMPONENT,
      'BAD_FORMAT',
      `expected config to be an object, got ${describeValue(config)}`,
    );
  }
  return factory(config);
}

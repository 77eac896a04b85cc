import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels whose gradients training the project's objects always needs: if any has none, tfjs's gradients have not
 * been registered by anyone (tfjs-core alone registers none; `@tensorflow/tfjs-layers`, the `@tensorflow/tfjs` union
 * package, runtime's `initBackend` and this function register all of them at once).
 */
const SENTINEL_KERNELS = ['Add', 'BatchMatMul', 'Multiply', 'Softplus', 'Sum'];

let ensured = false;

/**
 * Makes sure tfjs-core's gradient functions are registered, so that `tf.grad`, `tf.variableGrads` and
 * `optimizer.minimize` work through this project's generators, divergences and losses in any program, including one
 * that imports only `@tensorflow/tfjs-core` and a backend (without it: "gradient function not found for Add").
 * Never chooses or initialises a backend. Idempotent and cheap after the first call (one boolean test); when someone has
 * already registered the gradients (runtime, tfjs-layers, the union package), it registers nothing.
 *
 * The packages call it themselves where trainable objects are built (learnable generators, Bregman divergences,
 * losses); call it yourself only to differentiate through something else before building any of those.
 *
 * Why this way: the gradients live in tfjs-core's `dist/register_all_gradients.js`, which registers them when it is
 * evaluated. Node cannot load that file as published (ESM with extension-less relative imports, in a package without
 * `"type": "module"`: both `import` and `require` fail), so the build bundles it into this package's `dist` (tsup
 * `noExternal`) and the `require` below becomes a lazy initialiser, run only when no gradients are registered. The
 * bundled copy shares tfjs's engine and gradient registry with the application's tfjs-core (tfjs keeps both on
 * `globalThis`). The alternative, loading `@tensorflow/tfjs-layers` for its side effect as runtime does, would make
 * a 28 MB peer dependency (1.4 MB of JavaScript at start-up) of every library package.
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ensureGradients } from '@empirical-bregman/convex-net';
 * ensureGradients();
 * tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2])); // [2, 4]
 * ```
 */
export function ensureGradients(): void {
  if (ensured) return;
  if (SENTINEL_KERNELS.some((kernel) => tf.getGradient(kernel) === undefined)) {
    // Bundled at build time (see above), so no module is resolved at run time. Run from the sources (the workspace's
    // tests) it cannot load: the tests' setup registers the gradients before any test file is imported.
    require('@tensorflow/tfjs-core/dist/register_all_gradients');
  }
  ensured = true;
}

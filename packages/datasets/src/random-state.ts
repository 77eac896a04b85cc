import type { SeededRandom, SeededRandomState } from '@empirical-bregman/common';

/**
 * `rng.getState()` with every state word as an unsigned 32-bit integer. sfc32's xor step can leave a word as a
 * negative int32, which `SeededRandom.setState` rejects; the generator only uses the words modulo 2³², so the
 * unsigned form is the same state and always restores.
 */
export function saveRandomState(rng: SeededRandom): SeededRandomState {
  const state = rng.getState();
  const [a, b, c, d] = state.words;
  return { ...state, words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0] };
}

import { packageTests } from '../../tools/config/vitest.base';

// Only batch-to-tensors.test.ts touches tensors; it imports the shared tensor setup itself, so the other files do
// not pay for a backend start (about 2 s each on the wasm backend).
export default packageTests({ tensors: false });

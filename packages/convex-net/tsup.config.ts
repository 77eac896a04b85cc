import { packageBuild } from '../../tools/config/tsup.base';

// tfjs-core's gradient registration module is bundled (not left external like the rest of tfjs-core): Node cannot
// load it from the published package (see src/ensure-gradients.ts). It registers into the application's tfjs-core
// through tfjs's global registry.
export default packageBuild({ noExternal: [/^@tensorflow\/tfjs-core\/dist\/register_all_gradients/] });

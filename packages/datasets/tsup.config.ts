import { packageBuild } from '../../tools/config/tsup.base';

// One entry per subpath export. The main entry must stay free of Node built-ins (it runs in browsers):
// `tools/checks/check-browser-bundles.mjs` bundles it for one.
export default packageBuild({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
  },
});

import { packageBuild } from '../../tools/config/tsup.base';

// One entry per subpath export. The main entry must stay free of Node built-ins and of usearch (it runs in
// browsers): `src/entry-points.test.ts` bundles it for a browser.
export default packageBuild({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
  },
});

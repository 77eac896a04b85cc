import { packageBuild } from '../../tools/config/tsup.base';

export default packageBuild();

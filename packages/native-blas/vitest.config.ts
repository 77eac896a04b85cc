import { packageTests } from '../../tools/config/vitest.base';

export default packageTests();

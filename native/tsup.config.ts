import { msysTsup } from '../config/tsup.package.js';

export default msysTsup({ index: 'src/index.ts' });

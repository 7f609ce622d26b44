import { msysProject } from '../../config/vitest.project.js';

export default msysProject('@msys/ledger');

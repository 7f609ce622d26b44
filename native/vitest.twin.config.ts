import { msysProject } from '../config/vitest.project.js';

// The same suite with the addon disabled, so every twin passes every test on its own.
export default msysProject('@msys/native:twin', { env: { MSYS_NO_NATIVE: '1' } });

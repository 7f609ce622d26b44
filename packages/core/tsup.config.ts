import { msysTsup } from '../../config/tsup.package.js';

export default msysTsup({
  index: 'src/index.ts',
  errors: 'src/errors/index.ts',
  logging: 'src/logging/index.ts',
  telemetry: 'src/telemetry/index.ts',
  crypto: 'src/crypto/index.ts',
  config: 'src/config/index.ts',
  ids: 'src/ids/index.ts',
  time: 'src/time/index.ts',
  versions: 'src/versions/index.ts',
  governor: 'src/governor/index.ts',
  plugins: 'src/plugins/index.ts',
});

/**
 * One ledger replica in its own process, for the crash test: TCP transport on 127.0.0.1, LevelDB storage.
 * argv[2] is a JSON config; the parent drives it over IPC: { submit } → { ack }, { dump } → { ids }.
 */
import { Ledger, TcpTransport } from '../../src/index.js';
import { testKey } from './cluster.js';

interface Config {
  index: number;
  ports: number[];
  dir: string;
}

const config = JSON.parse(process.argv[2] as string) as Config;
const keys = config.ports.map((_, i) => testKey(i, 'crash'));
const key = keys[config.index]!;
const transport = await TcpTransport.open({
  id: `r${config.index}`,
  keyPair: key,
  listen: { host: '127.0.0.1', port: config.ports[config.index]! },
  peers: config.ports.map((port, i) => ({
    id: `r${i}`,
    host: '127.0.0.1',
    port,
    publicKey: keys[i]!.publicKey,
  })),
  backoff: { initialMs: 20, maxMs: 300 },
});
const ledger = await Ledger.open({
  id: `r${config.index}`,
  keyPair: key,
  validators: keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey })),
  transport,
  storage: { path: config.dir },
  viewTimeoutMs: 300,
  maxBlockEntries: 200,
});

type Msg = {
  submit?: Parameters<Ledger['submit']>[0];
  tag?: number;
  dump?: boolean;
  stats?: boolean;
  stop?: boolean;
};
process.on('message', (m: Msg) => {
  if (m.submit !== undefined) {
    ledger.submit(m.submit).then(
      (r) => process.send?.({ ack: r.entryId, index: r.index, tag: m.tag }),
      () => undefined,
    );
  } else if (m.dump) {
    const ids: string[] = [];
    for (let i = 0; i < ledger.size; i++) ids.push(ledger.entry(i)!.id);
    process.send?.({ ids });
  } else if (m.stats) {
    process.send?.({ stats: { ...ledger.stats, size: ledger.size, tcp: transport.stats } });
  } else if (m.stop) {
    void ledger.close().then(() => process.exit(0));
  }
});
process.send?.({ ready: true });

export { LevelStore } from './level-store.js';
export { type LedgerStore, MemoryStore, type StoreWrite } from './store.js';

import { NftParser } from './server/src/syntax/parser';
const t0 = performance.now();
new NftParser({ skipValidations: true });
console.log('ctor ms', (performance.now() - t0).toFixed(0), 'rss', (process.memoryUsage().rss/1e6).toFixed(0));

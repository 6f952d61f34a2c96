import { startHasuraEngine } from './server.js';
import { createServer } from 'node:http';
const e = await startHasuraEngine({ adminSecret: 'bench' });
let clock = Date.parse('2026-01-01T00:00:00Z');
const batch = (seed: number) => Array.from({ length: 100 }, (_, i) => { clock += 1; const u = (seed * 100 + i) % 1000; return { id: `user-${u}`, username: `u${u}`, email: `u${u}@x`, last_seen_at: new Date(clock).toISOString(), last_event_id: `e-${seed}-${i}` }; });
const MUTATION = `mutation SyncUsers($objects: [users_insert_input!]!) { insert_users(objects: $objects, on_conflict: {constraint: users_pkey, update_columns: [username, email, last_seen_at, last_event_id]}) { returning { id } } }`;
const srv = createServer((req, res) => { const c: Buffer[] = []; req.on('data', (d) => c.push(d)); req.on('end', () => { res.writeHead(200, {'content-type': 'application/json'}); res.end('{"data":{}}'); }); });
await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
const port = (srv.address() as any).port;
const time = async (label: string, fn: (i: number) => Promise<unknown>) => { for (let i=0;i<30;i++) await fn(i); const t: number[] = []; for (let i=0;i<200;i++){ const s=performance.now(); await fn(i+100); t.push(performance.now()-s);} t.sort((a,b)=>a-b); console.log(label, 'p50', t[100]!.toFixed(2), 'mean', (t.reduce((a,b)=>a+b)/t.length).toFixed(2)); };
let seed = 0;
const body = () => JSON.stringify({ query: MUTATION, variables: { objects: batch(seed++) } });
await time('echo-http-bigbody', async () => { const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() }); await r.text(); });
await time('engine-http', async () => { const r = await fetch(e.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': 'bench' }, body: body() }); await r.text(); });
await time('echo-http-bigbody', async () => { const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() }); await r.text(); });
srv.close(); await e.stop();
const t = (globalThis as any).__t as number[][];
for (const k of [0,1,2]) { const v = t.map(x => x[k]!).sort((a,b)=>a-b); console.log('phase', k, 'p50', v[Math.floor(v.length/2)]!.toFixed(2)); }

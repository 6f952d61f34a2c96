import { openDatabase } from './database.js';
import { Catalog } from './catalog.js';
import { MetadataApi } from './metadataApi.js';
import { GraphqlExecutor } from './executor.js';
import { SchemaCache } from './schemaBuilder.js';
import { applyMetadata, applyMigrations, defaultProjectDir } from './projectLoader.js';
const db = await openDatabase({});
const catalog = new Catalog();
const api = new MetadataApi(db, catalog);
await applyMigrations(db, defaultProjectDir(), 'public'); await applyMetadata(api, defaultProjectDir()); await catalog.refresh(db);
const ex = new GraphqlExecutor(db, catalog, new SchemaCache(catalog));
let clock = Date.parse('2026-01-01T00:00:00Z');
const batch = (seed: number) => Array.from({ length: 100 }, (_, i) => { clock += 1; const u = (seed * 100 + i) % 1000; return { id: `user-${u}`, username: `u${u}`, email: `u${u}@x`, last_seen_at: new Date(clock).toISOString(), last_event_id: `e-${seed}-${i}` }; });
const MUTATION = `mutation SyncUsers($objects: [users_insert_input!]!) { insert_users(objects: $objects, on_conflict: {constraint: users_pkey, update_columns: [username, email, last_seen_at, last_event_id]}) { returning { id } } }`;
const session = { role: 'admin', variables: {}, isAdminSecret: true };
const origQuery = db.query.bind(db); let dbt = 0;
(db as any).query = async (t: string, p: unknown[]) => { const s = performance.now(); try { return await origQuery(t, p); } finally { dbt += performance.now() - s; } };
let seed = 0;
for (let i = 0; i < 30; i++) await ex.run({ query: MUTATION, variables: { objects: batch(seed++) } }, session);
const ts: number[] = []; const ds: number[] = [];
for (let i = 0; i < 200; i++) { dbt = 0; const s = performance.now(); await ex.run({ query: MUTATION, variables: { objects: batch(seed++) } }, session); ts.push(performance.now() - s); ds.push(dbt); }
ts.sort((a,b)=>a-b); ds.sort((a,b)=>a-b);
console.log('run p50', ts[100]!.toFixed(2), 'db p50', ds[100]!.toFixed(2));
const cols = ['id','username','email','last_seen_at','last_event_id'];
const raw = `INSERT INTO users (${cols.join(', ')}) VALUES ${Array.from({length:100},(_, r)=>`(${cols.map((c,j)=>`$${r*5+j+1}`).join(', ')})`).join(', ')} ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, email = EXCLUDED.email, last_seen_at = EXCLUDED.last_seen_at, last_event_id = EXCLUDED.last_event_id RETURNING id`;
const rs: number[] = [];
for (let i = 0; i < 200; i++) { const p = batch(seed++).flatMap(r => cols.map(c => (r as any)[c])); const s = performance.now(); await origQuery(raw, p); rs.push(performance.now() - s); }
rs.sort((a,b)=>a-b); console.log('raw p50', rs[100]!.toFixed(2));
await db.close();

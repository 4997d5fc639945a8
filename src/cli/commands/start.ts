import { buildApp } from '../../app.ts';
import { loadDemoCounty } from '../../db/seeds/demo/index.ts';
import { hasAnyCounty } from '../../modules/counties/service.ts';
import { createDemoAccounts, formatDemoAccounts } from '../../modules/users/demo.ts';
import { loadConfig } from '../../platform/config.ts';
import { progressBar } from '../../platform/progress.ts';
import { openConfigured } from '../open.ts';
import { ensureWebBuilt, WEB_DIST } from '../web-build.ts';

/**
 * Starts the platform. On an empty embedded database it first loads the demo county, so a fresh
 * clone shows something real; a server database starts empty unless `demo load` is run.
 */
export async function startCommand() {
  const config = loadConfig();
  // Built before the database opens: a failed build then leaves nothing half open.
  if (process.env.GONGJIAN_WEB !== 'off') await ensureWebBuilt();
  const { database, applied } = await openConfigured(config);
  if (applied.length) console.log(`已应用数据库迁移 / migrations applied: ${applied.join(', ')}`);
  if (database.kind === 'embedded' && !(await hasAnyCounty(database.db))) {
    console.log('数据库为空，正在载入演示县… / empty database: loading the demo county…');
    const bar = progressBar('演示县 / demo');
    const started = Date.now();
    const s = await loadDemoCounty(database, {
      onProgress: (step, done, total) => bar.update(done, total, step),
    });
    bar.stop();
    const accounts = await createDemoAccounts(
      database.db,
      s.countyId,
      process.env.GONGJIAN_DEMO_PASSWORD || undefined,
    );
    console.log(
      `已载入演示县“${s.countyName}”：${s.committees}个基层党(工)委，${s.branches}个党支部，${s.members}名党员（${((Date.now() - started) / 1000).toFixed(1)}秒）` +
        ` / demo county loaded: ${s.committees} committees, ${s.branches} branches, ${s.members} members`,
    );
    console.log(formatDemoAccounts(accounts));
  }
  const app = await buildApp({ database, config, webDist: WEB_DIST });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Port taken or the like: close the embedded database cleanly, or its next start cannot open it.
    await app.close().catch(() => {});
    await database.close();
    throw err;
  }
  const where = config.databaseUrl ? 'PostgreSQL' : `嵌入式数据库 / embedded database at ${config.dataDir}`;
  console.log(`共建平台已启动 / Gongjian is running: http://localhost:${config.port}  (${where})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`正在停止（${signal}）… / stopping…`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

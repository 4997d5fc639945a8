import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../../test/global-setup.ts';
import { loggerOptions, scrub } from './logger.ts';

const ID = '11010519491231002X';
const PHONE = '13812341234';

async function logsOf(fn: (app: ReturnType<typeof Fastify>) => Promise<void>) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c) => chunks.push(String(c)));
  const app = Fastify({ logger: loggerOptions('info', stream) });
  app.get('/boom', async () => {
    throw Object.assign(new Error(`duplicate key (county_id, id_number)=(1, ${ID}) phone ${PHONE}`), {
      code: '23505',
    });
  });
  app.post('/echo', async (req) => {
    req.log.info({ body: req.body }, `saw ${PHONE}`);
    return { ok: true };
  });
  await fn(app);
  await app.close();
  return chunks.join('');
}

describe('logs keep personal data out', () => {
  it('scrubs ID numbers and mobiles from any string', () => {
    expect(scrub(`id ${ID} and 110105194912310021 phone ${PHONE}`)).toBe(
      'id [身份证号] and [身份证号] phone [手机号]',
    );
    expect(scrub('timestamp 1795320944050 stays')).toBe('timestamp 1795320944050 stays');
  });

  it('an error quoting an ID number and a phone, a query string and a body reach the log scrubbed', async () => {
    const out = await logsOf(async (app) => {
      await app.inject({ method: 'GET', url: `/boom?q=${PHONE}` });
      await app.inject({
        method: 'POST',
        url: '/echo',
        payload: { idNumber: ID, phone: PHONE, password: 'Correct-Horse-Battery', nested: { id_number: ID } },
        headers: { cookie: 'gj_session=abcdefghijklmnopqrstuvwxyz012345' },
      });
    });
    expect(out.length).toBeGreaterThan(200);
    expect(out).toContain('[身份证号]');
    expect(out).not.toContain(ID);
    expect(out).not.toContain(PHONE);
    expect(out).not.toContain('Correct-Horse');
    expect(out).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('the end-of-run check finds a leak when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gj-logs-'));
    writeFileSync(join(dir, 'a.log'), `{"msg":"fine"}\n{"msg":"member ${ID}"}\n{"msg":"call ${PHONE}"}\n`);
    expect(findLeaks(dir).map((l) => l.split(' ')[1])).toEqual(['ID', 'mobile']);
  });
});

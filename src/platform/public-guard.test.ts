import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, testApp } from '../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../test/helpers/db.ts';

const COUNTY = '369940';
const notices = `/api/public/notices?county=${COUNTY}`;

describe.each(dbTargets())('limits in front of the public routes on the $name database', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.open();
    await makeCounty(database.db, { code: COUNTY, name: '限县' });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  describe('per-address rate limit', () => {
    let app: Awaited<ReturnType<typeof testApp>>;
    beforeAll(async () => {
      app = await testApp(database, {
        countyCode: COUNTY,
        publicLoad: { perMinute: 5, maxInFlight: 0, maxEventLoopDelayMs: 0 },
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('answers the 6th quick public request from one address 429 with Retry-After and a Chinese message', async () => {
      const from = { remoteAddress: '10.7.0.1' };
      for (let i = 0; i < 5; i++) {
        const res = await app.raw.inject({ method: 'GET', url: notices, ...from });
        expect(res.statusCode, `request ${i + 1}`).toBe(200);
      }
      const over = await app.raw.inject({ method: 'GET', url: notices, ...from });
      expect(over.statusCode).toBe(429);
      const retryAfter = Number(over.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(over.json().error).toMatchObject({ code: 'rate_limited' });
      expect(over.json().error.message).toMatch(/访问过于频繁/);

      // One count over every public route: the pages and another notice route are refused too, as a page.
      const page = await app.raw.inject({ method: 'GET', url: `/public/notices?county=${COUNTY}`, ...from });
      expect(page.statusCode).toBe(429);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(page.body).toContain('访问过于频繁');
      const survey = await app.raw.inject({
        method: 'GET',
        url: '/public/surveys/abcdefghijklmnop',
        ...from,
      });
      expect(survey.statusCode).toBe(429);

      // Another address is counted apart.
      const other = await app.raw.inject({ method: 'GET', url: notices, remoteAddress: '10.7.0.2' });
      expect(other.statusCode).toBe(200);
    });

    it('does not limit signed-in staff routes from an address the public limiter has refused', async () => {
      const from = { remoteAddress: '127.0.0.1' };
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 7; i++) last = await app.raw.inject({ method: 'GET', url: notices, ...from });
      expect(last!.statusCode).toBe(429);
      // testApp's clients come from 127.0.0.1 as well.
      for (let i = 0; i < 12; i++) {
        const res = await app.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
        expect(res.statusCode, `staff request ${i + 1}`).toBe(200);
      }
      expect((await app.raw.inject({ method: 'GET', url: '/api/health', ...from })).statusCode).toBe(200);
    });
  });

  describe('load shedding', () => {
    it('answers 503 with Retry-After beyond the public requests in flight, and frees the slots after', async () => {
      const app = await testApp(database, {
        countyCode: COUNTY,
        publicLoad: { perMinute: 0, maxInFlight: 1, maxEventLoopDelayMs: 0 },
      });
      try {
        const burst = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            app.raw.inject({ method: 'GET', url: notices, remoteAddress: `10.8.0.${i + 1}` }),
          ),
        );
        const codes = burst.map((r) => r.statusCode);
        expect(codes).toContain(200);
        expect(codes).toContain(503);
        expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
        const shed = burst.find((r) => r.statusCode === 503)!;
        expect(Number(shed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(shed.json().error).toMatchObject({ code: 'overloaded' });
        expect(shed.json().error.message).toMatch(/请稍后再试/);
        // Staff work goes on while the public is shed.
        const staff = app.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
        const during = app.raw.inject({ method: 'GET', url: notices });
        expect((await staff).statusCode).toBe(200);
        await during;
        // Every slot came back: one at a time, each is answered.
        for (let i = 0; i < 4; i++) {
          expect((await app.raw.inject({ method: 'GET', url: notices })).statusCode).toBe(200);
        }
      } finally {
        await app.close();
      }
    });

    it('answers 503 with Retry-After while the event loop lags past the threshold', async () => {
      const app = await testApp(database, {
        countyCode: COUNTY,
        publicLoad: { perMinute: 0, maxInFlight: 0, maxEventLoopDelayMs: 1 },
      });
      try {
        const lagging = async () => {
          const until = Date.now() + 3000;
          while (Date.now() < until) {
            // Block the loop, then let the sampler run: the mean delay of the sample rises far past 1 ms.
            const stop = Date.now() + 300;
            while (Date.now() < stop) {}
            await new Promise((r) => setTimeout(r, 20));
            if (app.raw.memoryUsage().eventLoopDelay > 1) return true;
          }
          return false;
        };
        expect(await lagging()).toBe(true);
        const res = await app.raw.inject({ method: 'GET', url: `/public/notices?county=${COUNTY}` });
        expect(res.statusCode).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(res.body).toContain('访问人数较多');
      } finally {
        await app.close();
      }
    });
  });
});

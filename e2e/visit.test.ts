import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BrowserHandle, launchBrowser } from './helpers/browser.ts';
import { shot, signIn, watchErrors } from './helpers/session.ts';

const base = inject('appUrl');
let b: BrowserHandle;
beforeAll(async () => {
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
});

interface PairingJson {
  title: string;
  compliance: { done: number; required: number; level: string; levelLabel: string };
  visits: { id: number; content: string }[];
}

/** A leader on a phone, on the visit form of their first pairing. */
async function visitFormOnPhone() {
  const ctx = await b.context(360);
  const page = await ctx.newPage();
  await signIn(page, base, 'lingdao');
  await page.goto(`${base}/visits/new`);
  await page
    .getByRole('button', { name: /^选择 / })
    .first()
    .click();
  return { ctx, page };
}

describe('logging a visit on a phone', () => {
  it('a leader logs a visit offline; it is kept, sent when the connection returns, counted once, and the badge follows', async () => {
    const ctx = await b.context(360);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'lingdao');

    // Screen 1: my pairings, the contact point among them.
    await page.goto(`${base}/visits/new`);
    const first = page.getByRole('button', { name: /^选择 / }).first();
    await first.waitFor();
    await shot(page, 'visit-pick');
    const started = Date.now();
    await first.click();
    const id = Number(new URL(page.url()).searchParams.get('pairing'));
    expect(id).toBeGreaterThan(0);
    const before = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson;

    // Screen 2, with no signal: kind and date are filled in; a few words are enough.
    await page.getByLabel(/做了什么/).waitFor();
    await shot(page, 'visit-form');
    await ctx.setOffline(true);
    await page
      .getByText(/当前无网络/)
      .first()
      .waitFor();
    const words = `到村研究产业项目，走访困难党员2户（${Date.now()}）`;
    await page.getByLabel(/做了什么/).fill(words);
    await page.getByRole('button', { name: /保存在本机/ }).click();

    // Screen 3: kept on the phone, said plainly; the header counts it.
    await page.getByText('已保存在本机，尚未发送').waitFor();
    await page.getByText('待发送1').waitFor();
    await shot(page, 'visit-offline');
    const whileOffline = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson;
    expect(whileOffline.visits.some((v) => v.content === words)).toBe(false);

    // The connection returns: the draft is sent, and the screen says it is on the server.
    await ctx.setOffline(false);
    await page.getByText('已保存到服务器').first().waitFor({ timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(60_000);
    const after = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson;
    expect(after.visits.filter((v) => v.content === words)).toHaveLength(1);
    expect(after.compliance.done).toBe(before.compliance.done + 1);
    await page.getByText(`已走访 ${after.compliance.done}/${after.compliance.required}`).waitFor();
    await page.getByText(after.compliance.levelLabel).first().waitFor();
    await page.getByText('待发送1').waitFor({ state: 'detached' });
    await shot(page, 'visit-saved');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('when the connection only seems to be back (the first send fails), the kept visit goes with the next try', async () => {
    const { ctx, page } = await visitFormOnPhone();
    const id = Number(new URL(page.url()).searchParams.get('pairing'));
    await page.getByLabel(/做了什么/).waitFor();
    await ctx.setOffline(true);
    const words = `信号时有时无，到村召开联席会（${Date.now()}）`;
    await page.getByLabel(/做了什么/).fill(words);
    await page.getByRole('button', { name: /保存在本机/ }).click();
    await page.getByText('已保存在本机，尚未发送').waitFor();

    // The phone says it is online, but nothing gets through: the send on "online" fails.
    let refused = 0;
    await page.route('**/api/visits', (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    await ctx.setOffline(false);
    await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByText('待发送1').waitFor();

    // No second "online" event comes; the retry sends it once the network really carries.
    await page.unroute('**/api/visits');
    await page.getByText('已保存到服务器').first().waitFor({ timeout: 30_000 });
    const after = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson;
    expect(after.visits.filter((v) => v.content === words)).toHaveLength(1);
    await ctx.close();
  });

  it('the home page’s count follows a visit the outbox sends later, without a reload', async () => {
    const { ctx, page } = await visitFormOnPhone();
    const id = Number(new URL(page.url()).searchParams.get('pairing'));
    const before = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson;
    const { done, required } = before.compliance;
    // Moves inside the app, as its links do: with no signal a reload would not load at all.
    const go = (path: string) =>
      page.evaluate(`history.pushState({}, '', '${path}'); dispatchEvent(new PopStateEvent('popstate'))`);
    const card = page.locator('.ant-list-item', { hasText: before.title });

    // The user has seen 工作台 today, then logs a visit with no signal.
    await go('/');
    await card.getByText(`已走访 ${done}/${required}`).waitFor();
    await go(`/visits/new?pairing=${id}`);
    await page.getByLabel(/做了什么/).waitFor();
    await ctx.setOffline(true);
    await page.getByLabel(/做了什么/).fill(`离线登记后回到工作台（${Date.now()}）`);
    await page.getByRole('button', { name: /保存在本机/ }).click();
    await page.getByText('已保存在本机，尚未发送').waitFor();

    // Back on 工作台, still offline: the count it had.
    await go('/');
    await card.getByText(`已走访 ${done}/${required}`).waitFor();

    // The connection returns; the shell's outbox sends the visit and the card follows, no reload.
    await ctx.setOffline(false);
    const doneOnServer = async () =>
      ((await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as PairingJson).compliance.done;
    await expect.poll(doneOnServer, { timeout: 30_000 }).toBe(done + 1);
    await card.getByText(`已走访 ${done + 1}/${required}`).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    await ctx.close();
  });

  it('outcomes and problems go with the visit from the folded part of the form', async () => {
    const { ctx, page } = await visitFormOnPhone();
    const id = Number(new URL(page.url()).searchParams.get('pairing'));
    const words = `到村落实产业扶持资金（${Date.now()}）`;
    await page.getByLabel(/做了什么/).fill(words);
    await page.getByText('帮扶成效、问题与参加人员（选填）').click();
    await page.getByLabel('参加人员').click();
    await page.locator('.ant-select-item-option').first().click();
    await page.keyboard.press('Escape');
    await page.getByLabel('发现的问题').fill('灌溉水渠年久失修');
    await page.getByRole('button', { name: /添加成效/ }).click();
    await page.getByLabel('成效1的类别').click();
    await page.getByTitle('资金（元）').click();
    await page.getByLabel('成效1的数量').fill('5000');
    await page.getByLabel('成效1的说明').fill('修缮水渠');
    await shot(page, 'visit-outcomes');
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('已保存到服务器').first().waitFor({ timeout: 30_000 });
    const after = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as {
      visits: {
        content: string;
        problemsFound: string | null;
        participants: { id: number; name: string }[];
        outcomes: { unit: string; amount: number; note: string | null }[];
      }[];
    };
    const saved = after.visits.find((v) => v.content === words);
    expect(saved?.problemsFound).toBe('灌溉水渠年久失修');
    expect(saved?.participants).toHaveLength(1);
    expect(saved?.outcomes).toEqual([
      expect.objectContaining({ unit: 'yuan', amount: 5000, note: '修缮水渠' }),
    ]);

    // Within 30 days its author corrects it on the pairing's page; the outcome is kept.
    await page.goto(`${base}/pairings/${id}`);
    await page.getByText(/^走访记录（\d+）$/).click();
    const entry = page.locator('.ant-timeline-item', { hasText: words });
    await entry.getByRole('button', { name: /修改/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('做了什么').fill(`${words}，已验收`);
    await shot(page, 'visit-correct');
    await dialog.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('走访记录已修改').waitFor();
    const corrected = (await (await page.request.get(`${base}/api/pairings/${id}`)).json()) as typeof after;
    const again = corrected.visits.find((v) => v.content === `${words}，已验收`);
    expect(again?.outcomes).toEqual([expect.objectContaining({ unit: 'yuan', amount: 5000 })]);
    await ctx.close();
  });

  it('a visit with too few words is refused next to the field, and nothing is kept', async () => {
    const { ctx, page } = await visitFormOnPhone();
    await page.getByLabel(/做了什么/).fill('好');
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText('请写几句活动内容').waitFor();
    await page
      .getByText(/待发送/)
      .waitFor({ state: 'detached', timeout: 2_000 })
      .catch(() => {});
    expect(await page.getByText(/待发送/).count()).toBe(0);
    await ctx.close();
  });
});

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { BulletinQuery } from './schemas.ts';
import * as reports from './service.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** An RFC 6266/5987 attachment header: an ASCII fallback name and the UTF-8 name beside it. */
export const attachment = (fileName: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )}`;

/** Reports as files: the half-year bulletin (半年通报) as a Word document. */
export const reportRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/reports/bulletin',
      {
        schema: {
          tags: ['reports'],
          summary:
            '半年通报（Word文档，数据均取自记录；留痕）/ The half-year bulletin as a Word document, audited',
          description:
            '正式公文格式：标题、主送、开头段（结对总体数字）、分类别和分乡镇表格、典型做法、存在问题、下步要求、落款。/ Title, addressees, headline, tables by kind and township, good practice, problems, next steps, signature.',
          querystring: BulletinQuery,
          produces: [DOCX],
        },
      },
      async (req, reply) => {
        const { fileName, buffer } = await run(req, 'report.read', (ctx) => reports.bulletin(ctx, req.query));
        const q = req.query;
        return reply
          .header('Content-Type', DOCX)
          .header('Content-Disposition', attachment(fileName, `bulletin-${q.year}-H${q.half}.docx`))
          .header('Cache-Control', 'private, no-store')
          .header('X-Content-Type-Options', 'nosniff')
          .send(buffer);
      },
    );
  };

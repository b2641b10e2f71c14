import * as z from 'zod';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute } from '#shared/http/route.ts';
import { monthTrail } from '#storage/trail-store.ts';
import type { ApiDeps } from '../deps.ts';
import { trailEntrySchema } from '../schemas.ts';

const trailQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 yyyy-mm，月份 01–12')
    .describe('the month, Asia/Shanghai (yyyy-mm)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2000).optional().describe('the `cursor` of the previous page, as it was given'),
});

export const monthTrailRoute = defineRoute<ApiDeps, unknown, z.infer<typeof trailQuery>, unknown>({
  method: 'GET',
  path: '/trail',
  summary: "The month's trail: every change, who made it and why, before and after, oldest first",
  tags: ['trail'],
  roles: ['city'],
  query: trailQuery,
  response: z
    .object({
      month: z.string(),
      items: z.array(trailEntrySchema),
      cursor: z.string().optional().describe('opaque; absent after the last page'),
    })
    .meta({ id: 'TrailPage' }),
  errors: [400, 401, 403],
  handle: async ({ query, scope, deps }) => {
    const context: CursorContext = { route: `GET /trail?month=${query.month}`, scope };
    const opened = await openCursor(deps.store, context, query.cursor);
    const after = opened === undefined ? undefined : Buffer.from(opened, 'base64url').toString('utf8');
    const page = await monthTrail(deps.store, query.month, {
      limit: query.limit,
      ...(after === undefined ? {} : { after }),
    });
    const position =
      page.next === undefined ? undefined : Buffer.from(page.next, 'utf8').toString('base64url');
    const cursor = await sealCursor(deps.store, context, position);
    return { month: query.month, items: page.entries, ...(cursor === undefined ? {} : { cursor }) };
  },
});

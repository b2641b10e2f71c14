/**
 * `GET /counts`: per district, the active listings on each list and track, unclassified, overridden and
 * overdue, read from the district counters (a few items per shard, however many listings there are).
 */
import * as z from 'zod';
import { TRIAGE_LISTS } from '#domain/model.ts';
import { cityFigures, districtFigures } from '#domain/triage-counts.ts';
import { defineRoute } from '#shared/http/route.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import type { ApiDeps } from '../deps.ts';

const figures = {
  activeListings: z.number().int().describe('listings active or awaiting exit confirmation'),
  lists: z.object(Object.fromEntries(TRIAGE_LISTS.map((list) => [list, z.number().int()]))),
  unclassified: z.number().int().describe('activeListings less the listings on a list'),
  tracks: z.record(z.string(), z.number().int()).describe('listings per track (the override prevails)'),
  overridden: z.number().int().describe('listings whose list the designating department set'),
  overdue: z
    .number()
    .int()
    .describe(
      "listings without a plan or past its deadline, as of each listing's last triage, and the unclassified (they have no plan); the daily triage job re-triages a listing the day after its deadline, so the figure is current from that run on",
    ),
};

const triageFiguresSchema = z.object(figures).meta({ id: 'TriageFigures' });

const districtFiguresSchema = z
  .object({ district: z.string(), districtName: z.string(), ...figures })
  .meta({ id: 'DistrictTriageFigures' });

export const countsRoute = defineRoute<ApiDeps, unknown, unknown, unknown>({
  method: 'GET',
  path: '/counts',
  summary:
    "Triage counts per district: on each list and track, unclassified, overridden, overdue (as of each listing's last triage; the daily job keeps it current)",
  tags: ['counts'],
  roles: ['city', 'district'],
  response: z
    .object({
      districts: z
        .array(districtFiguresSchema)
        .describe('the city: every district; a district office: its own'),
      city: triageFiguresSchema.optional().describe('the sum over the districts (the city only)'),
    })
    .meta({ id: 'TriageCounts' }),
  errors: [401, 403],
  handle: async ({ scope, deps }) => {
    const counters = await readCurrentCounters(deps.store);
    if (scope.role === 'district')
      return { districts: districtFigures(counters, [scope.district as string]) };
    const districts = districtFigures(counters);
    return { districts, city: cityFigures(districts) };
  },
});

/**
 * Exits through the exits handler with real HTTP API v2 events: listings seeded by the store's own
 * paths, requests with the tokens of the three offices, and the bodies a valid submission takes.
 */
import { addDays } from '#domain/calendar-dates.ts';
import { planRecordListing, planRegistryUpdate } from '#domain/changes.ts';
import { type ListType, type RegistrationStatus, shanghaiDate } from '#domain/model.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { encodeListingId } from '#storage/keys.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { createExitsHandler, type ExitsDeps } from '../../functions/exits/create-handler.ts';
import { httpEvent, testContext } from './http-events.ts';

export const COURT = '长安区人民法院';
export const TAX = '国家税务总局石家庄市长安区税务局';
export const TODAY = shanghaiDate(new Date());
export const SEEDER: ChangedBy = { principal: 'seed', role: 'city', cause: { kind: 'system', id: 'seed' } };

/** A valid enterprise USCC (both checks pass) for each number. */
export function usccOf(index: number): string {
  const body = String(index).padStart(8, '0');
  const first17 = `91130102${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

export interface SeededListing {
  readonly uscc: string;
  readonly ref: ListingRef;
  readonly listingId: string;
}

/** A listed subject with one active listing of `department`, written as an import writes it. */
export async function seedListing(
  deps: StoreDeps,
  index: number,
  options: {
    district?: string;
    listType?: ListType;
    department?: string;
    listedAt?: string;
    /** @default 'deregistered' (rule E1: a direct exit) */
    registrationStatus?: RegistrationStatus;
  } = {},
): Promise<SeededListing> {
  const uscc = usccOf(index);
  const listType = options.listType ?? 'court-debtor';
  const ref = { uscc, listType, key: `(2025)冀0102执${index}号` };
  await changeSubject(
    deps,
    uscc,
    ref,
    SEEDER,
    planRecordListing(
      {
        uscc,
        name: `石家庄某某${index}有限公司`,
        district: options.district ?? '130102',
        districtSource: 'column',
      },
      {
        listType,
        key: ref.key,
        department: options.department ?? COURT,
        listedAt: options.listedAt ?? addDays(TODAY, -100),
        reason: '违反财产报告制度',
        performance: 'none',
        source: 'test',
      },
      () => {},
    ),
  );
  await changeSubject(
    deps,
    uscc,
    undefined,
    SEEDER,
    planRegistryUpdate(
      { registrationStatus: options.registrationStatus ?? 'deregistered', flags: {} },
      () => {},
    ),
  );
  return { uscc, ref, listingId: encodeListingId(uscc, listType, ref.key) };
}

/** A valid request body of a deregistered subject's exit (without `listingId`). */
export function exitRequest(overrides: Record<string, unknown> = {}) {
  return {
    reason: 'deregistered',
    effectiveDate: TODAY,
    evidence: [{ kind: 'registry-record', ref: '石市监注销字〔2026〕第12号' }],
    publicationRevoked: { system: '中国执行信息公开网', date: TODAY },
    ...overrides,
  };
}

export type ExitJson = Record<string, unknown> & {
  exitId: string;
  status: string;
  code?: string;
  detail?: string;
  rounds: Record<string, unknown>[];
  errors?: unknown;
};

export interface ExitsClient {
  call(
    routeKey: string,
    claims: Record<string, string>,
    options?: { exitId?: string; body?: unknown },
  ): Promise<{ statusCode: number; json: ExitJson }>;
}

/** Calls the exits handler as API Gateway would, with the claims of a verified token. */
export function exitsClient(deps: ExitsDeps): ExitsClient {
  const handler = createExitsHandler(deps);
  return {
    async call(routeKey, claims, options = {}) {
      const path = (routeKey.split(' ')[1] ?? '').replace('{exitId}', options.exitId ?? '');
      const result = (await handler(
        httpEvent({
          routeKey,
          path,
          ...(options.exitId === undefined ? {} : { pathParameters: { exitId: options.exitId } }),
          claims,
          body: options.body,
        }),
        testContext,
      )) as { statusCode: number; body: string };
      return { statusCode: result.statusCode, json: JSON.parse(result.body) as ExitJson };
    },
  };
}

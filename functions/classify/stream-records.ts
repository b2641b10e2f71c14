/**
 * What a batch of the table's stream asks of triage: the listings whose facts changed (by whatever path),
 * the subjects whose registry facts changed (all their listings), the re-triage runs to move on, and
 * rule-table changes (a run over everything). Pure: reads only the records.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ListType } from '#domain/model.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangeCause } from '#domain/trail.ts';
import { TRIAGE_PRINCIPAL } from '#storage/triage-store.ts';

/** The item types whose changes reach the classify function (the event source mapping's filter). */
export const TRIAGE_STREAM_TYPES = ['listing', 'subject', 'triage-job', 'campaign'] as const;

/** The subject's facts the rules read: a change of any of them re-triages all its listings. */
const SUBJECT_TRIAGE_FACTS = ['registrationStatus', 'movedTo', 'flags', 'district'] as const;

export type TriageRequest =
  | { readonly kind: 'listing'; readonly ref: ListingRef; readonly cause: ChangeCause }
  | { readonly kind: 'subject'; readonly uscc: string; readonly cause: ChangeCause }
  | { readonly kind: 'job'; readonly jobId: string; readonly slices: number }
  | { readonly kind: 'rules'; readonly version: string; readonly cause: ChangeCause };

type Image = Record<string, unknown>;

function imageOf(image: Record<string, unknown> | undefined): Image | undefined {
  return image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);
}

function causeOf(image: Image, record: DynamoDBRecord): ChangeCause {
  const changedBy = image.changedBy as { cause?: ChangeCause } | undefined;
  return changedBy?.cause ?? { kind: 'system', id: record.eventID ?? 'stream' };
}

function principalOf(image: Image): string | undefined {
  return (image.changedBy as { principal?: string } | undefined)?.principal;
}

function sameFacts(before: Image, after: Image): boolean {
  return SUBJECT_TRIAGE_FACTS.every((name) => JSON.stringify(before[name]) === JSON.stringify(after[name]));
}

function ruleTableVersion(image: Image | undefined): string | undefined {
  const table = image?.ruleTable as { version?: unknown } | undefined;
  return typeof table?.version === 'string' ? table.version : undefined;
}

/** The triage one stream record asks for, if any. */
export function requestOf(record: DynamoDBRecord): TriageRequest | undefined {
  const after = imageOf(record.dynamodb?.NewImage);
  if (after === undefined) return undefined;
  const before = imageOf(record.dynamodb?.OldImage);
  switch (after.type) {
    case 'listing':
      // triage's own writes ask for nothing: what it wrote is what the rules say now
      if (principalOf(after) === TRIAGE_PRINCIPAL) return undefined;
      return {
        kind: 'listing',
        ref: { uscc: String(after.uscc), listType: after.listType as ListType, key: String(after.key) },
        cause: causeOf(after, record),
      };
    case 'subject':
      // a new subject arrives with its listings, which ask for themselves
      if (before === undefined || sameFacts(before, after)) return undefined;
      return { kind: 'subject', uscc: String(after.uscc), cause: causeOf(after, record) };
    case 'triage-job':
      if (after.status === 'succeeded') return undefined;
      return { kind: 'job', jobId: String(after.jobId), slices: Number(after.slices ?? 0) };
    case 'campaign': {
      const version = ruleTableVersion(after);
      if (version === undefined || version === ruleTableVersion(before)) return undefined;
      return { kind: 'rules', version, cause: causeOf(after, record) };
    }
    default:
      return undefined;
  }
}

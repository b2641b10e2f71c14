/**
 * A buffer of rows read and checked before anything is written: what can be written (subjects known
 * by USCC, organisation codes matched), the counts so far, and the problems to report.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { indexPartitions } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { GSI } from '#storage/table-definition.ts';
import { emptyCounts, type RowError } from './model.ts';
import type { ReadyRow } from './ready-row.ts';
import { interpretRow, type RowIdentity, type RowOutcome } from './row-rules.ts';
import type { NumberedRow } from './row-stream.ts';

/** Matches older lists' organisation codes to the USCC of a subject we know. */
export class OrgCodeResolver {
  private readonly cache = new Map<string, string | undefined>();
  constructor(private readonly store: StoreDeps) {}

  async resolve(orgCode: string): Promise<string | undefined> {
    if (this.cache.has(orgCode)) return this.cache.get(orgCode);
    const result = await this.store.client.send(
      new QueryCommand({
        TableName: this.store.tableName,
        IndexName: GSI.byOrgCode.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI.byOrgCode.partitionKey },
        ExpressionAttributeValues: { ':pk': indexPartitions.subjectsOfOrgCode(orgCode) },
        ProjectionExpression: 'uscc',
        Limit: 2,
      }),
    );
    const matches = (result.Items ?? []).map((item) => String(item.uscc));
    const uscc = matches.length === 1 ? matches[0] : undefined;
    this.cache.set(orgCode, uscc);
    return uscc;
  }
}

/** The error of a row whose organisation code matches no subject we know (or several). */
function unmatchedOrgCode({ row, context }: NumberedRow, identity: RowIdentity): RowError {
  return {
    sheet: row.sheet,
    sheetIndex: context.sheetIndex,
    line: row.line,
    field: 'uscc',
    message: '该组织机构代码未匹配到系统中已有主体的统一社会信用代码，请补充统一社会信用代码',
    severity: 'error',
    value: 'orgCode' in identity ? identity.orgCode : '',
  };
}

/** A registry row ready to write, its subject known by USCC. */
function registryRow(outcome: Extract<RowOutcome, { kind: 'registry' }>, uscc: string): ReadyRow {
  return {
    kind: 'registry',
    uscc,
    facts: {
      ...(outcome.name === undefined ? {} : { name: outcome.name }),
      ...(outcome.district === undefined ? {} : { district: outcome.district.code }),
      ...(outcome.registrationStatus === undefined ? {} : { registrationStatus: outcome.registrationStatus }),
      ...(outcome.movedTo === undefined ? {} : { movedTo: outcome.movedTo }),
      flags: outcome.flags,
    },
  };
}

/**
 * Reads a buffer's rows: what can be written, the counts so far, and the errors to report. A row that
 * lists again what an earlier row lists counts as a duplicate and is not written again: within the
 * buffer by its natural key, further back as `repeated` says (from the scan of the whole file).
 */
export async function prepareRows(
  group: readonly NumberedRow[],
  orgCodes: OrgCodeResolver,
  importId: string,
  repeated: (ordinal: number) => boolean = () => false,
) {
  const counts = emptyCounts();
  const errors: RowError[] = [];
  const ready: ReadyRow[] = [];
  const seenInGroup = new Set<string>();
  for (const { row, context, ordinal } of group) {
    counts.rows += 1;
    const outcome: RowOutcome = interpretRow(row, context);
    if (outcome.kind === 'person') {
      counts.personsSkipped += 1;
      errors.push(outcome.error);
      continue;
    }
    if (outcome.kind === 'invalid') {
      counts.rejected += 1;
      errors.push(...outcome.errors);
      continue;
    }
    counts.warnings += outcome.warnings.length;
    errors.push(...outcome.warnings);
    if (outcome.kind === 'count') {
      counts.accepted += 1;
      ready.push(outcome);
      continue;
    }
    const uscc =
      'uscc' in outcome.identity ? outcome.identity.uscc : await orgCodes.resolve(outcome.identity.orgCode);
    if (uscc === undefined) {
      counts.rejected += 1;
      errors.push(unmatchedOrgCode({ row, context, ordinal }, outcome.identity));
      continue;
    }
    counts.accepted += 1;
    if (outcome.kind === 'registry') {
      ready.push(registryRow(outcome, uscc));
      continue;
    }
    const naturalKey = `${uscc}#${outcome.listing.listType}#${outcome.listing.key}`;
    if (seenInGroup.has(naturalKey) || repeated(ordinal)) {
      counts.duplicateRows += 1;
      continue;
    }
    seenInGroup.add(naturalKey);
    if (outcome.subject.districtSource === 'unassigned') counts.unassigned += 1;
    ready.push({
      kind: 'listing',
      subject: { uscc, ...outcome.subject },
      listing: { ...outcome.listing, importId },
    });
  }
  return { ready, counts, errors };
}

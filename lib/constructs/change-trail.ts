/**
 * The change trail in the stack: the trail function on the table's stream, with its failure queue and
 * alarm. Its constructs sit directly in the stack (`Trail`, `TrailFailureQueue`), so their paths and
 * logical ids stay as the stack's acknowledgements name them.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { TRAIL_STREAM_PARALLELIZATION } from '#shared/limits.ts';
import { JobFunction } from './job-function.ts';
import { consumeTableStream } from './stream-consumer.ts';

/** The trail: the table's stream, filtered to audited item types (so never the trail's own entries). */
export function addChangeTrail(
  scope: Construct,
  table: dynamodb.ITable,
  props: Pick<ConstructorParameters<typeof JobFunction>[2], 'entry' | 'logRetention' | 'tracing'>,
  alarmTopic: sns.ITopic,
): JobFunction {
  const trail = new JobFunction(scope, 'Trail', {
    ...props,
    description: 'Change trail: one entry per change of an audited item, from the table stream',
    timeout: Duration.minutes(1),
    // Measured (npm run bench, 100 000-row push): the trail's process peaks at 333 MB RSS under tsx
    // with an uncapped heap while it follows the whole import; its bundle alone loads in 68 MB.
    memorySize: 512,
  }).bindTable(table, 'readWrite');
  consumeTableStream(scope, trail.function, table, {
    id: 'Trail',
    types: AUDITED_TYPES,
    parallelizationFactor: TRAIL_STREAM_PARALLELIZATION,
    alarmDescription:
      'Stream records the trail could not write after its retries: replay them from the queued position.',
    alarmTopic,
  });
  return trail;
}

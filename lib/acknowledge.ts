/**
 * cdk-nag 3 findings are acknowledged through CDK's `Validations.of(construct).acknowledge()`. We name
 * the construct by its path below the stack so that every acknowledgement says exactly what it covers,
 * and a path that no longer exists fails the build instead of silently acknowledging nothing.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One acknowledged cdk-nag finding. */
export interface NagAcknowledgement {
  /** Construct path below `scope`, e.g. `Api/Role/DefaultPolicy/Resource`. */
  readonly path: string;
  /** Rule id, with the finding for granular rules: `AwsSolutions-IAM5[Resource::<DropBucket1234.Arn>/incoming/*]`. */
  readonly id: string;
  /** Why the finding is acceptable here: written for the reviewer, not for the tool. */
  readonly reason: string;
}

/** Finds the construct at `path` below `scope`; throws when any segment is missing. */
export function constructAt(scope: IConstruct, path: string): IConstruct {
  return path.split('/').reduce<IConstruct>((node, segment) => {
    const child = node.node.tryFindChild(segment);
    if (child === undefined) {
      throw new Error(`no construct at ${scope.node.path}/${path} (missing "${segment}")`);
    }
    return child;
  }, scope);
}

/** Acknowledges each finding on the construct at its path. */
export function acknowledgeByPath(scope: IConstruct, acknowledgements: readonly NagAcknowledgement[]): void {
  for (const { path, id, reason } of acknowledgements) {
    Validations.of(constructAt(scope, path)).acknowledge({ id, reason });
  }
}

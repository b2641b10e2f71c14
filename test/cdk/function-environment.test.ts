/**
 * Each function is given exactly the variables its config schema reads: none it would not read (a
 * variable nobody parses is configuration that drifts), and every one it cannot start without (it would
 * fail its cold start). Runtime variables of Node itself (NODE_OPTIONS) are not configuration.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentNames } from '#shared/config.ts';
import { API_ENVIRONMENT } from '../../functions/api/config.ts';
import { CLASSIFY_ENVIRONMENT } from '../../functions/classify/config.ts';
import { EVALUATE_ENVIRONMENT } from '../../functions/evaluate/config.ts';
import { EXITS_ENVIRONMENT } from '../../functions/exits/config.ts';
import { IMPORT_ENVIRONMENT } from '../../functions/import/config.ts';
import { TRAIL_ENVIRONMENT } from '../../functions/trail/config.ts';
import type { CreditGovernanceStack } from '../../lib/credit-governance-stack.ts';
import { buildStack } from './build-stack.ts';

/** What each function's config module reads, by job. */
const ENVIRONMENTS: Record<string, EnvironmentNames> = {
  api: API_ENVIRONMENT,
  exits: EXITS_ENVIRONMENT,
  import: IMPORT_ENVIRONMENT,
  classify: CLASSIFY_ENVIRONMENT,
  evaluate: EVALUATE_ENVIRONMENT,
  trail: TRAIL_ENVIRONMENT,
};

const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);

describe('function environments', () => {
  let stack: CreditGovernanceStack;
  let template: Template;

  beforeAll(() => {
    stack = buildStack();
    template = Template.fromStack(stack);
  });

  function givenTo(job: keyof CreditGovernanceStack['jobs']): string[] {
    const fn = stack.jobs[job].function;
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as never);
    const variables = template.toJSON().Resources[logicalId].Properties.Environment?.Variables ?? {};
    return Object.keys(variables)
      .filter((name) => !RUNTIME_VARIABLES.has(name))
      .sort();
  }

  it('knows the config schema of every function of the stack', () => {
    expect(Object.keys(stack.jobs).sort()).toEqual(Object.keys(ENVIRONMENTS).sort());
  });

  it.each(Object.keys(ENVIRONMENTS))(
    'gives %s every variable it requires and none it does not read',
    (job) => {
      // Prepare
      const environment = ENVIRONMENTS[job] as EnvironmentNames;
      // Act
      const given = givenTo(job as keyof CreditGovernanceStack['jobs']);
      // Assess
      expect(
        given.filter((name) => !environment.reads.includes(name)),
        'set but never read',
      ).toEqual([]);
      expect(
        environment.requires.filter((name) => !given.includes(name)),
        'required but not set',
      ).toEqual([]);
    },
  );

  it('requires the import queue of the worker, so chunks never silently run inline', () => {
    expect(IMPORT_ENVIRONMENT.requires).toContain('IMPORT_QUEUE_URL');
  });
});

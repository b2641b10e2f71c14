/**
 * cdk-nag's AWS Solutions pack finds nothing unacknowledged, in every shape the stack can take, and every
 * acknowledgement carries a written reason. cdk-nag 3 is a policy-validation plugin: it reports
 * violations (not annotations) and is registered with `Validations.of(app).addPlugins()`.
 */
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { CreditGovernanceStackProps } from '../../lib/credit-governance-stack.ts';
import { buildStack, testApp } from './build-stack.ts';

const VARIANTS: Record<string, CreditGovernanceStackProps> = {
  default: {},
  'external issuer': { jwtIssuer: 'https://idp.example.gov.cn/realms/credit', jwtAudience: ['credit-api'] },
  'tracing, CORS and an alarm address': {
    tracing: true,
    corsAllowOrigins: ['https://credit.example.gov.cn'],
    alarmEmail: 'ops@example.gov.cn',
  },
};

/** `ruleName → construct paths` of every violation of one severity. */
function violations(scope: IConstruct, severity: 'error' | 'warning'): Record<string, string[]> {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return Object.fromEntries(
    report.violations
      .filter((violation) => violation.severity === severity)
      .map((violation) => [
        violation.ruleName,
        violation.violatingResources.map((resource) => resource.constructPath ?? ''),
      ]),
  );
}

describe('cdk-nag AwsSolutions', () => {
  for (const [name, props] of Object.entries(VARIANTS)) {
    it(`reports no error and no warning (${name})`, () => {
      // Prepare
      const stack = buildStack(props);

      // Act
      const errors = violations(stack, 'error');
      const warnings = violations(stack, 'warning');

      // Assess
      expect(errors).toEqual({});
      expect(warnings).toEqual({});
    });
  }

  it('lets the app synthesize with the pack registered as bin/app.ts does, with no annotation left', () => {
    // Prepare
    const app = testApp();
    const stack = buildStack({}, app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

    // Act: synthesis runs the plugin and throws on any violation.
    const annotations = Annotations.fromStack(stack);

    // Assess
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('fails synthesis on a finding nobody acknowledged', async () => {
    // Prepare
    const app = testApp();
    const stack = buildStack({}, app);
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    new Queue(stack, 'QueueWithoutDlqOrTls');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('gives every acknowledgement a written reason', () => {
    // Prepare
    const stack = buildStack({ tracing: true });

    // Act
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
      );

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});

/**
 * The cdk-nag findings this stack accepts, each by path with the reason it is right here. Anything else
 * cdk-nag finds fails synthesis (`bin/app.ts`) and the tests (`test/cdk/nag.test.ts`).
 */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { DROP_PREFIX } from '#shared/drop-folder.ts';
import { acknowledgeByPath } from './acknowledge.ts';

export function acknowledgeStackFindings(
  stack: Stack,
  resources: {
    readonly bucket: s3.IBucket;
    readonly evaluate: lambda.IFunction;
    readonly classify: lambda.IFunction;
  },
): void {
  const { bucket, evaluate, classify } = resources;
  const ref = (construct: IConstruct) =>
    `<${stack.getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
  const objects = (pattern: string) => `AwsSolutions-IAM5[Resource::${ref(bucket)}/${pattern}]`;
  acknowledgeByPath(stack, [
    {
      path: 'Api/Role/DefaultPolicy/Resource',
      id: objects(`${DROP_PREFIX.incoming}*`),
      reason:
        'The API signs presigned PUT URLs for uploads to incoming/<source>/<importId>/<file>; the key is new for every import, so only the prefix can be fixed.',
    },
    {
      path: 'Api/Role/DefaultPolicy/Resource',
      id: objects(`${DROP_PREFIX.reports}*`),
      reason:
        'The API serves the evaluation reports of any month (reports/<month>/...) in several formats; only the prefix can be fixed, and scope is checked in the handler before a report is read.',
    },
    {
      path: 'Exits/Role/DefaultPolicy/Resource',
      id: objects(`${DROP_PREFIX.evidence}*`),
      reason:
        'The exits function signs presigned PUT URLs for evidence files (evidence/<department>/<uploadId>/<file>, a new key for every upload) and reads them back to check their SHA-256 when a submission names them; only the prefix can be fixed.',
    },
    {
      path: 'Evaluate/Role/DefaultPolicy/Resource',
      id: objects(`${DROP_PREFIX.reports}*`),
      reason:
        'The monthly run writes the reports of the month it evaluates (reports/<month>/..., CSV, XLSX, HTML); the month is only known at run time.',
    },
    {
      path: 'Import/Role/DefaultPolicy/Resource',
      id: objects('*'),
      reason:
        'The import worker owns the life of every drop-folder file: it reads a file under incoming/<source>/ with whatever name the sender gave it, moves it to processed/ or rejected/ (copy, then delete) and may split it into chunks.',
    },
    {
      path: 'MonthlyEvaluationRole/DefaultPolicy/Resource',
      id: `AwsSolutions-IAM5[Resource::${ref(evaluate)}:*]`,
      reason:
        "The LambdaInvoke schedule target grants through IFunction.grantInvoke, which adds the function's versions and aliases (:*); it is still only the evaluate function.",
    },
    {
      path: 'Trail/Role/DefaultPolicy/Resource',
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "DynamoEventSource grants dynamodb:ListStreams on '*' (the action takes no resource); reading the records is granted on the table's stream ARN only.",
    },
    {
      path: 'TrailFailureQueue/Resource',
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the trail's on-failure destination: it holds the positions of stream batches that kept failing, for a replay; it is the end of the line and has an alarm, so a queue behind it would only hide them.",
    },
    {
      path: 'DailyTriageRole/DefaultPolicy/Resource',
      id: `AwsSolutions-IAM5[Resource::${ref(classify)}:*]`,
      reason:
        "The LambdaInvoke schedule target grants through IFunction.grantInvoke, which adds the function's versions and aliases (:*); it is still only the classify function.",
    },
    {
      path: 'Classify/Role/DefaultPolicy/Resource',
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "DynamoEventSource grants dynamodb:ListStreams on '*' (the action takes no resource); reading the records is granted on the table's stream ARN only.",
    },
    {
      path: 'ClassifyFailureQueue/Resource',
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is triage's on-failure destination: it holds the positions of stream batches that kept failing, for a replay; it is the end of the line and has an alarm, so a queue behind it would only hide them.",
    },
    {
      path: 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource',
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own deploy-time custom resource that writes the bucket's notification configuration (S3 → import queue); the managed policy only lets it write its own logs, and it runs only during deployments.",
    },
  ]);
}

/** The singleton function of CDK's BucketDeployment, shared by the console's two deployments. */
const BUCKET_DEPLOYMENT_HANDLER = 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C';

/** The findings of the console's site (`constructs/console-site.ts`), present only where it is deployed. */
export function acknowledgeConsoleFindings(
  stack: Stack,
  site: { readonly bucket: s3.IBucket; readonly customCertificate: boolean },
): void {
  const bucketArn = `<${stack.getLogicalId(site.bucket.node.defaultChild as CfnElement)}.Arn>`;
  const deployment = `${BUCKET_DEPLOYMENT_HANDLER}/ServiceRole/DefaultPolicy/Resource`;
  const deploymentWildcard = (finding: string) => ({
    path: deployment,
    id: `AwsSolutions-IAM5[${finding}]`,
    reason:
      "CDK's BucketDeployment copies the console's build from the CDK asset bucket into the console bucket and invalidates the distribution: it grants itself read on the asset objects, write and delete on the console bucket's objects (file names are the build's) and CloudFront invalidations (which take no resource); it runs only during deployments.",
  });
  acknowledgeByPath(stack, [
    ...(site.customCertificate
      ? []
      : [
          {
            path: 'Console/Distribution/Resource',
            id: 'AwsSolutions-CFR4',
            reason:
              "Without a domain of the city's own the console is served on *.cloudfront.net with CloudFront's default certificate, whose minimum protocol CloudFront fixes at TLSv1; give the stack a console domain and certificate (console.domain) and the distribution requires TLSv1.2_2021.",
          },
        ]),
    {
      path: 'Console/Distribution/Resource',
      id: 'AwsSolutions-CFR1',
      reason:
        'The console is static files that hold no data; every call for data goes to the API, which checks a token from the user pool. Offices and their staff sign in from wherever they work, so no country is shut out at the edge.',
    },
    {
      path: 'Console/Distribution/Resource',
      id: 'AwsSolutions-CFR2',
      reason:
        "The distribution serves only the console's static files (GET and HEAD); the data is behind the API's JWT authorizer and stage throttling. A WAF web ACL for CloudFront lives in us-east-1, outside this stack; attach one there if the city's security office requires it.",
    },
    {
      path: `${BUCKET_DEPLOYMENT_HANDLER}/ServiceRole/Resource`,
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own deploy-time function that copies the console's build into its bucket; the managed policy only lets it write its own logs, and it runs only during deployments.",
    },
    {
      path: BUCKET_DEPLOYMENT_HANDLER,
      id: 'AwsSolutions-L1',
      reason:
        "CDK's BucketDeployment picks its handler's Python runtime (it bundles the AWS CLI layer for it); it moves forward with aws-cdk-lib, and the function runs only during deployments.",
    },
    deploymentWildcard('Action::s3:GetBucket*'),
    deploymentWildcard('Action::s3:GetObject*'),
    deploymentWildcard('Action::s3:List*'),
    deploymentWildcard('Action::s3:Abort*'),
    deploymentWildcard('Action::s3:DeleteObject*'),
    deploymentWildcard(
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    ),
    deploymentWildcard(`Resource::${bucketArn}/*`),
    deploymentWildcard('Resource::*'),
  ]);
}

/**
 * `npx tsx scripts/create-user.ts --pool <id> --role district --district 130102 --email …`: creates a
 * user of the stack's Cognito pool with the claims the handlers read (`custom:role`, `custom:district`,
 * `custom:department`, see functions/shared/auth.ts), puts it in its role's group, and lets Cognito
 * mail the Chinese invitation with a temporary password. Runs with the operator's AWS credentials
 * (cognito-idp:AdminCreateUser and AdminAddUserToGroup on the pool).
 */
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  type AdminAddUserToGroupCommandInput,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeDepartment, ROLES, type Role } from '#shared/auth.ts';

const USAGE = `usage: npx tsx scripts/create-user.ts --pool <user pool id> --role <role> --email <address>
         [--district CODE] [--department NAME] [--name NAME] [--username NAME] [--dry-run]
  --pool        the UserPoolId output of the stack, e.g. cn-north-1_AbCdEf123 (its region is used)
  --role        district | department (also city, consumer)
  --district    six-digit district code: required for district, optional for department
  --department  the department's name as the lists carry it (认定部门): required for department
  --email       where the invitation goes; the user signs in with it
  --name        the person's name, shown in the web app
  --username    default: <role>[-<district>]-<local part of the email>
  --dry-run     print the AdminCreateUser input instead of sending it`;

/** The command line is wrong; the message says how. */
export class CreateUserUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreateUserUsageError';
  }
}

export interface CreateUserRequest {
  readonly userPoolId: string;
  /** The pool's region, read from its id. */
  readonly region: string;
  readonly role: Role;
  readonly district?: string;
  /** Normalised as the lists carry it, so `ownsListing` matches. */
  readonly department?: string;
  readonly email: string;
  readonly username: string;
  readonly name?: string;
  readonly dryRun: boolean;
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;
const DISTRICT_CODE = /^\d{6}$/;
// Enough to catch a slip of the pen; Cognito and the mail server judge the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The department attribute's maximum length in the pool (lib/constructs/user-directory.ts). */
const DEPARTMENT_MAX_LENGTH = 128;

/**
 * A username the pool accepts: with email as a sign-in alias the username may not look like an address,
 * so it is built from the role, the district and the address's local part.
 */
export function defaultUsername(role: Role, email: string, district: string | undefined): string {
  const local = (email.split('@')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/[a-z0-9]/.test(local))
    throw new CreateUserUsageError(`cannot make a username from ${email}: give --username`);
  return [role, district, local].filter((part) => part !== undefined).join('-');
}

function required(value: string | undefined, option: string): string {
  const text = value?.trim();
  if (text === undefined || text === '') throw new CreateUserUsageError(`${option} is required`);
  return text;
}

function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text))
    throw new CreateUserUsageError(`--role must be one of ${ROLES.join(', ')}, not "${text}"`);
  return text as Role;
}

/** The district and department a role takes, refusing what its scope would not use. */
function scopeOf(
  role: Role,
  districtText: string | undefined,
  departmentText: string | undefined,
): { district?: string; department?: string } {
  const district = districtText?.trim();
  if (district !== undefined && !DISTRICT_CODE.test(district))
    throw new CreateUserUsageError(`--district must be a six-digit code, not "${district}"`);
  const department = departmentText === undefined ? undefined : normalizeDepartment(departmentText);
  if (department !== undefined && department.length > DEPARTMENT_MAX_LENGTH)
    throw new CreateUserUsageError(`--department is longer than ${DEPARTMENT_MAX_LENGTH} characters`);
  switch (role) {
    case 'district':
      if (district === undefined) throw new CreateUserUsageError('the district role needs --district');
      if (department !== undefined) throw new CreateUserUsageError('the district role takes no --department');
      return { district };
    case 'department':
      if (department === undefined || department === '')
        throw new CreateUserUsageError('the department role needs --department');
      return { department, ...(district === undefined ? {} : { district }) };
    default:
      // a city or consumer token with a district would be scoped in a way nobody asked for
      if (district !== undefined || department !== undefined)
        throw new CreateUserUsageError(`the ${role} role takes neither --district nor --department`);
      return {};
  }
}

/** Turns the command line into a request, or throws a CreateUserUsageError. */
export function parseCreateUserArgs(args: readonly string[]): CreateUserRequest {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(args);
  } catch (error) {
    throw new CreateUserUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    throw new CreateUserUsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const userPoolId = required(values.pool, '--pool');
  const region = POOL_ID.exec(userPoolId)?.[1];
  if (region === undefined)
    throw new CreateUserUsageError(
      `--pool must be a user pool id like cn-north-1_AbC123, not "${userPoolId}"`,
    );
  const role = parseRole(required(values.role, '--role'));
  const scope = scopeOf(role, values.district, values.department);
  const email = required(values.email, '--email');
  if (!EMAIL.test(email)) throw new CreateUserUsageError(`--email must be an address, not "${email}"`);
  const username = values.username?.trim() || defaultUsername(role, email, scope.district);
  if (EMAIL.test(username))
    throw new CreateUserUsageError('--username may not look like an address: users sign in with --email');
  const name = values.name?.trim();
  return {
    userPoolId,
    region,
    role,
    ...scope,
    email,
    username,
    ...(name ? { name } : {}),
    dryRun: values['dry-run'] === true,
  };
}

function parseWithNode(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      pool: { type: 'string' },
      role: { type: 'string' },
      district: { type: 'string' },
      department: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      username: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
}

/**
 * The AdminCreateUser call: the scope attributes set by the administrator (the web client cannot write
 * them), the address taken as verified because the office gave it, the invitation by email.
 */
export function adminCreateUserInput(request: CreateUserRequest): AdminCreateUserCommandInput {
  const attributes: Record<string, string | undefined> = {
    email: request.email,
    email_verified: 'true',
    name: request.name,
    'custom:role': request.role,
    'custom:district': request.district,
    'custom:department': request.department,
  };
  return {
    UserPoolId: request.userPoolId,
    Username: request.username,
    UserAttributes: Object.entries(attributes)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([Name, Value]) => ({ Name, Value })),
    DesiredDeliveryMediums: ['EMAIL'],
  };
}

/** The role's group (lib/constructs/user-directory.ts), so the city can list who holds each role. */
export function addToGroupInput(request: CreateUserRequest): AdminAddUserToGroupCommandInput {
  return { UserPoolId: request.userPoolId, Username: request.username, GroupName: request.role };
}

/** What the script needs of the SDK client; a test passes a recorder. */
export interface CognitoSender {
  send(command: AdminCreateUserCommand | AdminAddUserToGroupCommand): Promise<unknown>;
}

/** Creates the user, then adds it to its role's group. */
export async function createOfficeUser(client: CognitoSender, request: CreateUserRequest): Promise<void> {
  await client.send(new AdminCreateUserCommand(adminCreateUserInput(request)));
  await client.send(new AdminAddUserToGroupCommand(addToGroupInput(request)));
}

async function main(): Promise<void> {
  let request: CreateUserRequest;
  try {
    request = parseCreateUserArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CreateUserUsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (request.dryRun) {
    const calls = {
      AdminCreateUser: adminCreateUserInput(request),
      AdminAddUserToGroup: addToGroupInput(request),
    };
    process.stdout.write(`${JSON.stringify(calls, null, 2)}\n`);
    return;
  }
  await createOfficeUser(new CognitoIdentityProviderClient({ region: request.region }), request);
  process.stdout.write(
    `created ${request.username} (${request.role}) in ${request.userPoolId}; the invitation goes to ${request.email}\n`,
  );
}

if (import.meta.main) await main();

/**
 * scripts/create-user.ts cannot reach Cognito here: its command line, the AdminCreateUser and
 * AdminAddUserToGroup inputs it builds, and the order it sends them in are held with a recording client.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopeFromClaims } from '#shared/auth.ts';
import {
  adminCreateUserInput,
  type CognitoSender,
  CreateUserUsageError,
  createOfficeUser,
  parseCreateUserArgs,
} from '../../scripts/create-user.ts';

const POOL = 'cn-north-1_AbCdEf123';

/** The claims the user's ID token will carry: its attributes by name. */
function claimsOf(args: string[]): Record<string, string> {
  const input = adminCreateUserInput(parseCreateUserArgs(args));
  return Object.fromEntries((input.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
}

describe('create-user arguments', () => {
  it("builds a district office's user with the claims its scope needs", () => {
    // Act
    const request = parseCreateUserArgs([
      '--pool',
      POOL,
      '--role',
      'district',
      '--district',
      '130102',
      '--email',
      'Zhang.San@sjz.example.gov.cn',
      '--name',
      '张三',
    ]);
    const input = adminCreateUserInput(request);

    // Assess
    expect(request.region).toBe('cn-north-1');
    expect(input).toEqual({
      UserPoolId: POOL,
      Username: 'district-130102-zhang.san',
      UserAttributes: [
        { Name: 'email', Value: 'Zhang.San@sjz.example.gov.cn' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: '张三' },
        { Name: 'custom:role', Value: 'district' },
        { Name: 'custom:district', Value: '130102' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
  });

  it("builds a department's user with its name normalised as the lists carry it", () => {
    // Act
    const claims = claimsOf([
      '--pool',
      POOL,
      '--role',
      'department',
      '--department',
      ' 长安区人民法院 ',
      '--email',
      'court@example.gov.cn',
      '--username',
      'changan-court',
    ]);

    // Assess: the handlers turn these claims into the department's scope
    expect(claims).toMatchObject({ 'custom:role': 'department', 'custom:department': '长安区人民法院' });
    expect(claims['custom:district']).toBeUndefined();
    expect(scopeFromClaims({ sub: 'x', ...claims })).toEqual({
      role: 'department',
      principal: 'x',
      department: '长安区人民法院',
    });
  });

  const refusals: Record<string, string[]> = {
    'no pool': ['--role', 'city', '--email', 'a@b.cn'],
    'a pool id without its region': ['--pool', 'AbC123', '--role', 'city', '--email', 'a@b.cn'],
    'an unknown role': ['--pool', POOL, '--role', 'admin', '--email', 'a@b.cn'],
    'a district office without its district': ['--pool', POOL, '--role', 'district', '--email', 'a@b.cn'],
    'a five-digit district': [
      '--pool',
      POOL,
      '--role',
      'district',
      '--district',
      '13010',
      '--email',
      'a@b.cn',
    ],
    'a department without its name': ['--pool', POOL, '--role', 'department', '--email', 'a@b.cn'],
    'a district office with a department': [
      ...['--pool', POOL, '--role', 'district', '--district', '130102'],
      ...['--department', '法院', '--email', 'a@b.cn'],
    ],
    'a city user with a district': [
      ...['--pool', POOL, '--role', 'city', '--district', '130102', '--email', 'a@b.cn'],
    ],
    'no address': ['--pool', POOL, '--role', 'city'],
    'an address without a domain': ['--pool', POOL, '--role', 'city', '--email', 'someone'],
    'a username that looks like an address': [
      ...['--pool', POOL, '--role', 'city', '--email', 'a@b.cn', '--username', 'a@b.cn'],
    ],
    'an unknown option': ['--pool', POOL, '--role', 'city', '--email', 'a@b.cn', '--admin'],
    'a stray argument': ['--pool', POOL, '--role', 'city', '--email', 'a@b.cn', 'extra'],
  };
  for (const [name, args] of Object.entries(refusals)) {
    it(`refuses ${name}`, () => {
      expect(() => parseCreateUserArgs(args)).toThrow(CreateUserUsageError);
    });
  }

  it('gives every district user claims that scope it to that district, and refuses any other code', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 8 }),
        fc.stringMatching(/^[A-Za-z0-9._+-]{1,20}$/),
        (code, local) => {
          const args = [
            '--pool',
            POOL,
            '--role',
            'district',
            '--district',
            code,
            // an address may start with a hyphen, which parseArgs takes for an option unless joined
            `--email=${local}@sjz.cn`,
          ];
          if (code.length !== 6 || !/[a-z0-9]/i.test(local)) {
            expect(() => parseCreateUserArgs(args)).toThrow(CreateUserUsageError);
            return;
          }
          const request = parseCreateUserArgs(args);
          expect(request.username).not.toContain('@');
          expect(scopeFromClaims({ sub: 's', ...claimsOf(args) })).toEqual({
            role: 'district',
            principal: 's',
            district: code,
          });
        },
      ),
    );
  });
});

describe('createOfficeUser', () => {
  it('creates the user, then adds it to its role group', async () => {
    // Prepare
    const sent: unknown[] = [];
    const client: CognitoSender = {
      send: async (command) => {
        sent.push(command);
        return {};
      },
    };
    const request = parseCreateUserArgs([
      ...['--pool', POOL, '--role', 'district', '--district', '130104', '--email', 'li@sjz.cn'],
    ]);

    // Act
    await createOfficeUser(client, request);

    // Assess
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBeInstanceOf(AdminCreateUserCommand);
    expect((sent[0] as AdminCreateUserCommand).input).toEqual(adminCreateUserInput(request));
    expect(sent[1]).toBeInstanceOf(AdminAddUserToGroupCommand);
    expect((sent[1] as AdminAddUserToGroupCommand).input).toEqual({
      UserPoolId: POOL,
      Username: 'district-130104-li',
      GroupName: 'district',
    });
  });

  it('adds nobody to a group when the user could not be created', async () => {
    // Prepare
    const sent: unknown[] = [];
    const client: CognitoSender = {
      send: async (command) => {
        sent.push(command);
        throw Object.assign(new Error('User account already exists'), { name: 'UsernameExistsException' });
      },
    };
    const request = parseCreateUserArgs(['--pool', POOL, '--role', 'city', '--email', 'wang@sjz.cn']);

    // Act / Assess
    await expect(createOfficeUser(client, request)).rejects.toThrow('already exists');
    expect(sent).toHaveLength(1);
  });
});

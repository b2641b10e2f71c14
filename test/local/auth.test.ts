import { execFile } from 'node:child_process';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  InvalidTokenError,
  loadSigningSecret,
  signToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifyToken,
} from '../../local/auth.ts';
import { claimsFromArgs } from '../../local/token.ts';

const run = promisify(execFile);

async function secretIn(): Promise<{ dir: string; secret: Uint8Array }> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-auth-'));
  return { dir, secret: await loadSigningSecret(join(dir, 'jwt-secret')) };
}

describe('local tokens', () => {
  it('creates the secret once, 32 bytes, readable only by the owner', async () => {
    // Prepare
    const { dir, secret } = await secretIn();
    // Act
    const again = await loadSigningSecret(join(dir, 'jwt-secret'));
    // Assess
    expect(secret).toHaveLength(32);
    expect(again).toEqual(secret);
    expect((await stat(join(dir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
  });

  it('signs a token that verifies with the claims the handlers read', async () => {
    // Prepare
    const { secret } = await secretIn();
    // Act
    const token = await signToken(secret, {
      sub: 'local-department',
      role: 'department',
      department: ' 市税务局 ',
    });
    const claims = await verifyToken(secret, token);
    // Assess
    expect(claims).toMatchObject({
      sub: 'local-department',
      role: 'department',
      department: '市税务局',
      iss: 'credit-governance-local',
      aud: 'credit-governance',
    });
    expect(claims.exp - claims.iat).toBe(12 * 3600);
  });

  it('rejects a token signed with another secret', async () => {
    // Prepare
    const { secret } = await secretIn();
    const { secret: other } = await secretIn();
    const token = await signToken(other, { sub: 'intruder', role: 'city' });
    // Act / Assess
    await expect(verifyToken(secret, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects an expired token', async () => {
    // Prepare
    const { secret } = await secretIn();
    const token = await signToken(
      secret,
      { sub: 'late', role: 'city' },
      { ttlSeconds: 60, now: new Date('2024-01-01') },
    );
    // Act / Assess
    await expect(verifyToken(secret, token)).rejects.toThrow(/expired/);
  });

  it('reads role, district and department from the command line', () => {
    expect(claimsFromArgs(['district', '--district', '130102']).claims).toEqual({
      sub: 'local:district:130102',
      role: 'district',
      district: '130102',
    });
    expect(claimsFromArgs(['department', '--department', '市场监管局（高新区）', '--ttl', '2h'])).toEqual({
      claims: {
        sub: expect.stringMatching(/^local:department:[0-9a-f]{16}$/),
        role: 'department',
        department: '市场监管局(高新区)',
      },
      ttlSeconds: 7200,
    });
    expect(() => claimsFromArgs(['district'])).toThrow(/--district/);
    expect(() => claimsFromArgs(['department'])).toThrow(/--department/);
    expect(() => claimsFromArgs(['district', '--district', '13010'])).toThrow(/six-digit/);
    expect(() => claimsFromArgs(['mayor'])).toThrow(/unknown role/);
  });

  it('gives every role, district and department its own subject, the same on every call', () => {
    // Act
    const subjectOf = (...args: string[]) => claimsFromArgs(args).claims.sub;
    const subjects = [
      subjectOf('city'),
      subjectOf('consumer'),
      subjectOf('district', '--district', '130102'),
      subjectOf('district', '--district', '130104'),
      subjectOf('department', '--department', '市税务局'),
      subjectOf('department', '--department', '市市场监管局'),
      subjectOf('department', '--department', '市税务局', '--district', '130102'),
    ];
    // Assess
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects.slice(0, 3)).toEqual(['local:city', 'local:consumer', 'local:district:130102']);
    expect(subjectOf('department', '--department', ' 市税务局 ')).toBe(subjects[4]);
    expect(subjectOf('department', '--department', '市场监管局（高新区）')).toBe(
      subjectOf('department', '--department', '市场监管局(高新区)'),
    );
    expect(subjectOf('city', '--sub', 'someone')).toBe('someone');
  });

  it('verifies a token whose role, district and department are Cognito custom: claims', async () => {
    // Prepare
    const { secret } = await secretIn();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ 'custom:role': 'district', 'custom:district': '130102' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('8e2b7c1a-4d6f-4a3b-9c5e-1f2a3b4c5d6e')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret);
    const unknownRole = await new SignJWT({ 'custom:role': 'mayor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret);
    // Act / Assess
    await expect(verifyToken(secret, token)).resolves.toMatchObject({
      'custom:role': 'district',
      'custom:district': '130102',
    });
    await expect(verifyToken(secret, unknownRole)).rejects.toThrow(/no known role/);
  });

  it('refuses a token issued beyond a minute in the future, and accepts one issued within it', async () => {
    // Prepare
    const { secret } = await secretIn();
    const now = new Date('2026-03-01T08:00:00Z');
    const issuedAt = (seconds: number) =>
      signToken(secret, { sub: 'early', role: 'city' }, { now: new Date(now.getTime() + seconds * 1000) });
    // Act / Assess
    await expect(verifyToken(secret, await issuedAt(61), now)).rejects.toThrow(/future/);
    await expect(verifyToken(secret, await issuedAt(60), now)).resolves.toMatchObject({ sub: 'early' });
    await expect(verifyToken(secret, await issuedAt(-3600), now)).resolves.toMatchObject({ sub: 'early' });
  });

  it('npm run token prints only the token, and usage with exit 2 for an unknown role', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'cg-token-'));
    const env = { ...process.env, LOCAL_DIR: dir };
    // Act
    const printed = await run('npx', ['tsx', 'local/token.ts', 'city'], { env });
    const refused = await run('npx', ['tsx', 'local/token.ts', 'mayor'], { env }).catch((error) => error);
    // Assess
    expect(printed.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeJwt(printed.stdout.trim())).toMatchObject({ role: 'city', sub: 'local:city' });
    const secret = await loadSigningSecret(join(dir, 'jwt-secret'));
    await expect(verifyToken(secret, printed.stdout.trim())).resolves.toMatchObject({ role: 'city' });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/usage: npm run token/);
  });
});

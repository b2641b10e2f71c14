/**
 * `npm run token -- <role> [--district CODE] [--department NAME] [--ttl 12h] [--sub ID]`: prints a token
 * for the local runtime on stdout and nothing else, so `TOKEN=$(npm run -s token -- city)` works.
 */
import { parseArgs } from 'node:util';
import {
  isRole,
  type LocalClaims,
  loadSigningSecret,
  localSubject,
  normaliseDepartment,
  signToken,
} from './auth.ts';
import { localPaths, resolveLocalDir } from './paths.ts';

const USAGE = `usage: npm run token -- <role> [--district CODE] [--department NAME] [--ttl 12h] [--sub ID]
  role        city | district | department | consumer
  --district  six-digit district code (required for district, optional for department)
  --department  the department's name as the lists carry it (required for department)
  --ttl       lifetime: seconds, or a number with s, m, h or d (default 12h)
  --sub       the subject claim (default: one per role, district and department, e.g. local:city,
              local:district:130102, local:department:<hash of the name>)`;

class UsageError extends Error {}

/** Parses `--ttl`: plain seconds or a number with a unit. */
export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--ttl must look like 3600, 90m, 12h or 7d, got "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new UsageError('--ttl must be positive');
  return seconds;
}

/** Turns the command line into the claims of the token, or throws a UsageError. */
export function claimsFromArgs(args: readonly string[]): { claims: LocalClaims; ttlSeconds?: number } {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      district: { type: 'string' },
      department: { type: 'string' },
      ttl: { type: 'string' },
      sub: { type: 'string' },
    },
  });
  const [role, ...extra] = positionals;
  if (role === undefined || !isRole(role))
    throw new UsageError(role === undefined ? 'a role is required' : `unknown role "${role}"`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.district !== undefined && !/^\d{6}$/.test(values.district)) {
    throw new UsageError(`--district must be a six-digit code, got "${values.district}"`);
  }
  if (role === 'district' && values.district === undefined)
    throw new UsageError('the district role needs --district');
  const department = values.department === undefined ? undefined : normaliseDepartment(values.department);
  if (role === 'department' && (department === undefined || department === '')) {
    throw new UsageError('the department role needs --department');
  }
  const scoped: Omit<LocalClaims, 'sub'> = {
    role,
    ...(values.district !== undefined && (role === 'district' || role === 'department')
      ? { district: values.district }
      : {}),
    ...(department !== undefined && role === 'department' ? { department } : {}),
  };
  const claims: LocalClaims = { sub: values.sub ?? localSubject(scoped), ...scoped };
  return { claims, ...(values.ttl === undefined ? {} : { ttlSeconds: parseTtl(values.ttl) }) };
}

async function main(): Promise<void> {
  let request: ReturnType<typeof claimsFromArgs>;
  try {
    request = claimsFromArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const secret = await loadSigningSecret(localPaths(resolveLocalDir()).jwtSecretFile);
  const token = await signToken(secret, request.claims, { ttlSeconds: request.ttlSeconds });
  process.stdout.write(`${token}\n`);
}

if (import.meta.main) await main();

/**
 * Who is signed in. Tokens live in this module's memory only, never in localStorage or a cookie: a
 * reload signs in again (the hosted UI keeps its own session, so that is one redirect). A token is
 * renewed a minute before it expires: locally by asking the runtime again, in the cloud with the
 * refresh token (also held in memory). Only the PKCE verifier survives the redirect, in sessionStorage,
 * and it is removed as soon as the code is exchanged.
 */
import { computed, shallowRef } from 'vue';
import { type CloudSignIn, config } from './config.ts';

export type Role = 'city' | 'district' | 'department' | 'consumer';

export interface Claims {
  readonly sub: string;
  readonly role: Role;
  readonly district?: string;
  readonly department?: string;
}

interface Session {
  readonly token: string;
  readonly claims: Claims;
  readonly expiresAt: number;
  readonly refreshToken?: string;
  /** What the local sign-in asked for, to ask again when the token runs out. */
  readonly localRequest?: LocalSignIn;
}

export interface LocalSignIn {
  readonly role: Role;
  readonly district?: string;
  readonly department?: string;
}

export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

const current = shallowRef<Session | undefined>(undefined);
let renewal: ReturnType<typeof setTimeout> | undefined;

export const signedIn = computed(() => current.value !== undefined);
export const claims = computed(() => current.value?.claims);

/** The bearer token for the next request, or undefined when nobody is signed in. */
export function accessToken(): string | undefined {
  return current.value?.token;
}

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  city: '市信用办',
  district: '县（市、区）信用办',
  department: '行业主管部门',
  consumer: '核查系统',
};

/** The claims a token carries, plain or in Cognito's `custom:` form. */
export function claimsOf(token: string): Claims {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new SignInError('令牌格式不正确');
  const json = JSON.parse(new TextDecoder().decode(base64UrlBytes(payload))) as Record<string, unknown>;
  const read = (name: string): string | undefined => {
    const value = json[name] ?? json[`custom:${name}`];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const groups = Array.isArray(json['cognito:groups']) ? (json['cognito:groups'] as string[]) : [];
  const role = read('role') ?? groups.find((group) => group in ROLE_NAMES);
  if (role === undefined || !(role in ROLE_NAMES)) throw new SignInError('令牌中没有可识别的角色');
  const district = read('district');
  const department = read('department');
  return {
    sub: String(json.sub ?? ''),
    role: role as Role,
    ...(district === undefined ? {} : { district }),
    ...(department === undefined ? {} : { department }),
  };
}

function expiryOf(token: string): number {
  const payload = token.split('.')[1] ?? '';
  const json = JSON.parse(new TextDecoder().decode(base64UrlBytes(payload))) as { exp?: number };
  return typeof json.exp === 'number' ? json.exp * 1000 : Date.now() + 3_600_000;
}

function base64UrlBytes(text: string): Uint8Array {
  const base64 = text
    .replaceAll('-', '+')
    .replaceAll('_', '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function begin(session: Session): void {
  current.value = session;
  if (renewal !== undefined) clearTimeout(renewal);
  const delay = Math.max(5_000, session.expiresAt - Date.now() - 60_000);
  renewal = setTimeout(() => {
    renew().catch(() => signOut());
  }, delay);
}

/** Local mode: the runtime signs a token for the role (only when it listens on loopback). */
export async function signInLocally(request: LocalSignIn): Promise<Claims> {
  const response = await fetch(`${config().apiBase}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    detail?: string;
    title?: string;
  };
  if (!response.ok || body.token === undefined) {
    throw new SignInError(body.detail ?? body.title ?? `登录失败（HTTP ${response.status}）`);
  }
  const session: Session = {
    token: body.token,
    claims: claimsOf(body.token),
    expiresAt: expiryOf(body.token),
    localRequest: request,
  };
  begin(session);
  return session.claims;
}

const VERIFIER_KEY = 'credit-governance.pkce';

/** Cloud mode: off to the hosted UI with a PKCE challenge; `finishCloudSignIn` completes it on return. */
export async function startCloudSignIn(signIn: CloudSignIn, returnTo: string): Promise<void> {
  const verifier = randomText(64);
  const state = randomText(24);
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state, returnTo }));
  const challenge = await sha256Base64Url(verifier);
  const url = new URL(signIn.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: signIn.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/**
 * On return from the hosted UI (`?code=…&state=…`): the code exchanged for tokens, the query taken off
 * the address. Answers where the person was going, or undefined when this load is not a return.
 */
export async function finishCloudSignIn(signIn: CloudSignIn): Promise<string | undefined> {
  const query = new URLSearchParams(window.location.search);
  const code = query.get('code');
  if (code === null) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(VERIFIER_KEY);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  if (saved === null || saved.state !== query.get('state')) throw new SignInError('登录回调无效，请重新登录');
  const tokens = await tokenRequest(signIn, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: signIn.redirectUri,
    code_verifier: saved.verifier,
  });
  beginCloud(tokens);
  return saved.returnTo;
}

interface TokenAnswer {
  readonly id_token?: string;
  readonly access_token: string;
  readonly refresh_token?: string;
}

/** The API's authorizer reads the role claims, which Cognito puts in the ID token. */
function beginCloud(tokens: TokenAnswer, refreshToken = tokens.refresh_token): void {
  const token = tokens.id_token ?? tokens.access_token;
  begin({
    token,
    claims: claimsOf(token),
    expiresAt: expiryOf(token),
    ...(refreshToken === undefined ? {} : { refreshToken }),
  });
}

async function tokenRequest(signIn: CloudSignIn, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(signIn.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: signIn.clientId, ...form }).toString(),
  });
  if (!response.ok) throw new SignInError(`登录服务拒绝了请求（HTTP ${response.status}）`);
  return (await response.json()) as TokenAnswer;
}

async function renew(): Promise<void> {
  const session = current.value;
  if (session === undefined) return;
  if (session.localRequest !== undefined) {
    await signInLocally(session.localRequest);
    return;
  }
  const settings = config();
  if (settings.mode !== 'cloud' || session.refreshToken === undefined) throw new SignInError('登录已过期');
  const tokens = await tokenRequest(settings.signIn, {
    grant_type: 'refresh_token',
    refresh_token: session.refreshToken,
  });
  beginCloud(tokens, session.refreshToken);
}

/** Forgets the tokens; in the cloud the hosted UI's session ends too. */
export function signOut(): void {
  if (renewal !== undefined) clearTimeout(renewal);
  current.value = undefined;
  const settings = config();
  if (settings.mode === 'cloud' && settings.signIn.logoutUrl !== undefined) {
    const url = new URL(settings.signIn.logoutUrl);
    url.search = new URLSearchParams({
      client_id: settings.signIn.clientId,
      logout_uri: settings.signIn.redirectUri,
    }).toString();
    window.location.assign(url.toString());
  }
}

function randomText(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => alphabet[byte % 66]).join('');
}

async function sha256Base64Url(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

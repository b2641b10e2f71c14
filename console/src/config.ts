/**
 * What the console learns at start from `config.json` beside it: where the API is and how people sign
 * in. The local runtime serves one that says `local`; the stack writes the cloud's, with the user
 * directory's endpoints and the app client.
 */
export interface CloudSignIn {
  /** The hosted UI's (or the OIDC issuer's) authorization endpoint. */
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly logoutUrl?: string;
  readonly clientId: string;
  /** Where the issuer sends people back: the console's own address. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

export type ConsoleConfig =
  | { readonly mode: 'local'; readonly apiBase: string }
  | { readonly mode: 'cloud'; readonly apiBase: string; readonly signIn: CloudSignIn };

export class ConfigUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigUnavailableError';
  }
}

let loaded: ConsoleConfig | undefined;

/** Reads config.json once; the console cannot start without it. */
export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded !== undefined) return loaded;
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok)
    throw new ConfigUnavailableError(`无法读取控制台配置 config.json（HTTP ${response.status}）`);
  const body = (await response.json()) as Partial<ConsoleConfig>;
  if (body.mode !== 'local' && body.mode !== 'cloud')
    throw new ConfigUnavailableError('控制台配置 config.json 无效');
  loaded = { ...body, apiBase: (body.apiBase ?? '').replace(/\/$/, '') } as ConsoleConfig;
  return loaded;
}

/** The configuration read at start. */
export function config(): ConsoleConfig {
  if (loaded === undefined) throw new ConfigUnavailableError('控制台配置尚未读取');
  return loaded;
}

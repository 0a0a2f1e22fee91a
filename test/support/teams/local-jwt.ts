/**
 * A local OpenID provider that plays Bot Framework's token service for tests of inbound auth: it
 * serves an OpenID configuration and a JWKS on loopback, and signs channel tokens the way the Bot
 * Framework channel service does (RS256; `aud` = the bot's app id, `iss`, `serviceurl`, `nbf`, `exp`;
 * `kid` in the header; the key endorsed for `msteams`).
 *
 *   const openId = await startLocalOpenId();
 *   const auth = new ConfigurationBotFrameworkAuthentication(
 *     botFrameworkAuthSettings(openId, { appId: TEAMS_IDS.appId, appPassword: 'unused' }),
 *   );
 *   const token = openId.sign({ audience: TEAMS_IDS.appId, serviceUrl: activity.serviceUrl });
 *   await postActivity(url, activity, { token });
 *
 * What botbuilder 4.23 checks (botframework-connector `ParameterizedBotFrameworkAuthentication`,
 * `JwtTokenExtractor`, `OpenIdMetadata`): `iss` must be `ToBotFromChannelTokenIssuer`; the key is
 * looked up by the header's `kid` in the JWKS named by `ToBotFromChannelOpenIdMetadataUrl` (RSA
 * `n`/`e`); signature, `exp` and `nbf` with 300 s clock tolerance; algorithm RS256/384/512; the
 * key's `endorsements` must include the activity's `channelId`; `aud` must be the bot's app id; and
 * `serviceurl` must equal the activity's `serviceUrl` exactly. A token carrying `ver` plus
 * `appid`/`azp` is taken for a skill token instead, so channel tokens here have neither.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The issuer of real Bot Framework channel tokens (the default here too). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface LocalJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  endorsements: string[];
}

export interface StartLocalOpenIdOptions {
  /** `iss` of the tokens and of the configuration. Default `https://api.botframework.com`. */
  issuer?: string;
  /** Channels the signing key is endorsed for. Default `['msteams']`. */
  endorsements?: string[];
}

export interface SignOptions {
  /** `aud`: the bot's Microsoft App id. */
  audience: string;
  /** `serviceurl`: must equal the activity's `serviceUrl` exactly (omitted when not given). */
  serviceUrl?: string;
  /** `iss`. Default the provider's issuer. */
  issuer?: string;
  /**
   * Seconds from now until `exp`. Default 3600. Negative for an expired token; botbuilder allows
   * 300 s of clock skew, so use less than -300 (e.g. -600) to be rejected.
   */
  expiresIn?: number;
  /** Seconds from now for `nbf`. Default -60 (or an hour before `exp` for an expired token). */
  notBefore?: number;
  /** Extra claims (they win over the ones above). */
  claims?: Record<string, unknown>;
  /** Header `kid`. Default the published key's. */
  kid?: string;
  /** Sign with a key the JWKS does not publish (under the published `kid`): a forged token. */
  untrusted?: boolean;
  /** Default `RS256`. */
  algorithm?: 'RS256' | 'RS384' | 'RS512';
}

export interface LocalOpenId {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /**
   * The configuration URL to give botbuilder as `ToBotFromChannelOpenIdMetadataUrl`. It carries a
   * unique `?instance=` because botbuilder caches keys per metadata URL for the whole process (24 h),
   * and a later provider may get the same port.
   */
  readonly metadataUrl: string;
  readonly jwksUrl: string;
  /** Give botbuilder as `ToBotFromChannelTokenIssuer`. */
  readonly issuer: string;
  /** The published key's id. */
  readonly kid: string;
  /** Requests the provider served (botbuilder fetches the configuration, then the keys, once). */
  readonly requests: Array<{ path: string; at: number }>;
  /** A signed JWT (compact form) with the claims of a Bot Framework channel token. */
  sign(options: SignOptions): string;
  /** The published JWKS. */
  jwks(): { keys: LocalJwk[] };
  close(): Promise<void>;
}

export async function startLocalOpenId(options: StartLocalOpenIdOptions = {}): Promise<LocalOpenId> {
  const issuer = options.issuer ?? BOT_FRAMEWORK_ISSUER;
  const endorsements = options.endorsements ?? ['msteams'];
  const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let untrusted: KeyObject | undefined;
  const publicJwk = trusted.publicKey.export({ format: 'jwk' });
  const kid = createHash('sha1')
    .update(publicJwk.n ?? '')
    .digest('base64url');
  const jwk: LocalJwk = {
    kty: 'RSA',
    use: 'sig',
    kid,
    x5t: kid,
    n: publicJwk.n!,
    e: publicJwk.e!,
    endorsements,
  };
  const requests: Array<{ path: string; at: number }> = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, at: Date.now() });
    let body: unknown;
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      body = {
        issuer,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${baseUrl}/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
    } else if (req.method === 'GET' && url.pathname === '/.well-known/keys') {
      body = { keys: [jwk] };
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;

  return {
    baseUrl,
    metadataUrl: `${baseUrl}/.well-known/openid-configuration?instance=${randomBytes(6).toString('hex')}`,
    jwksUrl: `${baseUrl}/.well-known/keys`,
    issuer,
    kid,
    requests,
    jwks: () => ({ keys: [{ ...jwk, endorsements: [...endorsements] }] }),
    sign: (opts) => {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (opts.expiresIn ?? 3600);
      const nbf = opts.notBefore !== undefined ? now + opts.notBefore : Math.min(now - 60, exp - 3600);
      const algorithm = opts.algorithm ?? 'RS256';
      const header = { alg: algorithm, kid: opts.kid ?? kid, x5t: opts.kid ?? kid, typ: 'JWT' };
      const payload = {
        serviceurl: opts.serviceUrl,
        nbf,
        exp,
        iss: opts.issuer ?? issuer,
        aud: opts.audience,
        ...opts.claims,
      };
      if (opts.untrusted) untrusted ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const key = opts.untrusted ? untrusted! : trusted.privateKey;
      return signJwt(header, payload, key, algorithm);
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

export interface BotFrameworkAuthSettingsOptions {
  appId: string;
  /** Never used for inbound checks; outbound calls would use it to get a token from Azure AD. */
  appPassword?: string;
  tenantId?: string;
}

/**
 * Settings for botbuilder's `ConfigurationBotFrameworkAuthentication` that accept tokens signed by
 * `openId` (and nothing else). Setting any of the `To…`/`OAuthUrl`/`CallerId` keys makes botbuilder
 * use only the given values (no public-cloud defaults for the rest), so all of them are spelled out:
 * the outbound ones keep the public cloud's values.
 */
export function botFrameworkAuthSettings(
  openId: Pick<LocalOpenId, 'metadataUrl' | 'issuer'>,
  options: BotFrameworkAuthSettingsOptions,
): Record<string, string> {
  return {
    MicrosoftAppId: options.appId,
    MicrosoftAppPassword: options.appPassword ?? 'local-test-password',
    MicrosoftAppType: 'MultiTenant',
    ...(options.tenantId ? { MicrosoftAppTenantId: options.tenantId } : {}),
    // Inbound: tokens from the channel are checked against the local provider.
    ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
    ToBotFromChannelTokenIssuer: openId.issuer,
    // Emulator and skill tokens are checked against it too, so no test ever reaches the internet.
    ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
    // Outbound (the public cloud's values, which botbuilder would otherwise leave unset).
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: 'true',
  };
}

function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
  algorithm: 'RS256' | 'RS384' | 'RS512',
): string {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const signer = createSign(`RSA-SHA${algorithm.slice(2)}`);
  signer.update(input);
  return `${input}.${signer.sign(key).toString('base64url')}`;
}

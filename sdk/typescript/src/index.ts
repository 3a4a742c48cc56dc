// A thin client for the Techno Support VMS API: openapi-fetch typed by the
// types openapi-typescript generated from the server's OpenAPI document
// (src/schema.d.ts; regenerate with scripts/sdk.sh, never edit by hand).
// Every path, parameter, body and answer is checked by the compiler.

import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

/** The API's named schemas, e.g. `Schemas["CameraView"]`. */
export type Schemas = components["schemas"];

/** How a client proves who it is. */
export type Credentials =
  /** An integration's key (`createApiKey`), sent as `X-Api-Key`. */
  | { apiKey: string }
  /** A user's name and password: the client logs in and refreshes its token itself. */
  | { username: string; password: string };

export interface VmsOptions {
  /** Where control listens, e.g. `https://vms.example:8080` (no trailing `/api`). */
  baseUrl: string;
  credentials?: Credentials;
  /** A `fetch` to use instead of the global one (tests, proxies, custom TLS). */
  fetch?: typeof globalThis.fetch;
}

/** An error answer of the API: every one has a stable `code` and a `message`. */
export class VmsError extends Error {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** e.g. `invalid_argument`, `unauthenticated`, `resource_exhausted`. */
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again, from `Retry-After` (429, some 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "VmsError";
  }
}

/** Renew the access token this long before it expires (or halfway through a shorter life). */
const REFRESH_MARGIN_MS = 30_000;

interface Session {
  access: string;
  refresh: string;
  /** When to renew it (ms since the epoch). */
  renewAt: number;
}

/**
 * A client of one VMS installation: `api` is the typed openapi-fetch client;
 * `ok` turns its answer into the data or a thrown {@link VmsError}.
 */
export class VmsClient {
  readonly api: Client<paths>;
  private readonly fetcher: typeof globalThis.fetch;
  private session?: Session;
  private pending?: Promise<void>;
  /** A copy of each request sent with a login's token, to send again once after a 401. */
  private readonly copies = new WeakMap<Request, Request>();

  constructor(private readonly options: VmsOptions) {
    this.fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.api = createClient<paths>({ baseUrl: options.baseUrl, fetch: this.fetcher });
    this.api.use(this.authentication());
  }

  /** Signs in with the user's name and password (done for you on the first call when `credentials` name a user). */
  async login(username: string, password: string): Promise<void> {
    const answer = await createClient<paths>({ baseUrl: this.options.baseUrl, fetch: this.fetcher }).POST(
      "/api/auth/login",
      { body: { username, password } },
    );
    this.session = toSession(await VmsClient.ok(answer));
  }

  /** Ends the login: its refresh token stops working at once. */
  async logout(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) {
      await VmsClient.ok(
        await createClient<paths>({ baseUrl: this.options.baseUrl, fetch: this.fetcher }).POST("/api/auth/logout", {
          body: { refresh_token: session.refresh },
        }),
      );
    }
  }

  /** The data of a successful answer; an error answer is thrown as a {@link VmsError}. */
  static async ok<T>(answer: { data?: T; error?: unknown; response: Response }): Promise<T> {
    const { data, error, response } = answer;
    if (response.ok) return data as T;
    const body = (error ?? {}) as { code?: string; message?: string };
    throw new VmsError(
      response.status,
      body.code ?? "unknown",
      body.message ?? response.statusText,
      retryAfter(response.headers.get("retry-after")),
    );
  }

  private authentication(): Middleware {
    return {
      onRequest: async ({ request }) => {
        const credentials = this.options.credentials;
        if (!credentials) return request;
        if ("apiKey" in credentials) {
          request.headers.set("X-Api-Key", credentials.apiKey);
          return request;
        }
        await this.freshSession(credentials.username, credentials.password);
        request.headers.set("Authorization", `Bearer ${this.session!.access}`);
        this.copies.set(request, request.clone());
        return request;
      },
      onResponse: async ({ request, response }) => {
        const credentials = this.options.credentials;
        const copy = this.copies.get(request);
        if (response.status !== 401 || !copy || !credentials || "apiKey" in credentials) return response;
        // The login ended on the server (revoked, or the user's grants
        // changed): sign in again and send the request once more.
        const used = request.headers.get("Authorization");
        if (this.session && `Bearer ${this.session.access}` === used) this.session = undefined;
        await this.freshSession(credentials.username, credentials.password);
        copy.headers.set("Authorization", `Bearer ${this.session!.access}`);
        return this.fetcher(copy);
      },
    };
  }

  /** Logs in, or trades the refresh token, when there is no token or it is about to expire; one at a time. */
  private async freshSession(username: string, password: string): Promise<void> {
    while (!this.session || Date.now() >= this.session.renewAt) {
      if (this.pending) {
        await this.pending;
        continue;
      }
      const current = this.session;
      this.pending = (current ? this.refresh(current, username, password) : this.login(username, password)).finally(
        () => (this.pending = undefined),
      );
      await this.pending;
    }
  }

  private async refresh(current: Session, username: string, password: string): Promise<void> {
    const answer = await createClient<paths>({ baseUrl: this.options.baseUrl, fetch: this.fetcher }).POST(
      "/api/auth/refresh",
      { body: { refresh_token: current.refresh } },
    );
    if (answer.response.status === 401) {
      // The login ended (logged out elsewhere, or expired): sign in again.
      this.session = undefined;
      return this.login(username, password);
    }
    this.session = toSession(await VmsClient.ok(answer));
  }
}

function toSession(tokens: Schemas["TokenResponse"]): Session {
  const life = tokens.expires_in * 1000;
  return {
    access: tokens.access_token,
    refresh: tokens.refresh_token,
    renewAt: Date.now() + life - Math.min(REFRESH_MARGIN_MS, life / 2),
  };
}

/** Seconds to wait, from a `Retry-After` of seconds or an HTTP date. */
function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A client of the installation at `options.baseUrl`. */
export function createVmsClient(options: VmsOptions): VmsClient {
  return new VmsClient(options);
}

/**
 * `ToolwireClient`: the hand-written layer over the typed API (`openapi-fetch` over
 * `./generated/schema.ts`, made by openapi-typescript from `clients/openapi.json`). Every non-2xx
 * answer becomes a typed `ToolwireError`; the calls are spelled the way agent builders know them
 * (`client.actions.getOrCreateConnectedAccount(...)`, `client.actions.executeTool(...)`,
 * `client.actions.langchain.getTools(...)`).
 */
import createClient, { type Client } from "openapi-fetch";

import { fromResponse } from "./errors.js";
import type { components, paths } from "./generated/schema.js";
import { LangChainTools } from "./langchain.js";

export type Schemas = components["schemas"];
export type ConnectedAccount = Schemas["AccountView"];
export type ExecuteResult = Schemas["ExecuteResult"];
export type MagicLink = Schemas["MagicLink"];
export type Authorization = Schemas["Authorization"];
/** A tool definition from `GET /v1/tools` (MCP format: name, description, inputSchema, ...). */
export type ToolDefinition = {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  [key: string]: unknown;
};

/** The API key goes into a header only, never into a message or `toString`. */
export interface ToolwireClientOptions {
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
}

async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  throw fromResponse(response.status, error);
}

/** A toolwire server: `new ToolwireClient("http://127.0.0.1:8080", apiKey)`. */
export class ToolwireClient {
  readonly baseUrl: string;
  /** The typed API generated from the OpenAPI document (openapi-fetch). */
  readonly api: Client<paths>;
  /** LangChain tools backed by `executeTool`. */
  readonly langchain: LangChainTools;

  constructor(baseUrl: string, apiKey: string, options: ToolwireClientOptions = {}) {
    if (!apiKey) throw new Error("apiKey is required (the server's TOOLWIRE_API_KEY or DATA_DIR/api.key)");
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.api = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { Authorization: `Bearer ${apiKey}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.langchain = new LangChainTools(this);
  }

  /** This client (`client.actions.executeTool(...)` reads like other SDKs). */
  get actions(): this {
    return this;
  }

  toString(): string {
    return `ToolwireClient(${this.baseUrl})`;
  }

  /**
   * The account for (connection, identifier), created as PENDING_AUTH when new; with
   * `credentials` they are verified live and stored (the account becomes ACTIVE).
   */
  async getOrCreateConnectedAccount(args: {
    connectionName: string;
    identifier: string;
    config?: Record<string, unknown>;
    credentials?: Record<string, unknown>;
    authScheme?: string;
  }): Promise<{ connectedAccount: ConnectedAccount }> {
    const account = await ok(
      this.api.POST("/v1/connected_accounts", {
        body: {
          connection_name: args.connectionName,
          identifier: args.identifier,
          config: args.config ?? null,
          credentials: args.credentials ?? null,
          auth_scheme: args.authScheme ?? null,
        },
      }),
    );
    return { connectedAccount: account };
  }

  /** The account (throws `NotFoundError` with `ACCOUNT_NOT_FOUND` when there is none). */
  async getConnectedAccount(connectionName: string, identifier: string): Promise<ConnectedAccount> {
    return ok(
      this.api.GET("/v1/connected_accounts/{connection_name}/{identifier}", {
        params: { path: { connection_name: connectionName, identifier } },
      }),
    );
  }

  /** A signed, expiring, single-use onboarding link for the user (`url`, `expires_at`). */
  async createMagicLink(args: {
    connectionName: string;
    identifier: string;
    expiresInS?: number;
  }): Promise<MagicLink> {
    return ok(
      this.api.POST("/v1/connected_accounts/{connection_name}/{identifier}/magic_link", {
        params: { path: { connection_name: args.connectionName, identifier: args.identifier } },
        body: args.expiresInS === undefined ? {} : { expires_in_s: args.expiresInS },
      }),
    );
  }

  /**
   * Where the user connects or reconnects: the onboarding page (a magic link), which offers
   * every auth scheme of the connection.
   */
  async getAuthorizationLink(args: {
    connectionName: string;
    identifier: string;
    expiresInS?: number;
  }): Promise<{ link: string; expiresAt: string }> {
    const l = await this.createMagicLink(args);
    return { link: l.url, expiresAt: l.expires_at };
  }

  /** Starts an OAuth connection: `url` to redirect the signed-in user's own browser to. */
  async startOAuth(args: {
    connectionName: string;
    identifier: string;
    config: Record<string, unknown>;
    redirectUri?: string;
  }): Promise<Authorization> {
    return ok(
      this.api.POST("/v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize", {
        params: { path: { connection_name: args.connectionName, identifier: args.identifier } },
        body: { config: args.config, redirect_uri: args.redirectUri ?? null },
      }),
    );
  }

  /** Tool definitions (MCP format by default). */
  async listTools(
    connectionName?: string,
    format: "mcp" | "openai" | "anthropic" = "mcp",
  ): Promise<ToolDefinition[]> {
    const list = await ok(
      this.api.GET("/v1/tools", {
        params: { query: { ...(connectionName ? { connection_name: connectionName } : {}), format } },
      }),
    );
    return list.tools as ToolDefinition[];
  }

  /**
   * Runs one tool for one identifier: `data` (sized for a model unless `full`), `execution_id`,
   * `next_cursor`, `has_more`.
   */
  async executeTool(args: {
    toolName: string;
    identifier: string;
    toolInput?: Record<string, unknown>;
    connectionName?: string;
    /** The whole output instead of the one sized for a model (its `outputSchema`). */
    full?: boolean;
  }): Promise<ExecuteResult> {
    return ok(
      this.api.POST("/v1/execute_tool", {
        body: {
          tool_name: args.toolName,
          identifier: args.identifier,
          tool_input: args.toolInput ?? {},
          connection_name: args.connectionName ?? null,
          ...(args.full ? { full: true } : {}),
        },
      }),
    );
  }

  /** The connection's tools as LangChain tools acting for `identifier`. */
  async getTools(connectionName: string, identifier: string) {
    return this.langchain.getTools({ connectionName, identifier });
  }
}

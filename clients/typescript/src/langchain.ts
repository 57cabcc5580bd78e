/**
 * LangChain tools over `executeTool`: one `DynamicStructuredTool` per tool of a connection,
 * whose schema is the tool's own JSON Schema (`inputSchema` from `GET /v1/tools`) and whose
 * call runs `ToolwireClient.executeTool` for the identifier the app chose (never the model).
 *
 * Errors the model can fix (invalid input, not found, the vendor's validation, rate limits)
 * come back to the model as the tool's result (`"INVALID_INPUT: ..."`) when `handleErrors` is
 * on; errors only the app can fix (the account is REVOKED/EXPIRED/..., a wrong API key) are
 * thrown as the typed `ToolwireError` (with `reconnectUrl`) for the app to handle.
 */
import { DynamicStructuredTool } from "@langchain/core/tools";

import type { ToolDefinition, ToolwireClient } from "./client.js";
import { AccountNotActiveError, ToolwireError, UnauthorizedError } from "./errors.js";

export interface GetToolsArgs {
  identifier: string;
  /** One connection (default: every connection, or `providers`). */
  connectionName?: string;
  /** Several connections, case-insensitive (`["ZENDESK"]`). */
  providers?: string[];
  /** Only these tools. */
  toolNames?: string[];
  /** At most this many tools. */
  pageSize?: number;
  /** Model-fixable errors become the tool's result (default true). */
  handleErrors?: boolean;
}

/** `client.actions.langchain`: builds LangChain tools. */
export class LangChainTools {
  constructor(private readonly client: ToolwireClient) {}

  async getTools(args: GetToolsArgs): Promise<DynamicStructuredTool[]> {
    const connections: (string | undefined)[] = args.connectionName
      ? [args.connectionName]
      : args.providers?.length
        ? args.providers.map((p) => p.toLowerCase())
        : [undefined];
    const tools: DynamicStructuredTool[] = [];
    for (const connection of connections) {
      for (const def of await this.client.listTools(connection)) {
        if (args.toolNames && !args.toolNames.includes(def.name)) continue;
        tools.push(this.tool(def, args.identifier, connection, args.handleErrors ?? true));
      }
    }
    return args.pageSize === undefined ? tools : tools.slice(0, args.pageSize);
  }

  private tool(
    def: ToolDefinition,
    identifier: string,
    connection: string | undefined,
    handleErrors: boolean,
  ): DynamicStructuredTool {
    const client = this.client;
    return new DynamicStructuredTool({
      name: def.name,
      description: def.description ?? def.name,
      schema: (def.inputSchema ?? { type: "object", properties: {} }) as Record<string, unknown>,
      responseFormat: "content_and_artifact",
      func: async (input: Record<string, unknown>) => {
        try {
          const result = await client.executeTool({
            toolName: def.name,
            identifier,
            toolInput: input,
            ...(connection ? { connectionName: connection } : {}),
          });
          return [JSON.stringify(result.data), result];
        } catch (e) {
          if (!handleErrors || !(e instanceof ToolwireError)) throw e;
          if (e instanceof AccountNotActiveError || e instanceof UnauthorizedError) throw e;
          return [`${e.code}: ${e.message}`, e];
        }
      },
    });
  }
}

"""A support agent in Python: LangChain tools loaded from `toolwire serve` over MCP
(langchain-mcp-adapters), driven by a tool-calling loop.

The chat model is scripted (this example runs without an LLM): it decides to search for the
tickets the user asks about, then answers from what the tool returned. Swap `ScriptedChatModel()`
for any LangChain chat model with tool calling (e.g. `ChatOpenAI(model=...)`); the rest stays.

Environment:
  TOOLWIRE_URL         the server, e.g. http://127.0.0.1:8080
  TOOLWIRE_API_KEY     its API key (sent as `Authorization: Bearer ...`)
  TOOLWIRE_IDENTIFIER  your app's id for the user the agent acts for (never chosen by the model)

Usage: python agent.py "Which urgent tickets are open?"
"""

import asyncio
import json
import os
import sys
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_mcp_adapters.client import MultiServerMCPClient


class ScriptedChatModel(BaseChatModel):
    """Stands in for an LLM: first calls `zendesk_search_tickets`, then answers from its result."""

    tool_names: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):
        return self.model_copy(update={"tool_names": [t.name for t in tools]})

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage):
            message = AIMessage(content=answer_from(last))
        elif "zendesk_search_tickets" in self.tool_names:
            message = AIMessage(content="", tool_calls=[{
                "name": "zendesk_search_tickets",
                "args": {"query": "status:open priority:urgent", "sort_by": "created_at", "sort_order": "asc"},
                "id": "call_1",
            }])
        else:
            message = AIMessage(content="I have no tool to look up tickets.")
        return ChatResult(generations=[ChatGeneration(message=message)])


def text_of(content: Any) -> str:
    """The text of a tool result (a string or a list of content blocks)."""
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)


def answer_from(result: ToolMessage) -> str:
    text = text_of(result.content)
    if result.status == "error":
        return f"I could not look that up: {text}"
    found = json.loads(text)
    tickets = found["results"]
    if not tickets:
        return "No urgent tickets are open."
    first = tickets[0]
    return (f"{found.get('count', len(tickets))} urgent tickets are open. The oldest is "
            f"#{first['id']} \"{first['subject']}\" ({first['status']}).")


async def run(question: str) -> str:
    client = MultiServerMCPClient({"toolwire": {
        "transport": "streamable_http",
        "url": f"{os.environ['TOOLWIRE_URL']}/mcp",
        "headers": {
            "Authorization": f"Bearer {os.environ['TOOLWIRE_API_KEY']}",
            "X-Toolwire-Identifier": os.environ["TOOLWIRE_IDENTIFIER"],
        },
    }})
    tools = {t.name: t for t in await client.get_tools()}
    model = ScriptedChatModel().bind_tools(list(tools.values()))
    messages: list[BaseMessage] = [HumanMessage(question)]
    print(f"user: {question}")
    while True:
        reply = await model.ainvoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            print(f"assistant: {reply.content}")
            return reply.content
        for call in reply.tool_calls:
            print(f"assistant -> {call['name']} {json.dumps(call['args'])}")
            result = await tools[call["name"]].ainvoke({**call, "type": "tool_call"})
            print(f"tool <- {len(text_of(result.content))} bytes{' (error)' if result.status == 'error' else ''}")
            messages.append(result)


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1] if len(sys.argv) > 1 else "Which urgent tickets are open?"))

import os

from toolwire_client import ToolwireClient

connection_name = "zendesk"  # a connection enabled on your toolwire server
identifier = "user_zd_123"  # your app's id for the user

toolwire_client = ToolwireClient(
    base_url=os.getenv("TOOLWIRE_URL", "http://127.0.0.1:8080"),
    api_key=os.getenv("TOOLWIRE_API_KEY"),
)
actions = toolwire_client.actions

# Authenticate the user
response = actions.get_or_create_connected_account(
    connection_name=connection_name,
    identifier=identifier,
)
connected_account = response.connected_account
print(f"Connected account: {connected_account.id} | Status: {connected_account.status}")

# If the user is not connected yet, send them the authorization link
if connected_account.status != "ACTIVE":
    link_response = actions.get_authorization_link(
        connection_name=connection_name,
        identifier=identifier,
    )
    print("🔗 Authorize Zendesk:", link_response.link)
    input("Press Enter after authorizing...")

# Run a tool for the user
result = actions.execute_tool(
    tool_name="zendesk_search_tickets",
    identifier=identifier,
    tool_input={"query": "status:open priority:urgent"},
)
print(result.data)

# The same tools for a LangChain agent
tools = actions.langchain.get_tools(
    identifier=identifier,
    providers=["ZENDESK"],
    page_size=100,
)
print(f"{len(tools)} tools, e.g. {tools[0].name}")

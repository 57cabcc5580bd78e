"""Contains all the data models used in inputs/outputs"""

from .account_list import AccountList
from .account_status import AccountStatus
from .account_view import AccountView
from .account_view_config import AccountViewConfig
from .authorization import Authorization
from .authorize_request import AuthorizeRequest
from .authorize_request_config import AuthorizeRequestConfig
from .create_account import CreateAccount
from .create_account_config_type_0 import CreateAccountConfigType0
from .create_account_credentials_type_0 import CreateAccountCredentialsType0
from .deleted import Deleted
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .execute_result import ExecuteResult
from .execute_tool import ExecuteTool
from .health import Health
from .history import History
from .history_entry import HistoryEntry
from .magic_link import MagicLink
from .magic_link_request import MagicLinkRequest
from .mcp_body import McpBody
from .mcp_response_200 import McpResponse200
from .mcp_token_list import McpTokenList
from .mcp_token_view import McpTokenView
from .mint_token import MintToken
from .minted_token import MintedToken
from .put_credentials import PutCredentials
from .put_credentials_config_type_0 import PutCredentialsConfigType0
from .put_credentials_credentials import PutCredentialsCredentials
from .serve_response_200 import ServeResponse200
from .tool_list import ToolList
from .tool_list_tools_item import ToolListToolsItem

__all__ = (
    "AccountList",
    "AccountStatus",
    "AccountView",
    "AccountViewConfig",
    "Authorization",
    "AuthorizeRequest",
    "AuthorizeRequestConfig",
    "CreateAccount",
    "CreateAccountConfigType0",
    "CreateAccountCredentialsType0",
    "Deleted",
    "ErrorBody",
    "ErrorDetail",
    "ExecuteResult",
    "ExecuteTool",
    "Health",
    "History",
    "HistoryEntry",
    "MagicLink",
    "MagicLinkRequest",
    "McpBody",
    "McpResponse200",
    "McpTokenList",
    "McpTokenView",
    "MintToken",
    "MintedToken",
    "PutCredentials",
    "PutCredentialsConfigType0",
    "PutCredentialsCredentials",
    "ServeResponse200",
    "ToolList",
    "ToolListToolsItem",
)

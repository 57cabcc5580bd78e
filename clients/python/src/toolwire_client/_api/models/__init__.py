"""Contains all the data models used in inputs/outputs"""

from .account_list import AccountList
from .account_status import AccountStatus
from .account_view import AccountView
from .account_view_config import AccountViewConfig
from .authorization import Authorization
from .authorization_server_response_200 import AuthorizationServerResponse200
from .authorize_request import AuthorizeRequest
from .authorize_request_config import AuthorizeRequestConfig
from .consent_form import ConsentForm
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
from .input_form import InputForm
from .magic_link import MagicLink
from .magic_link_request import MagicLinkRequest
from .mcp_body import McpBody
from .mcp_response_200 import McpResponse200
from .mcp_token_list import McpTokenList
from .mcp_token_view import McpTokenView
from .mint_token import MintToken
from .minted_token import MintedToken
from .protected_resource_mcp_response_200 import ProtectedResourceMcpResponse200
from .protected_resource_response_200 import ProtectedResourceResponse200
from .put_credentials import PutCredentials
from .put_credentials_config_type_0 import PutCredentialsConfigType0
from .put_credentials_credentials import PutCredentialsCredentials
from .register_response_201 import RegisterResponse201
from .register_response_400 import RegisterResponse400
from .registration import Registration
from .serve_response_200 import ServeResponse200
from .token_request import TokenRequest
from .token_response_200 import TokenResponse200
from .token_response_400 import TokenResponse400
from .tool_list import ToolList
from .tool_list_tools_item import ToolListToolsItem

__all__ = (
    "AccountList",
    "AccountStatus",
    "AccountView",
    "AccountViewConfig",
    "Authorization",
    "AuthorizationServerResponse200",
    "AuthorizeRequest",
    "AuthorizeRequestConfig",
    "ConsentForm",
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
    "InputForm",
    "MagicLink",
    "MagicLinkRequest",
    "McpBody",
    "McpResponse200",
    "McpTokenList",
    "McpTokenView",
    "MintToken",
    "MintedToken",
    "ProtectedResourceMcpResponse200",
    "ProtectedResourceResponse200",
    "PutCredentials",
    "PutCredentialsConfigType0",
    "PutCredentialsCredentials",
    "RegisterResponse201",
    "RegisterResponse400",
    "Registration",
    "ServeResponse200",
    "TokenRequest",
    "TokenResponse200",
    "TokenResponse400",
    "ToolList",
    "ToolListToolsItem",
)

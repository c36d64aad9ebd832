"""What a generated package exports: the same names for every API, its client's name aside."""

from __future__ import annotations

from tests.runtime.conftest import ApiCase

RUNTIME_NAMES = {
    "Client", "AsyncClient", "BASE_URL", "ENVIRONMENT_VARIABLES", "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT", "models", "resources", "NOT_GIVEN", "NotGiven", "APIResponse",
    "SyncCursorPage", "AsyncCursorPage", "AsyncPaginator", "APIError", "APIConnectionError",
    "APITimeoutError", "APIResponseValidationError", "APIStatusError", "BadRequestError",
    "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError",
    "UnprocessableEntityError", "RateLimitError", "InternalServerError",
    "MissingCredentialsError",
}


def test_package_exports_the_runtime_names_and_its_two_clients(api: ApiCase) -> None:
    client_name = api.package.Client.__name__
    assert set(api.package.__all__) == RUNTIME_NAMES | {client_name, "Async" + client_name}
    for name in api.package.__all__:
        assert hasattr(api.package, name), name


def test_private_runtime_modules_start_with_an_underscore(api: ApiCase) -> None:
    for module in ("_auth", "_base_client", "_exceptions", "_models", "_pagination",
                   "_response", "_types"):
        assert hasattr(api.package, module), module

"""What a generated package exports: the same names for every API, its client's name aside."""

from __future__ import annotations

import pytest

from clientgen import naming
from tests.conftest import GENERATED
from tests.runtime.conftest import ApiCase

RUNTIME_NAMES = {
    "Client", "AsyncClient", "BASE_URL", "ENVIRONMENT_VARIABLES", "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT", "models", "resources", "NOT_GIVEN", "NotGiven", "APIResponse",
    "SyncCursorPage", "AsyncCursorPage", "AsyncPaginator", "APIError", "APIConnectionError",
    "APITimeoutError", "APIResponseValidationError", "PaginationLoopError", "APIStatusError",
    "BadRequestError",
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


@pytest.mark.parametrize("name", sorted(RUNTIME_NAMES))
def test_no_client_class_takes_a_name_the_runtime_exports(name: str) -> None:
    # The generator's reserved names are its own list: this keeps it in step with the runtime.
    assert naming.client_class_name(name) not in RUNTIME_NAMES


def test_readme_states_the_runtimes_own_limits(api: ApiCase) -> None:
    readme = " ".join((GENERATED / api.package.__name__ / "README.md").read_text().split())
    runtime = api.package._base_client
    assert f"is honoured up to {runtime.MAX_RETRY_AFTER:g} s" in readme
    assert runtime.MAX_READABLE_RETRY_AFTER == 24 * 3600
    assert "more than a day away" in readme
    assert f"at most {runtime.EXCERPT_LENGTH} characters" in readme

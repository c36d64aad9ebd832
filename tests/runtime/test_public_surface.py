"""What a generated package exports: the same names for every API, its client's name aside."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from types import ModuleType

from clientgen import naming, runtime

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


def _imported_names(module: ModuleType) -> set[str]:
    """The names a generated module binds by importing them (its own definitions aside)."""
    return {name for name, value in vars(module).items() if not name.startswith("__")
            and getattr(value, "__module__", module.__name__) != module.__name__
            or isinstance(value, ModuleType)}


def test_no_client_class_or_its_async_twin_takes_a_name_the_package_already_has(
        api: ApiCase) -> None:
    client = api.package.Client.__name__
    own = {client, f"Async{client}", f"{client}WithRawResponse", f"Async{client}WithRawResponse"}
    taken = (set(api.package.__all__) | _imported_names(api.package._client)) - own
    # every name a spec could ask for that lands on one of them, the twin's prefix dropped too
    for name in sorted(taken | {n.removeprefix("Async") for n in taken}):
        chosen = naming.client_class_name(name)
        assert not {chosen, f"Async{chosen}"} & taken, name


def test_no_endpoint_function_hides_a_name_its_resource_module_imports(api: ApiCase) -> None:
    for module in vars(api.package.resources).values():
        if isinstance(module, ModuleType) and module.__name__.startswith(api.package.__name__):
            imported = _imported_names(module)
            assert "body_of" in imported
            for name in sorted(imported):
                chosen = naming.function_name(name)
                assert not {chosen, f"{chosen}_async"} & imported, (module.__name__, name)


def test_every_method_takes_the_runtimes_per_call_options(api: ApiCase) -> None:
    # The generator reads PER_CALL_OPTIONS to keep spec names off them: the templates must give
    # every method exactly these, beyond the spec's own arguments (extra_body with a body).
    options = set(api.package._base_client.PER_CALL_OPTIONS)
    assert naming.CALL_ARGUMENTS >= options
    shared: set[str] | None = None
    with_extra_body: set[str] | None = None
    for resource in vars(api.package.resources).values():
        if isinstance(resource, type) and not resource.__name__.endswith("WithRawResponse"):
            for name, method in vars(resource).items():
                if inspect.isfunction(method) and not name.startswith(("_", "with_")):
                    arguments = set(inspect.signature(method).parameters)
                    shared = arguments if shared is None else shared & arguments
                    if "extra_body" in arguments:
                        with_extra_body = (arguments if with_extra_body is None
                                           else with_extra_body & arguments)
    assert shared == {"self"} | options - {"extra_body"}
    assert with_extra_body == {"self"} | options


def test_readme_states_the_runtimes_own_limits(api: ApiCase) -> None:
    readme = " ".join((GENERATED / api.package.__name__ / "README.md").read_text().split())
    runtime = api.package._base_client
    assert f"is honoured up to {runtime.MAX_RETRY_AFTER:g} s" in readme
    assert runtime.MAX_READABLE_RETRY_AFTER == 24 * 3600
    assert "more than a day away" in readme
    assert f"at most {runtime.EXCERPT_LENGTH} characters" in readme


def test_readme_and_client_docstring_state_the_runtimes_retry_and_timeout_defaults(
        api: ApiCase) -> None:
    readme = " ".join((GENERATED / api.package.__name__ / "README.md").read_text().split())
    runtime = api.package._base_client
    default = runtime.DEFAULT_TIMEOUT
    timeout = f"{default.read:g} s ({default.connect:g} s to connect)"
    delays = [runtime.INITIAL_RETRY_DELAY * 2**n for n in range(3)]
    assert f"| `timeout` | {timeout} |" in readme
    assert f"| `max_retries` | {runtime.DEFAULT_MAX_RETRIES} |" in readme
    assert (f"exponential backoff ({', '.join(f'{d:g} s' for d in delays)}, ... at most "
            f"{runtime.MAX_RETRY_DELAY:g} s, with jitter)") in readme
    statuses = sorted(runtime.RETRY_STATUSES)
    assert f"the statuses {', '.join(map(str, statuses[:-1]))} and {statuses[-1]} are" in readme
    assert "the server answered {} or {},".format(*sorted(runtime.NOT_ACTED_ON_STATUSES)) in readme
    docstring = " ".join((api.package.Client.__doc__ or "").split())
    assert (f"`timeout` defaults to {timeout}, `max_retries` to {runtime.DEFAULT_MAX_RETRIES}."
            in docstring)


def test_the_generator_reads_the_runtimes_names_as_python_does(api: ApiCase) -> None:
    # imported by name: `_model_bases` is imported when a model is first used, not with the package
    modules = [importlib.import_module(f"{api.package.__name__}.{name.removesuffix('.py')}")
               for name in runtime.RUNTIME_FILES]
    assert runtime.public_names() == {name for module in modules for name in module.__all__}
    assert runtime.per_call_options() == api.package._base_client.PER_CALL_OPTIONS


def test_every_public_attribute_of_a_client_is_one_a_resource_may_not_take(api: ApiCase) -> None:
    """naming.CLIENT_ATTRIBUTES is the list a resource name must avoid; it must hold every
    public attribute the runtime gives a client (methods of its bases, what __init__ sets), or a
    resource could hide one."""
    for client_class in (api.package.Client, api.package.AsyncClient):
        client = client_class(base_url="http://127.0.0.1:9", **api.credentials)
        try:
            own = set(vars(client_class)) | set(vars(client))
            resources = {name for name in own if not name.startswith("_")
                         and type(getattr(client, name)).__name__.endswith("Resource")}
            runtime_attributes = {name for name in dir(client) if not name.startswith("_")}
            assert runtime_attributes - resources <= naming.CLIENT_ATTRIBUTES
        finally:
            close = client.close()
            if inspect.isawaitable(close):
                asyncio.run(close)

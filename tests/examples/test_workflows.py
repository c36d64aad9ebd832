"""The vendor workflow examples (examples/<vendor>_workflow.py) run end to end against a local
server that checks every request against specs/<vendor>.yaml, and pass mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS, generated_import_path, mypy_strict
from tests.http_server import refused_url
from tests.runtime.conftest import CASES
from tests.spec_server import SpecServer

EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures"
WORKFLOWS = sorted(EXAMPLES.glob("*_workflow.py"))

# The fewest distinct operations each vendor's workflow calls: one per step issue 15 lists
# (Fivetran: create group, create destination, run setup tests, create connection, update its
# schema config, trigger a sync, poll its status; Stitch: get a report card, create a source,
# read the connection check, select streams, start replication, poll extractions).
MIN_OPERATIONS = {"fivetran": 7, "stitch": 6}

API_CASES = {case.name: case for case in CASES}  # each vendor's dummy credentials


def vendor_of(workflow: Path) -> str:
    return workflow.stem.removesuffix("_workflow")


def run_workflow(script: Path, vendor: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str],
                                                                SpecServer]:
    """Run `script` against a SpecServer of specs/<vendor>.yaml; the finished process and the
    server with what it saw."""
    case = API_CASES[vendor]
    prefixes = tuple(f"{name.upper()}_" for name in API_CASES)
    # nothing from the machine's own vendor settings; only the dummy credentials below
    env = {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}
    # A request that is not for the local server goes to a proxy that refuses it: a script
    # that ignores <PREFIX>_BASE_URL fails instead of reaching the vendor.
    refused = refused_url()
    env |= {"HTTP_PROXY": refused, "HTTPS_PROXY": refused, "ALL_PROXY": refused,
            "NO_PROXY": "127.0.0.1", "PYTHONPATH": generated_import_path()}
    with SpecServer(SPECS / f"{vendor}.yaml") as server:
        env |= case.env | {f"{vendor.upper()}_BASE_URL": server.url}
        result = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env,
                                capture_output=True, text=True, timeout=120)
    return result, server


def check_run(result: subprocess.CompletedProcess[str], server: SpecServer, vendor: str) -> None:
    """The script succeeded, and every request it sent was valid and carried its credentials."""
    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, f"{server.report()}\n{output}"
    assert server.failures == [], f"invalid requests:\n{server.report()}\n{output}"
    authorization = API_CASES[vendor].authorization
    assert {call.request.headers.get("authorization") for call in server.calls} == {
        authorization}, "a request without the credentials from the environment"


def test_each_vendor_has_a_workflow_example() -> None:
    # the parametrized test below runs no case at all when examples/ holds no workflow
    found = sorted(vendor_of(workflow) for workflow in WORKFLOWS)
    assert found == sorted(MIN_OPERATIONS), (
        f"examples/ has workflows for {found}, expected one per vendor of MIN_OPERATIONS "
        f"({sorted(MIN_OPERATIONS)}) as examples/<vendor>_workflow.py"
    )


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=vendor_of)
def test_workflow_runs_against_the_spec(workflow: Path, tmp_path: Path) -> None:
    vendor = vendor_of(workflow)
    assert vendor in MIN_OPERATIONS, f"add the fewest operations {workflow.name} calls"
    assert (SPECS / f"{vendor}.yaml").is_file(), f"no spec specs/{vendor}.yaml"
    result, server = run_workflow(workflow, vendor, tmp_path)
    check_run(result, server, vendor)
    called = server.operations_called
    assert len(called) >= MIN_OPERATIONS[vendor], (
        f"{workflow.name} called {len(called)} operations ({sorted(called)}), expected at "
        f"least {MIN_OPERATIONS[vendor]}, one per step of the workflow"
    )


def test_the_harness_runs_a_workflow_and_sees_each_operation(tmp_path: Path) -> None:
    result, server = run_workflow(FIXTURES / "stitch_mini_workflow.py", "stitch", tmp_path)
    check_run(result, server, "stitch")
    assert server.operations_called == {"get_destination_type", "create_destination",
                                        "list_destinations", "delete_destination"}
    assert "deleted destination 337658" in result.stdout  # the id of the spec's example


def test_the_harness_fails_a_workflow_that_sends_an_invalid_request(tmp_path: Path) -> None:
    script = tmp_path / "invalid.py"
    script.write_text(
        "from stitch_client import Stitch\n"
        "with Stitch() as client:\n"
        "    client.destinations.list(extra_query={'not_in_the_spec': '1'})\n",
        encoding="utf-8",
    )
    result, server = run_workflow(script, "stitch", tmp_path)
    assert result.returncode != 0
    assert [call.problems for call in server.failures] == [
        ["query parameter 'not_in_the_spec' is not declared"]]
    assert "query parameter 'not_in_the_spec' is not declared" in result.stderr


def test_examples_pass_mypy_strict(tmp_path: Path) -> None:
    scripts = sorted(EXAMPLES.glob("*.py")) + sorted(FIXTURES.glob("*.py"))
    result = mypy_strict(*scripts, cwd=tmp_path, mypy_path=generated_import_path())
    assert result.returncode == 0, result.stdout + result.stderr

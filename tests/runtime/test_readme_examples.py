"""Every ```python block of each generated README runs, in order and in one namespace (later
blocks use the `client` of the first), against a local server that checks each request against
the vendor's spec: the README's examples are valid calls, not sketches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import GENERATED
from tests.examples.test_workflows import run_workflow

VENDORS = ("fivetran", "stitch")
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def readme_script(readme: Path) -> tuple[str, int]:
    """The README's python blocks as one script (each headed by the README line it starts at),
    and how many blocks there are."""
    text = readme.read_text(encoding="utf-8")
    blocks = [(text.count("\n", 0, match.start()) + 2, match.group(1))
              for match in _PYTHON_BLOCK.finditer(text)]
    script = "\n".join(f"# README.md line {line}\n{code}" for line, code in blocks)
    return script, len(blocks)


@pytest.mark.parametrize("vendor", VENDORS)
def test_readme_examples_run_against_the_spec(vendor: str, tmp_path: Path) -> None:
    readme = GENERATED / f"{vendor}_client" / "README.md"
    script, count = readme_script(readme)
    # the usage block, async, raw responses, logging, one per resource, errors at the least
    assert count >= 5, f"{readme} has only {count} python blocks"
    assert "..." not in re.sub(r"^\s*\.\.\.$|\"\.\.\.\"", "", script, flags=re.MULTILINE), (
        "an argument left as `...` (only a credential placeholder or an empty body may be)")
    path = tmp_path / "readme_examples.py"
    path.write_text(script, encoding="utf-8")
    result, server = run_workflow(path, vendor, tmp_path)
    output = f"script:\n{script}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, f"{server.report()}\n{output}"
    assert server.failures == [], f"invalid requests:\n{server.report()}\n{output}"
    # each resource's example, and the paginated ones, reached the server
    calls = len(re.findall(r"^(?:result|response|page) = client\.", script, re.MULTILINE))
    assert len(server.calls) >= calls, f"{server.report()}\n{output}"

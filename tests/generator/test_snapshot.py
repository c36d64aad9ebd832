"""The golden snapshot: generated/ is exactly what the generator makes of specs/ today.

Set CLIENTGEN_UPDATE_SNAPSHOTS=1 to rewrite generated/ on purpose (then review its diff).
"""

from __future__ import annotations

import os

import pytest
from clientgen.config import Target, configured_targets
from clientgen.pipeline import generate_package
from clientgen.write import compare_package, write_package

from tests.conftest import ROOT

TARGETS = configured_targets(ROOT)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.out.name)
def test_generated_tree_matches_the_spec(target: Target) -> None:
    result = generate_package(target.spec, target.package)
    if os.environ.get("CLIENTGEN_UPDATE_SNAPSHOTS") == "1":
        write_package(result.files, target.out)
    report = compare_package(result.files, target.out, with_diff=True)
    assert not report, "generated/ is stale; run `clientgen generate`:\n" + "\n".join(report[:80])


def test_every_bundled_spec_is_configured() -> None:
    configured = {t.spec.resolve() for t in TARGETS}
    assert configured == {p.resolve() for p in (ROOT / "specs").glob("*.yaml")}

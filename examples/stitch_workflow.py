"""Set up and run a Stitch data source end to end with the generated client (`stitch_client`).

The workflow, one Connect API call (or a bounded poll) per step:

1. get the source type's report card and check the account may use the type;
2. create the source with the properties the report card requires;
3. read the source's last connection check, until it is no longer running;
4. select the source's streams for replication;
5. start a replication job;
6. poll the account's last extractions until the source's has completed.

Configuration, from the environment:

- `STITCH_ACCESS_TOKEN` (required) and `STITCH_BASE_URL` (optional): read by the client itself;
- `STITCH_SOURCE_TYPE`: the source type (default `platform.hubspot`);
- `STITCH_SOURCE_NAME`: the new source's display name (default `Stitch workflow example`);
- `STITCH_SOURCE_PROPERTIES`: a JSON object of form properties, merged over the defaults
  (`start_date` and `frequency_in_minutes`);
- `STITCH_STREAMS`: comma-separated `tap_stream_id`s to select (default: every stream);
- `STITCH_POLL_ATTEMPTS` / `STITCH_POLL_SECONDS`: how often and how far apart to poll
  (default 30 attempts, 10 s apart).

Prints what it does; exits 0 when the source's extraction completed without error, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from stitch_client import APIStatusError, Stitch, models

DEFAULT_PROPERTIES: dict[str, Any] = {
    "start_date": "2017-01-01T00:00:00Z",
    "frequency_in_minutes": "30",
}


class WorkflowError(Exception):
    """A step did not end the way the workflow needs."""


def poll_settings() -> tuple[int, float]:
    attempts = int(os.environ.get("STITCH_POLL_ATTEMPTS", "30"))
    seconds = float(os.environ.get("STITCH_POLL_SECONDS", "10"))
    return max(attempts, 1), max(seconds, 0.0)


def source_properties() -> dict[str, Any]:
    properties = dict(DEFAULT_PROPERTIES)
    extra = os.environ.get("STITCH_SOURCE_PROPERTIES")
    if extra:
        parsed = json.loads(extra)
        if not isinstance(parsed, dict):
            raise WorkflowError("STITCH_SOURCE_PROPERTIES must be a JSON object")
        properties.update(parsed)
    return properties


def required_form_properties(report_card: models.SourceReportCard) -> list[str]:
    """The properties of the `form` step the user must provide."""
    return [
        prop.name
        for step in report_card.steps
        if step.type == models.SourceConnectionStepType.form
        for prop in step.properties
        if prop.is_required
        and prop.property_type == models.SourceReportCardPropertyPropertyType.user_provided
    ]


def get_report_card(client: Stitch, source_type: str) -> models.SourceReportCard:
    print(f"1. Getting the report card of source type {source_type!r}")
    report_card = client.source_types.get(source_type=source_type)
    details = report_card.details
    if details is not None and not details.access:
        raise WorkflowError(f"this account's plan has no access to {source_type!r}")
    steps = ", ".join(str(step.type.value) for step in report_card.steps)
    print(f"   steps: {steps}")
    return report_card


def create_source(
    client: Stitch, source_type: str, report_card: models.SourceReportCard
) -> models.Source:
    properties = source_properties()
    missing = [name for name in required_form_properties(report_card) if name not in properties]
    if missing:
        raise WorkflowError(
            f"required properties missing (set them in STITCH_SOURCE_PROPERTIES): {missing}"
        )
    display_name = os.environ.get("STITCH_SOURCE_NAME", "Stitch workflow example")
    print(f"2. Creating source {display_name!r} with properties {sorted(properties)}")
    source = client.sources.create(
        display_name=display_name, type_=source_type, properties=properties
    )
    print(f"   created source {source.id} ({source.report_card.current_step_type})")
    return source


def wait_for_connection_check(client: Stitch, source_id: int) -> models.ConnectionCheck:
    attempts, seconds = poll_settings()
    print("3. Reading the source's last connection check")
    for attempt in range(1, attempts + 1):
        check = client.connection_checks.get_last_for_source(source_id=source_id)
        print(f"   attempt {attempt}: {check.status.value}")
        if check.status == models.ConnectionCheckStatus.failed:
            raise WorkflowError(
                f"connection check {check.name} failed: "
                f"{check.discovery_error_message or check.tap_error_message}"
            )
        if check.status != models.ConnectionCheckStatus.running:
            return check
        time.sleep(seconds)
    raise WorkflowError(f"the connection check still ran after {attempts} attempts")


def select_streams(client: Stitch, source_id: int) -> list[str]:
    print("4. Selecting streams")
    streams = client.streams.list(source_id=source_id)
    wanted = {s.strip() for s in os.environ.get("STITCH_STREAMS", "").split(",") if s.strip()}
    chosen = [s.tap_stream_id for s in streams if not wanted or s.tap_stream_id in wanted]
    if not chosen:
        raise WorkflowError(f"no stream to select among {[s.tap_stream_id for s in streams]}")
    result = client.streams.update_metadata(
        source_id,
        streams=[
            {
                "tap_stream_id": tap_stream_id,
                "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}],
            }
            for tap_stream_id in chosen
        ],
    )
    print(f"   selected {chosen} (status {result.status})")
    return chosen


def start_replication(client: Stitch, source_id: int) -> None:
    print("5. Starting a replication job")
    job = client.replication_jobs.start(source_id=source_id)
    if isinstance(job, models.ReplicationJob):
        print(f"   started job {job.job_name}")
    elif job.error.type == "already_running":
        # Stitch runs one job per source at a time; the running one will do.
        print(f"   a job is already running: {job.error.message}")
    else:
        raise WorkflowError(f"the job did not start: {job.error.type}: {job.error.message}")


def find_extraction(
    client: Stitch, stitch_client_id: int, source_id: int
) -> models.Extraction | None:
    """The source's last completed extraction, looked up page by page."""
    page = 1
    while True:
        extractions = client.extractions.list(stitch_client_id=stitch_client_id, page=page)
        for extraction in extractions.data:
            if extraction.source_id == source_id and extraction.completion_time is not None:
                return extraction
        if extractions.links is None or extractions.links.next is None:
            return None
        page += 1


def wait_for_extraction(client: Stitch, stitch_client_id: int, source_id: int) -> None:
    # The source was created above, so its last extraction is the one this job ran.
    attempts, seconds = poll_settings()
    print("6. Polling the account's last extractions")
    for attempt in range(1, attempts + 1):
        extraction = find_extraction(client, stitch_client_id, source_id)
        if extraction is None:
            print(f"   attempt {attempt}: no completed extraction yet")
            time.sleep(seconds)
            continue
        statuses = {
            "discovery": extraction.discovery_exit_status,
            "tap": extraction.tap_exit_status,
            "target": extraction.target_exit_status,
        }
        print(f"   extraction {extraction.job_name} completed at {extraction.completion_time}")
        failed = {phase: status for phase, status in statuses.items() if status}
        if failed:
            raise WorkflowError(f"the extraction failed {failed}: {extraction.tap_description}")
        return
    raise WorkflowError(f"no completed extraction after {attempts} attempts")


def main() -> int:
    source_type = os.environ.get("STITCH_SOURCE_TYPE", "platform.hubspot")
    try:
        with Stitch() as client:
            report_card = get_report_card(client, source_type)
            source = create_source(client, source_type, report_card)
            wait_for_connection_check(client, source.id)
            select_streams(client, source.id)
            start_replication(client, source.id)
            wait_for_extraction(client, source.stitch_client_id, source.id)
    except (WorkflowError, APIStatusError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("done: the source replicated its selected streams")
    return 0


if __name__ == "__main__":
    sys.exit(main())

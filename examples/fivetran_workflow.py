"""A data team's Fivetran workflow, end to end, with the generated client.

Creates a group, an Azure Data Lake Storage destination in it, runs the destination's setup
tests, creates an Azure Service Bus connection, chooses what it syncs (schema config), triggers a
sync and polls the connection until the sync is done.

    pip install generated/fivetran_client
    FIVETRAN_API_KEY=... FIVETRAN_API_SECRET=... python examples/fivetran_workflow.py

The client reads FIVETRAN_API_KEY, FIVETRAN_API_SECRET and FIVETRAN_BASE_URL. The destination and
the source are described by the variables below (their defaults are the reference pages' sample
values); FIVETRAN_POLL_ATTEMPTS and FIVETRAN_POLL_SECONDS bound the wait for the sync.
Exit status: 0 when the sync succeeded, 1 when a setup test or the sync failed or the sync was
not done after the last poll.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime

from fivetran_client import Fivetran, models


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def sync_finished(
    connection: models.AzureServiceBusConnection | models.OtherServiceConnection,
    succeeded_before: datetime | None,
) -> bool:
    """Done when the connection is not syncing and has succeeded since the sync was triggered."""
    status = connection.status
    syncing = (
        status is not None
        and status.sync_state == models.ConnectionStatusSyncState.syncing
    )
    return (
        not syncing
        and connection.succeeded_at is not None
        and connection.succeeded_at != succeeded_before
    )


def main() -> int:
    attempts = int(env("FIVETRAN_POLL_ATTEMPTS", "30"))
    interval = float(env("FIVETRAN_POLL_SECONDS", "10"))
    with Fivetran() as client:
        group = client.groups.create(
            name=env("FIVETRAN_GROUP_NAME", "clientgen_workflow")
        )
        print(f"created group {group.id} ({group.name})")

        destination = client.destinations.create(  # typed: models.AdlsDestination
            group_id=group.id,
            service="adls",
            region="GCP_US_EAST4",
            time_zone_offset="0",
            run_setup_tests=False,
            config={
                "storage_account_name": env(
                    "ADLS_STORAGE_ACCOUNT", "adls_storage_account_name"
                ),
                "container_name": env("ADLS_CONTAINER", "adls_container_name"),
                "prefix_path": env("ADLS_PREFIX_PATH", "adls_container_path_prefix"),
                "tenant_id": env("ADLS_TENANT_ID", "service_principal_tenant_id"),
                "client_id": env("ADLS_CLIENT_ID", "service_principal_client_id"),
                "secret_value": env(
                    "ADLS_SECRET_VALUE", "service_principal_secret_value"
                ),
            },
        )
        print(f"created destination {destination.id} ({destination.service})")
        destination_id = (
            destination.id or group.id
        )  # a destination's id is its group's id

        tested = client.destinations.run_setup_tests(
            destination_id, trust_certificates=True, trust_fingerprints=True
        )
        failed = [
            t
            for t in tested.setup_tests or []
            if t.status not in ("PASSED", "SKIPPED", None)
        ]
        for test in tested.setup_tests or []:
            print(f"destination setup test {test.title!r}: {test.status}")
        if failed:
            print("the destination's setup tests failed", file=sys.stderr)
            return 1

        connection = client.connections.create(
            group_id=group.id,
            service="azure_service_bus",
            run_setup_tests=True,
            paused=False,
            config={
                "schema": env("ASB_SCHEMA", "asb_events"),
                "auth_type": "ConnectionString",
                "connection_string": env("ASB_CONNECTION_STRING", "Connection String"),
                "message_type": "Json",
                "sync_type": "Packed",
                "connection_method": "DIRECT",
            },
        )
        if connection.id is None:
            print("the new connection has no id", file=sys.stderr)
            return 1
        print(f"created connection {connection.id} ({connection.service})")
        succeeded_before = connection.succeeded_at
        failed_before = connection.failed_at

        schema_name = env("FIVETRAN_SCHEMA_NAME", "schema_name")
        table_name = env("FIVETRAN_TABLE_NAME", "table_name")
        config = client.connection_schemas.update_config(
            connection.id,
            schema_change_handling="BLOCK_ALL",
            schemas={
                schema_name: {"enabled": True, "tables": {table_name: {"enabled": True}}}
            },
        )
        print(
            f"schema config: {config.schema_change_handling}, schemas {sorted(config.schemas)}"
        )

        triggered = client.connections.sync(connection.id, force=False)
        print(f"sync: {triggered.message}")

        for attempt in range(1, attempts + 1):
            current = client.connections.get(connection_id=connection.id)
            state = current.status.sync_state if current.status else None
            print(
                f"poll {attempt}/{attempts}: sync_state={state} succeeded_at={current.succeeded_at}"
            )
            if current.failed_at is not None and current.failed_at != failed_before:
                print(f"the sync failed at {current.failed_at}", file=sys.stderr)
                return 1
            if sync_finished(current, succeeded_before):
                print(f"sync done at {current.succeeded_at}")
                return 0
            if attempt < attempts:
                time.sleep(interval)
        print(f"the sync was not done after {attempts} polls", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

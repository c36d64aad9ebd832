"""Deterministic synthetic OpenAPI 3.0.3 spec shaped like a large vendor spec.

The shape follows Fivetran's public REST API spec (about 2,900 component schemas and 170
operations), which is what makes it slow for generators:

* per-service ``config`` polymorphism: base schemas (``NewConnectorRequestV1``,
  ``ConnectorResponseV1``, ``NewDestinationRequestV1``, ``DestinationResponseV1``) declare a
  ``discriminator`` with ``propertyName: service`` and a ``mapping`` to one child per service;
  each child is ``allOf: [{$ref: Base}, {properties: {config: {$ref: <service>_config_V1}}}]``;
* every service has its own ``config`` schema with different fields under the same property
  names (``reports``, ``advanced_settings``, ``ssh_tunnel`` ...), inline nested objects, arrays
  of inline objects, inline enums, ``format: password`` secrets and ``nullable`` fields, so a
  generator that names inline models by property name produces many colliding names;
* ``allOf`` chains 3-4 levels deep (``Timestamped`` <- ``AuditedObject`` <- ``ConnectorCommon``
  <- ``ConnectorResponseV1`` <- ``<service>_ConnectorResponseV1``);
* response envelopes (``{code, message, data}``), cursor-paginated list operations
  (``cursor`` / ``limit`` query parameters, ``next_cursor`` in the body), path parameters,
  request bodies, tags, HTTP basic auth.

``--scale N`` multiplies the number of services (schemas) and resources (operations) by N:
scale 1 gives about 2,950 schemas and 168 operations, scale 10 about 29,000 and 1,680.

The output depends only on the scale (and the flags): every random choice comes from a
``random.Random`` seeded with a fixed string per service or resource, nothing reads the clock
or ``hash()``, and service ``i`` is the same at every scale, so scale 10 is a superset in shape
of scale 1.

Usage::

    python benchmarks/make_spec.py --scale 1 -o out.json
    python benchmarks/make_spec.py --scale 10 -o out.yaml --format yaml

or from Python: ``from make_spec import build_spec; spec = build_spec(1)``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

Schema = dict[str, Any]

SEED = "clientgen-benchmark-v1"

# Per unit of scale.
CONNECTOR_SERVICES = 570
DESTINATION_SERVICES = 30
OPERATIONS = 168
CONNECTOR_OPERATIONS = 12
DESTINATION_OPERATIONS = 6
RESOURCE_OPERATIONS = 10

REF = "#/components/schemas/"


def ref(name: str) -> Schema:
    return {"$ref": REF + name}


# --------------------------------------------------------------------------------------------
# Names


_ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "qu", "r", "s", "t",
           "v", "w", "z", "br", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "tr", "ch"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODAS = ["", "", "", "n", "r", "s", "x", "l", "m", "t", "ck", "nd", "rt"]
_SUFFIXES = ["", "", "", "ads", "analytics", "crm", "db", "sql", "storage", "sheets", "mail",
             "pay", "hr", "desk", "cloud", "events", "marketing", "commerce", "support", "forms",
             "search", "social", "files", "reports", "billing"]


def _word(rng: random.Random) -> str:
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
        for _ in range(rng.randint(2, 3))
    )


def _unique_names(kind: str, count: int, with_suffix: bool) -> list[str]:
    """``count`` distinct snake_case names; name ``i`` does not depend on ``count``."""
    names: list[str] = []
    seen: set[str] = set()
    for index in range(count):
        attempt = 0
        while True:
            rng = random.Random(f"{SEED}:{kind}-name:{index}:{attempt}")
            name = _word(rng)
            suffix = rng.choice(_SUFFIXES) if with_suffix else ""
            if suffix:
                name = f"{name}_{suffix}"
            if name not in seen:
                break
            attempt += 1
        seen.add(name)
        names.append(name)
    return names


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


# Resources of the scale-1 spec; larger scales add generated names.
_RESOURCES = [
    ("group", "groups"), ("user", "users"), ("team", "teams"), ("role", "roles"),
    ("webhook", "webhooks"), ("transformation", "transformations"),
    ("certificate", "certificates"), ("fingerprint", "fingerprints"),
    ("private_link", "private_links"), ("proxy_agent", "proxy_agents"),
    ("hybrid_agent", "hybrid_agents"), ("log_service", "log_services"),
    ("system_key", "system_keys"), ("project", "projects"), ("job", "jobs"),
]
_SUB_RESOURCES = [("member", "members"), ("permission", "permissions"),
                  ("connection", "connections"), ("key", "keys"), ("grant", "grants"),
                  ("label", "labels"), ("run", "runs")]


def _resources(count: int) -> list[tuple[str, str]]:
    out = list(_RESOURCES[:count])
    extra = _unique_names("resource", max(0, count - len(out)) + len(_RESOURCES), False)
    known = {singular for singular, _ in out}
    for word in extra:
        if len(out) >= count:
            break
        if word not in known:
            known.add(word)
            out.append((word, word + "s"))
    return out


# --------------------------------------------------------------------------------------------
# Fields of per-service config schemas

_STRING_FIELDS = [
    "host", "user", "database", "schema_prefix", "account_id", "bucket", "prefix", "pattern",
    "table_name", "site_id", "domain", "subdomain", "endpoint", "project_id", "dataset_id",
    "workspace", "org_id", "tenant_id", "company_id", "base_url", "folder_id", "sheet_id",
    "catalog", "warehouse", "role", "external_id", "app_id", "advertiser_id", "profile_id",
    "customer_id", "view_id", "property_id", "namespace", "instance", "server", "path",
    "file_pattern", "null_sequence", "delimiter", "escape_char", "time_zone", "currency",
    "language", "api_version", "public_key", "tunnel_host", "tunnel_user", "replica_id",
]
_PASSWORD_FIELDS = [
    "password", "api_key", "api_secret", "client_secret", "secret_key", "access_token",
    "refresh_token", "private_key", "passphrase", "api_token", "consumer_secret",
    "token_secret", "webhook_secret", "secret",
]
_INTEGER_FIELDS = [
    "port", "tunnel_port", "skip_before", "skip_after", "sync_window_days", "timeout_seconds",
    "page_size", "lookback_window", "max_rows", "report_delay", "history_days",
]
_BOOLEAN_FIELDS = [
    "always_encrypted", "is_public", "use_api_keys", "is_secure", "enable_archive",
    "is_sandbox", "include_deleted", "sync_formulas", "is_multi_entity", "use_webhooks",
    "skip_empty", "is_private_link_required", "compress", "use_ssl",
]
_DATE_FIELDS = [("start_date", "date"), ("start_time", "date-time"),
                ("last_synced_at", "date-time"), ("end_date", "date"),
                ("callback_url", "uri"), ("login_email", "email")]
_ENUM_FIELDS: dict[str, list[str]] = {
    "sync_mode": ["AllAccounts", "SpecificAccounts", "AllProjects", "SpecificProjects"],
    "update_method": ["BINLOG", "TELEPORT", "XMIN", "WAL", "QUERY_BASED"],
    "connection_type": ["Directly", "SshTunnel", "PrivateLink", "ProxyAgent"],
    "auth_type": ["OAuth", "ApiKey", "Basic", "ServiceAccount", "AccessToken"],
    "file_type": ["infer", "csv", "json", "tsv", "avro", "parquet", "xml", "log", "jsonl"],
    "compression": ["infer", "uncompressed", "gzip", "bz2", "zip"],
    "on_error": ["fail", "skip"],
    "append_file_option": ["upsert_file", "append_file"],
    "region": ["US", "EU", "APAC", "CA", "AU", "UK"],
    "environment": ["production", "sandbox", "staging"],
    "api_type": ["REST", "SOAP", "BULK", "GRAPHQL"],
    "aggregation": ["Day", "Week", "Month", "Quarter"],
    "frequency": ["DAILY", "HOURLY", "WEEKLY", "MONTHLY"],
    "report_type": ["STANDARD", "CUSTOM", "PREBUILT"],
    "timeframe_months": ["THREE", "SIX", "TWELVE", "TWENTY_FOUR", "ALL_TIME"],
}
_ARRAY_FIELDS = [
    "accounts", "tables", "schemas", "profiles", "advertisers", "sites", "metrics",
    "dimensions", "fields", "events", "projects", "packed_mode_tables", "breakdowns",
    "action_breakdowns", "segments", "organizations", "channels", "repositories",
]
# Inline objects, shared property names whose shape differs per service.
_OBJECT_FIELDS = ["advanced_settings", "ssh_tunnel", "pdb_settings", "oauth", "proxy",
                  "source_settings", "replication", "file_settings"]
_OBJECT_ARRAY_FIELDS = ["reports", "custom_tables", "secrets_list", "project_credentials",
                        "custom_reports", "accounts_config", "report_configs"]


class _Fields:
    """Random field schemas for one service, from that service's own random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def nullable(self, schema: Schema, chance: float = 0.15) -> Schema:
        if self.rng.random() < chance:
            schema["nullable"] = True
        return schema

    def describe(self, schema: Schema, name: str) -> Schema:
        if self.rng.random() < 0.6:
            schema["description"] = f"The `{name}` setting. " + self.rng.choice([
                "Required for the initial sync.", "Leave empty to use the default.",
                "Only used when the connection type is `SshTunnel`.",
                "Changes take effect on the next sync.", "See the setup guide.",
            ])
        return schema

    def scalar(self) -> tuple[str, Schema]:
        kind = self.rng.choices(
            ["string", "password", "integer", "boolean", "date", "enum", "array"],
            weights=[30, 12, 10, 10, 6, 14, 10],
        )[0]
        return self._scalar_of(kind)

    def _scalar_of(self, kind: str) -> tuple[str, Schema]:
        rng = self.rng
        if kind == "string":
            return rng.choice(_STRING_FIELDS), self.nullable({"type": "string"})
        if kind == "password":
            return rng.choice(_PASSWORD_FIELDS), {"type": "string", "format": "password"}
        if kind == "integer":
            schema: Schema = {"type": "integer", "format": rng.choice(["int32", "int64"])}
            if rng.random() < 0.3:
                schema["minimum"] = 0
            return rng.choice(_INTEGER_FIELDS), self.nullable(schema)
        if kind == "boolean":
            schema = {"type": "boolean"}
            if rng.random() < 0.3:
                schema["default"] = rng.choice([True, False])
            return rng.choice(_BOOLEAN_FIELDS), schema
        if kind == "date":
            name, fmt = rng.choice(_DATE_FIELDS)
            return name, self.nullable({"type": "string", "format": fmt})
        if kind == "enum":
            name = rng.choice(sorted(_ENUM_FIELDS))
            values = _ENUM_FIELDS[name]
            chosen = sorted(rng.sample(values, rng.randint(2, len(values))), key=values.index)
            return name, {"type": "string", "enum": chosen}
        name = rng.choice(_ARRAY_FIELDS)
        item: Schema = {"type": "string"}
        if rng.random() < 0.2:
            item = {"type": "integer", "format": "int64"}
        return name, {"type": "array", "items": item}

    def object(self, depth: int) -> Schema:
        properties: dict[str, Schema] = {}
        for _ in range(self.rng.randint(2, 6)):
            if depth > 0 and self.rng.random() < 0.15:
                name = self.rng.choice(_OBJECT_FIELDS)
                properties.setdefault(name, self.object(depth - 1))
            else:
                name, schema = self.scalar()
                properties.setdefault(name, self.describe(schema, name))
        schema = {"type": "object", "properties": properties}
        if self.rng.random() < 0.3:
            schema["required"] = [next(iter(properties))]
        return schema

    def config(self) -> Schema:
        rng = self.rng
        properties: dict[str, Schema] = {}
        for _ in range(rng.randint(4, 16)):
            roll = rng.random()
            if roll < 0.10:
                name = rng.choice(_OBJECT_FIELDS)
                schema = self.object(depth=2)
            elif roll < 0.20:
                name = rng.choice(_OBJECT_ARRAY_FIELDS)
                schema = {"type": "array", "items": self.object(depth=1)}
            else:
                name, schema = self.scalar()
            properties.setdefault(name, self.describe(schema, name))
        config: Schema = {"type": "object", "properties": properties}
        required = [name for name in properties if rng.random() < 0.15]
        if required:
            config["required"] = required
        return config

    def auth(self) -> Schema:
        rng = self.rng
        client_access: Schema = {
            "type": "object",
            "properties": {
                "client_id": {"type": "string", "description": "OAuth client ID."},
                "client_secret": {"type": "string", "format": "password"},
            },
        }
        if rng.random() < 0.4:
            client_access["properties"]["user_agent"] = {"type": "string", "nullable": True}
        properties: dict[str, Schema] = {"client_access": client_access}
        for name in rng.sample(["refresh_token", "access_token", "api_key", "private_key"], 2):
            properties[name] = {"type": "string", "format": "password"}
        if rng.random() < 0.5:
            properties[rng.choice(["realm_id", "account_id", "user_id", "instance_url"])] = {
                "type": "string"
            }
        return {"type": "object", "properties": properties}


# --------------------------------------------------------------------------------------------
# Shared schemas


def _shared_schemas(connectors: Sequence[str], destinations: Sequence[str]) -> dict[str, Schema]:
    s: dict[str, Schema] = {}
    s["ErrorResponse"] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "example": "NotFound_Connection"},
            "message": {"type": "string"},
            "details": {"type": "object", "additionalProperties": {"type": "string"},
                        "nullable": True},
        },
    }
    s["SimpleResponse"] = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    }
    s["SyncFrequency"] = {
        "type": "integer",
        "description": "Minutes between syncs.",
        "enum": [1, 5, 15, 30, 60, 120, 180, 360, 480, 720, 1440],
    }
    s["ScheduleType"] = {"type": "string", "enum": ["auto", "manual"]}
    s["SetupState"] = {"type": "string", "enum": ["incomplete", "connected", "broken"]}
    s["SyncState"] = {"type": "string", "enum": ["scheduled", "syncing", "paused", "rescheduled"]}
    s["DataDelaySensitivity"] = {"type": "string",
                                 "enum": ["LOW", "NORMAL", "HIGH", "CUSTOM", "SYNC_FREQUENCY"]}
    s["NetworkingMethod"] = {"type": "string",
                             "enum": ["Directly", "SshTunnel", "ProxyAgent", "PrivateLink"]}
    s["Timestamped"] = {
        "type": "object",
        "properties": {
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    }
    s["AuditedObject"] = {
        "allOf": [
            ref("Timestamped"),
            {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "description": "The unique identifier."},
                    "created_by": {"type": "string", "nullable": True},
                },
            },
        ]
    }
    s["SetupTestResult"] = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "status": {"type": "string", "enum": ["PASSED", "SKIPPED", "WARNING", "FAILED"]},
            "message": {"type": "string", "nullable": True},
            "details": {"type": "object", "additionalProperties": True},
        },
    }
    s["ConnectorStatus"] = {
        "type": "object",
        "properties": {
            "setup_state": ref("SetupState"),
            "sync_state": ref("SyncState"),
            "update_state": {"type": "string", "enum": ["on_schedule", "delayed"]},
            "is_historical_sync": {"type": "boolean"},
            "tasks": {"type": "array", "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }},
            "warnings": {"type": "array", "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                               "details": {"type": "object", "additionalProperties": True}},
            }},
        },
    }
    s["ConnectorCommon"] = {
        "allOf": [
            ref("AuditedObject"),
            {
                "type": "object",
                "properties": {
                    "service": {"type": "string", "description": "The connector type."},
                    "schema": {"type": "string"},
                    "paused": {"type": "boolean"},
                    "pause_after_trial": {"type": "boolean"},
                    "sync_frequency": ref("SyncFrequency"),
                    "daily_sync_time": {"type": "string", "example": "14:00"},
                    "schedule_type": ref("ScheduleType"),
                    "data_delay_sensitivity": ref("DataDelaySensitivity"),
                    "data_delay_threshold": {"type": "integer", "nullable": True},
                    "networking_method": ref("NetworkingMethod"),
                    "proxy_agent_id": {"type": "string", "nullable": True},
                    "private_link_id": {"type": "string", "nullable": True},
                    "hybrid_deployment_agent_id": {"type": "string", "nullable": True},
                },
            },
        ]
    }
    s["ConnectorResponseV1"] = {
        "allOf": [
            ref("ConnectorCommon"),
            {
                "type": "object",
                "required": ["service", "group_id"],
                "properties": {
                    "group_id": {"type": "string"},
                    "service_version": {"type": "integer"},
                    "status": ref("ConnectorStatus"),
                    "succeeded_at": {"type": "string", "format": "date-time", "nullable": True},
                    "failed_at": {"type": "string", "format": "date-time", "nullable": True},
                    "setup_tests": {"type": "array", "items": ref("SetupTestResult")},
                },
            },
        ],
        "discriminator": {
            "propertyName": "service",
            "mapping": {svc: REF + f"{svc}_ConnectorResponseV1" for svc in connectors},
        },
    }
    s["NewConnectorRequestV1"] = {
        "type": "object",
        "required": ["service", "group_id"],
        "properties": {
            "service": {"type": "string", "description": "The connector type."},
            "group_id": {"type": "string"},
            "paused": {"type": "boolean", "default": False},
            "pause_after_trial": {"type": "boolean"},
            "sync_frequency": ref("SyncFrequency"),
            "daily_sync_time": {"type": "string"},
            "schedule_type": ref("ScheduleType"),
            "trust_certificates": {"type": "boolean"},
            "trust_fingerprints": {"type": "boolean"},
            "run_setup_tests": {"type": "boolean"},
            "networking_method": ref("NetworkingMethod"),
            "proxy_agent_id": {"type": "string", "nullable": True},
        },
        "discriminator": {
            "propertyName": "service",
            "mapping": {svc: REF + f"{svc}_NewConnectorRequestV1" for svc in connectors},
        },
    }
    s["UpdateConnectorRequestV1"] = {
        "type": "object",
        "properties": {
            "paused": {"type": "boolean"},
            "pause_after_trial": {"type": "boolean"},
            "sync_frequency": ref("SyncFrequency"),
            "daily_sync_time": {"type": "string"},
            "schedule_type": ref("ScheduleType"),
            "trust_certificates": {"type": "boolean"},
            "run_setup_tests": {"type": "boolean"},
            "is_historical_sync": {"type": "boolean"},
            "proxy_agent_id": {"type": "string", "nullable": True},
        },
    }
    s["ConnectorResponseV1Envelope"] = _envelope(ref("ConnectorResponseV1"))
    s["ConnectionListResponse"] = _list_envelope(ref("ConnectorResponseV1"))
    s["SyncRequest"] = {"type": "object", "properties": {
        "force": {"type": "boolean", "default": False,
                  "description": "Restart a running sync."}}}
    s["ResyncRequest"] = {"type": "object", "properties": {
        "scope": {"type": "object", "nullable": True,
                  "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}
    s["ColumnConfig"] = {"type": "object", "properties": {
        "enabled": {"type": "boolean"}, "hashed": {"type": "boolean"},
        "name_in_destination": {"type": "string"},
        "enabled_patch_settings": {"type": "object", "properties": {
            "allowed": {"type": "boolean"},
            "reason_code": {"type": "string", "enum": ["SYSTEM_COLUMN", "DELETED", "OTHER"]},
            "reason": {"type": "string", "nullable": True}}}}}
    s["TableConfig"] = {"type": "object", "properties": {
        "enabled": {"type": "boolean"}, "name_in_destination": {"type": "string"},
        "sync_mode": {"type": "string", "enum": ["SOFT_DELETE", "HISTORY", "LIVE"]},
        "columns": {"type": "object", "additionalProperties": ref("ColumnConfig")}}}
    s["SchemaConfig"] = {"type": "object", "properties": {
        "enabled": {"type": "boolean"}, "name_in_destination": {"type": "string"},
        "tables": {"type": "object", "additionalProperties": ref("TableConfig")}}}
    s["SchemaConfigResponse"] = _envelope({"type": "object", "properties": {
        "enable_new_by_default": {"type": "boolean"},
        "schema_change_handling": {"type": "string",
                                   "enum": ["ALLOW_ALL", "ALLOW_COLUMNS", "BLOCK_ALL"]},
        "schemas": {"type": "object", "additionalProperties": ref("SchemaConfig")}}})
    s["SchemaConfigUpdateRequest"] = {"type": "object", "properties": {
        "enable_new_by_default": {"type": "boolean"},
        "schemas": {"type": "object", "additionalProperties": ref("SchemaConfig")}}}
    s["RunSetupTestsRequest"] = {"type": "object", "properties": {
        "trust_certificates": {"type": "boolean"}, "trust_fingerprints": {"type": "boolean"}}}
    s["ConnectionStateResponse"] = _envelope({"type": "object", "properties": {
        "state": {"type": "object", "additionalProperties": True}}})
    s["ConnectCardRequest"] = {"type": "object", "properties": {
        "connect_card_config": {"type": "object", "required": ["redirect_uri"], "properties": {
            "redirect_uri": {"type": "string", "format": "uri"},
            "hide_setup_guide": {"type": "boolean"}}}}}
    s["ConnectCardResponse"] = _envelope({"type": "object", "properties": {
        "connector_id": {"type": "string"},
        "connect_card": {"type": "object", "properties": {
            "token": {"type": "string", "format": "password"},
            "uri": {"type": "string", "format": "uri"}}}}})

    s["DestinationCommon"] = {
        "allOf": [
            ref("AuditedObject"),
            {
                "type": "object",
                "properties": {
                    "service": {"type": "string"},
                    "region": {"type": "string",
                               "enum": ["GCP_US_EAST4", "AWS_US_EAST_1", "AZURE_EASTUS2"]},
                    "time_zone_offset": {"type": "string"},
                    "setup_status": ref("SetupState"),
                    "networking_method": ref("NetworkingMethod"),
                    "private_link_id": {"type": "string", "nullable": True},
                },
            },
        ]
    }
    s["DestinationResponseV1"] = {
        "allOf": [
            ref("DestinationCommon"),
            {"type": "object", "required": ["service", "group_id"], "properties": {
                "group_id": {"type": "string"},
                "setup_tests": {"type": "array", "items": ref("SetupTestResult")}}},
        ],
        "discriminator": {
            "propertyName": "service",
            "mapping": {svc: REF + f"{svc}_DestinationResponseV1" for svc in destinations},
        },
    }
    s["NewDestinationRequestV1"] = {
        "type": "object",
        "required": ["service", "group_id", "region"],
        "properties": {
            "service": {"type": "string"},
            "group_id": {"type": "string"},
            "region": {"type": "string", "enum": ["GCP_US_EAST4", "AWS_US_EAST_1",
                                                   "AZURE_EASTUS2"]},
            "time_zone_offset": {"type": "string"},
            "trust_certificates": {"type": "boolean"},
            "run_setup_tests": {"type": "boolean"},
        },
        "discriminator": {
            "propertyName": "service",
            "mapping": {svc: REF + f"{svc}_NewDestinationRequestV1" for svc in destinations},
        },
    }
    s["UpdateDestinationRequestV1"] = {"type": "object", "properties": {
        "region": {"type": "string", "enum": ["GCP_US_EAST4", "AWS_US_EAST_1", "AZURE_EASTUS2"]},
        "time_zone_offset": {"type": "string"},
        "trust_certificates": {"type": "boolean"},
        "run_setup_tests": {"type": "boolean"}}}
    s["DestinationResponseV1Envelope"] = _envelope(ref("DestinationResponseV1"))
    s["DestinationListResponse"] = _list_envelope(ref("DestinationResponseV1"))
    return s


def _envelope(data: Schema) -> Schema:
    return {
        "type": "object",
        "required": ["code"],
        "properties": {
            "code": {"type": "string", "example": "Success"},
            "message": {"type": "string"},
            "data": data,
        },
    }


def _list_envelope(item: Schema) -> Schema:
    return _envelope({
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": item},
            "next_cursor": {"type": "string", "nullable": True,
                            "description": "Pass as `cursor` to get the next page."},
        },
    })


# --------------------------------------------------------------------------------------------
# Per-service schemas


def _service_schemas(connectors: Sequence[str], destinations: Sequence[str]
                     ) -> Iterator[tuple[str, Schema]]:
    for index, svc in enumerate(connectors):
        fields = _Fields(random.Random(f"{SEED}:connector:{index}"))
        config_name = f"{svc}_config_V1"
        yield config_name, fields.config()
        extra: dict[str, Schema] = {"config": ref(config_name)}
        if fields.rng.random() < 0.6:
            yield f"{svc}_auth_V1", fields.auth()
            extra["auth"] = ref(f"{svc}_auth_V1")
        yield f"{svc}_NewConnectorRequestV1", _child("NewConnectorRequestV1", extra)
        yield f"{svc}_UpdateConnectorRequestV1", _child("UpdateConnectorRequestV1", extra)
        yield f"{svc}_ConnectorResponseV1", _child(
            "ConnectorResponseV1", {"config": ref(config_name)})
    for index, svc in enumerate(destinations):
        fields = _Fields(random.Random(f"{SEED}:destination:{index}"))
        config_name = f"{svc}_destination_config_V1"
        yield config_name, fields.config()
        extra = {"config": ref(config_name)}
        yield f"{svc}_NewDestinationRequestV1", _child("NewDestinationRequestV1", extra)
        yield f"{svc}_UpdateDestinationRequestV1", _child("UpdateDestinationRequestV1", extra)
        yield f"{svc}_DestinationResponseV1", _child("DestinationResponseV1", extra)


def _child(base: str, properties: dict[str, Schema]) -> Schema:
    return {"allOf": [ref(base), {"type": "object", "properties": dict(properties)}]}


# --------------------------------------------------------------------------------------------
# Operations

_ERRORS = {
    "400": {"description": "Bad request", "content": {
        "application/json": {"schema": ref("ErrorResponse")}}},
    "404": {"description": "Not found", "content": {
        "application/json": {"schema": ref("ErrorResponse")}}},
}


def _json_body(name: str, required: bool = True) -> Schema:
    return {"required": required,
            "content": {"application/json": {"schema": ref(name)}}}


def _responses(status: str, schema: str, description: str = "Successful response") -> Schema:
    out: Schema = {status: {"description": description, "content": {
        "application/json": {"schema": ref(schema)}}}}
    out.update(_ERRORS)
    return out


def _path_param(name: str, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}}


_PAGINATION = [
    {"name": "cursor", "in": "query", "required": False,
     "description": "Paging cursor, `next_cursor` of the previous page.",
     "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "required": False,
     "description": "Number of records per page.",
     "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1000,
                "default": 100}},
]


class _Paths:
    def __init__(self, extensions: bool) -> None:
        self.paths: dict[str, Schema] = {}
        self.extensions = extensions

    def add(self, path: str, method: str, tag: str, operation_id: str, summary: str,
            responses: Schema, *, params: Sequence[Schema] = (), body: Schema | None = None,
            paginated: bool = False) -> None:
        op: Schema = {
            "tags": [tag],
            "operationId": operation_id,
            "summary": summary,
            "description": summary + ".",
        }
        parameters = list(params)
        if paginated:
            parameters.extend(_PAGINATION)
            if self.extensions:
                op["x-pagination"] = {"style": "cursor", "cursor-param": "cursor",
                                      "limit-param": "limit", "items": "data.items",
                                      "next-cursor": "data.next_cursor"}
        if parameters:
            op["parameters"] = parameters
        if body is not None:
            op["requestBody"] = body
        op["responses"] = responses
        self.paths.setdefault(path, {})[method] = op


def _connector_operations(paths: _Paths) -> None:
    tag = "Connections"
    base = "/v1/connections"
    item = base + "/{connection_id}"
    cid = _path_param("connection_id", "The unique identifier of the connection.")
    filters = [
        {"name": "group_id", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "schema", "in": "query", "required": False, "schema": {"type": "string"}},
    ]
    paths.add(base, "get", tag, "listConnections", "List connections",
              _responses("200", "ConnectionListResponse"), params=filters, paginated=True)
    paths.add(base, "post", tag, "createConnection", "Create a connection",
              _responses("201", "ConnectorResponseV1Envelope"),
              body=_json_body("NewConnectorRequestV1"))
    paths.add(item, "get", tag, "getConnection", "Retrieve connection details",
              _responses("200", "ConnectorResponseV1Envelope"), params=[cid])
    paths.add(item, "patch", tag, "modifyConnection", "Update a connection",
              _responses("200", "ConnectorResponseV1Envelope"), params=[cid],
              body=_json_body("UpdateConnectorRequestV1"))
    paths.add(item, "delete", tag, "deleteConnection", "Delete a connection",
              _responses("200", "SimpleResponse"), params=[cid])
    paths.add(item + "/sync", "post", tag, "syncConnection", "Sync connection data",
              _responses("200", "SimpleResponse"), params=[cid],
              body=_json_body("SyncRequest", required=False))
    paths.add(item + "/resync", "post", tag, "resyncConnection", "Re-sync connection data",
              _responses("200", "SimpleResponse"), params=[cid],
              body=_json_body("ResyncRequest", required=False))
    paths.add(item + "/schemas", "get", tag, "getConnectionSchemaConfig",
              "Retrieve the schema config of a connection",
              _responses("200", "SchemaConfigResponse"), params=[cid])
    paths.add(item + "/schemas", "patch", tag, "modifyConnectionSchemaConfig",
              "Update the schema config of a connection",
              _responses("200", "SchemaConfigResponse"), params=[cid],
              body=_json_body("SchemaConfigUpdateRequest"))
    paths.add(item + "/test", "post", tag, "runSetupTests", "Run connection setup tests",
              _responses("200", "ConnectorResponseV1Envelope"), params=[cid],
              body=_json_body("RunSetupTestsRequest", required=False))
    paths.add(item + "/state", "get", tag, "getConnectionState", "Retrieve the connection state",
              _responses("200", "ConnectionStateResponse"), params=[cid])
    paths.add(item + "/connect-card", "post", tag, "createConnectCard",
              "Create a Connect Card for a connection",
              _responses("200", "ConnectCardResponse"), params=[cid],
              body=_json_body("ConnectCardRequest"))


def _destination_operations(paths: _Paths) -> None:
    tag = "Destinations"
    base = "/v1/destinations"
    item = base + "/{destination_id}"
    did = _path_param("destination_id", "The unique identifier of the destination.")
    paths.add(base, "get", tag, "listDestinations", "List destinations",
              _responses("200", "DestinationListResponse"), paginated=True)
    paths.add(base, "post", tag, "createDestination", "Create a destination",
              _responses("201", "DestinationResponseV1Envelope"),
              body=_json_body("NewDestinationRequestV1"))
    paths.add(item, "get", tag, "getDestination", "Retrieve destination details",
              _responses("200", "DestinationResponseV1Envelope"), params=[did])
    paths.add(item, "patch", tag, "modifyDestination", "Update a destination",
              _responses("200", "DestinationResponseV1Envelope"), params=[did],
              body=_json_body("UpdateDestinationRequestV1"))
    paths.add(item, "delete", tag, "deleteDestination", "Delete a destination",
              _responses("200", "SimpleResponse"), params=[did])
    paths.add(item + "/test", "post", tag, "runDestinationSetupTests",
              "Run destination setup tests",
              _responses("200", "DestinationResponseV1Envelope"), params=[did],
              body=_json_body("RunSetupTestsRequest", required=False))


def _resource(paths: _Paths, schemas: dict[str, Schema], index: int, singular: str,
              plural: str) -> None:
    rng = random.Random(f"{SEED}:resource:{index}")
    fields = _Fields(rng)
    Res = _camel(singular)
    Plural = _camel(plural)
    sub_singular, sub_plural = rng.choice(_SUB_RESOURCES)
    Sub = Res + _camel(sub_singular)
    Subs = Res + _camel(sub_plural)
    tag = Plural.replace("_", " ")

    status_values = rng.sample(["ACTIVE", "INACTIVE", "PENDING", "DISABLED", "ARCHIVED",
                                "FAILED"], rng.randint(2, 5))
    schemas[f"{Res}Status"] = {"type": "string", "enum": status_values}
    own: dict[str, Schema] = {
        "name": {"type": "string"},
        "status": ref(f"{Res}Status"),
    }
    for _ in range(rng.randint(3, 10)):
        if rng.random() < 0.15:
            own.setdefault(rng.choice(_OBJECT_FIELDS), fields.object(depth=1))
        else:
            name, schema = fields.scalar()
            own.setdefault(name, fields.describe(schema, name))
    schemas[Res] = {"allOf": [ref("AuditedObject"),
                              {"type": "object", "required": ["name"], "properties": own}]}
    writable = {k: v for k, v in own.items() if k != "status"}
    schemas[f"{Res}CreateRequest"] = {"type": "object", "required": ["name"],
                                      "properties": dict(writable)}
    schemas[f"{Res}UpdateRequest"] = {
        "type": "object",
        "properties": {k: ({**v, "nullable": True} if "$ref" not in v else v)
                       for k, v in writable.items()},
    }
    schemas[f"{Res}Response"] = _envelope(ref(Res))
    schemas[f"{Res}ListResponse"] = _list_envelope(ref(Res))
    schemas[Sub] = {"allOf": [ref("Timestamped"), {"type": "object", "required": ["id"],
                                                   "properties": {
        "id": {"type": "string"},
        "role": {"type": "string", "nullable": True},
        "enabled": {"type": "boolean"},
    }}]}
    schemas[f"{Sub}Request"] = {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "role": {"type": "string"}}}
    schemas[f"{Sub}Response"] = _envelope(ref(Sub))
    schemas[f"{Sub}ListResponse"] = _list_envelope(ref(Sub))

    base = f"/v1/{plural}"
    item = base + "/{" + singular + "_id}"
    sub_base = item + f"/{sub_plural}"
    sub_item = sub_base + "/{" + sub_singular + "_id}"
    rid = _path_param(f"{singular}_id", f"The unique identifier of the {singular}.")
    sid = _path_param(f"{sub_singular}_id", f"The unique identifier of the {sub_singular}.")
    words = singular.replace("_", " ")
    paths.add(base, "get", tag, f"list{Plural}", f"List {plural.replace('_', ' ')}",
              _responses("200", f"{Res}ListResponse"), paginated=True)
    paths.add(base, "post", tag, f"create{Res}", f"Create a {words}",
              _responses("201", f"{Res}Response"), body=_json_body(f"{Res}CreateRequest"))
    paths.add(item, "get", tag, f"get{Res}", f"Retrieve {words} details",
              _responses("200", f"{Res}Response"), params=[rid])
    paths.add(item, "patch", tag, f"modify{Res}", f"Update a {words}",
              _responses("200", f"{Res}Response"), params=[rid],
              body=_json_body(f"{Res}UpdateRequest"))
    paths.add(item, "delete", tag, f"delete{Res}", f"Delete a {words}",
              _responses("200", "SimpleResponse"), params=[rid])
    paths.add(sub_base, "get", tag, f"list{Subs}", f"List the {sub_plural} of a {words}",
              _responses("200", f"{Sub}ListResponse"), params=[rid], paginated=True)
    paths.add(sub_base, "post", tag, f"add{Sub}", f"Add a {sub_singular} to a {words}",
              _responses("201", f"{Sub}Response"), params=[rid],
              body=_json_body(f"{Sub}Request"))
    paths.add(sub_item, "get", tag, f"get{Sub}", f"Retrieve a {sub_singular} of a {words}",
              _responses("200", f"{Sub}Response"), params=[rid, sid])
    paths.add(sub_item, "patch", tag, f"modify{Sub}", f"Update a {sub_singular} of a {words}",
              _responses("200", f"{Sub}Response"), params=[rid, sid],
              body=_json_body(f"{Sub}Request"))
    paths.add(sub_item, "delete", tag, f"remove{Sub}", f"Remove a {sub_singular} from a {words}",
              _responses("200", "SimpleResponse"), params=[rid, sid])


# --------------------------------------------------------------------------------------------
# The "vendor" shape: a real ELT vendor's spec, where almost everything hangs off two
# discriminated bases

# Per unit of scale: services mapped by each of the two large bases (the real spec: ~770 each,
# with ~2,900 schemas in all; here auth schemas are 60% of services, to keep the total there).
VENDOR_SERVICES = 740
VENDOR_DESTINATIONS = 20
# Discriminated bases besides the two large ones: the two destination bases of the shared
# schemas and one small hierarchy per resource, 15 in all.
VENDOR_SMALL_BASES = 11
_VENDOR_KINDS = ["standard", "custom", "scheduled", "event_driven", "managed"]
_SENTENCES = [
    "This value is shown in the dashboard and returned by every read of the connection.",
    "When it is left empty, the default of the service is used, which may change without "
    "notice as the source system evolves.",
    "Changes take effect on the next sync; a running sync keeps the value it started with.",
    "The setup guide of the service explains where to find it in the source system's admin "
    "console, and which permissions the account needs.",
    "Only used when the connection type is `SshTunnel` or `PrivateLink`; otherwise ignored.",
    "Secrets are write-only: reads return a masked value of the same length.",
    "Validated by the setup tests, which fail with a message naming this field when the "
    "source rejects it.",
    "For historical syncs the value bounds how far back data is read; later incremental "
    "syncs ignore it.",
]


def _long_description(rng: random.Random, name: str) -> str:
    chosen = rng.sample(_SENTENCES, rng.randint(2, 4))
    return f"The `{name}` setting. " + " ".join(chosen)


def _with_long_descriptions(rng: random.Random, schema: Schema, name: str) -> Schema:
    """`schema` with a long description on it and on each property, nested ones too."""
    schema = dict(schema)
    schema["description"] = _long_description(rng, name)
    if isinstance(schema.get("properties"), dict):
        schema["properties"] = {key: _with_long_descriptions(rng, value, key)
                                for key, value in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _with_long_descriptions(rng, schema["items"], name)
    return schema


def _vendor_service_schemas(connectors: Sequence[str], destinations: Sequence[str]
                            ) -> Iterator[tuple[str, Schema]]:
    """Each service's `<service>_config_V1` and (for 60%) `<service>_auth_V1`, objects whose
    one property is an inline object with long descriptions, and the service's subtype of each
    large base: `allOf: [base, <service>_config_V1, <service>_auth_V1]`."""
    for index, svc in enumerate(connectors):
        fields = _Fields(random.Random(f"{SEED}:connector:{index}"))
        members = [f"{svc}_config_V1"]
        yield members[0], {"type": "object", "properties": {
            "config": _with_long_descriptions(fields.rng, fields.config(), "config")}}
        if fields.rng.random() < 0.6:
            members.append(f"{svc}_auth_V1")
            yield members[1], {"type": "object", "properties": {
                "auth": _with_long_descriptions(fields.rng, fields.auth(), "auth")}}
        for base in ("NewConnectorRequestV1", "ConnectorResponseV1"):
            yield f"{svc}_{base}", {"allOf": [ref(base), *(ref(m) for m in members)]}
    for index, svc in enumerate(destinations):
        fields = _Fields(random.Random(f"{SEED}:destination:{index}"))
        config_name = f"{svc}_destination_config_V1"
        yield config_name, fields.config()
        extra = {"config": ref(config_name)}
        yield f"{svc}_NewDestinationRequestV1", _child("NewDestinationRequestV1", extra)
        yield f"{svc}_UpdateDestinationRequestV1", _child("UpdateDestinationRequestV1", extra)
        yield f"{svc}_DestinationResponseV1", _child("DestinationResponseV1", extra)


def _small_hierarchy(schemas: dict[str, Schema], index: int, resource: str) -> None:
    """`<Resource>Settings`, discriminated by `kind` over a few subtypes, and named by the
    resource's create request."""
    rng = random.Random(f"{SEED}:settings:{index}")
    fields = _Fields(rng)
    base = f"{_camel(resource)}Settings"
    kinds = _VENDOR_KINDS[:rng.randint(3, len(_VENDOR_KINDS))]
    schemas[base] = {
        "type": "object", "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "enabled": {"type": "boolean"}},
        "discriminator": {"propertyName": "kind", "mapping": {
            kind: REF + f"{base}{_camel(kind)}" for kind in kinds}},
    }
    for kind in kinds:
        schemas[f"{base}{_camel(kind)}"] = {"allOf": [ref(base), fields.object(depth=1)]}
    request = schemas.get(f"{_camel(resource)}CreateRequest")
    if request is not None:
        request["properties"]["settings"] = ref(base)


# --------------------------------------------------------------------------------------------


def build_vendor_spec(scale: int = 1, *, extensions: bool = False) -> dict[str, Any]:
    """The "vendor" input (scale 1: about 3,000 schemas, 168 operations): the synthetic spec's
    operations and resources, but with the service polymorphism of a real vendor's spec, so
    that nearly every schema is tied into one of two discriminated hierarchies."""
    spec = build_spec(scale, extensions=extensions, vendor=True)
    schemas = spec["components"]["schemas"]
    resources = sorted({name[:-len("CreateRequest")] for name in schemas
                        if name.endswith("CreateRequest")})
    for index, resource in enumerate(resources[:VENDOR_SMALL_BASES * scale]):
        _small_hierarchy(schemas, index, resource)
    spec["info"]["title"] = "Synthetic Vendor REST API (vendor shape)"
    return spec


def build_spec(scale: int = 1, *, extensions: bool = False, vendor: bool = False
               ) -> dict[str, Any]:
    """Build the synthetic spec for ``scale`` (>= 1) as a JSON-compatible dict.

    ``extensions`` adds clientgen's documented ``x-pagination`` on list operations (plain
    OpenAPI otherwise; other generators ignore ``x-`` keys either way).
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    connectors = _unique_names("connector", (VENDOR_SERVICES if vendor else CONNECTOR_SERVICES)
                               * scale, True)
    destinations = _unique_names("destination", (VENDOR_DESTINATIONS if vendor else
                                                 DESTINATION_SERVICES) * scale, False)
    schemas = _shared_schemas(connectors, destinations)
    for name, schema in (_vendor_service_schemas if vendor else _service_schemas)(
            connectors, destinations):
        schemas[name] = schema

    paths = _Paths(extensions)
    _connector_operations(paths)
    _destination_operations(paths)
    resource_count = (OPERATIONS * scale - CONNECTOR_OPERATIONS - DESTINATION_OPERATIONS
                      ) // RESOURCE_OPERATIONS
    resources = _resources(resource_count)
    for index, (singular, plural) in enumerate(resources):
        _resource(paths, schemas, index, singular, plural)

    tags = [{"name": "Connections", "description": "Manage connections (connectors)."},
            {"name": "Destinations", "description": "Manage destinations."}]
    tags += [{"name": _camel(plural).replace("_", " "),
              "description": f"Manage {plural.replace('_', ' ')}."}
             for _, plural in resources]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic Vendor REST API",
            "version": "1.0.0",
            "description": (f"Synthetic benchmark spec, scale {scale}: "
                            f"{len(connectors)} connector services, "
                            f"{len(destinations)} destination services."),
        },
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"basicAuth": []}],
        "tags": tags,
        "paths": paths.paths,
        "components": {
            "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
            "schemas": schemas,
        },
    }


def count_operations(spec: dict[str, Any]) -> int:
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(1 for item in spec.get("paths", {}).values()
               for method in item if method in methods)


def count_schemas(spec: dict[str, Any]) -> int:
    return len(spec.get("components", {}).get("schemas", {}))


def dump(spec: dict[str, Any], path: Path, fmt: str) -> None:
    if fmt == "yaml":
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=False)
        yaml.default_flow_style = False
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(spec, handle)
    else:
        path.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=1, help="size multiplier (default 1)")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    parser.add_argument("--format", choices=["json", "yaml"],
                        help="output format (default: from the -o suffix, else json)")
    parser.add_argument("--extensions", action="store_true",
                        help="add clientgen's x-pagination extension to list operations")
    parser.add_argument("--shape", choices=["synthetic", "vendor"], default="synthetic",
                        help="synthetic (default) or vendor: nearly every schema tied into "
                             "two discriminated hierarchies, as in a real vendor's spec")
    args = parser.parse_args(argv)
    spec = (build_vendor_spec if args.shape == "vendor" else build_spec)(
        args.scale, extensions=args.extensions)
    fmt: str = args.format or (
        "yaml" if args.output is not None and args.output.suffix in {".yaml", ".yml"} else "json")
    if args.output is None:
        if fmt == "yaml":
            parser.error("--format yaml needs -o FILE")
        json.dump(spec, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        dump(spec, args.output, fmt)
        print(f"{args.output}: {count_schemas(spec)} schemas, {count_operations(spec)} "
              f"operations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())


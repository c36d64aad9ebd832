"""API-wide changes for `clientgen diff`: info, servers, security requirements and schemes."""

from __future__ import annotations

from typing import Any

from .diff_changes import B, ChangeLog, N, P, Side, from_to, show
from .openapi import OpenApiDocument, as_dict, as_list
from .pointer import join_pointer


def requirements(node: Any) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
    """A security requirement list: any one alternative suffices, and an alternative needs
    all its schemes (with their scopes). The empty alternative means "no credentials"."""
    return frozenset(
        frozenset((str(name), tuple(sorted(str(s) for s in as_list(scopes))))
                  for name, scopes in alternative.items())
        for alternative in as_list(node) if isinstance(alternative, dict)
    )


def _needs_credentials(requirements: frozenset[frozenset[Any]]) -> bool:
    return bool(requirements) and frozenset() not in requirements


def _describe_requirements(requirements: frozenset[frozenset[tuple[str, Any]]]) -> str:
    alternatives = sorted(" + ".join(sorted(name for name, _ in alt)) or "none"
                          for alt in requirements)
    return " or ".join(f"`{a}`" for a in alternatives) or "none"


def _server_urls(data: dict[str, Any]) -> list[str]:
    urls = []
    for server in as_list(data.get("servers")):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for name, variable in as_dict(server.get("variables")).items():
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + name + "}", str(variable["default"]))
        urls.append(url.rstrip("/"))
    return urls


def compare_security(log: ChangeLog, old: frozenset[frozenset[Any]],
                     new: frozenset[frozenset[Any]], pointer: str, subject: str,
                     in_new: bool) -> None:
    """A change of the credentials a request needs (`subject` names the API or an operation)."""
    if old == new or not (_needs_credentials(old) or _needs_credentials(new)):
        return
    side: Side = "new" if in_new else "old"
    if not _needs_credentials(old):
        log.add("security-added", B, f"{subject} now requires credentials "
                f"({_describe_requirements(new)})", side, pointer)
    elif not _needs_credentials(new):
        log.add("security-removed", N, f"{subject} no longer requires credentials", side,
                pointer)
    else:
        severity = N if old <= new else B  # every old way to authenticate still works?
        log.add("security-changed", severity,
                f"{subject} authenticates with {_describe_requirements(new)} instead of "
                f"{_describe_requirements(old)}", side, pointer)


class DocumentComparer:
    """What applies to the whole API rather than to one operation."""

    def __init__(self, log: ChangeLog, old: OpenApiDocument, new: OpenApiDocument) -> None:
        self.log, self.old, self.new = log, old, new

    def run(self) -> None:
        old, new = self.old.data, self.new.data
        self._info(old, new)
        self._servers(old, new)
        compare_security(self.log, requirements(old.get("security")),
                         requirements(new.get("security")), "/security", "the API",
                         "security" in new)
        self._security_schemes()

    def _info(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_info, new_info = as_dict(old.get("info")), as_dict(new.get("info"))
        if old_info.get("version") != new_info.get("version"):
            self.log.add("api-version-changed", N,
                         f"API version changed from {show(old_info.get('version'))} to "
                         f"{show(new_info.get('version'))}", "new", "/info/version")
        if old_info.get("x-client-name") != new_info.get("x-client-name"):
            self.log.add("client-name-changed", B,
                         f"`x-client-name` {from_to(old_info, new_info, 'x-client-name')}: the "
                         "client classes are renamed", "new", "/info")
        if old.get("x-default-headers") != new.get("x-default-headers"):
            self.log.add("default-headers-changed", P, "`x-default-headers` changed: every request "
                         "sends different headers", "new", "/x-default-headers")

    def _servers(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_urls, new_urls = _server_urls(old), _server_urls(new)
        skip: set[str] = set()
        if old_urls and new_urls and old_urls[0] != new_urls[0]:
            self.log.add("default-server-changed", P,
                         f"default server changed from `{old_urls[0]}` to `{new_urls[0]}`: the "
                         "client's default base URL follows it", "new", "/servers/0/url")
            skip = {old_urls[0], new_urls[0]}
        for index, url in enumerate(old_urls):
            if url not in new_urls and url not in skip:
                self.log.add("server-removed", P, f"server `{url}` removed", "old",
                             f"/servers/{index}")
        for index, url in enumerate(new_urls):
            if url not in old_urls and url not in skip:
                self.log.add("server-added", N, f"server `{url}` added", "new", f"/servers/{index}")

    def _security_schemes(self) -> None:
        base = "/components/securitySchemes"
        old = as_dict(as_dict(self.old.data.get("components")).get("securitySchemes"))
        new = as_dict(as_dict(self.new.data.get("components")).get("securitySchemes"))
        for name in [name for name in old if name not in new]:  # document order
            self.log.add("security-scheme-removed", P, f"security scheme `{name}` removed", "old",
                         join_pointer(base, name))
        for name in [name for name in new if name not in old]:
            self.log.add("security-scheme-added", N, f"security scheme `{name}` added", "new",
                         join_pointer(base, name))
        for name in [name for name in old if name in new]:
            pointer = join_pointer(base, name)
            old_scheme, _ = self.old.target(old[name], pointer)
            new_scheme, new_pointer = self.new.target(new[name], pointer)

            def shape(scheme: Any) -> str:
                scheme = as_dict(scheme)
                return " ".join(str(scheme[k]) for k in ("type", "scheme", "in", "name")
                                if k in scheme)

            if shape(old_scheme) != shape(new_scheme):
                self.log.add("security-scheme-changed", B,
                             f"security scheme `{name}` changed from `{shape(old_scheme)}` to "
                             f"`{shape(new_scheme)}`", "new", new_pointer)
            if as_dict(old_scheme).get("x-credential-names") != as_dict(new_scheme).get(
                    "x-credential-names"):
                self.log.add("credential-names-changed", B,
                             f"`x-credential-names` of `{name}` changed: the client constructor's "
                             "credential arguments are renamed", "new", new_pointer)

"""The deployment files under deploy/ hold together: they parse, every setting they name is
one the service reads, and the pieces point at each other (probes, ports, selectors)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.settings import Settings
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
FILES = sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml", ".conf"))


def _documents(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]


def _k8s(kind: str) -> dict[str, Any]:
    found = [d for d in _documents(DEPLOY / "k8s" / "brief-api.yaml") if d["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


def test_there_are_compose_and_kubernetes_files() -> None:
    names = {p.relative_to(DEPLOY).as_posix() for p in FILES}
    assert {"compose/compose.yaml", "compose/nginx.conf", "k8s/brief-api.yaml",
            "k8s/vllm-stack-values.yaml"} <= names


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix != ".conf"],
                         ids=lambda p: p.name)
def test_every_yaml_file_parses(path: Path) -> None:
    assert _documents(path)


def test_every_setting_the_deployment_names_is_one_the_service_reads() -> None:
    known = {f"BRIEF_{name.upper()}" for name in Settings.model_fields}
    named = {m for p in FILES for m in re.findall(r"\bBRIEF_[A-Z0-9_]+", p.read_text())}
    assert named, "the deployment files name no settings"
    assert named <= known, sorted(named - known)


def test_the_kubernetes_pieces_point_at_each_other() -> None:
    config, deployment = _k8s("ConfigMap"), _k8s("Deployment")
    service, autoscaler = _k8s("Service"), _k8s("HorizontalPodAutoscaler")
    spec = deployment["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    (container,) = spec["template"]["spec"]["containers"]
    assert container["envFrom"][0]["configMapRef"]["name"] == config["metadata"]["name"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports[service["spec"]["ports"][0]["targetPort"]] == int(config["data"]["BRIEF_PORT"])
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    grace = spec["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace > float(config["data"]["BRIEF_SHUTDOWN_GRACE_S"])
    assert config["data"]["BRIEF_ENGINE"] == "openai"
    assert autoscaler["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    # Values the service's own validation accepts:
    Settings(**{k.removeprefix("BRIEF_").lower(): v for k, v in config["data"].items()})


def test_the_compose_file_wires_the_api_to_an_engine_and_a_balancer() -> None:
    (compose,) = _documents(DEPLOY / "compose" / "compose.yaml")
    services = compose["services"]
    api = services["api"]["environment"]
    assert api["BRIEF_ENGINE"] == "openai"
    assert api["BRIEF_HOST"] == "0.0.0.0"
    for name, service in services.items():
        for needed in service.get("depends_on", []):
            assert needed in services, (name, needed)
        image = service["image"]
        assert ":" in image and (not image.endswith(":latest") or "build" in service), name
    default_url = re.search(r":-([^}]+)\}", api["BRIEF_OPENAI_BASE_URL"])
    assert default_url is not None
    host = default_url.group(1).split("//")[1].split(":")[0]
    assert host in services  # the engine the default URL names is a service of the file
    nginx = (DEPLOY / "compose" / "nginx.conf").read_text()
    assert f"http://api:{Settings().port}" in nginx


# --- safe by default: validated manifests, a numeric user, keys required ---------------------

MANIFESTS = sorted(p for p in (DEPLOY / "k8s").glob("*.yaml") if "values" not in p.name)
"""Kubernetes manifests; a Helm chart's values file is not one."""


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_kubernetes_manifests_pass_the_strict_validator_offline(
    path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    import kubernetes_validate

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the validator tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    for document in _documents(path):
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)


def test_the_strict_validator_refuses_a_field_kubernetes_does_not_know() -> None:
    import kubernetes_validate

    deployment = _k8s("Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["runAsNonRoot"] = True  # misplaced
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(),
                                     strict=True)


def _final_stage_user() -> str:
    lines = (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines()
    final = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    users = [line.split()[1] for line in lines[final:] if line.startswith("USER ")]
    assert users, "the image runs as root"
    return users[-1]


def test_the_image_runs_as_a_numeric_user_the_pods_name_too() -> None:
    # runAsNonRoot cannot check a user name: the kubelet refuses to start such a pod.
    user = _final_stage_user()
    assert user.isdigit() and int(user) != 0, user
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert f"--uid {user} " in dockerfile
    pod = _k8s("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] == int(user)


def test_keys_are_required_and_the_balancer_is_published_on_loopback() -> None:
    (compose,) = _documents(DEPLOY / "compose" / "compose.yaml")
    services = compose["services"]
    assert services["api"]["environment"]["BRIEF_API_KEYS"].startswith("${BRIEF_API_KEYS:?")
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
    (container,) = _k8s("Deployment")["spec"]["template"]["spec"]["containers"]
    keys = next(e for e in container["env"] if e["name"] == "BRIEF_API_KEYS")
    assert keys["valueFrom"]["secretKeyRef"].get("optional", False) is False

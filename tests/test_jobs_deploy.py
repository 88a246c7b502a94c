"""The deploy files give every API replica the one shared job store: Compose runs a
`postgres` service with a volume and points each replica at it; the Kubernetes API pods take
the store's URL from a required Secret and mount no /data; postgres.yaml's pieces fit."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import REPO

DEPLOY = REPO / "deploy"


def _documents(name: str) -> list[Any]:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    return [d for d in yaml.safe_load_all(text) if d is not None]


def test_compose_points_every_api_replica_at_its_postgres_service() -> None:
    (compose,) = _documents("compose/compose.yaml")
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    api = services["api"]
    url = api["environment"]["BRIEF_JOBS_URL"]
    assert url.startswith("postgresql://brief:") and url.endswith("@postgres:5432/brief")
    assert "${POSTGRES_PASSWORD:?" in url  # no default password
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_kubernetes_api_pods_take_the_store_from_a_required_secret_and_no_data_volume() -> None:
    (deployment,) = [d for d in _documents("k8s/brief-api.yaml") if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e for e in container["env"]}
    secret = env["BRIEF_JOBS_URL"]["valueFrom"]["secretKeyRef"]
    assert secret == {"name": "brief-jobs", "key": "url"}  # not optional: no store, no start
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_the_try_out_postgres_statefulset_and_its_service_fit() -> None:
    documents = {d["kind"]: d for d in _documents("k8s/postgres.yaml")}
    statefulset, service = documents["StatefulSet"], documents["Service"]
    labels = statefulset["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert statefulset["spec"]["serviceName"] == service["metadata"]["name"] == "brief-postgres"
    (container,) = statefulset["spec"]["template"]["spec"]["containers"]
    assert service["spec"]["ports"][0]["port"] == container["ports"][0]["containerPort"]
    claims = [c["metadata"]["name"] for c in statefulset["spec"]["volumeClaimTemplates"]]
    assert {m["name"] for m in container["volumeMounts"]} >= set(claims)

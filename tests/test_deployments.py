"""The deployment can run: a schedule in a time zone, absolute parameters, an importable
entrypoint and a work pool in prefect.yaml."""

import importlib
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def test_prefect_yaml_names_an_importable_flow_a_work_pool_and_a_zoned_schedule():
    doc = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    [dep] = doc["deployments"]
    path, name = dep["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert getattr(module, name).name == "monthly_reconciliation"
    assert dep["work_pool"]["name"] == "carbon-verify"
    assert dep["schedules"] == [{"cron": "0 6 5 * *", "timezone": "Asia/Shanghai"}]
    assert set(dep["parameters"]) >= {"inbox", "outbox"}
    assert all(str(v).startswith("{{ $") for k, v in dep["parameters"].items() if k != "workers")


def test_served_deployment_has_absolute_paths_and_the_timezone(tmp_path, monkeypatch):
    from flows.deployments import DEPLOYMENT, deployment_parameters, schedule
    from flows.monthly_reconciliation import monthly_reconciliation

    monkeypatch.chdir(tmp_path)
    params = deployment_parameters(Path("in"), Path("out"))
    assert params["inbox"] == str(tmp_path / "in") and params["outbox"] == str(tmp_path / "out")
    from prefect.deployments.runner import EntrypointType

    deployment = monthly_reconciliation.to_deployment(
        name=DEPLOYMENT, schedules=[schedule()], parameters=params,
        entrypoint_type=EntrypointType.MODULE_PATH)  # as serve_monthly registers it
    [sched] = deployment.schedules
    assert (sched.schedule.cron, sched.schedule.timezone) == ("0 6 5 * *", "Asia/Shanghai")
    assert deployment.entrypoint == "flows.monthly_reconciliation.monthly_reconciliation"

"""Validates the deployment files without Docker or a cluster.

    python3 -m fulcrum_tools.deploy.validate --fulcrum .build/debug/fulcrum [--root deploy] [--json]

Checks that every YAML file parses; that every Fulcrum configuration in them (deploy/fulcrum.yaml,
deploy/compose/*.yaml, the ConfigMaps of deploy/kubernetes/*.yaml) is accepted by `fulcrum config check`
with the environment its deployment sets; that the Kubernetes manifests probe /health and /ready on the HTTP
port, expose the risk-feed and snapshot ports, checkpoint onto a persistent volume, carry Prometheus scrape
annotations and give a termination grace period longer than shutdownTimeout; that cryptofeed feeds are wired the
way cryptofeed publishes (its ZeroMQ backend connects, so Fulcrum binds and exposes the port; its topics read
EXCHANGE-key-SYMBOL) and that shards own disjoint symbol sets and subscribe to their own symbols only; that
docker-compose.yml
mounts files that exist and that its proxy and watcher point at defined services; that the Dockerfile is
multi-stage (Swift 6.3 build, slim runtime with libzmq5); and, where systemd-analyze exists, that the
systemd unit verifies cleanly with an exposure level of at most 2.0. Exits 1 on any problem.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

from fulcrum_tools.paths import repository_root
from fulcrum_tools.process import environment_without_overrides


class Report:
    def __init__(self):
        self.checked, self.skipped, self.errors = [], [], []

    def check(self, condition, what, problem):
        (self.checked if condition else self.errors).append(what if condition else f"{what}: {problem}")
        return condition


def dockerfile_env(text):
    """ENV key=value pairs of a Dockerfile (with line continuations)."""
    joined = re.sub(r"\\\n", " ", text)
    env = {}
    for line in joined.splitlines():
        if line.strip().startswith("ENV "):
            for key, value in re.findall(r'(\w+)=("[^"]*"|\S+)', line.strip()[4:]):
                env[key] = value.strip('"')
    return env


def config_check(fulcrum, text, environment, report, what):
    """Runs `fulcrum config check` on `text`; returns the effective configuration or None."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(text)
        path = handle.name
    try:
        env = environment_without_overrides()
        env.update(environment)
        result = subprocess.run([fulcrum, "config", "check", path], capture_output=True, text=True, env=env,
                                timeout=60)
    finally:
        os.unlink(path)
    if not report.check(result.returncode == 0, f"config check: {what}", result.stderr.strip()):
        return None
    return json.loads(result.stdout)


CRYPTOFEED_CHANNELS = ("trades", "ticker")


def cryptofeed_prefix_problem(prefix):
    """Why `prefix` can never match a cryptofeed topic (`EXCHANGE-key-SYMBOL <json>`), or None."""
    exchange, _, rest = prefix.partition("-")
    if exchange.lower() in CRYPTOFEED_CHANNELS or exchange != exchange.upper():
        return f"{prefix!r}: cryptofeed topics start with the exchange in capitals, then the channel"
    channel = rest.split("-", 1)[0]
    if rest and not any(c.startswith(channel) if "-" not in rest else c == channel for c in CRYPTOFEED_CHANNELS):
        return f"{prefix!r}: the channel after the exchange is one of {', '.join(CRYPTOFEED_CHANNELS)}"
    return None


def prefix_symbol(prefix):
    """The symbol a per-symbol cryptofeed prefix names (`BINANCE-trades-BTC-USDT `), or None."""
    parts = prefix.split("-", 2)
    return parts[2].rstrip(" ") if len(parts) == 3 and parts[2].strip() else None


def check_feeds(effective, where, report):
    """cryptofeed feeds: bound by Fulcrum (the backend connects) and subscribed to topics cryptofeed sends."""
    bound = []
    for feed in effective["ingest"]["feeds"]:
        if feed["encoding"] != "cryptofeed":
            continue
        what = f"{where} feed {feed['name']}"
        report.check(feed["bind"], f"{what} binds (cryptofeed's ZeroMQ backend connects)",
                     "bind: false leaves both sides connecting")
        problems = [p for p in map(cryptofeed_prefix_problem, feed["topicPrefixes"]) if p]
        report.check(not problems, f"{what} topic prefixes match cryptofeed's topics", "; ".join(problems))
        allow = set(effective["ingest"]["symbols"]["allowList"])
        strays = [p for p in feed["topicPrefixes"] if prefix_symbol(p) and allow and prefix_symbol(p) not in allow]
        report.check(not strays, f"{what} subscribes to allow-listed symbols only", f"not allow-listed: {strays}")
        if feed["bind"]:
            bound.append(feed)
    return bound


def seconds(nanoseconds):
    return nanoseconds / 1e9


def port_of(endpoint):
    return int(endpoint.rsplit(":", 1)[1])


def check_kubernetes(path, fulcrum, image_env, report):
    documents = [d for d in yaml.safe_load_all(open(path)) if d]
    name = os.path.basename(path)
    config_maps = {d["metadata"]["name"]: d for d in documents if d["kind"] == "ConfigMap"}
    services = [d for d in documents if d["kind"] == "Service"]
    service_names = {d["metadata"]["name"] for d in services}
    workloads = [d["spec"]["template"]["metadata"]["labels"] for d in documents if d["kind"] in ("StatefulSet", "Deployment")]
    owned = {}
    for workload in (d for d in documents if d["kind"] == "StatefulSet"):
        where = f"{name}: StatefulSet {workload['metadata']['name']}"
        pod = workload["spec"]["template"]
        container = pod["spec"]["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
        volume = next((v for v in pod["spec"].get("volumes", []) if "configMap" in v), None)
        if not report.check(volume is not None and volume["configMap"]["name"] in config_maps,
                            f"{where} mounts a ConfigMap of this file", "no such ConfigMap"):
            continue
        environment = dict(image_env)
        environment.update({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})
        text = config_maps[volume["configMap"]["name"]]["data"]["fulcrum.yaml"]
        effective = config_check(fulcrum, text, environment, report, f"{where} ConfigMap")
        if effective is None:
            continue
        http_port = port_of("tcp://" + effective["http"]["address"])
        report.check(ports.get("http") == http_port, f"{where} http port matches http.address",
                     f"containerPort {ports.get('http')} vs {http_port}")
        report.check(effective["http"]["address"].startswith("0.0.0.0:"), f"{where} HTTP listens on all interfaces",
                     effective["http"]["address"])
        for key, port_name in (("publishEndpoint", "risk-feed"), ("snapshotEndpoint", "snapshot")):
            endpoint = effective["publisher"][key]
            report.check(ports.get(port_name) == port_of(endpoint) and ("*" in endpoint or "0.0.0.0" in endpoint),
                         f"{where} {port_name} port bound on all interfaces", f"{endpoint} vs {ports.get(port_name)}")
        for probe, path_expected in (("livenessProbe", "/health"), ("readinessProbe", "/ready")):
            get = container.get(probe, {}).get("httpGet", {})
            report.check(get.get("path") == path_expected and get.get("port") in ("http", http_port),
                         f"{where} {probe} on {path_expected}", f"got {get}")
        annotations = pod["metadata"].get("annotations", {})
        report.check(annotations.get("prometheus.io/scrape") == "true"
                     and str(annotations.get("prometheus.io/port")) == str(http_port)
                     and annotations.get("prometheus.io/path") == "/metrics",
                     f"{where} Prometheus scrape annotations", f"got {annotations}")
        grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        report.check(grace > seconds(effective["shutdownTimeout"]), f"{where} grace period > shutdownTimeout",
                     f"{grace}s vs {seconds(effective['shutdownTimeout'])}s")
        claims = {c["metadata"]["name"] for c in workload["spec"].get("volumeClaimTemplates", [])}
        mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
        report.check(any(claim in mounts for claim in claims), f"{where} mounts a persistent volume for checkpoints",
                     f"claims {claims}, mounts {mounts}")
        if "checkpoint" in effective:
            persistent = [mounts[claim] for claim in claims if claim in mounts]
            checkpoint = effective["checkpoint"]
            report.check(checkpoint["enabled"] and any(checkpoint["path"].startswith(m.rstrip("/") + "/")
                                                       for m in persistent),
                         f"{where} checkpoints onto the persistent volume", f"{checkpoint} vs mounts {persistent}")
        labels = pod["metadata"]["labels"]
        exposing = [s for s in services if all(labels.get(k) == v for k, v in s["spec"]["selector"].items())]
        exposed = {p.get("targetPort") for s in exposing for p in s["spec"]["ports"]}
        report.check({"risk-feed", "snapshot"} <= exposed, f"{where} Services expose risk feed and snapshot",
                     f"exposed {exposed}")
        for feed in check_feeds(effective, where, report):
            port = port_of(feed["endpoint"])
            named = [n for n, p in ports.items() if p == port]
            report.check(bool(named) and named[0] in exposed, f"{where} feed {feed['name']} port exposed by a Service",
                         f"port {port}: containerPort {named}, Services expose {exposed}")
        owned[where] = set(effective["ingest"]["symbols"]["allowList"])
    for service in services:
        selected = [w for w in workloads if all(w.get(k) == v for k, v in service["spec"]["selector"].items())]
        report.check(len(selected) <= 1, f"{name}: Service {service['metadata']['name']} selects one workload",
                     f"selects {len(selected)}")
    shards = list(owned.items())
    for index, (left, symbols) in enumerate(shards):
        for right, others in shards[index + 1:]:
            report.check(symbols and others and not symbols & others, f"{left} and {right} own disjoint symbols",
                         f"shared: {sorted(symbols & others) or 'an empty allow-list owns every symbol'}")
    for workload in (d for d in documents if d["kind"] == "Deployment"):
        where = f"{name}: Deployment {workload['metadata']['name']}"
        args = workload["spec"]["template"]["spec"]["containers"][0].get("args", [])
        if args[:1] != ["proxy"]:
            continue
        upstreams = [a.split("=", 1)[1] for a in args if a.startswith("--upstream=")]
        report.check(len(upstreams) >= 2 and all(u.split("//")[1].split(":")[0] in service_names for u in upstreams),
                     f"{where} proxies the shards' Services", f"upstreams {upstreams}")
        result = subprocess.run([fulcrum, "proxy", "--help"], capture_output=True, text=True, timeout=60)
        report.check(result.returncode == 0 and "--upstream" in result.stdout, f"{where} uses `fulcrum proxy`",
                     result.stderr)


def check_compose(root, fulcrum, image_env, report):
    compose = yaml.safe_load(open(os.path.join(root, "docker-compose.yml")))
    services = compose["services"]
    report.check({"market", "fulcrum", "watcher"} <= set(services), "docker-compose.yml services",
                 f"got {sorted(services)}")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                report.check(os.path.exists(os.path.join(root, source)), f"docker-compose.yml {name} mounts {source}",
                             "missing file")
        command = service.get("command", [])
        if command[:1] == ["run"]:
            mounted = {v.split(":")[1]: v.split(":")[0] for v in service.get("volumes", []) if v.startswith(".")}
            config = command[command.index("--config") + 1]
            if not report.check(config in mounted, f"docker-compose.yml {name} config is mounted", config):
                continue
            effective = config_check(fulcrum, open(os.path.join(root, mounted[config])).read(), image_env, report,
                                     f"docker-compose.yml {name}")
            if effective and name == "fulcrum" and "checkpoint" in effective:
                named = [v.split(":")[1] for v in service.get("volumes", []) if not v.startswith(".")]
                path = effective["checkpoint"]["path"]
                report.check(effective["checkpoint"]["enabled"] and any(path.startswith(m + "/") for m in named),
                             "docker-compose.yml fulcrum checkpoints onto a named volume", f"{path} vs {named}")
            if effective and name == "fulcrum":
                grace = service.get("stop_grace_period", "10s")
                report.check(int(grace.rstrip("s")) > seconds(effective["shutdownTimeout"]),
                             "docker-compose.yml fulcrum stop_grace_period > shutdownTimeout", grace)
                for feed in effective["ingest"]["feeds"]:
                    host = feed["endpoint"].split("//")[1].split(":")[0]
                    report.check(host in services, f"docker-compose.yml feed {feed['name']} host is a service", host)
        if command[:1] == ["watch"]:
            host = command[1].split("//")[1].split(":")[0]
            report.check(host in services, "docker-compose.yml watcher follows a service", host)


def check_dockerfile(root, report):
    text = open(os.path.join(root, "Dockerfile")).read()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.MULTILINE | re.IGNORECASE)
    report.check(len(stages) >= 2 and stages[0][0].startswith("swift:6.3"), "Dockerfile builds with Swift 6.3",
                 f"stages {stages}")
    runtime = text[text.rfind("FROM"):]
    report.check("libzmq5" in runtime and "-slim" in stages[-1][0], "Dockerfile runtime is slim with libzmq5",
                 stages[-1][0])
    report.check(re.search(r"COPY --from=\S+ \S*fulcrum", runtime) is not None,
                 "Dockerfile copies only the binary from the build stage", "no COPY --from")
    report.check(all(p in text for p in ("7601", "7602", "7680")), "Dockerfile exposes feed, snapshot and HTTP",
                 "EXPOSE")
    report.check(re.search(r"^USER\s+(?!root)\S+", runtime, re.MULTILINE) is not None, "Dockerfile runs as non-root",
                 "no USER")
    return dockerfile_env(text)


def check_systemd(root, fulcrum, report):
    unit = os.path.join(root, "systemd", "fulcrum.service")
    text = open(unit).read()
    timeout = re.search(r"^TimeoutStopSec=(\d+)s?$", text, re.MULTILINE)
    effective = config_check(fulcrum, open(os.path.join(root, "fulcrum.yaml")).read(), {}, report,
                             "fulcrum.yaml (the unit's configuration)")
    if effective:
        report.check(timeout is not None and int(timeout.group(1)) > seconds(effective["shutdownTimeout"]),
                     "systemd TimeoutStopSec > shutdownTimeout", timeout.group(0) if timeout else "missing")
        state = re.search(r"^StateDirectory=(\S+)$", text, re.MULTILINE)
        if "checkpoint" in effective and effective["checkpoint"]["enabled"]:
            report.check(state is not None
                         and effective["checkpoint"]["path"].startswith(f"/var/lib/{state.group(1)}/"),
                         "systemd StateDirectory holds the checkpoint", effective["checkpoint"]["path"])
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        report.skipped.append("systemd-analyze verify: systemd-analyze is not installed")
        return
    with tempfile.TemporaryDirectory() as directory:
        copy = os.path.join(directory, "fulcrum.service")
        with open(copy, "w") as handle:
            handle.write(text.replace("/usr/local/bin/fulcrum", os.path.abspath(fulcrum)))
        verify = subprocess.run([analyze, "verify", "--man=no", copy], capture_output=True, text=True, timeout=60)
        report.check(verify.returncode == 0 and not verify.stderr.strip() and not verify.stdout.strip(),
                     "systemd-analyze verify", (verify.stderr + verify.stdout).strip())
        security = subprocess.run([analyze, "security", "--offline=yes", "--threshold=20", copy],
                                  capture_output=True, text=True, timeout=60)
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
        report.check(security.returncode == 0, "systemd-analyze security: exposure ≤ 2.0",
                     level.group(1) if level else security.stderr.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fulcrum", required=True, help="the fulcrum binary")
    parser.add_argument("--root", help="the deploy directory (default: deploy/ of the checkout)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    arguments = parser.parse_args()
    root, fulcrum, report = arguments.root or str(repository_root() / "deploy"), arguments.fulcrum, Report()
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                path = os.path.join(directory, name)
                try:
                    list(yaml.safe_load_all(open(path)))
                    report.checked.append(f"YAML parses: {os.path.relpath(path, root)}")
                except yaml.YAMLError as error:
                    report.errors.append(f"YAML parses: {os.path.relpath(path, root)}: {error}")
    if report.errors:
        return finish(report, arguments.json)
    image_env = check_dockerfile(root, report)
    example = config_check(fulcrum, open(os.path.join(root, "fulcrum.yaml")).read(), {}, report, "fulcrum.yaml")
    if example:
        check_feeds(example, "fulcrum.yaml", report)
    config_check(fulcrum, open(os.path.join(root, "fulcrum.yaml")).read(), image_env, report,
                 "fulcrum.yaml with the image's environment")
    check_compose(root, fulcrum, image_env, report)
    for name in sorted(os.listdir(os.path.join(root, "kubernetes"))):
        if name.endswith(".yaml"):
            check_kubernetes(os.path.join(root, "kubernetes", name), fulcrum, image_env, report)
    check_systemd(root, fulcrum, report)
    return finish(report, arguments.json)


def finish(report, as_json):
    if as_json:
        print(json.dumps({"checked": report.checked, "skipped": report.skipped, "errors": report.errors}, indent=2))
    else:
        for line in report.checked:
            print(f"ok    {line}")
        for line in report.skipped:
            print(f"skip  {line}")
        for line in report.errors:
            print(f"FAIL  {line}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What the Kubernetes schemas cannot see in a rendering of helm/clv-stream.

    check-manifests.py REPO_ROOT RENDERED.yaml…

kubeconform proves each object is well formed; this proves the release would work as
docs/deployment.md says: the API listens beyond loopback and is probed; every CLV_ variable
given to a pod is one the code reads (no invented settings); credentials named as secrets
never also arrive as plain values, and API settings reach the API only; processors fit their
partitions and stop gracefully; the trainer is one pod replaced by Recreate; every workload
has requests and limits; PDBs, Services and the ServiceMonitor select real pods and ports.
Prints one line per file; exits 1 naming every problem.
"""
import os
import pathlib
import re
import sys

import yaml

API_ONLY = re.compile(r"^CLV_(API|JWT)_")
LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
SKIPPED_DIRS = {"node_modules", "dist", "tests", "bench", ".git", ".tools", ".services"}


# How the loaders read a setting: env.CLV_X, env['CLV_X'], str(env, 'CLV_X', …) and the other
# helpers taking env first, or a constant such as WEBHOOKS_FILE_ENV = 'CLV_X'. Error codes
# ('CLV_INVALID_CONFIG'…) are string literals too, and are not settings.
READ = re.compile(
    r"""\b(?:process\.)?env\??\.(CLV_[A-Z0-9_]+)"""
    r"""|\b(?:process\.)?env\[['"](CLV_[A-Z0-9_]+)['"]\]"""
    r"""|\(\s*(?:process\.)?env\s*,\s*['"](CLV_[A-Z0-9_]+)['"]"""
    r"""|_ENV\s*=\s*['"](CLV_[A-Z0-9_]+)['"]"""
)


def settings_the_code_reads(root: pathlib.Path) -> set[str]:
    """Every CLV_ variable the TypeScript sources read from the environment (tests and benchmarks left out)."""
    names: set[str] = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for file in files:
            if file.endswith(".ts"):
                for m in READ.finditer(pathlib.Path(folder, file).read_text(encoding="utf-8")):
                    names.add(next(g for g in m.groups() if g))
    return names


def matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def check(docs: list[dict], known: set[str]) -> list[str]:
    problems: list[str] = []
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    if not deployments:
        return ["no Deployment rendered"]
    by_role = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in deployments}
    pod_labels = {name: d["spec"]["template"]["metadata"]["labels"] for name, d in by_role.items()}
    secret_names = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Secret"}

    partitions = None
    for role, d in by_role.items():
        spec = d["spec"]["template"]["spec"]
        (container,) = spec["containers"]
        env = {e["name"]: e for e in container.get("env", [])}
        where = f"Deployment {d['metadata']['name']}"
        for name, e in env.items():
            if name.startswith("CLV_") and name not in known:
                problems.append(f"{where}: {name} is not read anywhere in the code (config/*.ts)")
            if role != "api" and API_ONLY.match(name):
                problems.append(f"{where}: {name} is an API setting and reaches a non-API pod")
            if "valueFrom" in e:
                ref = e["valueFrom"]["secretKeyRef"]
                generated = secret_names.get(ref["name"])
                if generated is not None and ref["key"] not in generated.get("stringData", {}):
                    problems.append(f"{where}: {name} refers to key {ref['key']} that Secret {ref['name']} lacks")
        if len(env) != len(container.get("env", [])):
            problems.append(f"{where}: a variable is given twice (a Secret and a plain value)")
        res = container.get("resources", {})
        for part in ("requests", "limits"):
            for what in ("cpu", "memory"):
                if what not in res.get(part, {}):
                    problems.append(f"{where}: no {part}.{what}")
        if spec.get("securityContext", {}).get("runAsNonRoot") is not True:
            problems.append(f"{where}: pods may run as root")
        p = env.get("CLV_PARTITIONS", {}).get("value", "8")
        partitions = partitions or p
        if p != partitions:
            problems.append(f"{where}: CLV_PARTITIONS={p}, other roles have {partitions}")

        if role == "api":
            host = env.get("CLV_API_HOST", {}).get("value", "")
            if host in LOOPBACK:
                problems.append(f"{where}: CLV_API_HOST={host!r}: the API would listen on loopback only")
            port = int(env.get("CLV_API_PORT", {}).get("value", "3000"))
            ports = {p_["name"]: p_["containerPort"] for p_ in container.get("ports", [])}
            if ports.get("http") != port:
                problems.append(f"{where}: containerPort http={ports.get('http')} but CLV_API_PORT={port}")
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                if container.get(probe, {}).get("httpGet", {}).get("path") != path:
                    problems.append(f"{where}: {probe} is not GET {path}")
            keys_inline = "CLV_API_KEYS" in env
            keys_file = "CLV_API_KEYS_FILE" in env
            if keys_inline and keys_file:
                problems.append(f"{where}: both CLV_API_KEYS and CLV_API_KEYS_FILE (the API refuses both)")
            if keys_file:
                path = env["CLV_API_KEYS_FILE"]["value"]
                mounts = [m for m in container.get("volumeMounts", []) if path.startswith(m["mountPath"].rstrip("/") + "/")]
                if not mounts:
                    problems.append(f"{where}: CLV_API_KEYS_FILE={path} is on no mounted volume")
        elif role == "training":
            if d["spec"].get("replicas") != 1 or d["spec"].get("strategy", {}).get("type") != "Recreate":
                problems.append(f"{where}: the trainer must be replicas 1 with strategy Recreate")
        else:
            replicas = d["spec"].get("replicas", 1)
            if replicas > int(p):
                problems.append(f"{where}: {replicas} replicas for {p} partitions")
            if spec.get("terminationGracePeriodSeconds", 30) < 30:
                problems.append(f"{where}: terminationGracePeriodSeconds < 30 cuts the batch in hand")
            rolling = d["spec"].get("strategy", {}).get("rollingUpdate", {})
            if rolling.get("maxUnavailable") != 0:
                problems.append(f"{where}: a rollout may stop consumers before their replacements joined (maxUnavailable {rolling.get('maxUnavailable')})")
            if container["args"][:1] != ["run"]:
                problems.append(f"{where}: processors run `clv run <name>`, got {container['args']}")
        if role != "api" and "CLV_METRICS_HOST" in env and env["CLV_METRICS_HOST"].get("value") in LOOPBACK:
            problems.append(f"{where}: /metrics on loopback cannot be scraped")

    for d in docs:
        kind, name = d["kind"], d["metadata"]["name"]
        if kind == "PodDisruptionBudget":
            sel = d["spec"]["selector"]["matchLabels"]
            if not any(matches(sel, labels) for labels in pod_labels.values()):
                problems.append(f"PodDisruptionBudget {name} selects no pod")
        elif kind == "Service":
            sel = d["spec"]["selector"]
            targets = [by_role[r] for r, labels in pod_labels.items() if matches(sel, labels)]
            if not targets:
                problems.append(f"Service {name} selects no pod")
            for port in d["spec"]["ports"]:
                for t in targets:
                    names = {p_["name"] for p_ in t["spec"]["template"]["spec"]["containers"][0].get("ports", [])}
                    if port["targetPort"] not in names:
                        problems.append(f"Service {name}: {t['metadata']['name']} has no port named {port['targetPort']}")
        elif kind == "ServiceMonitor":
            sel = d["spec"]["selector"]
            services = [s for s in docs if s["kind"] == "Service" and matches(sel["matchLabels"], s["metadata"]["labels"])
                        and all(s["metadata"]["labels"].get(e["key"]) in e["values"] for e in sel.get("matchExpressions", []))]
            scraped = {p_["name"] for s in services for p_ in s["spec"]["ports"]}
            for ep in d["spec"]["endpoints"]:
                if ep["port"] not in scraped:
                    problems.append(f"ServiceMonitor {name}: no selected Service has a port named {ep['port']}")
        elif kind in ("HorizontalPodAutoscaler",):
            target = d["spec"]["scaleTargetRef"]["name"]
            if not any(x["metadata"]["name"] == target for x in deployments):
                problems.append(f"HorizontalPodAutoscaler {name} scales {target}, which is not rendered")
            if by_role.get("api", {}).get("spec", {}).get("replicas") is not None:
                problems.append("the API Deployment sets replicas while an autoscaler owns them")
    if "training" in by_role and any(
        d["kind"] == "PodDisruptionBudget" and matches(d["spec"]["selector"]["matchLabels"], pod_labels["training"]) for d in docs
    ):
        problems.append("a PodDisruptionBudget covers the single trainer pod (it would only block drains)")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    known = settings_the_code_reads(root)
    if len(known) < 20:
        print(f"error: found only {len(known)} CLV_ settings in {root}'s sources; is that the repo root?", file=sys.stderr)
        return 1
    failed = False
    for file in sys.argv[2:]:
        docs = [d for d in yaml.safe_load_all(pathlib.Path(file).read_text(encoding="utf-8")) if d]
        problems = check(docs, known)
        kinds = sorted({d["kind"] for d in docs})
        if problems:
            failed = True
            print(f"{file}: {len(problems)} problem(s)")
            for p in problems:
                print(f"  - {p}")
        else:
            print(f"{file}: {len(docs)} objects ({', '.join(kinds)}): checks pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Instructions per request of the Slack door, for comparisons on a busy machine: `calma slack
--http` under callgrind (instrumentation off at start), warmed up with 150 events of
bench_slack's mix (100 agents, a probe every 10th, 5 % retries), then instrumented only while
N more are sent at a low rate and handled. Wall and CPU time move with the neighbours; this
count moves by a few percent (the nudges fatigue lets through vary a little).

    .venv/bin/python bench/bench_slack_instr.py [--events 300] [--rate 10]

Run it from another tree (its own bench, its own code) to compare two commits.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_slack import free_port, send_load, wait_for_probes  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.harness import BOT_TOKEN, SECRET  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0)
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("needs valgrind (callgrind) and callgrind_control", file=sys.stderr)
        return 2
    folder = tempfile.mkdtemp()
    try:
        with FakeSlack() as fake:
            agents = [f"U{k:05d}" for k in range(100)]
            for agent in agents:
                fake.add_user(agent, tz="America/Mexico_City")
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_"))}
            env.update(
                CALMA_DB=f"{folder}/calma.db",
                SLACK_API_URL=fake.base_url,
                SLACK_SIGNING_SECRET=SECRET,
                SLACK_BOT_TOKEN=BOT_TOKEN,
                PYTHONPATH=str(ROOT),
            )
            out = f"{folder}/callgrind.out"
            command = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
            command += [f"--callgrind-out-file={out}", sys.executable, "-m", "app.cli"]
            command += ["slack", "--http", "--port", str(port)]
            proc = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if "calma: ready" in line:
                    break
            url = f"http://127.0.0.1:{port}/slack/events"

            def agent_of(i: int) -> str:
                return agents[i % len(agents)]

            def load(count: int, tag: str, seed: int) -> int:
                sent = asyncio.run(
                    send_load(
                        url,
                        count,
                        args.rate,
                        agent_of=agent_of,
                        probe_every=10,
                        retries=0.05,
                        tag=tag,
                        seed=seed,
                    )
                )
                wait_for_probes(fake, sent.probes, 60.0)
                time.sleep(2.0)
                return len(sent.acks)

            load(150, "w", 1)
            subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], capture_output=True)
            requests = load(args.events, "m", 2)
            subprocess.run(["callgrind_control", "-d", str(proc.pid)], capture_output=True)
            time.sleep(3.0)
            proc.terminate()
            proc.wait(120)
            dumps = [f for f in sorted(glob.glob(out + ".*"))]
            text = "".join(Path(f).read_text() for f in dumps)
            instructions = sum(int(n) for n in re.findall(r"^summary:\s+(\d+)", text, re.M))
            ephemerals = len(fake.calls_to("chat.postEphemeral"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"{requests} requests at {args.rate:g}/s: {instructions / max(requests, 1) / 1e6:.3f} M"
        f" instructions per request ({ephemerals} ephemerals in all)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

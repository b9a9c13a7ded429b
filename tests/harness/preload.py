"""The harness's side of tests/harness/preload_server.py: start it, run a suite or a docs
build through it."""

import json
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

SERVER = Path(__file__).with_name("preload_server.py")


@dataclass
class PreloadServer:
    socket_path: Path
    process: subprocess.Popen[str]

    @classmethod
    def start(cls, environment: Path, socket_path: Path, env: dict[str, str]) -> "PreloadServer":
        socket_path.unlink(missing_ok=True)
        process = subprocess.Popen(
            [str(environment / "bin" / "python"), "-P", str(SERVER), str(socket_path)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            process.kill()
            raise RuntimeError(f"{SERVER.name} did not start (exit {process.wait()})")
        return cls(socket_path, process)

    def run(
        self, tool: str, cwd: Path, env: dict[str, str], arguments: list[str]
    ) -> tuple[subprocess.CompletedProcess[str], float]:
        """`python -m <tool> *arguments` (`pytest` or `mkdocs`) in `cwd` with exactly `env`,
        in a fork: its result and the CPU seconds it used (the fork is no child of this
        process)."""
        outputs = {name: cwd.parent / f"preload-{name}.txt" for name in ("stdout", "stderr")}
        request = {"tool": tool, "cwd": str(cwd), "env": env, "argv": arguments}
        request.update({name: str(path) for name, path in outputs.items()})
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(str(self.socket_path))
            client.sendall(json.dumps(request).encode() + b"\n")
            with client.makefile("rb") as answer:
                line = answer.readline().split()
        if not line:
            raise RuntimeError(f"{SERVER.name} ended during a run (exit {self.process.poll()})")
        status, cpu = int(line[0]), float(line[1])
        stdout, stderr = (path.read_text(errors="replace") for path in outputs.values())
        return subprocess.CompletedProcess(arguments, status, stdout, stderr), cpu

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.socket_path.unlink(missing_ok=True)

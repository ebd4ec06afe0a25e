"""Schemathesis against the running API: every operation of /api/schema/ with a write token, through its
examples, coverage and fuzzing phases, bounded in time. Fails on any server error or any answer that does
not match the documented schema (status code, content type, body).

    .venv/bin/python bench/api_fuzz.py --max-time 600
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import BIN, Stack, weather_csv

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-time", type=int, default=600, help="seconds for the whole run")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("extra", nargs="*", help="more schemathesis options")
    args = parser.parse_args()

    with Stack("embedded", users=1) as stack:
        answer = stack.upload(weather_csv(stack.folder / "weather.csv", 500), title="Weather")
        stack.wait_for_job(answer["job"]["id"])
        command = [
            str(BIN / "schemathesis"), "run", f"{stack.base_urls[0]}/api/schema/",
            "--header", f"Authorization: Bearer {stack.tokens[0]}",
            "--phases", "examples,coverage,fuzzing",
            "--checks", CHECKS,
            "--max-examples", str(args.max_examples),
            "--max-time", str(args.max_time),
            "--request-timeout", "30",
            "--seed", "1",
            "--no-color",
        ]  # fmt: skip
        # Revoking tokens goes last, on its own: a guessed id, or revoking all of them, would otherwise end the
        # token of the run before the other operations were tried.
        main_run = [*command, "--exclude-path-regex", "^/api/v1/tokens/(\\{id\\}|revoke-all)/$", *args.extra]
        tokens_run = [*command, "--include-path-regex", "^/api/v1/tokens/", "--max-time", "60", *args.extra]
        first = subprocess.run(main_run, check=False).returncode
        return first or subprocess.run(tokens_run, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

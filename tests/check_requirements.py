"""The locks agree with what they were compiled from (`make lint` runs this; no network, standard library only).

requirements.in and requirements-dev.in declare the direct dependencies; `make lock` compiles them into
requirements.txt and requirements-dev.txt. This checks, without resolving anything, that:
- every package in an .in file is pinned in its lock at the .in file's version, and the lock names as
  direct (`-r FILE.in`) exactly the packages of that .in file (so an edit there without `make lock` shows);
- every line of both locks is an exact pin with at least one hash (pip then installs in hash-checking mode);
- no package is pinned in both locks at different versions, and the dev lock is constrained by the runtime one;
- neither lock names a package index or a local path (they install from the public index as pip is set up).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def logical_lines(path: Path) -> list[str]:
    """The file's lines with backslash continuations joined (comments kept)."""
    joined, pending = [], ""
    for line in path.read_text().splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    if pending:
        joined.append(pending)
    return joined


def read_in(path: Path, errors: list[str]) -> tuple[dict[str, str], list[str]]:
    """Pins and options (-c, -r lines) of an .in file."""
    pins, options = {}, []
    for line in logical_lines(path):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if text.startswith("-"):
            options.append(text)
            continue
        match = REQUIREMENT.match(text)
        if not match:
            errors.append(f"{path.name}: {text!r} is not pinned with == (every direct dependency is)")
            continue
        pins[canonical(match[1])] = match[3]
    return pins, options


def read_lock(path: Path, source: str, errors: list[str]) -> tuple[dict[str, str], set[str]]:
    """Pins of a compiled lock, and the packages it says come straight from `source` (`# via -r source`)."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = None
    in_via = False
    for line in logical_lines(path):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if comment.startswith("via"):
                in_via = True
                comment = comment[3:].strip()
            if in_via and current and comment == f"-r {source}":
                direct.add(current)
            continue
        in_via = False
        if stripped.startswith("-") or "://" in stripped or stripped.startswith(("/", ".")):
            errors.append(f"{path.name}: {stripped[:80]!r}: the locks name no index, link or local path")
            continue
        match = REQUIREMENT.match(stripped)
        if not match:
            errors.append(f"{path.name}: {stripped[:80]!r} is not an exact pin")
            current = None
            continue
        current = canonical(match[1])
        if current in pins:
            errors.append(f"{path.name}: {current} is pinned twice")
        pins[current] = match[3]
        if "--hash=sha256:" not in stripped:
            errors.append(f"{path.name}: {current} has no hash (`make lock` writes them)")
    return pins, direct


def check(root: Path = ROOT) -> list[str]:
    errors: list[str] = []
    locks = {}
    for source, lock in PAIRS:
        declared, options = read_in(root / source, errors)
        pinned, direct = read_lock(root / lock, source, errors)
        locks[lock] = pinned
        for name, version in sorted(declared.items()):
            if name not in pinned:
                errors.append(f"{lock}: {name} from {source} is missing: run `make lock`")
            elif pinned[name] != version:
                errors.append(f"{lock}: {name}=={pinned[name]} but {source} says =={version}: run `make lock`")
        for name in sorted(direct - declared.keys()):
            errors.append(f"{lock}: {name} is marked as from {source}, which no longer has it: run `make lock`")
        if source == "requirements-dev.in" and "-c requirements.txt" not in options:
            errors.append(f"{source}: must have `-c requirements.txt` (the runtime lock's versions)")
    runtime, dev = locks["requirements.txt"], locks["requirements-dev.txt"]
    for name in sorted(runtime.keys() & dev.keys()):
        if runtime[name] != dev[name]:
            errors.append(f"{name}: {runtime[name]} in requirements.txt but {dev[name]} in requirements-dev.txt")
    return errors


def main() -> int:
    errors = check()
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    print("requirements: the locks match requirements.in and requirements-dev.in")
    return 0


if __name__ == "__main__":
    sys.exit(main())

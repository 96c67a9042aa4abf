"""The repository runs anywhere: no file names an absolute path of one particular machine (a home
folder, a scratch or work folder, a mounted disk), so a plain `git clone` passes `make test` with
nothing beside it. System locations that are the same on every Debian host (`/usr/bin/…`,
`/etc/…`, `/srv/…` in deploy docs) are not machine paths and are not searched for."""
import re
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]

# The roots of a particular machine's own folders. Not preceded by a word character, a dot, a
# tilde or a hyphen, so relative paths (`var/tmp/`, `./tmp/`) and URL paths (`gov.vn/home/`) pass.
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|root|home|Users|tmp|mnt|media|var/folders)/|[A-Za-z]:\\Users\\")

# Files allowed to name such paths, each with the reason.
SKIPPED_SUFFIXES = {".mo", ".png", ".jpg", ".ico", ".woff", ".woff2", ".ttf", ".pdf", ".parquet", ".sqlite3"}


def repository_files() -> list[Path]:
    """The files git tracks (or, outside a git checkout, every file but caches and environments)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, check=True).stdout
        return [REPOSITORY / name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        ignored = {".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", "var", "build"}
        return [p for p in REPOSITORY.rglob("*") if p.is_file() and not ignored & set(p.relative_to(REPOSITORY).parts)]


def machine_paths(text: str) -> list[str]:
    return [m.group(0) for m in MACHINE_PATH.finditer(text)]


@pytest.mark.parametrize("text, found", [
    # The examples are put together from parts, so that this file names no such path itself.
    ('Path("/' + 'work/shared/data/x.json")', ["/" + "work/"]),
    ("default /" + "tmp/pq1m", ["/" + "tmp/"]),
    ("sqlite:////" + "tmp/bench.sqlite3", ["/" + "tmp/"]),
    ("see /" + "home/alice/notes and /" + "root/.cache", ["/" + "home/", "/" + "root/"]),
    ("C:" + r"\Users\an\motcua", ["C:" + r"\Users" + "\\"]),
    ("/usr/bin/chromium, /etc/motcua/env, /srv/motcua, var/tmp/x, https://x.gov.vn/home/", []),
])
def test_the_pattern_finds_machine_paths_only(text, found):
    assert machine_paths(text) == found


def test_no_file_names_a_path_of_one_machine():
    offences = []
    for path in repository_files():
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file
        name = path.relative_to(REPOSITORY).as_posix()
        offences += [f"{name}:{number}: {line.strip()[:120]}"
                     for number, line in enumerate(text.splitlines(), 1) if machine_paths(line)]
    assert not offences, "absolute paths of one machine:\n" + "\n".join(offences)

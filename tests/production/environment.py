"""The documented production environment (deploy/motcua.env.example) with its blanks filled, for
starting motcua as a separate process in production mode."""
import os
import secrets
from pathlib import Path

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "motcua.env.example"


def documented() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def production_env(data_dir: Path, **changes: str) -> dict[str, str]:
    """This process's environment less every MOTCUA_* (the suite's development ones), plus the
    documented production file, each CHANGE-ME a fresh secret, the data in `data_dir`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MOTCUA_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, refused by check --deploy
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    for name, value in documented().items():
        env[name] = value.replace("CHANGE-ME", secrets.token_urlsafe(50))
    env.update(DATABASE_URL=f"sqlite:///{data_dir / 'motcua.sqlite3'}", MOTCUA_DATA_DIR=str(data_dir),
               MOTCUA_KEY_DIR=str(data_dir / "keys"))
    env.update(changes)
    return {name: value for name, value in env.items() if value is not None}

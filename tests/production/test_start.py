"""A production start refuses development defaults (issue 12): the check, and the real entry points
(`motcua …` and the WSGI module gunicorn loads) started as processes."""
import subprocess
import sys
from types import SimpleNamespace

import pytest

from motcua import production
from motcua.cli import CONFIGURATION_ERROR
from tests.production.environment import documented, production_env

DEV = {name: production.development_value(name) for name in production.DEVELOPMENT_SECRETS}


def run(env, *args, code=None):
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "motcua.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_the_documented_environment_passes_check_deploy_without_a_warning(tmp_path):
    done = run(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_every_development_default_is_listed_in_one_message_and_nothing_runs(tmp_path):
    env = production_env(tmp_path, MOTCUA_SECRET_KEY=None, MOTCUA_VNPAY_HASH_SECRET=DEV["MOTCUA_VNPAY_HASH_SECRET"],
                         MOTCUA_NATIONAL_PAY_SECRET="", MOTCUA_KEY_PASSPHRASE=None, MOTCUA_TEST_PKI="1",
                         MOTCUA_EVENT_KEYS=f"{DEV['MOTCUA_EVENT_KEYS']},k2:{'x' * 40}",
                         MOTCUA_PAYMENT_SIMULATOR="1", MOTCUA_NATIONAL_STAND_IN="1", MOTCUA_POPULATION_STAND_IN="1",
                         MOTCUA_TEXT_STAND_IN="1", MOTCUA_SYNC_TRANSPORT="in-process")
    done = run(env, "migrate", "--noinput")
    assert done.returncode == CONFIGURATION_ERROR
    assert done.stderr.startswith("motcua không khởi động: 11 vấn đề cấu hình")
    for variable in ("MOTCUA_SECRET_KEY đang là giá trị phát triển", "MOTCUA_VNPAY_HASH_SECRET đang là giá trị phát triển",
                     "MOTCUA_NATIONAL_PAY_SECRET trống", "MOTCUA_KEY_PASSPHRASE đang là giá trị phát triển",
                     "MOTCUA_TEST_PKI đang bật", "MOTCUA_SYNC_TRANSPORT=in-process",
                     "MOTCUA_EVENT_KEYS đang là giá trị phát triển",
                     *(f"{name} đang bật" for name in production.STAND_INS)):
        assert variable in done.stderr
    # the payment simulator sits beside the documented real gateway: named as such
    assert "cùng lúc với hệ thống thật (MOTCUA_VNPAY_PAY_URL, MOTCUA_VNPAY_API_URL" in done.stderr
    assert not (tmp_path / "motcua.sqlite3").exists() or (tmp_path / "motcua.sqlite3").stat().st_size == 0


@pytest.mark.parametrize("command", [["db_worker", "--batch"], ["schedule"], ["runserver", "--noreload"]])
def test_the_worker_the_scheduler_and_the_server_refuse_a_development_secret(tmp_path, command):
    done = run(production_env(tmp_path, MOTCUA_SECRET_KEY=DEV["SECRET_KEY"]), *command)
    assert done.returncode == CONFIGURATION_ERROR
    assert "motcua không khởi động: 1 vấn đề cấu hình" in done.stderr and "MOTCUA_SECRET_KEY" in done.stderr


def test_the_wsgi_application_refuses_a_development_passphrase_and_loads_with_a_good_one(tmp_path):
    load = "import motcua.wsgi; print(type(motcua.wsgi.application).__name__)"
    refused = run(production_env(tmp_path, MOTCUA_KEY_PASSPHRASE=DEV["MOTCUA_KEY_PASSPHRASE"]), code=load)
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr
    assert "MOTCUA_KEY_PASSPHRASE đang là giá trị phát triển" in refused.stderr
    loaded = run(production_env(tmp_path), code=load)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "WSGIHandler"


def test_a_placeholder_left_from_the_template_is_refused(tmp_path):
    done = run(production_env(tmp_path, MOTCUA_VNPAY_HASH_SECRET="CHANGE-ME"), "check")
    assert done.returncode == CONFIGURATION_ERROR and "MOTCUA_VNPAY_HASH_SECRET còn là chỗ trống CHANGE-ME" in done.stderr


def configuration(**changes):
    values = {"DEBUG": True, **DEV, "MOTCUA_TEST_PKI": True, "MOTCUA_NATIONAL_ENDPOINT": "",
              **{name: False for name in production.STAND_INS}}
    values.update({name: "" for _, real in production.STAND_INS.values() for name in real})
    values.update(changes)
    return SimpleNamespace(**values)


def test_development_may_keep_its_defaults():
    assert production.problems(configuration(**{name: True for name in production.STAND_INS})) == []


@pytest.mark.parametrize("stand_in, real, value", [
    ("MOTCUA_PAYMENT_SIMULATOR", "MOTCUA_VNPAY_PAY_URL", "https://pay.vnpay.example/vpcpay.html"),
    ("MOTCUA_PAYMENT_SIMULATOR", "MOTCUA_NATIONAL_PAY_API_URL", "https://thanhtoan.example/api"),
    ("MOTCUA_NATIONAL_STAND_IN", "MOTCUA_NATIONAL_ENDPOINT", "https://dongbo.example.gov.vn/api/trang-thai"),
    ("MOTCUA_POPULATION_STAND_IN", "MOTCUA_POPULATION_ADAPTER", "province.PopulationGateway"),
    ("MOTCUA_TEXT_STAND_IN", "MOTCUA_SMS_ADAPTER", "province.SmsGateway"),
])
def test_a_stand_in_beside_the_real_system_is_refused_even_in_development(stand_in, real, value):
    found = production.problems(configuration(**{stand_in: True, real: value}))
    assert found == [f"{stand_in} đang bật ({production.STAND_INS[stand_in][0]}) cùng lúc với hệ thống thật "
                     f"({real}): tắt {stand_in}."]


def test_the_national_stand_in_may_be_reached_over_http_at_its_own_address():
    local = configuration(MOTCUA_NATIONAL_STAND_IN=True, MOTCUA_NATIONAL_ENDPOINT="http://127.0.0.1:8765/_quoc-gia/dong-bo/")
    assert production.problems(local) == []


def test_the_template_leaves_every_secret_to_fill_in():
    values = documented()
    for variable, _ in production.DEVELOPMENT_SECRETS.values():
        assert values[variable].endswith("CHANGE-ME"), variable  # the event keys: "id:CHANGE-ME"
    assert values["MOTCUA_DEBUG"] == "0" and values["MOTCUA_TEST_PKI"] == "0"
    assert all(values[name] == "0" for name in production.STAND_INS)


def test_production_is_the_default_every_stand_in_and_the_test_ca_off(tmp_path):
    env = production_env(tmp_path)
    for name in ("MOTCUA_DEBUG", "MOTCUA_TEST_PKI", *production.STAND_INS):
        del env[name]
    show = ("import django; django.setup(); from django.conf import settings as s; "
            "print([s.DEBUG, s.MOTCUA_TEST_PKI, " + ", ".join(f"s.{name}" for name in production.STAND_INS) + "])")
    done = run(env, code=show)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str([False] * (2 + len(production.STAND_INS)))

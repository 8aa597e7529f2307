"""Passwords never printed: URL userinfo, ``?password=`` and libpq keyword strings, in every
message (the redaction helper, and the CLI's error and summary lines); a ``postgresql://``
``--out`` means PostgreSQL, never a local file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cli import assert_one_line_error, run

from leo_synth.secrets import redact, remember_secrets

SECRET = "hunter2x"


@pytest.mark.parametrize("text", [
    f"postgresql://me:{SECRET}@db.example/leo",
    f"postgres://me:{SECRET}@db.example:5432/leo?sslmode=require",
    f"postgresql://me@db.example/leo?sslmode=require&password={SECRET}",
    f"postgresql:///leo?password={SECRET}&user=me",
    f"host=db.example user=me password={SECRET} dbname=leo",
    f"host=db.example password = '{SECRET} with spaces' dbname=leo",
    f"cannot connect to PostgreSQL at postgresql://me:{SECRET}@h/d: FATAL: no",
])
def test_redact_masks_every_form(text: str) -> None:
    masked = redact(text)
    assert SECRET not in masked
    assert "***" in masked
    assert "db.example" in masked or "cannot connect" in masked or "postgresql:///" in masked


def test_a_remembered_password_is_masked_wherever_a_driver_echoes_it() -> None:
    remember_secrets("host=h password=s3cr3tw0rd")
    assert redact('missing "=" after "s3cr3tw0rd" in connection info') == \
        'missing "=" after "***" in connection info'
    assert redact("leo_i2 and leo_synth") == "leo_i2 and leo_synth"  # nothing else touched


@pytest.mark.parametrize("out", [
    f"host=127.0.0.1 port=1 user=me password={SECRET} dbname=nowhere",
    f"postgresql://me@127.0.0.1:1/nowhere?password={SECRET}",
    f"postgresql://me:{SECRET}@127.0.0.1:1/nowhere",
])
def test_cli_errors_never_print_the_password(out: str) -> None:
    result = run("generate", "--persons", "200", "--format", "postgres", "--out", out)
    assert_one_line_error(result, "cannot connect to PostgreSQL")
    assert SECRET not in result.stderr + result.stdout


def test_a_postgres_url_out_means_postgres(tmp_path: Path) -> None:
    url = f"postgresql://me:{SECRET}@127.0.0.1:1/nowhere"
    inferred = run("generate", "--persons", "200", "--out", url, cwd=tmp_path)
    assert_one_line_error(inferred, "cannot connect to PostgreSQL at postgresql://me:***@")
    refused = run("generate", "--persons", "200", "--format", "sqlite", "--out", url,
                  cwd=tmp_path)
    assert_one_line_error(refused, "out is a PostgreSQL URL but format is sqlite")
    assert SECRET not in inferred.stderr + refused.stderr
    assert os.listdir(tmp_path) == []  # no local file "postgresql:/nowhere"

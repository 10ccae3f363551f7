"""An S3-compatible server for the tests (moto in server mode, on loopback), and a fixture
that points the default storage at a fresh bucket on it; loaded with pytest_plugins.

The app talks to it over HTTP through django-storages and boto3, exactly as it would
talk to a real bucket: nothing inside boto3 is patched. The server is a process of its
own, started from outside the checkout: moto imports the `responses` HTTP-mocking
package, which our `responses` app would shadow.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # noqa: S105 - moto's server accepts any


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def moto_server_command():
    beside_python = Path(sys.executable).with_name("moto_server")
    command = str(beside_python) if beside_python.exists() else shutil.which("moto_server")
    if not command:
        pytest.skip("moto_server is not installed (it is in the [test] extra: moto[server])")
    return command


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as workdir:
        server = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            [moto_server_command(), "-H", "127.0.0.1", "-p", str(port)],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("moto_server did not start")
                    time.sleep(0.2)
            yield endpoint
        finally:
            server.terminate()
            server.wait(timeout=10)


def s3_client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="eu-west-2",
    )


def bucket_storage_settings(endpoint, bucket):
    """STORAGES["default"] as settings.object_storage makes it for these variables."""
    from foi_portal.settings import object_storage

    env = {
        "STORAGE_ENDPOINT_URL": endpoint,
        "STORAGE_REGION": "eu-west-2",
        "STORAGE_ACCESS_KEY_ID": ACCESS_KEY,
        "STORAGE_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        return object_storage(bucket)


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """A new, empty bucket, made the default storage for this test. Yields (client, name)."""
    client = s3_client(s3_endpoint)
    bucket = f"foi-{uuid.uuid4().hex[:12]}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket_storage_settings(s3_endpoint, bucket),
    }
    return client, bucket

"""aiohttp's default TLS contexts get their CA certificates when vnsign opens a session.

vnsign.tls_defaults: in vnsign's own processes aiohttp is imported with the reading of
the system's CA bundle held back (an offline run never needs it); the first HTTP session
vnsign opens gives the contexts exactly what was held back. A library caller's aiohttp is
never touched. Each case runs in a fresh interpreter: this one imported aiohttp long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES
from tests.helpers import AT, PKI

LETTER = FIXTURES / "cong-van-2971-snv-vp.pdf"

# What a test process prints of aiohttp's two default contexts and of a fresh default one.
_STATE = """
def state():
    import ssl
    import aiohttp.connector as c
    def of(context):
        return {"stats": context.cert_store_stats(), "mode": int(context.verify_mode),
                "hostname": context.check_hostname,
                "cas": sorted(str(x.get("subject")) for x in context.get_ca_certs())}
    from vnsign import tls_defaults
    return {"verified": of(c._SSL_CONTEXT_VERIFIED), "unverified": of(c._SSL_CONTEXT_UNVERIFIED),
            "fresh": of(ssl.create_default_context()), "deferred": tls_defaults.deferred(),
            "shadow": "set_default_verify_paths" in ssl.SSLContext.__dict__}
"""

_SESSION = _STATE + """
import asyncio, json
from vnsign import tls_defaults
tls_defaults.defer_default_certificates()
before = state()
async def open_and_close():
    from vnsign.validation.network import make_session
    session = make_session(1024)
    await session.close()
asyncio.run(open_and_close())
print(json.dumps({"before": before, "after": state()}))
"""

_CLI = _STATE + """
import json, sys
from vnsign.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "state": state()}))
"""

_LIBRARY = _STATE + """
import json, sys
from vnsign import verify
from tests.helpers import OFFLINE, fixture_trust
report = verify(sys.argv[1], trust=fixture_trust(), policy=OFFLINE)
print(json.dumps({"signatures": len(report.signatures), "state": state()}))
"""


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, cwd=FIXTURES.parent.parent, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_session_gives_the_contexts_what_was_held_back() -> None:
    found = _run(_SESSION)
    before, after = found["before"], found["after"]
    assert before["deferred"] == 2  # aiohttp's verified and unverified contexts
    assert before["verified"]["stats"]["x509_ca"] == 0 and not before["verified"]["cas"]
    # Otherwise already as aiohttp makes it: verifying, host names checked.
    assert before["verified"]["mode"] == after["fresh"]["mode"]
    assert before["verified"]["hostname"] is True
    assert not before["shadow"]  # SSLContext is itself again once aiohttp is imported
    assert after["deferred"] == 0
    for name in ("verified", "unverified"):
        assert after[name]["stats"] == after["fresh"]["stats"]
        assert after[name]["cas"] == after["fresh"]["cas"]
    assert after["verified"]["mode"] == after["fresh"]["mode"]
    assert after["unverified"]["hostname"] is False  # aiohttp's unverified one stays so


def test_an_offline_verify_never_reads_the_ca_bundle_and_its_verdict_stands() -> None:
    found = _run(_CLI, "verify", str(LETTER), "--json", "--no-saved-trust",
                 "--trust", str(PKI / "root.cert.pem"),
                 "--other-certs", str(PKI / "intermediate.cert.pem"),
                 "--offline", "--at", AT.strftime("%Y-%m-%dT%H:%M:%S"))
    assert found["code"] == 0  # PASSED, as without the deferral (tests/test_cli.py)
    assert found["state"]["deferred"] == 2
    assert found["state"]["verified"]["stats"]["x509_ca"] == 0


def test_the_library_leaves_aiohttp_as_imported() -> None:
    found = _run(_LIBRARY, str(LETTER))
    assert found["signatures"] == 5
    state = found["state"]
    assert state["deferred"] == 0
    assert state["verified"]["stats"] == state["fresh"]["stats"]
    assert state["verified"]["cas"] == state["fresh"]["cas"]


def test_nothing_is_deferred_once_aiohttp_is_imported() -> None:
    found = _run("import aiohttp\n" + _SESSION)
    assert found["before"]["deferred"] == 0
    assert found["before"]["verified"]["stats"] == found["before"]["fresh"]["stats"]

"""Ingestion killed with SIGKILL in the middle of a big file loses nothing for good."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.integration_tests.cli_runs import cli

INGEST_THAT_HANGS_AFTER_ONE_PAGE = """
import sys, time, pathlib
import tools.knowledge_store as store
store.PAGE = 10
real = store.KnowledgeStore.add
def add(self, chunks, vectors):
    original = self._collection.upsert
    def upsert(**kw):
        original(**kw)
        pathlib.Path(sys.argv[2]).write_text("one page is in")
        time.sleep(600)
    self._collection.upsert = upsert
    return real(self, chunks, vectors)
store.KnowledgeStore.add = add
from tools.ingest import ingest
ingest([pathlib.Path(sys.argv[1])], store.KnowledgeStore("docs"))
"""


def test_a_file_cut_short_by_kill_9_is_finished_by_the_next_ingest(tmp_path):
    environment = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path / "home")}
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(f"Paragraph {i}. " + "word " * 150 for i in range(40)))
    marker = tmp_path / "marker"
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST_THAT_HANGS_AFTER_ONE_PAGE, str(big), str(marker)],
        env=environment,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    again = cli(environment, "ingest", str(big), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["added"], report["unchanged"]) == (1, 0)
    total = report["chunks_added"]
    assert total > 10
    last = json.loads(cli(environment, "ingest", str(big), "--json").stdout)
    assert (last["unchanged"], last["chunks_added"]) == (1, 0)

"""Pagefind's service mode (``pagefind_extended --service``): pages handed to the indexer as they are cleaned.

The command-line run (``search_index.index_site``) reads every entry page back from disk and parses it with the
second core idle until then: at 10,000 entries that is about a fifth of the whole build. In service mode the
post-build step (``engines/postbuild.py``) sends each entry page the moment it has cleaned it; the indexer parses it
on the other core while the next page is cleaned, and only the writing of the index is left for the end.
The pages and the index are the same: the same binary, the same HTML, the same exclusions (tested).

The protocol, as Pagefind's own Python and Node wrappers speak it: every message, either way, is a JSON object
encoded in base64 and followed by a comma; a request carries a ``message_id`` and its response echoes it.
Requests used here: ``NewIndex``, ``AddFile`` (a page's HTML and URL), ``WriteFiles`` (the bundle, to a folder).
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from pathlib import Path


class PagefindServiceError(Exception):
    """The service refused a request or stopped; the message is for editors (Chinese)."""


class PagefindService:
    """One index in one ``--service`` process. ``add_page`` does not wait for the answer (the indexer works while
    the caller goes on); ``write`` waits for every page, fails on the first refused one, and writes the bundle."""

    def __init__(self, binary: Path, exclude_selectors: list[str]):
        self._process = subprocess.Popen(
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._answers: dict[int, dict] = {}
        self._changed = threading.Condition()
        self._stopped = False
        self._next_id = 0
        self._pending: list[tuple[int, str]] = []  # AddFile requests not yet checked: (message id, page URL)
        self._stderr: list[bytes] = []
        # Both pipes are drained by threads: a full stdout (answers nobody reads) or stderr would stall the
        # service, and then our next write to its stdin.
        threading.Thread(target=self._read_answers, daemon=True).start()
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        answer = self._wait(self._send({"type": "NewIndex", "config": {"exclude_selectors": exclude_selectors}}))
        self._index_id = answer["index_id"]

    def add_page(self, url: str, html: str) -> None:
        """Hand over one page (``url`` as the site serves it, "/sites/x/"); its answer is checked in ``write``."""
        message = self._send({"type": "AddFile", "index_id": self._index_id, "file_path": None, "url": url, "file_contents": html})
        self._pending.append((message, url))

    def write(self, output: Path) -> int:
        """Wait until every page is indexed, then write the bundle into ``output``; the number of pages indexed."""
        pages = 0
        for message, url in self._pending:
            answer = self._wait(message, url)
            if answer.get("type") != "IndexedFile":
                raise PagefindServiceError(f"搜索索引程序没有收录页面 {url}：{answer}")
            pages += 1
        self._pending.clear()
        self._wait(self._send({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output)}))
        return pages

    def close(self) -> None:
        """End the service (it exits when its input closes) and reap it, so its peak memory is counted."""
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    # --- the wire ---------------------------------------------------------------------------------------------

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise PagefindServiceError(self._stopped_message()) from None
        return self._next_id

    def _wait(self, message: int, url: str = "") -> dict:
        with self._changed:
            self._changed.wait_for(lambda: message in self._answers or self._stopped)
            answer = self._answers.pop(message, None)
        if answer is None:
            raise PagefindServiceError(self._stopped_message())
        if answer.get("type") == "Error":
            where = f"页面 {url}：" if url else ""
            raise PagefindServiceError(f"搜索索引程序报错：{where}{answer.get('message', answer)}")
        return answer

    def _read_answers(self) -> None:
        buffer = b""
        stream = self._process.stdout
        try:
            while chunk := stream.read1(1 << 16):
                buffer += chunk
                *messages, buffer = buffer.split(b",")
                for raw in messages:
                    answer = json.loads(base64.b64decode(raw))
                    message = answer.get("message_id")
                    if message is None:  # a request it could not parse: its id is in the echoed original
                        original = answer.get("payload", {}).get("original_message")
                        message = json.loads(original).get("message_id") if original else None
                    with self._changed:
                        self._answers[message] = answer.get("payload", {})
                        self._changed.notify_all()
        except (ValueError, OSError):  # garbled output: treated as the service having stopped
            pass
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        for line in self._process.stderr:
            if sum(map(len, self._stderr)) < 8192:
                self._stderr.append(line)

    def _stopped_message(self) -> str:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr_reader.join(timeout=5)  # what it said before it stopped
        detail = b"".join(self._stderr).decode("utf-8", "replace").strip()
        return f"搜索索引程序意外停止（退出码 {code}）" + (f"：\n{detail}" if detail else "。")

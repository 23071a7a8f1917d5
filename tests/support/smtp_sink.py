"""Real SMTP servers on 127.0.0.1 that keep (or count) what they receive.

`SmtpSink` is an aiosmtpd server in a thread of the calling process: the tests send the
Update through Django's SMTP backend to it and read every message back with the `email`
package. It can answer given recipients with a temporary (451) or permanent (550) refusal,
as a real mail server would. `CountingSinkProcess` is the benchmark's sink, in a process
of its own so that it does not compete with the senders for one interpreter's GIL: it
only counts messages and their distinct Message-IDs, either behind aiosmtpd or behind
`_MinimalSmtp`, a bare asyncio responder several times faster (aiosmtpd reads a message
line by line; at some 800 messages a second it, not the sender, would be measured).
"""

import asyncio
import email
import email.policy
import logging
import multiprocessing
import re
import socket
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property

from aiosmtpd.controller import Controller

TEMPORARY = "451 4.2.1 Mailbox busy, try again later"
PERMANENT = "550 5.1.1 No such user here"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port(host="127.0.0.1"):
    """A port nobody listens on now (aiosmtpd's Controller cannot bind port 0 itself)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it: the envelope and the raw bytes."""

    mail_from: str
    recipients: tuple[str, ...]
    data: bytes

    @cached_property
    def message(self):
        return SmtpSink.parse(self.data)

    @property
    def message_id(self):
        return self.message["Message-ID"]


class _KeepingHandler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.sink.refusal_for(address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content)
        count = self.sink.keep(received)
        if self.sink.on_receive is not None:
            # Before the "250": a sender killed here has had its message taken but never
            # heard so, the one message a crash leaves in doubt.
            self.sink.on_receive(received, count)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server in a background thread that keeps every message it accepts.

        with SmtpSink() as sink:
            settings.EMAIL_PORT = sink.port
            ...
            sink.wait_for(3)
            [message.message["Subject"] for message in sink.messages]

    `refuse(address, TEMPORARY, times=2)` answers the next two RCPT TO for that address
    with a 451; `refuse(address, PERMANENT)` refuses it for good with a 550.
    `on_receive(received, count)`, if set, is called with each message once it is kept and
    before the server answers "250" (in the server's thread).
    """

    @staticmethod
    def parse(data):
        """Raw message bytes as an `email.message.EmailMessage`."""
        return email.message_from_bytes(data, policy=email.policy.default)

    def __init__(self, host="127.0.0.1", port=None, on_receive=None):
        self.host = host
        self.on_receive = on_receive
        self.port = port or free_port(host)
        self._received = []
        self._refusals = {}  # address -> [reply, remaining times (None: always)]
        self._changed = threading.Condition()
        self._controller = Controller(_KeepingHandler(self), hostname=host, port=self.port)

    def start(self):
        # aiosmtpd logs every SMTP command at INFO: pages of it in a failing test's report.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def refuse(self, address, reply, times=None):
        with self._changed:
            self._refusals[address.lower()] = [reply, times]

    def refusal_for(self, address):
        with self._changed:
            rule = self._refusals.get(address.lower())
            if rule is None:
                return None
            reply, remaining = rule
            if remaining is not None:
                if remaining <= 0:
                    return None
                rule[1] = remaining - 1
            return reply

    def keep(self, received):
        with self._changed:
            self._received.append(received)
            self._changed.notify_all()
            return len(self._received)

    @property
    def messages(self):
        with self._changed:
            return list(self._received)

    def count(self):
        with self._changed:
            return len(self._received)

    def clear(self):
        with self._changed:
            self._received.clear()

    def wait_for(self, count, timeout=30.0):
        """Block until at least `count` messages arrived; False if the time ran out first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def to(self, address):
        """The messages whose envelope names `address`."""
        return [m for m in self.messages if address.lower() in map(str.lower, m.recipients)]


# --- the benchmark's sink, in its own process -----------------------------------------------


class _Counter:
    """Counts messages and distinct Message-IDs; keeps nothing else, so memory stays flat."""

    def __init__(self, total, distinct):
        self.total = total
        self.distinct = distinct
        self.seen = set()

    def count(self, data):
        found = MESSAGE_ID.search(data)
        if found:
            key = hash(found.group(1))  # an int per id: 100,000 of them weigh a few MB
            if key not in self.seen:
                self.seen.add(key)
                self.distinct.value += 1
        self.total.value += 1


class _CountingHandler:
    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        self.counter.count(envelope.original_content or envelope.content)
        return "250 OK"


class _MinimalSmtp(asyncio.Protocol):
    """Just enough SMTP for smtplib (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), answering
    every command at once and reading DATA in whole chunks rather than line by line: it
    accepts what aiosmtpd accepts from Django, several times faster."""

    END = b"\r\n.\r\n"
    REPLIES = {
        b"HELO": b"250 sink\r\n",
        b"EHLO": b"250-sink\r\n250-8BITMIME\r\n250 SIZE 33554432\r\n",
        b"MAIL": b"250 OK\r\n",
        b"RCPT": b"250 OK\r\n",
        b"RSET": b"250 OK\r\n",
        b"NOOP": b"250 OK\r\n",
    }

    def __init__(self, counter):
        self.counter = counter
        self.buffer = bytearray()
        self.in_data = False
        self.searched = 0  # where to resume looking for the end of DATA

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while self.buffer:
            if self.in_data:
                # The message may be empty: then the terminator starts right at the top.
                if self.buffer.startswith(b".\r\n"):
                    message_end, consumed = 0, 3
                else:
                    found = self.buffer.find(self.END, self.searched)
                    if found < 0:
                        self.searched = max(0, len(self.buffer) - len(self.END))
                        return
                    message_end, consumed = found + 2, found + len(self.END)
                self.counter.count(bytes(self.buffer[:message_end]))
                del self.buffer[:consumed]
                self.in_data, self.searched = False, 0
                self.transport.write(b"250 OK\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            verb = bytes(self.buffer[:4]).upper()
            del self.buffer[: line_end + 2]
            if verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 Bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(self.REPLIES.get(verb, b"500 Unknown command\r\n"))


def serve_counting(port, total, distinct, ready, stop, kind="minimal"):
    """Process target: serve SMTP on `port` until `stop` is set, counting into the values."""
    counter = _Counter(total, distinct)
    if kind == "aiosmtpd":
        controller = Controller(_CountingHandler(counter), hostname="127.0.0.1", port=port)
        controller.start()
        ready.set()
        try:
            stop.wait()
        finally:
            controller.stop()
        return

    async def main():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _MinimalSmtp(counter), "127.0.0.1", port)
        ready.set()
        await loop.run_in_executor(None, stop.wait)
        server.close()

    asyncio.run(main())


class CountingSinkProcess:
    """The benchmark's SMTP sink in a child process, read through shared counters.

    kind "minimal" (default) is `_MinimalSmtp`; "aiosmtpd" the same counting behind aiosmtpd.
    """

    def __init__(self, port=None, kind="minimal"):
        self.port = port or free_port()
        self.kind = kind
        context = multiprocessing.get_context("spawn")
        # Plain counters without locks: only the sink's single event loop writes them.
        self._total = context.Value("q", 0, lock=False)
        self._distinct = context.Value("q", 0, lock=False)
        self._ready = context.Event()
        self._stop = context.Event()
        self._process = context.Process(
            target=serve_counting,
            args=(self.port, self._total, self._distinct, self._ready, self._stop, kind),
            daemon=True,
        )

    def start(self, timeout=20.0):
        self._process.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self):
        self._stop.set()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def total(self):
        return self._total.value

    @property
    def distinct(self):
        return self._distinct.value

    @property
    def pid(self):
        return self._process.pid

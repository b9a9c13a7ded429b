"""Real network faults for outage tests: a port nothing listens on, a server that never answers."""

import asyncio
import socket
from collections.abc import Iterator

import pytest


@pytest.fixture
def closed_port() -> int:
    """A local port that refuses connections: bound once to pick it, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def black_hole_port() -> Iterator[int]:
    """A local port that accepts connections (the kernel does) and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


class TcpProxy:
    """Forwards a local port to a server; `stop` is an outage (open connections cut, new ones
    refused) and `start` the server coming back, on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._forward, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None  # started first
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()
        await self._server.wait_closed()

    async def _forward(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        server_in, server_out = await asyncio.open_connection(*self.target)
        self._writers |= {client_out, server_out}
        await asyncio.gather(self._pipe(client_in, server_out), self._pipe(server_in, client_out))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass  # the other side was cut: the outage itself
        finally:
            writer.transport.abort()

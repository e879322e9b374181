"""A WebSocket peer for netassist's tests, on Python's `websockets` (Debian python3-websockets).

    peer.py server [PATH]   serve on 127.0.0.1, port 0; print "PORT n"; per message:
        text "fragments"  -> one text message sent in three fragments ("frag-" "men" "ted")
        text "header"     -> the request's X-Test header as a text message
        text "ping"       -> a ping "py-ping"; once its pong came: text "pong-ok"
        text "close"      -> close with 4001 "bye now"
        anything else     -> echoed back as it came (text as text, binary as binary)
      A request for another PATH than the one given is refused with 404.
    peer.py client URL      connect (wss:// without verifying the certificate); send text "hello", binary 00 01 FF, a fragmented text
        message, a ping; print what came back, one line each; close with 4002 "py done".
Every wait is bounded (10 s).
"""

import asyncio
import http
import ssl
import sys

import websockets

LIMIT = 10


def show(message):
    if isinstance(message, str):
        return "text " + message
    return "binary " + message.hex()


async def serve(path):
    async def handler(ws, *args):
        async for message in ws:
            if message == "fragments":
                await ws.send(["frag-", "men", "ted"])
            elif message == "header":
                await ws.send(ws.request_headers.get("X-Test", "(none)"))
            elif message == "ping":
                waiter = await ws.ping(b"py-ping")
                await asyncio.wait_for(waiter, LIMIT)
                await ws.send("pong-ok")
            elif message == "close":
                await ws.close(4001, "bye now")
            else:
                await ws.send(message)

    async def check(request_path, headers):
        if path is not None and request_path != path:
            return http.HTTPStatus.NOT_FOUND, [], b"not here\n"
        return None

    async with websockets.serve(
        handler, "127.0.0.1", 0, max_size=None, process_request=check
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print("PORT", port, flush=True)
        # Ends when the test closes stdin (or after a minute at most).
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.read), 60)


async def client(url):
    # wss://: the test server's certificate is self-signed, made for the run.
    context = ssl._create_unverified_context() if url.startswith("wss://") else None
    async with websockets.connect(url, max_size=None, ssl=context) as ws:
        await ws.send("hello")
        print("got", show(await asyncio.wait_for(ws.recv(), LIMIT)), flush=True)
        await ws.send(b"\x00\x01\xff")
        print("got", show(await asyncio.wait_for(ws.recv(), LIMIT)), flush=True)
        await ws.send(["in ", "three ", "parts"])
        print("got", show(await asyncio.wait_for(ws.recv(), LIMIT)), flush=True)
        waiter = await ws.ping(b"from-py")
        await asyncio.wait_for(waiter, LIMIT)
        print("pong came", flush=True)
        await ws.close(4002, "py done")
        print("closed", ws.close_code, ws.close_reason, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        asyncio.run(serve(sys.argv[2] if len(sys.argv) > 2 else None))
    else:
        asyncio.run(client(sys.argv[2]))

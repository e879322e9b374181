#!/usr/bin/env python3
"""The sticky-packet lesson's server: answers each command line with a framed message.

Each answer is struct.pack('i', len(header)) + a JSON header {"data_size": N, ...} + N bytes
of body, as the socket course writes it ('i' is the machine's byte order: little endian on a
PC). It runs no command: "dir" and "ls" get a canned listing, "date" the time, anything else
an error text, all in UTF-8 so the Chinese shows in the framing view.

    python3 scripts/lessons/json_header_server.py [PORT]     (default 0: the system picks)

Then in netassist: TCP client to 127.0.0.1:PORT, framing view "JSON header", send "dir".
"""

import json
import socket
import struct
import sys
import threading
import time

LISTING = "\n".join(
    [
        "2026-11-28  09:12    <DIR>          课件",
        "2026-11-28  09:13             1,024 作业1.txt",
        "2026-11-28  09:14            20,480 server.py",
        "2026-11-28  09:15             4,096 client.py",
        "               3 个文件         25,600 字节",
    ]
)


def answer(command: str) -> bytes:
    if command in ("dir", "ls"):
        body = LISTING
    elif command == "date":
        body = time.strftime("%Y-%m-%d %H:%M:%S")
    else:
        body = f"'{command}' 不是内部或外部命令"
    data = body.encode("utf-8")
    header = json.dumps({"file_name": command, "data_size": len(data)}).encode("utf-8")
    return struct.pack("i", len(header)) + header + data


def serve(conn: socket.socket) -> None:
    with conn:
        pending = b""
        while True:
            chunk = conn.recv(1024)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                command = line.decode("utf-8", "replace").strip()
                if command:
                    conn.sendall(answer(command))


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    print(f"listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()

"""Reads a Fulcrum recording with an implementation independent of Fulcrum's, following the documented format
(Sources/FulcrumRecording/RecordingFormat.swift): header (magic, version, metadata JSON, CRC-32C), then records
[u32 L][i64 receipt ns][u16 feed][u16 frame count][u32 n1][u32 n2][frames][u32 CRC-32C], little-endian.

Usage: python3 -m fulcrum_tools.backtest.read_recording FILE  ->  one JSON object: {"metadata": ..., "records":
[{"receiptTimeNs", "feed", "frameCount", "frames": [base64, ...]}], "tail": null or {"offset", "skippedBytes",
"problem"}}
"""
import base64
import json
import struct
import sys

MAGIC = bytes([0x89, 0x46, 0x52, 0x45, 0x43, 0x0D, 0x0A, 0x1A])


def crc32c_table():
    table = []
    for index in range(256):
        crc = index
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


TABLE = crc32c_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def main() -> int:
    data = open(sys.argv[1], "rb").read()
    if data[:8] != MAGIC:
        raise SystemExit("not a Fulcrum recording")
    version, _flags, metadata_length = struct.unpack_from("<HHI", data, 8)
    if version != 1:
        raise SystemExit(f"unsupported version {version}")
    header_end = 16 + metadata_length
    (stored,) = struct.unpack_from("<I", data, header_end)
    if stored != crc32c(data[:header_end]):
        raise SystemExit("header checksum mismatch")
    metadata = json.loads(data[16:header_end])
    offset = header_end + 4
    records = []
    tail = None
    while offset < len(data):
        problem = None
        if len(data) - offset < 24:
            problem = "truncated"
        else:
            length, receipt, feed, frames, first, second = struct.unpack_from("<IqHHII", data, offset)
            if length != 20 + first + second:
                problem = "invalidLength"
            elif offset + 4 + length + 4 > len(data):
                problem = "truncated"
            else:
                (checksum,) = struct.unpack_from("<I", data, offset + 4 + length)
                if checksum != crc32c(data[offset:offset + 4 + length]):
                    problem = "checksumMismatch"
        if problem:
            tail = {"offset": offset, "skippedBytes": len(data) - offset, "problem": problem}
            break
        body = data[offset + 24:offset + 4 + length]
        parts = [body[:first]] + ([body[first:first + second]] if frames >= 2 else [])
        records.append({"receiptTimeNs": receipt, "feed": feed, "frameCount": frames,
                        "frames": [base64.b64encode(part).decode() for part in parts]})
        offset += 4 + length + 4
    print(json.dumps({"metadata": metadata, "records": records, "tail": tail}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

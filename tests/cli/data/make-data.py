#!/usr/bin/env python3
"""Regenerates the small hand-checked HEX fixtures of the CLI tests.

python3 make-data.py  (writes into the current directory)
"""


def rec(addr, typ, data):
    b = [len(data), (addr >> 8) & 0xFF, addr & 0xFF, typ] + list(data)
    return ":" + "".join("%02X" % x for x in b) + "%02X" % (-sum(b) & 0xFF)


def ela(upper):
    return rec(0, 4, [upper >> 8, upper & 0xFF])


def le32(v):
    return [v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24]


def write(name, lines):
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n")


# bootloader: vector table + code at 0x08000000, a tail record at 0x08007FF0
# on line 12 (the SPEC's conflict example names boot.hex:12)
boot = le32(0x20020000) + le32(0x08000009) + list(range(8, 160))
lines = [ela(0x0800)]
for i in range(0, 160, 16):
    lines.append(rec(i, 0, boot[i:i + 16]))
tail = [0xA0 + i for i in range(16)]
tail[4] = 0x12
lines.append(rec(0x7FF0, 0, tail))
lines.append(rec(0, 1, []))
write("boot.hex", lines)

# application at 0x08008000 with an entry point
app = le32(0x20020000) + le32(0x08008101) + [0x55] * 24
write("app.hex", [ela(0x0800), rec(0x8000, 0, app[:16]), rec(0x8010, 0, app[16:]),
                  rec(0, 5, [0x08, 0x00, 0x81, 0x01]), rec(0, 1, [])])

# an application whose line 3 sets 0x08007FF4 to 0x34 where boot.hex has 0x12
bad = list(tail)
bad[4] = 0x34
write("app_conflict.hex", [ela(0x0800), rec(0x8000, 0, app[:16]),
                           rec(0x7FF0, 0, bad), rec(0, 1, [])])

# an application that repeats the bootloader's tail byte for byte
write("app_same.hex", [ela(0x0800), rec(0x7FF0, 0, tail),
                       rec(0x8000, 0, app[:16]), rec(0, 1, [])])

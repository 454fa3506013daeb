#!/usr/bin/python3
"""Social security cards issued by 涪城区's 人社局 as its office would export them, for timing
`mwpctl import` (docs/performance.md, "A 50,000-row import"): one row a card, UTF-8 with a BOM
(Excel's "CSV UTF-8"), each row another worker (valid resident IDs) and eventId PREFIX-<row>.
Usage: card_csv.py ROWS OUT.csv PREFIX [FIRST]   (FIRST: the first worker's number, default 0)"""
import datetime, sys
rows, out, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def rid(i):
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 800)
    body = "510703" + born.strftime("%Y%m%d") + "%03d" % (100 + i % 800)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]
with open(out, "w", encoding="utf-8-sig", newline="") as f:
    f.write("eventId,occurredAt,source,area,workerId,issuedOn\r\n")
    for i in range(rows):
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=i % 300)
        f.write(f"{prefix}-{i},2026-11-30T10:00:00+08:00,hrss,510703,{rid(first + i)},{day}\r\n")

#!/usr/bin/env python3
"""Rebuild the 2026 extracts in this folder from the files as published.

    python3 data/extract.py ../shared/data data

Rows are copied byte for byte (line endings and byte-order mark included); only rows
outside the area are left out. The area is the Sub-ICB locations 93C and 01V: their
practices and PCNs in the July 2026 mapping file, together with the PCNs of the
January 2023 ePCN extract shipped here (for the 2020-22 workforce censuses) and the
practices of the December 2023 epraccur extract (for the deprivation scores).
Python 3 standard library only.
"""
import csv
import io
import sys
import zipfile
from pathlib import Path

SHARED, OUT = Path(sys.argv[1]), Path(sys.argv[2])
PUBLISHED = SHARED / "activity" / "published"
AREA = {"93C", "01V"}


def lines(raw):
    """Each line as published, with the fields the csv module reads from it."""
    for line in raw.splitlines(keepends=True):
        text = line.decode("utf-8-sig")
        yield line, next(csv.reader([text]), [])


def member(archive, test):
    with zipfile.ZipFile(PUBLISHED / archive) as z:
        (name,) = [n for n in z.namelist() if test(n)]
        return z.read(name)


def keep(raw, out, wanted):
    header = None
    with open(OUT / out, "wb") as f:
        count = 0
        for line, fields in lines(raw):
            if header is None:
                header = {name.strip().upper(): i for i, name in enumerate(fields)}
                f.write(line)
            elif wanted(lambda column: fields[header[column]]):
                f.write(line)
                count += 1
    print(f"{out}: {count} rows")


mapping = member("gp-reg-pat-prac-map-2026-07.zip", lambda n: n.endswith(".csv"))
rows = list(csv.DictReader(io.StringIO(mapping.decode("utf-8-sig"))))
practices = {r["PRACTICE_CODE"] for r in rows if r["SUB_ICB_LOCATION_CODE"] in AREA}
pcns = {r["PCN_CODE"] for r in rows if r["SUB_ICB_LOCATION_CODE"] in AREA}
with open(OUT / "epcn-2023-01-pcn-details-extract.csv", newline="") as f:
    pcns_2023 = {r["PCN Code"] for r in csv.DictReader(f)}
with open(OUT / "epraccur-2023-12-extract.csv", newline="") as f:
    practices_2023 = {r[0] for r in csv.reader(f)}

keep(mapping, "gp-reg-pat-prac-map-2026-07-extract.csv",
     lambda c: c("SUB_ICB_LOCATION_CODE") in AREA)
keep(member("gp-reg-pat-prac-quin-age-2026-07.zip", lambda n: n.endswith(".csv")),
     "gp-reg-pat-prac-quin-age-2026-07-extract.csv",
     lambda c: c("ORG_TYPE") in ("Comm Region", "ICB")
     or (c("ORG_TYPE") == "SUB_ICB_LOCATION_CODE" and c("ORG_CODE") in AREA)
     or (c("ORG_TYPE") == "PCN" and c("ORG_CODE") in pcns)
     or (c("ORG_TYPE") == "GP" and c("ORG_CODE") in practices))
keep(member("PCNWFIndividualCSV.062026.zip", lambda n: n.endswith("Individual Level.csv")),
     "pcn-workforce-individual-2026-06-extract.csv",
     lambda c: c("PCN_CODE") in pcns | pcns_2023)
keep((SHARED / "activity" / "pcn-workforce-2020-03-to-2022-09.csv").read_bytes(),
     "pcn-workforce-2020-03-to-2022-09-extract.csv",
     lambda c: c("PCN_CODE") in pcns | pcns_2023)
keep((PUBLISHED / "fingertips-imd-2025-gp-practice.csv").read_bytes(),
     "fingertips-imd-2025-gp-practice-extract.csv",
     lambda c: c("PRACTICE_CODE") in practices | practices_2023)

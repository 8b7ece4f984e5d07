#!/usr/bin/env python3
"""Writes the Omnivore fixture zips from omnivore-export/ (run from this folder):

- omnivore-export.zip: the folder as Omnivore's export job lays it out (metadata first);
- omnivore-damaged.zip: the same, with one content file's bytes altered after zipping, so its
  checksum no longer matches (that item is reported; the rest import);
- omnivore-truncated.zip: the first 60% of omnivore-export.zip (a download cut short).
"""
import os, zipfile

def build(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        names = sorted(os.listdir("omnivore-export"))
        files = [n for n in names if n.startswith("metadata_")]
        for folder in ("content", "highlights"):
            files += [folder + "/" + n for n in sorted(os.listdir("omnivore-export/" + folder))]
        for name in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 10, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open("omnivore-export/" + name, "rb") as source:
                archive.writestr(info, source.read())

build("omnivore-export.zip")
data = bytearray(open("omnivore-export.zip", "rb").read())
open("omnivore-truncated.zip", "wb").write(data[: len(data) * 6 // 10])
# Alter a byte inside the compressed data of the tide clocks page.
name = b"content/tide-clocks-18c1a2b3c4f.html"
at = data.find(name) + len(name) + 10
data[at] ^= 0xFF
open("omnivore-damaged.zip", "wb").write(bytes(data))

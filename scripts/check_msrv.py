#!/usr/bin/env python3
"""Fails when a dependency declares a rust-version newer than the workspace's (the declared MSRV).

Only one Rust toolchain can be installed where pumppath is built, so the MSRV cannot be checked by building with
it; this reads `cargo metadata` instead, and clippy's incompatible_msrv lint covers our own use of std.
"""
import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(meta["workspace_members"])
    ours = {p["rust_version"] for p in meta["packages"] if p["id"] in members and p.get("rust_version")}
    if len(ours) != 1:
        print(f"expected one rust-version across the workspace, found {sorted(ours)}")
        return 1
    msrv = ours.pop()
    newer = sorted(
        f"{p['name']} {p['version']} needs Rust {p['rust_version']}"
        for p in meta["packages"]
        if p.get("rust_version") and version(p["rust_version"]) > version(msrv)
    )
    # Build-time helpers of the bindings (pyo3's, wasm-bindgen's) count too: they run on the same toolchain.
    if newer:
        print(f"the workspace declares rust-version {msrv}, but:")
        for line in newer:
            print(f"  {line}")
        return 1
    checked = sum(1 for p in meta["packages"] if p.get("rust_version"))
    print(f"MSRV {msrv}: {checked} packages declare a rust-version, none newer")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile uploads: time and peak memory until each is refused, and other people's work
while a facilitator's large upload is checked.

    python benchmarks/hostile_uploads.py [--runs 3] [--part files|server|all]
                                         [--database-url URL]

Part `files`: each hostile file of the attack pass (issue 16) is checked the way the
import page checks it (`bundle_import(dry_run=True)` with the upload limits) and
the way the command line does (its own, larger limits), in a child process of its own, so
its peak resident memory is that check's. The baseline, run first in the same child, is
the check of an ordinary two-actor bundle. Median of --runs runs.

Part `server`: a real `symbiose serve` on a fresh database (SQLite, or --database-url).
A 200 MB body is sent to the API's bundle endpoint (time to its refusal); then a
facilitator uploads a large legitimate bundle from the import page and, while its check
runs, and again while its import writes, a company member logs in and saves a line of its
balance, again and again: every answer's status and time are printed (on SQLite a save
that waits past 20 s for the import's write lock answers 503, saying so).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

MIB = 1 << 20
CONFIRM = 'id="confirm-import"'
ACTORS = "id,name,naf,kind,lat,lon\na1,Fonderie,24.53Z,company,47.1,3.0\n" \
         "a2,Ferme,01.50Z,farm,47.2,3.1\n"
HEADER = "actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,confidentiality\n"
ROW = "a1,out,Palettes bois,material,15 01 03,12,t,,,\n"


def _zip(path: Path, **members: str | bytes) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(f"{name}.csv", content)
    return path


def _streamed_zip(path: Path, name: str, head: str, chunk: str, repeat: int) -> Path:
    """A zip whose member is `head` then `chunk` × `repeat`, written without holding it."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=9) as archive:
        archive.writestr("actors.csv", ACTORS)
        with archive.open(f"{name}.csv", "w", force_zip64=True) as member:
            member.write(head.encode())
            block = (chunk * 10_000).encode()
            for _ in range(repeat // 10_000):
                member.write(block)
    return path


def build(folder: Path) -> dict[str, Path]:
    """The hostile files, named as the issue names them, and the baseline bundle."""
    files: dict[str, Path] = {}
    files["baseline"] = _zip(folder / "baseline.zip", actors=ACTORS, resources=HEADER + ROW)
    files["zip of 2.18 M repeated rows"] = _streamed_zip(
        folder / "rows.zip", "resources", HEADER, ROW, 2_180_000)
    files["zip of blank lines"] = _streamed_zip(
        folder / "blank.zip", "resources", HEADER + ROW, "\n", 50_000_000)
    files["100,000-column CSV"] = _zip(
        folder / "columns.zip", actors=ACTORS,
        resources="actor_id,direction,label," + ",".join(f"c{i}" for i in range(100_000))
        + "\n" + ("a1,out,Palettes" + ",x" * 100_000 + "\n") * 20)
    files["800 MB single line in a zip"] = _streamed_zip(
        folder / "line.zip", "resources", HEADER + "a1,out,", "x" * 100, 8_000_000)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "actors"
    for line in ACTORS.splitlines():
        sheet.append(line.split(","))
    resources = book.create_sheet("resources")
    resources.append(HEADER.strip().split(","))
    for row in range(2, 20_002):
        resources.cell(row=row, column=1, value="a1")
        resources.cell(row=row, column=2, value="out")
        resources.cell(row=row, column=3, value="Palettes")
        resources.cell(row=row, column=16384, value="x")
    files["sparse xlsx, a cell in column XFD"] = folder / "sparse.xlsx"
    book.save(files["sparse xlsx, a cell in column XFD"])
    return files


CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from pathlib import Path
from symbiose.core.bundle.limits import COMMAND_LIMITS, UPLOAD_LIMITS
from symbiose.web.transfer.importing import bundle_import

limits = UPLOAD_LIMITS if sys.argv[1] == "page" else COMMAND_LIMITS
def check(path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = bundle_import(territory_name="T", path=Path(path), dry_run=True,
                                      default_year=2026, limits=limits)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first = outcome.check.problems[0] if outcome.check.problems else None
    said = (first.message % first.params if first and first.params else
            (first.message if first else "accepted"))
    return elapsed, peak, (first.where, first.row, said) if first else None
base = check(sys.argv[2])
case = check(sys.argv[3])
print(json.dumps({"base_s": base[0], "base_rss": base[1], "s": case[0], "rss": case[1],
                  "problem": case[2]}))
"""


def files_part(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="symbiose-hostile-") as tmp:
        folder = Path(tmp)
        print("building the hostile files…", flush=True)
        files = build(folder)
        print(f"{'file':<36} {'size':>9}  {'path':<5} {'median s':>8} {'× base':>7} "
              f"{'peak MiB':>8} {'base MiB':>8}  refusal")
        for name, path in files.items():
            if name == "baseline":
                continue
            size = path.stat().st_size
            for mode in ("page", "cli"):
                runs = []
                for run in range(args.runs):
                    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "symbiose.web.settings",
                           "SYMBIOSE_DATA_DIR": str(folder / f"data-{name[:4]}-{mode}-{run}"),
                           "DATABASE_URL": f"sqlite:///{folder}/db-{mode}-{run}.sqlite3"}
                    done = subprocess.run([sys.executable, "-c", CHILD, mode,
                                           str(files["baseline"]), str(path)], env=env,
                                          capture_output=True, text=True, check=True)
                    runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                seconds = statistics.median(r["s"] for r in runs)
                base = statistics.median(r["base_s"] for r in runs)
                peak = statistics.median(r["rss"] for r in runs) / 1024
                base_rss = statistics.median(r["base_rss"] for r in runs) / 1024
                problem = runs[0]["problem"]
                said = f"{problem[0]} row {problem[1]}: {problem[2]}" if problem else "accepted"
                print(f"{name:<36} {size / 1024:>7.0f}KB  {mode:<5} {seconds:>8.2f} "
                      f"{seconds / base:>7.0f} {peak:>8.0f} {base_rss:>8.0f}  {said[:90]}",
                      flush=True)


# --- the server part -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import api_token_create, membership_set
from symbiose.web.territory.models import Actor, Resource, Territory
# Run again on the same --database-url: the benchmark's own rows are made anew.
Territory.objects.filter(slug="banc").delete()
User.objects.filter(username__in=["anim", "membre"]).delete()
territory = Territory.objects.create(name="Banc", slug="banc")
actor = Actor.objects.create(territory=territory, external_id="a1", name="Fonderie")
Actor.objects.create(territory=territory, external_id="a2", name="Ferme")
line = Resource.objects.create(actor=actor, external_id="r1", year=2026, direction="out",
                               label="Palettes", quantity=5, unit="t")
anim = User.objects.create_user("anim", password="Banc-pw-1234", is_staff=True)
membership_set(user=anim, territory=territory, role=Role.FACILITATOR)
member = User.objects.create_user("membre", password="Banc-pw-1234")
membership_set(user=member, territory=territory, role=Role.MEMBER, actors=[actor])
print(api_token_create(user=anim).key, line.pk)
"""


def _legit_bundle(path: Path, rows: int) -> Path:
    actors = ["id,name,naf,kind,lat,lon"] + [f"a{i},Entreprise {i},25.11Z,company,47.1,3.0"
                                             for i in range(1, 2001)]
    lines = io.StringIO()
    writer = csv.writer(lines)
    writer.writerow(HEADER.strip().split(","))
    for i in range(rows):
        writer.writerow([f"a{1 + i % 2000}", "out", f"Palettes lot {i}", "material",
                         "15 01 03", str(i % 997), "t", "", "", ""])
    return _zip(path, actors="\n".join(actors) + "\n", resources=lines.getvalue())


def _login(client: object, base: str, username: str) -> tuple[int, float]:
    import httpx

    assert isinstance(client, httpx.Client)
    started = time.perf_counter()
    page = client.get(f"{base}/login/")
    token = client.cookies.get("csrftoken") or ""
    answer = client.post(f"{base}/login/", data={"username": username,
                                                 "password": "Banc-pw-1234",
                                                 "csrfmiddlewaretoken": token},
                         headers={"Referer": f"{base}/login/"})
    del page
    return answer.status_code, time.perf_counter() - started


def _save_line(client: object, base: str, line_pk: str, n: int) -> tuple[int, float]:
    import httpx

    assert isinstance(client, httpx.Client)
    url = f"{base}/t/banc/lines/{line_pk}/edit/"
    started = time.perf_counter()
    form = client.get(url).text
    fields = dict(re.findall(r'name="([\w-]+)" value="([^"]*)"', form))
    fields.update({"label": f"Palettes bois {n}", "quantity": str(5 + n), "unit": "t",
                   "period": "year", "confidentiality": "private",
                   "csrfmiddlewaretoken": client.cookies.get("csrftoken") or ""})
    answer = client.post(url, data=fields, headers={"Referer": url})
    return answer.status_code, time.perf_counter() - started


def _report(when: str, results: list[tuple[str, int, float]]) -> None:
    for kind in ("log-in", "save"):
        mine = [(status, s) for k, status, s in results if k == kind]
        statuses = sorted({status for status, _ in mine})
        times = sorted(s for _, s in mine)
        if times:
            print(f"member {kind} {when}: {len(mine)} tries, statuses {statuses}, median "
                  f"{statistics.median(times) * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms")


def server_part(args: argparse.Namespace) -> None:
    import httpx

    with tempfile.TemporaryDirectory(prefix="symbiose-serve-") as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder}/serve.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "SYMBIOSE_DATA_DIR": str(folder),
               "DJANGO_SETTINGS_MODULE": "symbiose.web.settings", "SYMBIOSE_LANGUAGE": "en"}
        token, line_pk = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True,
                                        capture_output=True, text=True).stdout.split()
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "symbiose", "serve", "--port",
                                   str(port)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/login/", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
            print(f"server on {database}")

            # 200 MB: refused by waitress before reading (over 4 times the limit); 100 MB:
            # read by waitress, refused by the application in words.
            for megabytes in (200, 100):
                body = b"PK" + b"\0" * (megabytes * MIB)
                started = time.perf_counter()
                answer = httpx.post(f"{base}/api/territories/banc/bundle",
                                    headers={"Authorization": f"Bearer {token}",
                                             "Content-Type": "application/zip"},
                                    content=body, timeout=120)
                print(f"API, {megabytes} MB body: HTTP {answer.status_code} in "
                      f"{time.perf_counter() - started:.2f} s: {answer.text[:90]!r}")

            # The baseline: the member's log-in and save with nothing else running.
            quiet: list[tuple[str, int, float]] = []
            for n in range(5):
                member = httpx.Client(timeout=60)
                quiet.append(("log-in", *_login(member, base, "membre")))
                quiet.append(("save", *_save_line(member, base, line_pk, n)))
                member.close()
            _report("with nothing else running", quiet)

            bundle = _legit_bundle(folder / "large.zip", args.rows)
            facilitator = httpx.Client(timeout=120, follow_redirects=False)
            assert _login(facilitator, base, "anim")[0] == 302
            page = facilitator.get(f"{base}/t/banc/transfer/").text
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            assert csrf is not None
            started = time.perf_counter()
            answer = facilitator.post(
                f"{base}/t/banc/transfer/", headers={"Referer": f"{base}/t/banc/transfer/"},
                data={"year": "2026", "csrfmiddlewaretoken": csrf.group(1)},
                files={"bundle": ("large.zip", bundle.read_bytes(), "application/zip")})
            upload_s = time.perf_counter() - started
            preview = base + answer.headers["location"]
            print(f"upload of {args.rows:,} rows ({bundle.stat().st_size / MIB:.1f} MB): "
                  f"HTTP {answer.status_code} in {upload_s:.2f} s, check under way")

            results: list[tuple[str, int, float]] = []
            stop = threading.Event()

            def member_works() -> None:
                n = 0
                while not stop.is_set():
                    member = httpx.Client(timeout=60)
                    results.append(("log-in", *_login(member, base, "membre")))
                    results.append(("save", *_save_line(member, base, line_pk, n)))
                    member.close()
                    n += 1

            worker = threading.Thread(target=member_works)
            worker.start()
            checked = time.perf_counter()
            while 'hx-trigger="every 1s"' in (text := facilitator.get(preview).text):
                time.sleep(0.5)
            check_s = time.perf_counter() - checked
            stop.set()
            worker.join()
            print(f"check finished {check_s:.1f} s after the upload answered "
                  f"({'can be imported' if CONFIRM in text else 'refused'})")
            _report("during the check", results)

            # The import itself, and the member's work while it writes.
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            assert csrf is not None and CONFIRM in text, "the preview offers no import"
            started = time.perf_counter()
            facilitator.post(preview.replace("/progress/", "/") + "confirm/",
                             data={"csrfmiddlewaretoken": csrf.group(1)},
                             headers={"Referer": preview})
            results = []
            stop = threading.Event()
            worker = threading.Thread(target=member_works)
            worker.start()
            while 'hx-trigger="every 1s"' in (text := facilitator.get(preview).text):
                time.sleep(0.5)
            import_s = time.perf_counter() - started
            stop.set()
            worker.join()
            heading = re.search(r"<h1>([^<]+)</h1>", text)
            print(f"import finished {import_s:.1f} s after the confirmation: "
                  f"{heading.group(1) if heading else '?'}")
            _report("during the import", results)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--part", choices=["files", "server", "all"], default="all")
    parser.add_argument("--database-url", default="", help="the server part's database")
    parser.add_argument("--rows", type=int, default=400_000,
                        help="rows of the legitimate large upload (default 400,000)")
    args = parser.parse_args()
    if args.part in ("files", "all"):
        files_part(args)
    if args.part in ("server", "all"):
        server_part(args)


if __name__ == "__main__":
    main()

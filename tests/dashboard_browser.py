#!/usr/bin/python3
"""`vmctl dashboard` in a real browser: headless Chromium driven through
WebDriver (Debian's chromium-driver and python3-selenium). It creates, stops
and deletes a VM with vmctl and asserts what the page shows after each,
measuring how long each change takes to appear; then, between the lab hosts
host-a and host-b (`vmctl hosts up --count 2`), it watches a live migration
cross from one host's box to the other's and a drain empty a host; last, the
class page follows a student's lab progress as they answer.

Usage: dashboard_browser.py VMCTL URL CLASS_URL VM_NAME SCREENSHOT LAB_STATE
"""
import contextlib
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

vmctl, url, class_url, name, screenshot, lab_state = sys.argv[1:7]
failures = 0


def check(what, ok):
    global failures
    print(("✓ " if ok else "✗ ") + what, flush=True)
    if not ok:
        failures += 1


def card_state(driver, vm=None, host=None):
    """The state the page shows for the VM (in the box of `host`, when
    given), or None when it has no card there."""
    return driver.execute_script(
        "for (const b of document.querySelectorAll('section.host')) {"
        "  if (arguments[1] !== null && b.dataset.host !== arguments[1]) continue;"
        "  for (const c of b.querySelectorAll('.vm')) if (c.dataset.vm === arguments[0]) return c.dataset.state;"
        "}"
        "return null;", vm or name, host)


def card_data(driver, vm, host, key):
    """A data- attribute of the VM's card in the box of `host`, or None."""
    return driver.execute_script(
        "for (const b of document.querySelectorAll('section.host')) if (b.dataset.host === arguments[1])"
        "  for (const c of b.querySelectorAll('.vm')) if (c.dataset.vm === arguments[0])"
        "    return c.dataset[arguments[2]] === undefined ? null : c.dataset[arguments[2]];"
        "return null;", vm, host, key)


def until(what, timeout, step=0.02):
    """Seconds until what() is true, or None after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if what():
            return time.monotonic() - start
        time.sleep(step)
    return None


def wait_for(driver, want, timeout):
    """Seconds until card_state() == want, or None after timeout."""
    return until(lambda: card_state(driver) == want, timeout)


@contextlib.contextmanager
def background(*args):
    """vmctl ARGS running while the block runs; killed if it is not done by its end."""
    proc = subprocess.Popen([vmctl, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def finished(proc, what):
    """Waits for a background vmctl and checks that it succeeded."""
    out, _ = proc.communicate(timeout=300)
    check(what, proc.returncode == 0)
    if proc.returncode != 0:
        print(out)


def vmctl_run(*args, env=None):
    result = subprocess.run([vmctl, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        print(f"vmctl {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}", flush=True)
    return result.returncode == 0


options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--window-size=1280,800"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(url)
    start = time.monotonic()
    while time.monotonic() - start < 10 and not driver.find_elements(By.CSS_SELECTOR, "section.host"):
        time.sleep(0.05)
    check("the page shows this machine's host box", bool(driver.find_elements(By.CSS_SELECTOR,
                                                                                'section.host[data-host="local"]')))
    check("the page says its event stream is live", driver.find_element(By.ID, "status").text == "live")
    check(f"no card for {name} before it exists", card_state(driver) is None)

    # A name with markup (libvirt allows it; a VM defined with virsh) stays text.
    evil = name + "-<img src=x onerror=\"document.title='pwned'\">"
    xml = ("<domain type='qemu'><name>{}</name><memory unit='MiB'>32</memory><os><type>hvm</type></os>"
           "</domain>").format(evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                               .replace("'", "&apos;").replace('"', "&quot;"))
    subprocess.run(["virsh", "-q", "-c", "qemu:///system", "define", "/dev/stdin"], input=xml, text=True,
                   capture_output=True, check=True)
    try:
        found = False
        start = time.monotonic()
        while time.monotonic() - start < 5 and not found:
            found = driver.execute_script(
                "return [...document.querySelectorAll('.vm')].some(c => c.dataset.vm === arguments[0]);", evil)
            time.sleep(0.05)
        check("a VM whose name holds markup gets a card", found)
        check("its name shows as text", evil in driver.find_element(By.ID, "hosts").text)
        check("no element of its markup was made", not driver.find_elements(By.CSS_SELECTOR, "#hosts img"))
        check("no script of it ran", driver.title == "vmctl dashboard")
    finally:
        subprocess.run(["virsh", "-q", "-c", "qemu:///system", "undefine", evil], capture_output=True)

    # create boots the VM and waits for its ready line; the card shows while it boots.
    t0 = time.monotonic()
    created = vmctl_run("create", name)
    check(f"vmctl create {name}", created)
    seconds = wait_for(driver, "running", 5)
    check(f"its card shows it running (create took {time.monotonic() - t0:.1f} s)", seconds is not None)

    # libvirt sends its event while the command runs, so the page's delay
    # after the command returns is at most the event's delay; the time from
    # the command's start (vmctl's own start-up and libvirt's work in it) is
    # printed too.
    def timed(what, args, want):
        t0 = time.monotonic()
        ok = vmctl_run(*args)
        t1 = time.monotonic()
        seconds = wait_for(driver, want, 5)
        check(f"vmctl {' '.join(args)}", ok)
        if seconds is None:
            check(f"{what} within 5 s", False)
            return
        print(f"  {what}: {seconds:.2f} s after the command returned ({t1 - t0:.2f} s + {seconds:.2f} s "
              f"from its start)", flush=True)
        check(f"{what} within 1 s of the command", seconds <= 1.0)

    timed("card shows 'shut off'", ["destroy", name], "shut off")
    timed("card shows 'running' again", ["start", name], "running")
    timed("card is gone", ["delete", name, "--force"], None)

    # Between the lab hosts: a live migration crosses the page, then a drain empties a host.
    lab_hosts = [b.get_attribute("data-host") for b in driver.find_elements(By.CSS_SELECTOR, "section.host")]
    check("the lab hosts host-a and host-b have boxes (ctest brings them up; by hand: 'vmctl hosts up --count 2')",
          "host-a" in lab_hosts and "host-b" in lab_hosts)
    moving, staying = name + "-m", name + "-s"
    # 48 MiB of random bytes in its memory: pages a migration must send, so
    # that the copy (capped at 8 MiB/s) goes on for seconds, steadily.
    fill = f"/tmp/{name}-fill.sh"
    with open(fill, "w") as f:
        f.write("dd if=/dev/urandom of=/tmp/fill bs=1M count=48 2>/dev/null\n")
    check(f"vmctl --host host-a create {moving}",
          vmctl_run("--host", "host-a", "create", moving, "--startup-script", fill))
    os.unlink(fill)
    check(f"vmctl --host host-a create {staying}", vmctl_run("--host", "host-a", "create", staying))
    check("both show running in host-a's box",
          until(lambda: card_state(driver, moving, "host-a") == "running" and
                card_state(driver, staying, "host-a") == "running", 5) is not None)
    # Capped at 8 MiB/s, the copy of the guest's memory takes seconds: long enough to watch.
    with background("--host", "host-a", "migrate", moving, "--to", "host-b", "--precopy", "--bandwidth", "8") as migration:
        seen = until(lambda: card_data(driver, moving, "host-a", "migrating") == "1", 20)
        check("the leaving VM's card in host-a shows its migration (pass, data left)", seen is not None)
        check("the arriving VM shows in host-b's box while it comes",
              until(lambda: card_data(driver, moving, "host-b", "arriving") == "1", 5) is not None)
        strip = driver.find_element(By.ID, "moves").text
        check(f"the moves strip names it and its hosts: {strip!r}", moving in strip and "host-a → host-b" in strip)
        check("the page says why data left can grow again", "can grow again" in driver.find_element(By.TAG_NAME,
                                                                                                  "footer").text)

        def ghost_left():
            return driver.execute_script(
                "const g = [...document.querySelectorAll('#ghosts .ghost')].find(g => g.dataset.vm === arguments[0]);"
                "return g ? g.getBoundingClientRect().left : null;", moving)
        first = ghost_left()
        check("its ghost is drawn between the two hosts", first is not None)

        def ghost_percent():
            text = driver.execute_script(
                "const g = [...document.querySelectorAll('#ghosts .ghost')].find(g => g.dataset.vm === arguments[0]);"
                "return g ? g.textContent : '';", moving)
            return int(text.rsplit(" ", 1)[-1].rstrip("%")) if text.endswith("%") else None
        # The picture for docs/ waits for a third of its memory copied.
        until(lambda: (ghost_percent() or 0) >= 30, 40, 0.1)
        time.sleep(0.5)  # the ghost's transition
        driver.save_screenshot(screenshot)
        print(f"  screenshot of the migration in flight ({ghost_percent()}% copied): {screenshot}")
        later = ghost_left()
        check(f"the ghost moves toward host-b as memory is copied ({first} px, then {later} px)",
              first is not None and later is not None and later > first)
        finished(migration, "vmctl migrate finished")
        returned = time.monotonic()
    arrived = until(lambda: card_state(driver, moving, "host-b") == "running" and
                    card_state(driver, moving, "host-a") is None and
                    card_data(driver, moving, "host-b", "arrived") is not None, 5)
    if arrived is None:
        check("after the migration the card is in host-b's box only, with its downtime", False)
    else:
        print(f"  arrival: {time.monotonic() - returned:.2f} s after vmctl migrate returned", flush=True)
        check("after the migration the card is in host-b's box only, with its downtime",
              time.monotonic() - returned <= 1.0 + arrived)
        text = driver.execute_script(
            "for (const b of document.querySelectorAll('section.host')) if (b.dataset.host === 'host-b')"
            "  for (const c of b.querySelectorAll('.vm')) if (c.dataset.vm === arguments[0]) return c.textContent;",
            moving)
        check(f"the arrived card says where from and how long it paused: {text!r}",
              "arrived from host-a" in text and " ms" in text)
        check("no ghost is left once it arrived", not driver.find_elements(By.CSS_SELECTOR, "#ghosts .ghost"))

        def pings():
            return driver.execute_script(
                "for (const b of document.querySelectorAll('section.host')) if (b.dataset.host === 'host-b')"
                "  for (const c of b.querySelectorAll('.vm')) if (c.dataset.vm === arguments[0])"
                "    return c.querySelector('.arrived').textContent;", moving)
        check("then the pings vmctl migrate sent it meanwhile, from its journal",
              until(lambda: "pings lost" in (pings() or ""), 5, 0.1) is not None)
        print(f"  {pings()}")

    # A drain: host-a's box says it is draining, and ends empty.
    def host_text(host):
        return driver.execute_script(
            "for (const b of document.querySelectorAll('section.host')) if (b.dataset.host === arguments[0])"
            "  return b.textContent; return '';", host)
    with background("drain", "host-a", "--to", "host-b") as drain:
        check("host-a's box says it is draining to host-b",
              until(lambda: "draining to host-b" in host_text("host-a"), 20, 0.05) is not None)
        finished(drain, "vmctl drain host-a finished")
    check(f"{staying} is in host-b's box after the drain",
          until(lambda: card_state(driver, staying, "host-b") == "running" and
                card_state(driver, staying, "host-a") is None, 5) is not None)
    check("host-a's box is no longer marked draining once it ends",
          until(lambda: "draining" not in host_text("host-a"), 5, 0.05) is not None)
    for vm in (moving, staying):
        vmctl_run("--host", "host-b", "delete", vm, "--force")

    # The class page: a student's progress, live, as they answer.
    student = dict(os.environ, VMCTL_LAB_STATE=lab_state)
    driver.get(class_url)
    check("the class page's stream is live",
          until(lambda: driver.find_element(By.ID, "status").text == "live", 5, 0.05) is not None)

    def cell(step):
        return driver.execute_script(
            "const t = [...document.querySelectorAll('table')].find(t => t.dataset.lab === '01-first-vm');"
            "if (!t) return null;"
            "const td = t.querySelector('td[data-step=\"' + arguments[0] + '\"]');"
            "return td ? [td.dataset.state, td.textContent] : null;", step)
    check("vmctl lab start 01", vmctl_run("lab", "start", "01", env=student))
    check("lab 01 appears with the student on step 1",
          until(lambda: (cell(1) or [None])[0] == "in-progress", 10, 0.1) is not None)
    vmctl_run("lab", "answer", "hypervisor=vmctl", env=student)  # wrong: its check fails
    vmctl_run("lab", "check", env=student)
    check(f"a failed check shows on step 1: {cell(1)!r}",
          until(lambda: "1 failed check" in (cell(1) or ["", ""])[1], 10, 0.1) is not None)
    check("vmctl lab hint", vmctl_run("lab", "hint", env=student))
    check(f"the hint shows on step 1: {cell(1)!r}",
          until(lambda: "1 hint" in (cell(1) or ["", ""])[1], 10, 0.1) is not None)
    check("vmctl lab answer hypervisor=qemu", vmctl_run("lab", "answer", "hypervisor=qemu", env=student))
    check("vmctl lab check", vmctl_run("lab", "check", env=student))
    check(f"step 1 shows done: {cell(1)!r}", until(lambda: (cell(1) or [None])[0] == "done", 10, 0.1) is not None)
    check("step 2 shows the student on it", (cell(2) or [None])[0] == "in-progress")

    logs = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    check("no script error on the page", not logs)
    for entry in logs:
        print("   ", entry.get("message"))
    # The projected page's URL does not open the class page: it has a token of its own.
    driver.get(url.replace("/?", "/class?"))
    check("the dashboard's token does not open the class page", "needs its token" in driver.page_source)

finally:
    driver.quit()
sys.exit(1 if failures else 0)

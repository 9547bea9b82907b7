#!/usr/bin/python3
"""`vmctl dashboard` in a real browser: headless Chromium driven through
WebDriver (Debian's chromium-driver and python3-selenium). It creates, stops
and deletes a VM with vmctl and asserts what the page shows after each,
measuring how long each change takes to appear.

Usage: dashboard_browser.py VMCTL URL VM_NAME SCREENSHOT
"""
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

vmctl, url, name, screenshot = sys.argv[1:5]
failures = 0


def check(what, ok):
    global failures
    print(("✓ " if ok else "✗ ") + what, flush=True)
    if not ok:
        failures += 1


def card_state(driver):
    """The state the page shows for the VM, or None when it has no card."""
    return driver.execute_script(
        "for (const c of document.querySelectorAll('.vm')) if (c.dataset.vm === arguments[0]) return c.dataset.state;"
        "return null;", name)


def wait_for(driver, want, timeout):
    """Seconds until card_state() == want, or None after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if card_state(driver) == want:
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def vmctl_run(*args):
    result = subprocess.run([vmctl, *args], capture_output=True, text=True)
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
    if seconds is not None:
        time.sleep(2)  # a CPU figure from two samples
        driver.save_screenshot(screenshot)
        print(f"  screenshot: {screenshot}")

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

    logs = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    check("no script error on the page", not logs)
    for entry in logs:
        print("   ", entry.get("message"))
finally:
    driver.quit()
sys.exit(1 if failures else 0)

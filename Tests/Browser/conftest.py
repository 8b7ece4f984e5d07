"""The harness of the browser tests: the real `gloss` binary, a real `gloss serve` on loopback and
headless Chromium driven through selenium (issue 16, "How it is tested").

Run through `scripts/browser-tests [GLOSS-BINARY]`, which sets GLOSS_BINARY. GLOSS_READER_ASSETS,
when set, is passed on to every server so the pages are read from disk. Every page a test visits
is saved as a PNG in Tests/Browser/screenshots/ (ignored by git); a failing test also prints the
browser's console log and the server's standard error.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SCREENSHOTS = HERE / "screenshots"
GLOSS = os.environ.get("GLOSS_BINARY") or str(HERE.parent.parent / ".build" / "debug" / "gloss")

TEST_SECONDS = 150  # a test, its browser and its sign-in included; the alarm fails it past this
WAIT_SECONDS = 10  # for anything the page draws after a request
COMMAND_SECONDS = 60  # for one `gloss` command
WINDOW = (1280, 900)

# Every server and browser started, so that nothing outlives the run, even a test that timed out.
_servers = []
_drivers = []


# MARK: - The gloss binary


def gloss(*args, store=None, check=True):
    """Runs the real gloss binary with `args` (and `--store STORE`); returns its standard output."""
    command = [GLOSS, *map(str, args)]
    if store is not None:
        command += ["--store", str(store)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=COMMAND_SECONDS,
                          stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done.stdout


def gloss_json(*args, store=None):
    """Runs gloss with --json and decodes what it prints."""
    return json.loads(gloss(*args, "--json", store=store))


def annotations(store, article=None):
    """`gloss annotations --json`: every live annotation, by id."""
    args = ["annotations"] + ([article] if article else [])
    return {a["id"]: a for a in gloss_json(*args, store=store)}


def article_text(store, article):
    """The stored body text of an article, the text every offset counts code points in."""
    return gloss_json("show", article, store=store)["article"]["text"]


def add_article(store, path, *extra):
    """`gloss add PATH` into the store; returns the new article's id."""
    added = gloss_json("add", path, *extra, store=store)
    assert len(added) == 1, added
    return added[0]["id"]


def same_id(a, b):
    """Ids compare equal whether or not one of them is written with dashes."""
    return a.replace("-", "").lower() == b.replace("-", "").lower()


def eventually(condition, what, seconds=WAIT_SECONDS, every=0.2):
    """Polls `condition` until it returns something truthy; fails saying `what` was awaited."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"gave up after {seconds} s waiting for {what} (last: {last!r})")


# MARK: - The server


class Server:
    """`gloss serve --port 0` on one store; its address is read from the line it prints."""

    def __init__(self, store, name):
        self.store = Path(store)
        self.name = name
        self.err_path = self.store.parent / f"{name}-serve.err"
        env = dict(os.environ)
        self.lines = []
        self.process = subprocess.Popen(
            [GLOSS, "serve", "--port", "0", "--store", str(store)],
            stdout=subprocess.PIPE, stderr=open(self.err_path, "wb"), stdin=subprocess.DEVNULL,
            text=True, env=env)
        _servers.append(self)
        # Drained all along, so the server never blocks on a full pipe.
        threading.Thread(target=self._read, daemon=True).start()
        self.url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.url is None:
            for line in list(self.lines):
                found = re.search(r"listening on (http://[0-9.]+:[0-9]+)", line)
                if found:
                    self.url = found.group(1)
            if self.process.poll() is not None:
                raise AssertionError(f"gloss serve exited {self.process.returncode}:\n{self.stderr()}")
            time.sleep(0.05)
        if self.url is None:
            self.stop()
            raise AssertionError(f"gloss serve did not say where it listens:\n{self.lines}\n{self.stderr()}")

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def stderr(self):
        try:
            return self.err_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self in _servers:
            _servers.remove(self)

    # HTTP without a browser (urllib), for status codes and headers.

    def request(self, path, method="GET", body=None, headers=None):
        """One request; returns (status, headers, body bytes) whatever the status."""
        data = body
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        elif isinstance(body, str):
            data = body.encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=15) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Lets a test see a 303 itself rather than urllib following it."""

    def redirect_request(self, *args, **kwargs):
        return None


class Library:
    """A store in a temporary GLOSS_HOME, its articles, a sign-in token and its running server."""

    def __init__(self, home):
        self.home = Path(home)
        self.store = self.home / "store"
        self.ids = {}
        self.ids["reading"] = add_article(self.store, FIXTURES / "reading.md")
        self.ids["xss"] = add_article(self.store, FIXTURES / "xss.txt")
        self.xss_note = "<img src=x onerror=alert(1)>"
        gloss("note", self.ids["xss"], self.xss_note, store=self.store)
        gloss("highlight", self.ids["xss"], "second paragraph", "--note", self.xss_note, store=self.store)
        self.token = gloss_json("token", "create", "--name", "browser", store=self.store)["token"]
        self.server = Server(self.store, "library")
        self.url = self.server.url

    def title(self, name):
        return gloss_json("show", self.ids[name], store=self.store)["article"]["title"]

    def text(self, name):
        return article_text(self.store, self.ids[name])


@pytest.fixture(scope="session")
def library(tmp_path_factory):
    """The shared library every scenario but the conflict one reads and annotates."""
    library = Library(tmp_path_factory.mktemp("library"))
    yield library
    library.server.stop()


# MARK: - The browser


def new_driver(width=WINDOW[0], height=WINDOW[1]):
    """Headless Chromium (Debian's, with its chromedriver): no sandbox, as CI runs as root."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-popup-blocking", "--no-first-run", "--lang=en-US",
                     f"--window-size={width},{height}"):
        options.add_argument(argument)
    for binary in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if os.path.exists(binary):
            options.binary_location = binary
            break
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.unhandled_prompt_behavior = "ignore"  # the tests look for dialogs themselves
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    service = Service(executable_path=driver_path, log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(options=options, service=service)
    _drivers.append(driver)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(15)
    return driver


class Browser:
    """A driver with the few moves the scenarios make, each page it shows saved as a screenshot."""

    def __init__(self, driver, base, test_name):
        self.driver = driver
        self.base = base
        self.test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name)
        self.shots = 0

    # Navigation and waiting

    def visit(self, path, ready=True):
        self.driver.get(self.base + path)
        if ready:
            self.wait_ready()
        self.shot(path.strip("/").replace("/", "-") or "library")

    def wait_ready(self, seconds=WAIT_SECONDS):
        """Waits for the hook `main#main[data-state=ready]` the pages set once their data is drawn."""
        self.wait(lambda d: d.execute_script(
            "const m = document.querySelector('main#main'); return m && m.dataset.state"
        ) == "ready", "main#main[data-state=ready]", seconds)

    def wait(self, condition, what, seconds=WAIT_SECONDS):
        try:
            # A live re-render may replace an element between two reads: look again.
            return WebDriverWait(self.driver, seconds, poll_frequency=0.1,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except TimeoutException:
            self.shot("timeout")
            state = self.js("const m = document.querySelector('main#main'); return m ? m.dataset.state : null")
            raise AssertionError(f"gave up after {seconds} s waiting for {what} "
                                 f"(at {self.driver.current_url}, main#main state {state!r})") from None

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait_for(self, css, visible=True, seconds=WAIT_SECONDS):
        """Waits for an element matching `css` (displayed, unless visible=False) and returns it."""
        def found(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if not visible or element.is_displayed():
                    return element
            return False
        return self.wait(found, css + (" (displayed)" if visible else ""), seconds)

    def wait_gone(self, css, seconds=WAIT_SECONDS):
        self.wait(lambda d: not any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, css)),
                  css + " to go", seconds)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def shot(self, label):
        """Saves what the browser shows as screenshots/TEST-N-LABEL.png."""
        self.shots += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        name = f"{self.test_name}-{self.shots:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)[:60]}.png"
        try:
            self.driver.save_screenshot(str(SCREENSHOTS / name))
        except Exception:  # an open alert, a closed window: the screenshot is not the test
            pass

    def alert_text(self):
        """The text of the open alert/confirm dialog, or None when there is none."""
        try:
            return self.driver.switch_to.alert.text
        except NoAlertPresentException:
            return None

    def no_dialog_within(self, seconds):
        """Fails if an alert/confirm/prompt dialog opens within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.alert_text()
            assert text is None, f"a dialog opened: {text!r}"
            time.sleep(0.1)

    # Signing in

    def sign_in(self, token, shots=False):
        """Signs in through the login form with `token`, as a person does (the login page saved as
        screenshots only when `shots`: every test signs in)."""
        self.driver.get(self.base + "/login")
        if shots:
            self.shot("login")
        field = self.wait_for('form[action="/login"] input[name="token"]')
        field.send_keys(token)
        field.submit()
        self.wait(lambda d: urllib.parse.urlparse(d.current_url).path != "/login", "leaving /login")
        self.wait_ready()
        if shots:
            self.shot("signed-in")

    # Selecting text as a person does

    def select(self, start, end):
        """Selects stored offsets [start, end) (code points) in #article-body with the DOM Range API,
        then sends the events a mouse selection ends with. Returns the selected string."""
        return self.js(SELECT_SCRIPT, start, end)

    def console_log(self):
        try:
            return self.driver.get_log("browser")
        except Exception as error:  # a dialog may be open
            return [f"(console log unavailable: {error})"]


# Finds, for stored offsets, the text node and UTF-16 offset holding them: every text node under
# #article-body is placed by its enclosing span[data-start] plus the code points before it there.
SELECT_SCRIPT = r"""
const [start, end] = arguments;
const body = document.getElementById('article-body');
if (!body) throw new Error('no #article-body');
const pieces = [];
const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const span = node.parentElement && node.parentElement.closest('span[data-start]');
  if (!span || !body.contains(span)) continue;
  const before = document.createRange();
  before.setStart(span, 0);
  before.setEnd(node, 0);
  const from = Number(span.dataset.start) + [...before.toString()].length;
  pieces.push({node, from, to: from + [...node.data].length});
}
function point(offset, isEnd) {
  for (const p of pieces) {
    const inside = isEnd ? offset > p.from && offset <= p.to : offset >= p.from && offset < p.to;
    if (inside) return [p.node, [...p.node.data].slice(0, offset - p.from).join('').length];
  }
  throw new Error('no span[data-start] text holds offset ' + offset + ' (' + pieces.length + ' text nodes)');
}
const [startNode, startOffset] = point(start, false);
const [endNode, endOffset] = point(end, true);
const at = (node) => node.parentElement.getBoundingClientRect();
const down = at(startNode), up = at(endNode);
startNode.parentElement.dispatchEvent(new MouseEvent('mousedown',
  {bubbles: true, cancelable: true, view: window, button: 0, clientX: down.left + 1, clientY: down.top + 1}));
const range = document.createRange();
range.setStart(startNode, startOffset);
range.setEnd(endNode, endOffset);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
endNode.parentElement.dispatchEvent(new MouseEvent('mouseup',
  {bubbles: true, cancelable: true, view: window, button: 0, clientX: up.right - 1, clientY: up.bottom - 1}));
document.dispatchEvent(new Event('selectionchange'));
return selection.toString();
"""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so fixtures know in teardown whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


def _failed(request):
    return any(getattr(getattr(request.node, "report_" + when, None), "failed", False)
               for when in ("setup", "call"))


def _report_failure(request, browser, servers):
    browser.shot("failure")
    print(f"\n--- browser console log of {request.node.name} ---")
    for entry in browser.console_log():
        print(entry if isinstance(entry, str) else f"{entry.get('level')}: {entry.get('message')}")
    for server in servers:
        code = server.process.poll()
        state = "running" if code is None else f"EXITED with {code}"
        print(f"--- gloss serve ({server.name}, {state}) standard error, last lines ---")
        print(server.stderr()[-3000:])


@pytest.fixture
def make_browser(request):
    """Opens browsers for a test (quit afterwards, console log printed if the test failed)."""
    opened = []

    def make(server, width=WINDOW[0], height=WINDOW[1]):
        browser = Browser(new_driver(width, height), server.url, request.node.name)
        opened.append((browser, server))
        return browser

    yield make
    page_errors = []
    for browser, server in opened:
        if _failed(request):
            _report_failure(request, browser, [server])
        else:
            page_errors += [e["message"] for e in browser.console_log() if isinstance(e, dict)
                            and e.get("level") == "SEVERE" and e.get("source") in ("javascript", "security")
                            and e.get("message", "").startswith(server.url)]
        try:
            browser.driver.quit()
        finally:
            if browser.driver in _drivers:
                _drivers.remove(browser.driver)
    # An uncaught exception or a CSP violation on one of gloss's pages fails the test that saw it.
    assert not page_errors, "errors in the browser console:\n" + "\n".join(page_errors)


@pytest.fixture
def browser(library, make_browser):
    """A browser signed in to the shared library."""
    browser = make_browser(library.server)
    browser.sign_in(library.token)
    return browser


# MARK: - Time limits and leftovers


class TimeLimitExceeded(Exception):
    pass


@pytest.fixture(autouse=True)
def time_limit(request):
    """Fails a test (setup and teardown included) that runs past TEST_SECONDS."""
    def expire(signum, frame):
        raise TimeLimitExceeded(f"{request.node.name} ran past {TEST_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def pytest_sessionstart(session):
    if not os.access(GLOSS, os.X_OK):
        raise pytest.UsageError(f"no gloss binary at {GLOSS} (set GLOSS_BINARY or build it)")
    SCREENSHOTS.mkdir(exist_ok=True)
    # Every store is named with --store; a GLOSS_HOME of its own keeps a slip off the person's.
    session.config.gloss_home = tempfile.mkdtemp(prefix="gloss-browser-home-")
    os.environ["GLOSS_HOME"] = session.config.gloss_home


def pytest_sessionfinish(session, exitstatus):
    """Quits every browser and stops every server still running, whatever happened."""
    for driver in list(_drivers):
        try:
            driver.quit()
        except Exception:
            pass
    for server in list(_servers):
        server.stop()
    home = getattr(session.config, "gloss_home", None)
    if home:
        shutil.rmtree(home, ignore_errors=True)

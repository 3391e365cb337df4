"""The page robot: an officer who clicks every link and types every mistake.

Signed in as one persona, it starts at "/", follows every same-site link reachable from the
navigation (URLs counted by their pattern — the route and the query's keys — so a list of 500
people costs two person pages, not 500), and submits every form it met three ways:

- empty (hidden fields and the CSRF token kept, text cleared, boxes unticked);
- with wrong types: letters in number fields, "1934-13-45" (a 13th month) and then "abcd" in
  date-like fields, the other fields filled with plausible values;
- with hostile strings in every text field: 10,000 characters, a NUL character, and markup and
  SQL (`<script>alert(1)</script>' OR 1=1 --`).

It records, and never stops at the first:

- any 500, or exception raised through the test client;
- any page or answer slower than the limit (`slow_s`, 1 s by default, the target that
  `benchmarks/pages.py` reports): measured again up to three times and the best kept, and
  failed only when at least half of the limit is this process's own work (CPU time; the test
  client runs the view here), so that a page that only waited is listed in the report, not
  failed. The test suite runs the robot with a hang limit (`HANG_S`) instead: tests do not
  assert on timings, which a loaded CI runner with two cores blurs, but a page that works
  for seconds is a hang or a job run in the request, and that is a bug however busy the
  machine;
- any form that loses what was typed: a refusal that re-renders the form must hold every
  visible value typed; a refusal that answers with a page without the form, or a redirect to a
  page showing an error message, threw the typing away.

`Robot(client, persona).run()` returns a `RobotReport`; `report.failures` lists each problem
with the persona, the URL, the form's action, the way it was filled and the values sent.
`demo_world()` loads the demo once (the real `load_demo` command, small registry) and removes it
afterwards, for module-scoped fixtures.
"""

from __future__ import annotations

import html
import io
import re
import statistics
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

PERSONAS = (
    "ministry",
    "redcross_s",
    "redcross_n",
    "liaison_s",
    "liaison_n",
    "firm",
    "aid",
    "applicant",
    "supervisor",
    "viewer",
    "admin",
    "gic",
    "bureau",
    "gate",
    "customs",
    "customs_chief",
    "quarantine",
)

SLOW_S = 1.0
#: The limit the test suite uses: well above any page's honest cost on a loaded runner (the
#: slowest pages take under half a second of CPU on an idle machine), well below a hang.
HANG_S = 5.0
#: A slow page fails when at least this share of the limit is its own work (CPU time of this
#: process, where the test client runs the view); the rest of the time was spent waiting.
CPU_SHARE = 0.5
#: Patterns found to answer a file (PDF, Excel, CSV, ZIP) rather than a page: fetched once per
#: process (for a 500), then skipped — a download is not a page and not part of the crawl.
DOWNLOADS: set[str] = set()
#: Never followed: static files, the admin site, the API (JSON; schemathesis covers it).
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/logout/")
#: Forms never submitted: signing out and the language switch.
SKIP_FORM_ACTIONS = ("/logout/", "/language/")

TEXT_TYPES = {
    "",
    "text",
    "search",
    "email",
    "url",
    "tel",
    "number",
    "date",
    "datetime-local",
    "month",
    "week",
    "time",
    "password",
    "textarea",
}
DATE_TYPES = {"date", "datetime-local", "month", "week"}
DATE_NAME = re.compile(r"date|_on$|_at$|year|month|^since$|^until$|^from$|^to$")
DATE_PLACEHOLDER = re.compile(r"YYYY|yyyy|\d{4}-\d{2}")

LONG = ("긴 값 a long value " * 700)[:10_000]
NUL = "robot\x00nul"
MARKUP = "<script>alert(1)</script>' OR 1=1 --"
SAMPLE = "로봇 시험 robot"

#: (way, variant) pairs, in the order they are tried on each form.
WAYS = (
    ("empty", ""),
    ("wrong", "13th-month"),
    ("wrong", "letters"),
    ("hostile", "long"),
    ("hostile", "nul"),
    ("hostile", "markup"),
)


# --- reading a page ----------------------------------------------------------------------------


@dataclass
class Field:
    tag: str  # input, select, textarea, button
    type: str
    name: str
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def is_text(self) -> bool:
        return self.tag == "textarea" or (self.tag == "input" and self.type in TEXT_TYPES)

    @property
    def is_date_like(self) -> bool:
        name = self.name.lower()
        return (
            self.type in DATE_TYPES
            or bool(DATE_NAME.search(name))
            or bool(DATE_PLACEHOLDER.search(self.attrs.get("placeholder", "")))
        )

    @property
    def is_number(self) -> bool:
        return self.type == "number" or self.attrs.get("inputmode") in ("numeric", "decimal")


@dataclass
class Form:
    method: str
    action: str
    htmx: bool
    enctype: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> set[str]:
        return {f.name for f in self.fields if f.name}

    def values_of(self, name: str) -> list[str]:
        found: list[str] = []
        for f in self.fields:
            if f.name != name:
                continue
            if f.tag == "select":
                found += [v for v, selected in f.options if selected]
            else:
                found.append(f.value)
        return found


class PageParser(HTMLParser):
    """Links, forms (with every field), messages and error markers of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.messages: list[tuple[str, str]] = []  # (class, text)
        self.error_markers = 0
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None
        self._in_messages = 0
        self._message_class: str | None = None
        self._message_text = ""

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        classes = attrs.get("class", "").split()
        if {"errorlist", "form-errors"} & set(classes) or attrs.get("role") == "alert":
            self.error_markers += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            hx_post, hx_get = attrs.get("hx-post"), attrs.get("hx-get")
            method = "post" if hx_post else "get" if hx_get else attrs.get("method", "get")
            self._form = Form(
                method=method.lower(),
                action=hx_post or hx_get or attrs.get("action", ""),
                htmx=bool(hx_post or hx_get),
                enctype=attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif tag == "ul" and "messages" in classes:
            self._in_messages += 1
        elif tag == "li" and self._in_messages:
            self._message_class = attrs.get("class", "")
            self._message_text = ""
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            self._form.fields.append(
                Field(
                    "input",
                    kind,
                    name,
                    attrs.get("value", "on" if kind in ("checkbox", "radio") else ""),
                    checked="checked" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "button":
            self._form.fields.append(
                Field("button", attrs.get("type", "submit").lower(), name, attrs.get("value", ""))
            )
        elif tag == "select":
            self._select = Field("select", "select", name, multiple="multiple" in attrs)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value", "\x01"), "selected" in attrs)
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = Field("textarea", "textarea", name, "", attrs=attrs)
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "ul" and self._in_messages:
            self._in_messages -= 1
        elif tag == "li" and self._message_class is not None:
            self.messages.append((self._message_class, self._message_text.strip()))
            self._message_class = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data
        if self._message_class is not None:
            self._message_text += data

    def _close_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected = self._option
            if value == "\x01":  # <option> without a value sends its text
                value = self._option_text.strip()
            self._select.options.append((value, selected))
        self._option = None

    @property
    def error_messages(self) -> list[str]:
        return [text for cls, text in self.messages if "error" in cls.split()]


def parse(content: bytes | str) -> PageParser:
    parser = PageParser()
    parser.feed(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
    parser.close()
    return parser


# --- where a URL leads -------------------------------------------------------------------------


def pattern_of(url: str) -> str:
    """The URL's route and the names of its query's keys: `families/persons/<int:pk>/?tab`."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = "<unknown>" + parts.path
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return route + ("?" + "&".join(keys) if keys else "")


def same_site(base: str, href: str) -> str | None:
    """The site-relative URL of a link, or None for another site, a fragment or a skipped
    path."""
    href = html.unescape(href).strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def is_html(response: Any) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")


# --- the robot ---------------------------------------------------------------------------------


class RobotClient(Client):
    """Django's test client without the copy of every rendered template's context (the robot
    reads the HTML alone): four times fewer copies on a form of 200 widgets, and timings closer
    to a real server's."""

    def request(self, **request: Any) -> Any:
        environ = self._base_environ(**request)
        exception_uid = f"request-exception-{id(request)}"
        got_request_exception.connect(self.store_exc_info, dispatch_uid=exception_uid)
        try:
            response = self.handler(environ)
        finally:
            got_request_exception.disconnect(dispatch_uid=exception_uid)
        self.check_exception(response)
        response.client = self
        response.request = request
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


@dataclass
class Failure:
    persona: str
    language: str
    url: str
    problem: str
    action: str = ""
    way: str = ""
    values: dict[str, str] = field(default_factory=dict)
    detail: str = ""

    def line(self) -> str:
        where = f"{self.persona}/{self.language} {self.url}"
        if self.action:
            where += f" form {self.action!r} [{self.way}]"
        shown = {k: (v if len(v) <= 40 else v[:37] + "...") for k, v in self.values.items()}
        if len(shown) > 12:
            more = len(shown) - 12
            shown = dict(list(shown.items())[:12]) | {"…": f"{more} more field(s)"}
        text = f"{where}: {self.problem}"
        if shown:
            text += f"\n    values: {shown}"
        if self.detail:
            text += "\n    " + self.detail.strip().replace("\n", "\n    ")
        return text


@dataclass(frozen=True)
class Took:
    wall: float
    cpu: float


@dataclass
class Timing:
    url: str
    pattern: str
    seconds: float  # wall-clock
    cpu: float = 0.0  # this process's CPU time (the view runs here; SQLite too)


@dataclass
class RobotReport:
    persona: str
    language: str
    pages: list[Timing] = field(default_factory=list)
    forms_submitted: int = 0
    submissions: int = 0
    downloads: list[Timing] = field(default_factory=list)
    waits: list[str] = field(default_factory=list)  # over the limit, but waiting: not failed
    failures: list[Failure] = field(default_factory=list)

    def urls(self) -> list[str]:
        return [t.url for t in self.pages]

    def patterns(self) -> set[str]:
        return {t.pattern for t in self.pages}

    def median_s(self) -> float:
        return statistics.median(t.seconds for t in self.pages) if self.pages else 0.0

    def summary(self) -> str:
        return (
            f"{self.persona}/{self.language}: {len(self.pages)} pages "
            f"({len(self.patterns())} patterns), {self.forms_submitted} forms "
            f"({self.submissions} submissions), {len(self.failures)} failure(s)"
            + (f", {len(self.waits)} slow wait(s) not failed" if self.waits else "")
        )

    def failure_text(self) -> str:
        return "\n".join(f.line() for f in self.failures)


def _exception_detail(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/panmun/" in f.filename] or frames
    last = ours[-1] if ours else None
    where = f"{last.filename.split('/src/')[-1]}:{last.lineno} in {last.name}" if last else ""
    return f"{type(exc).__name__}: {exc} ({where})"


class Robot:
    def __init__(
        self,
        client: Client,
        persona: str,
        *,
        language: str = "ko",
        submit_forms: bool = True,
        per_pattern: int = 2,
        max_pages: int = 150,
        slow_s: float = SLOW_S,
        ways: tuple[tuple[str, str], ...] = WAYS,
        check_timing: bool = True,
    ) -> None:
        self.client = client
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        self.report = RobotReport(persona, language)
        self.submit_forms = submit_forms
        self.per_pattern = per_pattern
        self.max_pages = max_pages
        self.slow_s = slow_s
        self.ways = ways
        self.check_timing = check_timing
        self._forms: dict[tuple[str, str, tuple[str, ...]], tuple[str, Form]] = {}

    # -- failures and timing

    def _fail(self, url: str, problem: str, **kw: Any) -> None:
        self.report.failures.append(
            Failure(self.report.persona, self.report.language, url, problem, **kw)
        )

    def _request(self, method: str, url: str, **kw: Any) -> tuple[Any, Took, str]:
        """(response or None, time taken, exception detail). Each request in a savepoint of its
        own: a view that breaks on the database (PostgreSQL then refuses every later query of
        the transaction) does not break the robot's next requests."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, **kw)
        except Exception as exc:
            response, error = None, _exception_detail(exc)
        else:
            error = ""
        return response, Took(time.perf_counter() - wall, time.process_time() - cpu), error

    def _best(self, first: Took, again: Callable[[], Took]) -> Took:
        """Best of up to three tries, the later ones made only while over the limit."""
        best = first
        for _ in range(2):
            if best.wall <= self.slow_s:
                break
            best = min(best, again(), key=lambda t: t.wall)
        return best

    def _slow(self, took: Took) -> bool:
        """Over the limit in wall-clock time, and at least half of it this process's own work:
        a page that only waited (for a CPU on a loaded machine, or for the database server) is
        noted in the report, not failed."""
        if took.wall <= self.slow_s:
            return False
        if took.cpu < self.slow_s * CPU_SHARE:
            self.report.waits.append(f"{took.wall:.2f} s wall, {took.cpu:.2f} s CPU")
            return False
        return True

    # -- the crawl

    def run(self) -> RobotReport:
        self.crawl()
        if self.submit_forms:
            for (_m, _p, _n), (page, form) in list(self._forms.items()):
                self.submit_all(page, form)
        return self.report

    def crawl(self) -> None:
        queue: deque[str] = deque(["/"])
        queued = {"/"}
        per_pattern: Counter[str] = Counter()
        while queue and len(self.report.pages) < self.max_pages:
            url = queue.popleft()
            pattern = pattern_of(url)
            if per_pattern[pattern] >= self.per_pattern or pattern in DOWNLOADS:
                continue
            per_pattern[pattern] += 1
            for link in self.visit(url, pattern):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)

    def visit(self, url: str, pattern: str) -> list[str]:
        response, took, error = self._request("get", url)
        if response is None:
            self._fail(url, "exception", detail=error)
            return []
        if response.status_code >= 500:
            self._fail(url, f"answered {response.status_code}")
            return []
        if 300 <= response.status_code < 400:
            target = same_site(url, response["Location"])
            return [target] if target else []
        if response.status_code == 404 and pattern.startswith("<unknown>"):
            self._fail(url, "a link to an address that does not exist")
            return []
        if not is_html(response):
            self.report.downloads.append(Timing(url, pattern, took.wall, took.cpu))
            if response.status_code == 200:
                DOWNLOADS.add(pattern)
            return []
        if response.status_code != 200:
            self._fail(url, f"a link reachable from the navigation answers {response.status_code}")
        took = self._best(took, lambda: self._request("get", url)[1])
        self.report.pages.append(Timing(url, pattern, took.wall, took.cpu))
        if self.check_timing and self._slow(took):
            self._fail(url, f"slow: {took.wall:.2f} s, {took.cpu:.2f} s CPU (best of three)")
        page = parse(response.content)
        for form in page.forms:
            self._remember(url, form)
        links = [same_site(url, href) for href in page.links]
        return [link for link in links if link]

    def _remember(self, page: str, form: Form) -> None:
        action = urljoin(page, html.unescape(form.action)) if form.action else page
        path = urlsplit(action).path
        if path.startswith(SKIP_FORM_ACTIONS) or path.startswith(SKIP_PREFIXES):
            return
        form.action = action
        key = (form.method, pattern_of(action), tuple(sorted(form.names())))
        self._forms.setdefault(key, (page, form))

    # -- the forms

    def _key(self, form: Form) -> tuple[str, str, tuple[str, ...]]:
        return (form.method, pattern_of(form.action), tuple(sorted(form.names())))

    def _refetch(self, page: str, key: tuple[str, str, tuple[str, ...]]) -> Form | None:
        """The same form on the page as it is now (after a submission that was taken), or None
        when the page no longer offers it."""
        response, _s, _e = self._request("get", page)
        if response is None or response.status_code != 200 or not is_html(response):
            return None
        for form in parse(response.content).forms:
            form.action = urljoin(page, html.unescape(form.action)) if form.action else page
            if self._key(form) == key:
                return form
        return None

    def submit_all(self, page: str, form: Form) -> None:
        self.report.forms_submitted += 1
        key = self._key(form)
        has_text = any(f.is_text for f in form.fields)
        has_dates = any(f.is_text and f.is_date_like for f in form.fields)
        has_files = any(f.type == "file" for f in form.fields)
        for way, variant in self.ways:
            if way != "empty" and not (has_text or has_files):
                continue
            if variant == "letters" and not has_dates:
                continue
            if variant == "nul" and form.method == "get":
                continue  # refused as a whole by design: a query string never holds NUL
            if self.submit(page, form, way, variant) == "taken":
                fresh = self._refetch(page, key)
                if fresh is None:
                    return
                form = fresh

    def submit(self, page: str, form: Form, way: str, variant: str) -> str:
        """Submit once; "taken" (the answer may have changed the page), "refused" or
        "broken"."""
        data, typed, shown = fill(form, way, variant)
        label = f"{way}:{variant}" if variant else way
        kw: dict[str, Any] = {}
        if form.htmx:
            kw["HTTP_HX_REQUEST"] = "true"
            kw["HTTP_HX_CURRENT_URL"] = "http://testserver" + page
        self.report.submissions += 1
        url = form.action
        if form.method == "get":
            plain = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
            url = form.action.split("?")[0] + "?" + urlencode(plain, doseq=True)
            response, took, error = self._request("get", url, **kw)
        else:
            response, took, error = self._request("post", url, data=data, **kw)
        where = {"action": form.action, "way": label, "values": shown}
        if response is None:
            self._fail(page, "exception", detail=error, **where)
            return "broken"
        status = response.status_code
        if status >= 500:
            self._fail(page, f"answered {status}", **where)
            return "broken"
        redirect = 300 <= status < 400
        if self.check_timing and not redirect:  # a redirect wrote something: not repeated

            def again() -> Took:
                if form.method == "get":
                    return self._request("get", url, **kw)[1]
                return self._request("post", url, data=fill(form, way, variant)[0], **kw)[1]

            took = self._best(took, again)
            if self._slow(took):
                self._fail(
                    page,
                    f"slow answer: {took.wall:.2f} s, {took.cpu:.2f} s CPU (best of three)",
                    **where,
                )
        if redirect:
            return self._after_redirect(page, response, typed, where)
        if is_html(response):
            return self._after_page(page, form, response, typed, where)
        return "taken" if status < 400 else "refused"

    def _after_redirect(
        self, page: str, response: Any, typed: dict[str, str], where: dict[str, Any]
    ) -> str:
        target = same_site(page, response["Location"])
        if target is None:
            return "taken"
        after, _s, error = self._request("get", target)
        if after is None:
            self._fail(page, "exception after the redirect", detail=error, **where)
            return "broken"
        if after.status_code >= 500:
            self._fail(page, f"the page after the redirect answered {after.status_code}", **where)
            return "broken"
        errors = parse(after.content).error_messages if is_html(after) else []
        if not errors:
            return "taken"
        if typed:
            self._fail(
                page,
                f"the typing was lost: redirected to {target}, which shows an error",
                detail=" / ".join(errors)[:300],
                **where,
            )
        return "refused"

    def _after_page(
        self, page: str, form: Form, response: Any, typed: dict[str, str], where: dict[str, Any]
    ) -> str:
        answer = parse(response.content)
        refused = bool(response.status_code >= 400 or answer.error_markers or answer.error_messages)
        if not typed:
            return "refused" if refused else "taken"
        candidates = [
            f
            for f in answer.forms
            if not urlsplit(f.action).path.startswith(SKIP_FORM_ACTIONS)
            and f.names() & typed.keys()
        ]
        again = max(candidates, key=lambda f: len(f.names() & typed.keys()), default=None)
        if again is None:
            if refused and not form.htmx:
                self._fail(
                    page,
                    f"the typing was lost: answered {response.status_code} without the form",
                    detail=" / ".join(answer.error_messages)[:300],
                    **where,
                )
            return "refused" if refused else "taken"
        if not refused:
            return "taken"  # accepted: a page that holds another form of the same names
        lost = [name for name, value in typed.items() if value not in again.values_of(name)]
        if lost:
            self._fail(
                page,
                f"the typing was lost: the form came back ({response.status_code}) without "
                f"the values of {', '.join(sorted(lost))}",
                **where,
            )
        return "refused"


def _sample(f: Field) -> str:
    if f.type == "email":
        return "robot@example.org"
    if f.type == "url":
        return "https://example.org/robot"
    if f.type == "tel":
        return "010-0000-0000"
    return SAMPLE


def fill(
    form: Form, way: str, variant: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The data sent, the visible values typed (to find again), and the values to report."""
    data: dict[str, Any] = {}
    typed: dict[str, str] = {}
    shown: dict[str, str] = {}

    def put(name: str, value: Any) -> None:
        if name in data:
            prev = data[name]
            data[name] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            data[name] = value

    button_done = False
    radios_done: set[str] = set()
    for f in form.fields:
        if not f.name:
            continue
        if f.tag == "button" or (f.tag == "input" and f.type in ("submit", "image")):
            if f.type in ("submit", "image") and not button_done:
                put(f.name, f.value)
                button_done = True
            continue
        if f.tag == "input" and f.type == "hidden":
            put(f.name, f.value)
            continue
        if f.tag == "input" and f.type == "checkbox":
            if f.checked and way != "empty":
                put(f.name, f.value)
            continue
        if f.tag == "input" and f.type == "radio":
            if f.name in radios_done:
                continue
            same = [r for r in form.fields if r.name == f.name and r.type == "radio"]
            chosen = next((r for r in same if r.checked), None)
            if chosen is None and way != "empty":
                chosen = same[0]
            if chosen is not None:
                put(f.name, chosen.value)
            radios_done.add(f.name)
            continue
        if f.tag == "select":
            selected = [v for v, s in f.options if s]
            if not selected and f.options and not f.multiple:
                selected = [f.options[0][0]]
            if way != "empty" and not any(selected):
                selected = [v for v, _s in f.options if v][:1]
            for value in selected:
                put(f.name, value)
            continue
        if f.tag == "input" and f.type == "file":
            if way == "empty":
                continue
            accept = f.attrs.get("accept", "")
            ext = next((a for a in accept.split(",") if a.strip().startswith(".")), ".csv")
            content = (
                b"record_id,birth_date,count\n1,1934-13-45,abcd\n"
                if way == "wrong"
                else b"\x00\xff<script>alert(1)</script>' OR 1=1 --" * 50
            )
            put(f.name, SimpleUploadedFile("robot" + ext.strip(), content))
            shown[f.name] = f"<file robot{ext.strip()}>"
            continue
        if not f.is_text:
            continue
        if "readonly" in f.attrs:
            put(f.name, f.value)
            continue
        if way == "empty":
            value = ""
        elif way == "wrong":
            if f.is_date_like:
                value = "1934-13-45" if variant == "13th-month" else "abcd"
            elif f.is_number:
                value = "abc"
            else:
                value = f.value or _sample(f)
        elif f.is_date_like or f.is_number:
            value = f.value
        else:
            value = {"long": LONG, "nul": NUL, "markup": MARKUP}[variant]
            if f.type in ("email", "url") and variant != "long":
                value = f.value or _sample(f)
        put(f.name, value)
        shown[f.name] = value
        if value and value != f.value and f.type != "password":
            typed[f.name] = value
    return data, typed, shown


# --- the demo world ----------------------------------------------------------------------------


@contextmanager
def demo_world(blocker: Any, *, registry_size: int = 300) -> Iterator[dict[str, Any]]:
    """The demo, loaded with the real `load_demo` command into the test database and committed
    (outside the per-test transactions, which roll back on top of it), then removed: the
    database is flushed and what the data migrations loaded is put back, as after a
    transactional test (conftest.py)."""
    from django.apps import apps
    from django.core.management import call_command

    from panmun.accounts.models import Side
    from panmun.accounts.reference import ensure_sides
    from panmun.complex.models import Slot, Timetable, WageRule
    from panmun.complex.services.output import year_figures_load
    from panmun.complex.timetables import timetables_load
    from panmun.complex.wages import history_load
    from panmun.dialogue.record import load_historical_record
    from panmun.permits.policy import measures_load

    try:
        with blocker.unblock():
            started = time.perf_counter()
            call_command(
                "load_demo",
                registry_size=registry_size,
                complex_workers=600,
                quiet_logins=True,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            loaded_s = time.perf_counter() - started
        yield {"load_s": loaded_s}
    finally:
        # Also when the load failed half way: what it committed must not reach the next tests.
        with blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            ensure_sides(Side)
            load_historical_record(apps.get_model)
            measures_load()
            year_figures_load()
            history_load(WageRule)
            timetables_load(Timetable, Slot)

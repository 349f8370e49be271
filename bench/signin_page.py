"""``GET /dang-nhap/``: the sign-in page as a first-time visitor sees it (no cookies, as wrk sends none)."""

from bench import Benchmark

# A visitor without a session cookie costs no query: the session is never loaded, the user is anonymous and the
# CSRF token travels in a cookie. The pgbench script is therefore the floor, one database round trip.
SQL = """\
SELECT 1;
"""

BENCHMARK = Benchmark(
    name="signin-page",
    path="/dang-nhap/",
    sql=SQL,
    description="sign-in form rendered from templates, with a CSRF cookie; runs no SQL for a visitor without a "
    "session, so pgbench runs the floor, `SELECT 1`.",
)

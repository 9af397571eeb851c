"""axe-core in the browser: its WCAG 2.x and 2.2 A/AA rules run on the page as it is now.
scripts/test.sh installs axe-core into tests/.axe; without it these checks fail, never skip."""

from __future__ import annotations

import pytest

from tracker.config import PROJECT_ROOT

AXE_JS = PROJECT_ROOT / "tests" / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(result => done({violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.join(' ')),
      summary: v.nodes.length ? v.nodes[0].failureSummary : ''
  }))}))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(dash_duo) -> list[dict]:
    """Run axe-core on the page as it is now; every violation of the WCAG 2.x A/AA rules."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE_JS.relative_to(PROJECT_ROOT)} is missing): run "
            "`bash scripts/test.sh`, which installs it, or "
            "`npm install --prefix tests/.axe --no-save --no-audit --no-fund axe-core@4.14.1`"
        )
    driver = dash_duo.driver
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(_RUN_AXE, AXE_TAGS)
    if result.get("error"):
        pytest.fail(f"axe-core could not run: {result['error']}")
    return result["violations"]


def assert_no_serious_axe_violations(dash_duo, page_name: str) -> None:
    """Fail, listing each one, if axe finds a serious or critical WCAG 2.x A/AA violation."""
    blocking = [v for v in axe_violations(dash_duo) if v["impact"] in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"axe-core found {len(blocking)} serious or critical accessibility violation(s) on the {page_name}:"]
    for v in blocking:
        shown = ", ".join(v["targets"][:5])
        more = f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else ""
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        lines.append(f"    elements: {shown}{more}")
        if v["summary"]:
            lines.append("    " + v["summary"].replace("\n", "\n    "))
    pytest.fail("\n".join(lines), pytrace=False)

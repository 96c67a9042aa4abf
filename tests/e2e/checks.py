"""What every walk checks on every page it reaches: no console error, no sideways scroll on the
page itself (tables scroll inside their own box), and no serious or critical accessibility
violation found by axe-core (bundled with axe-playwright-python, nothing downloaded)."""
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def watch_console(page) -> list[str]:
    """The console errors the page will log from now on, collected in the list returned."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def accessibility_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line each."""
    results = _axe.run(page)
    return [f"{violation['id']} ({violation['impact']}): "
            + "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in results.response["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def assert_sound(page, console_errors: list[str]) -> None:
    """The page is usable: fails with what is wrong (console, scroll, accessibility) and where."""
    problems = list(console_errors)
    if not no_horizontal_scroll(page):
        problems.append(f"the page scrolls sideways at {page.viewport_size['width']} px")
    problems += accessibility_violations(page)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)

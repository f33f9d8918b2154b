"""Phone-width screenshots of the public form for the README (docs/screenshots/*.png), from a running platform.

    make run &                                              # or any running platform
    .venv/bin/python tests/support/take_screenshots.py [BASE_URL]   # default http://127.0.0.1:8000

Files a real complaint through the form (so the receipt on the confirmation page is a real one, for a throwaway
local case), asks "what are my options?", and opens the follow-up page once routing has made the plan.
"""
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])   # tests/, not tests/support/ (its platform.py)

from support.browser import (  # noqa: E402
    BANK_COMPLAINT, PHONE, answer, ask_options, close_shared_browser, fill_complaint, follow_up, shared_browser,
)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PLAN = {"radio": {"institution_type": "bank", "issue": "account_refused_or_closed", "capacity": "private",
                  "prior_complaint": "yes"}, "text": {"prior_filed_on": "01-09-2026"}}


def shoot(page, name, scroll_to=None):
    if scroll_to:
        page.eval_on_selector(scroll_to, "element => element.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -8)")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size // 1024} KB")


def main(base_url="http://127.0.0.1:8000"):
    OUT.mkdir(parents=True, exist_ok=True)
    context = shared_browser().new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB",
                                           is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base_url}/en/")
    shoot(page, "start")

    def on_step(page, step):
        if step == "what":
            answer(page, BANK_COMPLAINT["what"])
            shoot(page, "form-step", scroll_to="main")
    reference, receipt = fill_complaint(page, base_url, "en", on_step=on_step)
    shoot(page, "confirmation", scroll_to="section.receipt")

    ask_options(page, base_url, "en", PLAN)
    shoot(page, "options-plan", scroll_to="section.plan-result")

    deadline = time.monotonic() + 30
    while True:   # wait for routing's plan to reach intake's read model
        follow_up(page, base_url, "en", reference, receipt)
        if "Planned" in page.inner_text("section.status") or time.monotonic() > deadline:
            break
        time.sleep(1)
    shoot(page, "follow-up-status", scroll_to="section.status")
    context.close()
    close_shared_browser()
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"total {total // 1024} KB")
    assert total < 1024 * 1024, "keep docs/screenshots under 1 MB"


if __name__ == "__main__":
    main(*sys.argv[1:])

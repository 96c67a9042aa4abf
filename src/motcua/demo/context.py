"""The note on every page while `make run` finishes the demo's history in the background: the
index portal, the rankings and the dashboard fill up month by month, and a newcomer should know
why they are still thin."""
from motcua.demo.loader import CORE_STEPS
from motcua.demo.models import DemoStep


def history_progress() -> dict | None:
    """{"done": past months loaded, "months": past months} while history is pending, else None."""
    steps = list(DemoStep.objects.filter(position__gte=CORE_STEPS).values_list("key", "done_at"))
    if all(done_at is not None for _, done_at in steps):
        return None
    months = [done_at for key, done_at in steps if key.startswith("month:")]
    return {"done": sum(d is not None for d in months), "months": len(months)}


def demo_history(request) -> dict:
    # A callable: the template calls it (one small query) only where the note is shown.
    return {"demo_history": history_progress}

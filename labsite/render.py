"""Pages to HTML through the Jinja templates of each language."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from .problems import Problems, did_you_mean
from .views import own_name

TEMPLATES_DIR = "templates"


def check_templates(env: Environment, root: Path, problems: Problems) -> bool:
    """Compile every template once, recording syntax errors with their line; ``True`` when all compile."""
    ok = True
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.error(f"{TEMPLATES_DIR}/{name}", exc.lineno or 0, f"template syntax error: {exc.message}",
                           "Check the {% … %} and {{ … }} tags around this line.")
            ok = False
    return ok


def render_template(env: Environment, name: str, context: dict[str, Any], root: Path, problems: Problems) -> str | None:
    """Render one template; a failure becomes a problem at the template line that caused it."""
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        path, line = _template_line(exc, root)
        if path is None:
            problems.error(f"{TEMPLATES_DIR}/{exc.name}", 0, "the template is missing",
                           f"Restore {TEMPLATES_DIR}/{exc.name} (the generator needs one template per kind of page).")
        else:
            problems.error(path, line, f"the template '{exc.name}' is missing",
                           did_you_mean(str(exc.name), env.list_templates(extensions=["html", "xml", "txt"])))
        return None
    except (TemplateError, TypeError, KeyError, AttributeError, ValueError) as exc:
        path, line = _template_line(exc, root)
        problems.error(path or f"{TEMPLATES_DIR}/{name}", line,
                       f"the template failed while rendering: {exc}", "Check the variable names used on this line.")
        return None


def _template_line(exc: BaseException, root: Path) -> tuple[str | None, int]:
    """The template file and line where rendering failed, from the traceback; ``(None, 0)`` when none."""
    templates = str((root / TEMPLATES_DIR).resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(templates)]
    if not frames:
        return None, 0
    where = frames[-1]
    return Path(where.filename).resolve().relative_to(root.resolve()).as_posix(), where.lineno or 0


def language_links(languages: Iterable[str], current: str, route: str) -> list[dict[str, Any]]:
    """The language switcher: the same route in every language."""
    return [{"code": code, "name": own_name(code), "short": own_name(code)[:3].upper(), "url": f"/{code}/{route}",
             "current": code == current} for code in languages]

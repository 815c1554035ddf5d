"""Pages to HTML through the Jinja templates of each language."""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound, TemplateSyntaxError
from markupsafe import Markup

from ..model.problems import Problems, did_you_mean
from ..present.views import own_name

TEMPLATES_DIR = "templates"


def check_templates(env: Environment, root: Path, problems: Problems) -> bool:
    """Compile every template once, recording syntax errors with their line; ``True`` when all compile."""
    ok = True
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)
        except TemplateNotFound:
            continue  # a link leading out of the project, reported by paths.check_links
        except TemplateSyntaxError as exc:
            problems.error(f"{TEMPLATES_DIR}/{name}", exc.lineno or 0, f"template syntax error: {exc.message}",
                           "Check the {% … %} and {{ … }} tags around this line.")
            ok = False
    return ok


def block_text(template: Template, block: str, values: dict[str, Any]) -> str:
    """What a block of ``template`` shows, as plain text: rendered with ``values``, its tags left out and its
    characters unescaped (``Q&amp;A`` is ``Q&A``), for a card's drawing or a page that escapes it again."""
    return Markup("".join(template.blocks[block](template.new_context(values)))).striptags()


def render_template(env: Environment, name: str, context: dict[str, Any], root: Path, problems: Problems) -> str | None:
    """Render one template; a failure becomes a problem at the template line that caused it."""
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        path, line = _template_line(exc, root, name)
        if not line:  # the page's own template, not one it includes
            problems.error(f"{TEMPLATES_DIR}/{exc.name}", 0, "the template is missing",
                           f"Restore {TEMPLATES_DIR}/{exc.name} (the generator needs one template per kind of page).")
        else:
            problems.error(path, line, f"the template '{exc.name}' is missing",
                           did_you_mean(str(exc.name), env.list_templates(extensions=["html", "xml", "txt"])))
        return None
    except RecursionError as exc:
        where, line = _template_line(exc, root, name)
        problems.error(where, line, "the template includes or calls itself without end",
                       "Remove the {% include %}, {% extends %} or macro call that leads back to this template.")
        return None
    except Exception as exc:  # any failure of a template is reported at its line
        where, line = _template_line(exc, root, name)
        problems.error(where, line, f"the template failed while rendering: {type(exc).__name__}: {exc}",
                       "Check the expressions and variable names used on this line.")
        return None


def _template_line(exc: BaseException, root: Path, name: str) -> tuple[str, int]:
    """The template file and line where ``exc`` was raised; for endless recursion, the line that repeats most."""
    templates = str((root / TEMPLATES_DIR).resolve())
    found = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(templates)]
    if isinstance(exc, RecursionError):  # the include or call that leads back, which repeats the most
        found = [f for f in found if "include" in (f.line or "") or "call" in (f.line or "")] or found
    frames = [(f.filename, f.lineno or 0) for f in found]
    if not frames:
        return f"{TEMPLATES_DIR}/{name}", 0
    filename, line = Counter(frames).most_common(1)[0][0] if isinstance(exc, RecursionError) else frames[-1]
    return Path(filename).resolve().relative_to(root.resolve()).as_posix(), line


def language_links(languages: Iterable[str], current: str, route: str) -> list[dict[str, Any]]:
    """The language switcher: the same route in every language."""
    return [{"code": code, "name": own_name(code), "short": own_name(code)[:3].upper(), "url": f"/{code}/{route}",
             "current": code == current} for code in languages]

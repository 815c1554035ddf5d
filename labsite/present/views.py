"""The model seen in one language: texts with fallback, dates in words, links, statuses."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from markupsafe import Markup

from ..i18n.bundle import N_
from ..i18n.translation import is_stale
from ..load.config import SiteConfig
from ..load.images import Picture
from ..load.markup import keep_dates, to_html
from ..model.dates import DAY, MINUTE, DateFormatter, PartialDate, When
from ..model.events import DEADLINE, OPENS, event_route, in_feeds, milestone_events, site_host
from ..model.items import Content, Edition, Image, Meta, Milestone, Person
from ..model.open_calls import CallStatus, call_status
from ..model.timezones import ZoneInfo, zone
from .calendar_links import google_link, outlook_link

#: Each kind of milestone's default label; marked with N_ for extraction, translated where shown.
KIND_LABELS: dict[str, str] = {
    "open_call": N_("Open call"),
    "deadline": N_("Deadline"),
    "announcement": N_("Announcement of participants"),
    "module": N_("Module"),
    "course": N_("Course"),
    "mentoring": N_("Mentoring"),
    "defence": N_("Defence"),
    "implementation": N_("Implementation"),
    "event": N_("Event"),
}
#: Marked with N_ for extraction; translated where shown.
FORMAT_LABELS = {"in-person": N_("In person"), "online": N_("Online"), "hybrid": N_("In person and online")}


@dataclass(frozen=True)
class TextView:
    """An item's text in the visitor's language, or in a fallback language, marked as such."""

    lang: str
    fallback: bool
    title: str
    summary: str
    body: Markup
    blocks: dict[str, Markup] = field(default_factory=dict)
    path: str = ""
    #: Whether the text translates an older version of its source, and the source's language.
    stale: bool = False
    source_lang: str = ""


@dataclass(frozen=True)
class Language:
    """Everything needed to write in one language."""

    code: str
    chain: tuple[str, ...]
    locale: Locale
    translations: gettext.NullTranslations
    dates: DateFormatter

    def _(self, message: str) -> str:
        """Translate an interface string."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Translate an interface string that depends on a number."""
        return self.translations.ngettext(singular, plural, count)

    def name_of(self, other: str) -> str:
        """The name of another language in this one, e.g. 'русский' in Kazakh."""
        return self.locale.languages.get(other, other)


def make_language(code: str, config: SiteConfig, translations: gettext.NullTranslations) -> Language:
    """Bundle a language's locale, catalogue and date writer."""
    locale = Locale.parse(config.date_locales.get(code, code))
    return Language(code, config.chain(code), locale, translations, DateFormatter(locale, translations.gettext))


@functools.cache
def own_name(code: str) -> str:
    """A language's name in itself, capitalised: 'Қазақ тілі', 'Русский', 'English'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def initials(name: str) -> str:
    """Up to two initials of a name, for a person without a photo."""
    return "".join(word[0] for word in name.split()[:2] if word).upper()


def date_attr(value: PartialDate, tz: ZoneInfo | None = None) -> str:
    """A machine-readable HTML date at the precision known: 2025-09-30T23:59+05:00, 2025-09-30, 2025-11 or 2024."""
    if value.precision == MINUTE and tz is not None:
        return value.start_moment(tz).isoformat(timespec="minutes")
    if value.precision in (DAY, MINUTE):
        return value.first_day().isoformat()
    return f"{value.year:04d}-{value.month:02d}" if value.month else f"{value.year:04d}"


class Views:
    """Builds the values templates show, for one language."""

    def __init__(self, content: Content, config: SiteConfig, language: Language, now: dt.datetime,
                 media: Mapping[str, Picture] | None = None) -> None:
        self.content, self.config, self.lang, self.now = content, config, language, now
        self.media = media or {}

    def image(self, image: Image | None) -> dict[str, Any] | None:
        """A picture with its alt text in this language; ``None`` without one (or when it could not be made)."""
        picture = self.media.get(image.file) if image else None
        if image is None or picture is None:
            return None
        alt, alt_lang = image.alt.get(self.lang.chain)
        return picture.view(alt, alt_lang)

    def url(self, route: str) -> str:
        """The site path of a route in this language."""
        return f"/{self.lang.code}/{route}"

    def text(self, meta: Meta, blocks: tuple[str, ...] = ()) -> TextView:
        """The item's text in the first language of the chain that has it."""
        found = next((lang for lang in self.lang.chain if lang in meta.texts), None)
        text = meta.texts[found if found is not None else min(meta.texts)]
        rendered = {name: to_html(text.field(name), self.content.html) for name in blocks if text.field(name).strip()}
        title = text.field("title") or text.field("role")
        body = to_html(text.body, self.content.html)
        return TextView(text.lang, text.lang != self.lang.code, title, text.field("summary"), body, rendered,
                        text.path, is_stale(meta, text), meta.source_language)

    def when(self, value: When | None, tz: ZoneInfo | None = None) -> str:
        """A date or period in words; times name their zone when ``tz`` is given."""
        return self.lang.dates.when(value, tz) if value else ""

    def places(self, ids: tuple[str, ...]) -> str:
        """Place names joined in this language."""
        names = []
        for place_id in ids:
            place = self.content.places[place_id]
            city, _ = place.name.get(self.lang.chain)
            country, _ = place.country.get(self.lang.chain)
            names.append(f"{city}, {country}" if country else city)
        return "; ".join(names)

    def person_card(self, person: Person) -> dict[str, Any]:
        """A person as listed on other pages."""
        name, name_lang = person.name.get(self.lang.chain)
        text = self.text(person.meta)
        return {"id": person.id, "name": name, "name_lang": name_lang, "role": text.title, "role_lang": text.lang,
                "url": self.url(f"people/{person.id}/"), "draft": person.meta.draft, "photo": self.image(person.photo),
                "initials": initials(name)}

    def status(self, edition: Edition) -> dict[str, Any] | None:
        """The open call's state in words, or ``None`` when the edition has no open call."""
        status = call_status(edition, self.now, self.config.timezone, self.config.closing_soon_days)
        return None if status is None else self.status_view(status)

    def status_view(self, status: CallStatus) -> dict[str, Any]:
        """Words for an open call's state."""
        _ = self.lang._
        zone = self.zone_of(status.milestone)
        deadline = keep_dates(self.lang.dates.date(status.milestone.when.last, zone))
        opening = keep_dates(self.lang.dates.date(status.milestone.when.start, zone))
        if status.state == "upcoming":
            label = _("Opens on {date}").format(date=opening)
        elif status.state == "closed":
            # Quiet and short: the deadline itself is among the edition's facts.
            label = _("Open call closed")
        elif status.days_left == 0:
            label = _("Open — closes today")
        elif status.state == "closing_soon":  # said in words, not only by the badge's colour
            label = self.lang.ngettext("Closing soon — {count} day left", "Closing soon — {count} days left",
                                       status.days_left).format(count=status.days_left)
        else:
            label = self.lang.ngettext("Open — {count} day left", "Open — {count} days left", status.days_left).format(
                count=status.days_left)
        return {"state": status.state, "label": label, "deadline": deadline,
                "opens_iso": status.opens.isoformat(), "closes_iso": status.closes.isoformat(),
                "accepting": status.accepting,
                # For static/status.js, which rewrites the label when the state changes after the build.
                "upcoming_label": _("Opens on {date}").format(date=opening),
                "closed_label": _("Open call closed")}

    def zone_of(self, milestone: Milestone) -> ZoneInfo:
        """The time zone a milestone's times are meant in: its own, else the site's."""
        return zone(milestone.timezone) if milestone.timezone else self.config.tz

    def milestone(self, edition: Edition, milestone: Milestone, labels: dict[str, str]) -> dict[str, Any]:
        """One row of an edition's timeline."""
        label = labels.get(milestone.id) or self.lang._(KIND_LABELS[milestone.kind])
        when = milestone.when
        zone = self.zone_of(milestone)
        today = self.now.astimezone(zone).date()
        past = not when.open_end and when.last.last_day() < today
        stage = "past" if past else "current" if when.start.first_day() <= today else "future"
        words = self.when(when, zone)
        # A row starts with its date: "Early September 2024", never a lowercase first letter; within a line of text
        # ("Now: … (февраль 2026 г. и далее)") the date is as the language writes it.
        return {"id": milestone.id, "kind": milestone.kind, "label": label, "when": words[:1].upper() + words[1:],
                "when_in_text": words,
                "datetime": "" if when.is_period else date_attr(when.start, zone),
                "place": self.places((milestone.place,)) if milestone.place else "",
                "past": past, "stage": stage,
                "calendar": self.calendar(edition, milestone, label)}

    def today(self) -> dt.date:
        """The build's day in the site's time zone, as the selection of published content sees it."""
        return self.now.astimezone(self.config.tz).date() if self.now.tzinfo else self.now.date()

    def calendar(self, edition: Edition, milestone: Milestone, label: str) -> dict[str, Any] | None:
        """A timeline row's calendar entries in the views' language; ``None`` when the milestone gives no event.

        The feeds are written from these same entries, so a page and its feeds cannot disagree.
        """
        if not in_feeds(self.content, edition, self.today()):
            return None
        events = milestone_events(edition, milestone, self.config.timezone)
        if not events:
            return None
        _, config = self.lang._, self.config
        title = self.text(edition.meta).title
        page = config.url(self.url(f"labs/{edition.lab}/{edition.key}/")) + f"#{milestone.id}"
        location = self.places((milestone.place,)) if milestone.place else ""
        summaries = {"": _("{label} — {edition}"), OPENS: _("Opening: {label} — {edition}"),
                     DEADLINE: _("Deadline: {label} — {edition}")}
        parts = {"": label, OPENS: _("Opening"), DEADLINE: _("Deadline")}
        host = site_host(config.base_url)
        entries = []
        for event in events:
            summary = summaries[event.part].format(label=label, edition=title)
            value = milestone.when.start if event.part != DEADLINE else milestone.when.last
            zone = self.zone_of(milestone)
            when = self.lang.dates.date(value, zone) if event.part else self.when(milestone.when, zone)
            details = f"{title}\n{when}\n\n{page}"
            entries.append({"event": event, "uid": event.uid(host), "part": parts[event.part], "summary": summary,
                            "edition": title,
                            "description": details, "location": location, "url": page,
                            "google": google_link(event, summary, details, location),
                            "outlook": outlook_link(event, summary, details, location)})
        return {"ics": self.url(event_route(edition, milestone)), "events": entries}

    def timeline(self, edition: Edition) -> list[dict[str, Any]]:
        """The rows of an edition's timeline, labelled in this language where its text names them."""
        own = edition.meta.texts.get(self.lang.code)
        labels = own.front.get("schedule") if own else None
        return [self.milestone(edition, m, labels if isinstance(labels, dict) else {}) for m in edition.schedule]

    def progress(self, edition: Edition, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """Where an edition stands: its current step (the latest begun), the next dated one, whether it is over."""
        current = [row for row in rows if row["stage"] == "current"]
        future = [row for row in rows if row["stage"] == "future"]
        today = self.now.astimezone(self.config.tz).date()
        when = edition.when
        running = when is not None and when.start.first_day() <= today and (
            when.open_end or when.last.last_day() >= today)
        return {"now": current[-1] if current else None, "next": future[0] if future else None,
                "finished": bool(rows) and not current and not future, "active": bool(current or future or running)}

    def edition_card(self, edition: Edition) -> dict[str, Any]:
        """An edition as listed on other pages."""
        text = self.text(edition.meta)
        lab_text = self.text(self.content.labs[edition.lab].meta)
        own = next((edition.meta.texts[lang] for lang in self.lang.chain if lang in edition.meta.texts), None)
        label, _ = edition.apply_label.get(self.lang.chain)
        return {"id": edition.id, "url": self.url(f"labs/{edition.lab}/{edition.key}/"), "text": text,
                "lab": lab_text.title, "lab_lang": lab_text.lang, "when": self.when(edition.when),
                "places": self.places(edition.places), "format": self.lang._(FORMAT_LABELS[edition.format]),
                "status": self.status(edition), "draft": edition.meta.draft, "image": self.image(edition.image),
                "apply_url": edition.apply_url, "apply_label": label or self.lang._("Apply"),
                "how_to_apply": bool(own and own.field("how_to_apply").strip())}

    def edition(self, edition: Edition) -> dict[str, Any]:
        """Everything an edition page shows."""
        card = self.edition_card(edition)
        partners = [self.partner_card(self.content.partners[p]) for p in edition.partners]
        timeline = self.timeline(edition)
        return {**card, "text": self.text(edition.meta, ("eligibility", "benefits", "how_to_apply", "selection")),
                "timeline": timeline, **self.progress(edition, timeline),
                "mentors": [self.person_card(self.content.people[p]) for p in edition.mentors],
                "partners": partners, "apply_url": edition.apply_url,
                "faq_url": self.url("faq/") + f"#{edition.faq}" if edition.faq else ""}

    def partner_card(self, partner: Any) -> dict[str, Any]:
        """A partner as listed on other pages."""
        name, name_lang = partner.name.get(self.lang.chain)
        text = self.text(partner.meta)
        return {"id": partner.id, "name": name, "name_lang": name_lang, "text": text, "url": partner.url,
                "page": self.url("partners/") + f"#{partner.id}"}

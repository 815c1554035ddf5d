"""What the real content must say and how it must be dated, from the source documents in tests/sources/."""

from __future__ import annotations

from datetime import date

# Every edition's dates exactly as the sources give them: a day only where the source names one.
D = date
SOURCE_DATES: dict[str, dict[str, object]] = {
    "labs/impact-lab/2023": {"start": 2023, "schedule": {"lab": {"date": 2023}}},
    "labs/impact-lab/2024": {
        "start": D(2024, 9, 26),
        "end": D(2024, 10, 1),
        "schedule": {
            "open-call": {"start": D(2024, 5, 13), "end": D(2024, 8, 5)},
            "results": {"date": "early 2024-09"},
            "lab": {"start": D(2024, 9, 26), "end": D(2024, 10, 1)},
        },
    },
    "labs/pitching-training/2023": {"start": 2023, "schedule": {"course": {"date": 2023}}},
    "labs/teen-lab/2023": {"start": 2023, "schedule": {"workshop": {"date": 2023}}},
    "labs/teen-lab/2024": {
        "start": "2024-06",
        "end": "2024-09",
        "schedule": {"workshop": {"start": "2024-06", "end": "2024-09"}},
    },
    "labs/development-lab/2024": {
        "start": "2024-06",
        "end": "2024-10",
        "schedule": {
            "bukhara": {"date": "2024-06"},
            "almaty": {"date": "2024-10"},
        },
    },
    "labs/impact-distribution-lab/2025": {
        "start": "2025-11",
        "end": "2026-01",
        "schedule": {
            "open-call": {"start": D(2025, 7, 1), "end": D(2025, 9, 30)},
            "participants": {"date": D(2025, 10, 30)},
            "course": {"date": "2025-11"},
            "mentoring": {"date": "2025-12"},
            "defence": {"date": "2026-01"},
            "campaigns": {"start": "2026-02", "end": "open"},
        },
    },
}


# What each language's pages must say: route → phrases, after thin and no-break spaces became spaces.
FACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "kk": {
        "labs/impact-lab/2024": (
            "2024 ж. 26 қыркүйек – 1 қазан",
            "2024 ж. 13 мамыр – 5 тамыз",
            "2024 жылғы 26 қыркүйек – 1 қазан",
            "қыркүйектің басында",
            "Бішкек",
        ),
        "labs/impact-distribution-lab/2025": (
            "2025 ж. 1 шілде – 30 қыркүйек",
            "2025 ж. 30 қазан",
            "2025 ж. қараша",
            "2025 ж. желтоқсан",
            "2026 ж. қаңтар",
            "2026 ж. ақпан",
            "30 продюсер мен 30 белсенді",
            "30 команда",
            "12 команда",
            "3–5",
            "12 минуттан бастап",
            "20–60 минут",
            "2023–2025",
            "2025–2026",
            "ілеспе аударма",
            "автоматты субтитр",
        ),
        "faq": (
            "30 продюсер мен 30 белсенді",
            "12 команда",
            "3–5",
            "12 минуттан бастап",
            "20–60 минут",
            "2025 жылғы 30 қыркүйек",
            "ілеспе аударма",
        ),
        "news/impact-lab-2024-open-call": ("13 мамырдан 5 тамызға дейін", "Анна Гудкова"),
        "labs/development-lab/2024": ("Бұқара", "Алматы", "2024 ж. маусым", "2024 ж. қазан"),
        "labs/teen-lab/2024": (
            "Ташкент",
            "2024 ж. маусым – қыркүйек",
        ),
    },
    "ru": {
        "labs/impact-lab/2024": (
            "26 сентября — 1 октября 2024 г.",
            "13 мая — 5 августа 2024 г.",
            "с 26 сентября по 1 октября 2024 года",
            "в начале сентября 2024 года",
            "Бишкек",
        ),
        "labs/impact-distribution-lab/2025": (
            "1 июля — 30 сентября 2025 г.",
            "30 октября 2025 г.",
            "Ноябрь 2025 г.",
            "Декабрь 2025 г.",  # a timeline row starts with its date, capitalised
            "январь 2026 г.",
            "Февраль 2026 г. и далее",
            "30 продюсеров и 30 активистов",
            "30 команд",
            "12 команд",
            "3–5",
            "от 12 минут",
            "20–60 минут",
            "2023–2025",
            "2025–2026",
            "синхронно",
            "автоматические субтитры",
        ),
        "faq": (
            "30 продюсеров и 30 активистов",
            "12 команд",
            "3–5",
            "от 12 минут",
            "20–60 минут",
            "30 сентября 2025 года",
            "синхронно",
        ),
        "news/impact-lab-2024-open-call": ("с 13 мая по 5 августа 2024 года", "Анны Гудковой"),
        "labs/development-lab/2024": ("Бухар", "Алматы", "Июнь 2024 г.", "октябрь 2024 г."),
        "labs/teen-lab/2024": ("Ташкент", "Июнь — сентябрь 2024 г."),
    },
    "en": {
        "labs/impact-lab/2024": (
            "26 September – 1 October 2024",
            "13 May – 5 August 2024",
            "from 26 September to 1 October 2024",
            "early September 2024",
            "Bishkek",
        ),
        "labs/impact-distribution-lab/2025": (
            "1 July – 30 September 2025",
            "30 October 2025",
            "November 2025",
            "December 2025",
            "January 2026",
            "February 2026 and later",
            "30 producers and 30 activists",
            "30 teams",
            "12 teams",
            "3–5",
            "12 minutes",
            "20–60 minutes",
            "2023–2025",
            "2025–2026",
            "interpreted simultaneously",
            "automatic subtitles",
        ),
        "faq": (
            "30 producers and 30 activists",
            "30 teams",
            "12 of them",
            "3–5",
            "from 12 minutes",
            "20–60 minutes",
            "30 September 2025",
            "Simultaneous interpretation",
        ),
        "news/impact-lab-2024-open-call": ("from 13 May to 5 August 2024", "Anna Gudkova"),
        "labs/development-lab/2024": ("Bukhara", "Almaty", "June 2024", "October 2024"),
        "labs/teen-lab/2024": ("Tashkent", "June – September 2024"),
    },
}

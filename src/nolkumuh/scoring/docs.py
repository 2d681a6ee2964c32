"""The ruleset tables as Markdown: shown by ``nolkumuh rulesets ID`` and kept in docs/scoring.md
(a test fails when the document and the ruleset data disagree)."""

from __future__ import annotations

from nolkumuh.scoring.criteria import catalogue
from nolkumuh.scoring.rulesets import Ruleset


def _percent(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def ruleset_markdown(ruleset: Ruleset, lang: str = "id") -> str:
    """Criteria, bands, classes and notes of one ruleset as Markdown."""
    cat = catalogue()
    lines = [
        f"### {ruleset.short_title} (`{ruleset.id}`)",
        "",
        ruleset.title,
        "",
        f"{len(ruleset.criteria)} criteria, maximum total {ruleset.max_total}.",
        "",
        "| code | key | aspect | criterion | unit | denominator | confidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in ruleset.criteria:
        c = item.criterion
        confidence = item.confidence
        if item.denominator_confidence != item.confidence:
            confidence += f" (denominator {item.denominator_confidence})"
        aspect = cat.aspects[c.aspect].name(lang)
        lines.append(
            f"| {item.code} | `{c.key}` | {c.aspect} {aspect} | {c.name(lang)} | {c.unit} | "
            f"{c.denominator} | {confidence} |"
        )
    lines += ["", "| percentage | score |", "|---|---|"]
    lines += [f"| ≥ {_percent(b.min_hundredths)} | {b.score} |" for b in ruleset.bands]
    lines += [f"| below {_percent(ruleset.bands[-1].min_hundredths)} | {ruleset.below_score} |"]
    lines += ["", "| class | label | total | confidence |", "|---|---|---|---|"]
    upper = ruleset.max_total
    for item in ruleset.classes:
        lines.append(f"| {item.code} | {item.label} | {item.min_total}–{upper} | {item.confidence} |")
        upper = item.min_total - 1
    lines += ["", "Sources:", ""]
    lines += [f"- {source}" for source in ruleset.sources]
    lines += ["", "Assessment tables and their confidence:", ""]
    lines += [f"- **{name}** [{note.confidence}]: {note.text}" for name, note in ruleset.notes.items()]
    return "\n".join(lines) + "\n"


BEGIN = "<!-- generated from the ruleset data: make docs -->"
END = "<!-- end of generated part -->"


def generated_section() -> str:
    """The part of docs/scoring.md that is generated from the shipped rulesets."""
    from nolkumuh.scoring.rulesets import all_rulesets

    body = "\n".join(
        ruleset_markdown(r, "en") for r in sorted(all_rulesets(), key=lambda r: r.id, reverse=True)
    )
    return f"{BEGIN}\n\n{body}\n{END}"


def update_document(text: str) -> str:
    """``text`` with its generated part replaced by the current ruleset data."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + generated_section() + text[end:]


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/scoring.md")
    target.write_text(update_document(target.read_text("utf-8")), "utf-8")
    print(f"updated {target}")

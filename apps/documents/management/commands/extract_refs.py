"""``manage.py extract_refs PATH [PATH …] [--json]`` — what the system proposes from each file's text.

With ``--json``: one JSON object per input file per line (CONTRACTS.md, "Extraction from text"). A file
that cannot be read gives a one-line error on stderr; the others are still processed, and the exit
status is then 2 (else 0).
"""

import json
import sys

from django.core.management.base import BaseCommand

from apps.documents.extraction import ReadError, extract, read_path

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "Extract the document's notation, cited documents, countries, localities, amounts and task candidates from text files (.txt, .docx, .pdf)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a .txt (UTF-8), .docx or .pdf file")
        parser.add_argument("--json", action="store_true", help="one JSON object per file per line")

    def handle(self, *paths, **options):
        paths = options["paths"]
        as_json = options["json"]
        self._utf8_stdout()
        failed = 0
        for path in paths:
            try:
                text = read_path(path)
            except ReadError as error:
                failed += 1
                self.stderr.write(f"extract_refs: {path}: {error}")
                continue
            result = {"path": path, **extract(text)}
            if as_json:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(_summary(result))
        if failed:
            sys.exit(EXIT_UNREADABLE)

    def _utf8_stdout(self):
        # ensure_ascii=False output must not fail on a terminal or pipe with a narrower encoding.
        for stream in (sys.stdout, sys.stderr):
            wrapped = getattr(self, "stdout" if stream is sys.stdout else "stderr")
            if getattr(wrapped, "_out", None) is stream and (stream.encoding or "").lower().replace("-", "") != "utf8":
                try:
                    stream.reconfigure(encoding="utf-8")
                except (AttributeError, ValueError):  # pragma: no cover - not a TextIOWrapper
                    pass


def _summary(result: dict) -> str:
    lines = [result["path"]]
    document = result["document"]
    if document["notation"] or document["type"] or document["is_draft"]:
        parts = [document["notation"] or "(no number)", document["type"] or "?"]
        if document["issuer_code"]:
            parts.append(f"issuer {document['issuer_code']}")
        if document["issued_on"]:
            parts.append(f"issued {document['issued_on']}")
        if document["is_draft"]:
            parts.append("DRAFT")
        lines.append("  Document: " + ", ".join(parts))
        if document.get("title"):
            lines.append(f"    {document['title']}")
    else:
        lines.append("  Document: not found")
    references = result["references"]
    lines.append(f"  References ({len(references)}):")
    for ref in references:
        date = ref["issued_on"] or "date unknown"
        lines.append(
            f"    {ref['notation']:<20} {ref['type'] or '?':<14} {ref['system']:<6} {date:<12} ×{ref['count']}"
        )
    if result["countries"]:
        lines.append("  Countries: " + ", ".join(f"{c['name']} ({c['code']})" for c in result["countries"]))
    if result["localities"]:
        lines.append(
            "  Foreign localities: " + ", ".join(f"{p['name']} ({p['country']})" for p in result["localities"])
        )
    if result["amounts"]:
        lines.append(
            "  Amounts: " + "; ".join(f"{a['text']} = {a['value']} {a['currency']}" for a in result["amounts"])
        )
    tasks = result["task_candidates"]
    lines.append(f"  Task candidates ({len(tasks)}):")
    for number, task in enumerate(tasks, 1):
        text = task["text"] if len(task["text"]) <= 110 else task["text"][:107] + "…"
        lines.append(f"    {number}. {text}")
        if task.get("lead"):
            lines.append(f"       lead: {'; '.join(task['lead'])}")
        if task.get("supporting"):
            lines.append(f"       supporting: {'; '.join(task['supporting'])}")
    return "\n".join(lines)
